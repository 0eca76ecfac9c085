"""The rule files an editor works on.

A project is the editor's workspace folders: their `.tfr` files, the
documents open in the editor (whose text counts, not the file on disk), and
the rulesets that ship with tfrules, found by name as `tfrules check` finds
them. Each file is parsed once per change of its text: a keystroke in a
council's file re-parses that file alone, never the national rulesets it
extends.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from tfrules.check.workspace import RULE_SUFFIX, SourceFile, Workspace, bundled_rulesets_dir
from tfrules.lsp.incremental import DeclarationCache
from tfrules.syntax.parser import ParseResult, parse_path

#: Parses of files as they are on disk, by (path, display name): (size and
#: time of change, parse). Shared by every project of the process, since the
#: shipped rulesets are the same for all of them.
_DISK_PARSES: dict[tuple[Path, str], tuple[object, ParseResult]] = {}

#: Folders never searched for rule files: tools' and version control's own.
_SKIPPED_FOLDERS = {"node_modules", "__pycache__", "site-packages"}


@attrs.define
class OpenDocument:
    path: Path
    text: str
    version: int


class Project:
    def __init__(self, roots: Iterable[Path] = ()) -> None:
        self.roots = [Path(r).resolve() for r in roots]
        self.documents: dict[Path, OpenDocument] = {}
        #: Goes up at every change of a document or of a file on disk: what
        #: was worked out from the files before is then out of date.
        self.generation = 0
        self._parses: dict[tuple[Path, str], tuple[object, ParseResult]] = {}
        self._declarations: dict[Path, DeclarationCache] = {}
        self._root_files: list[Path] | None = None
        self._bundled_dir = bundled_rulesets_dir().resolve()
        self._paths_by_display: dict[str, Path] = {}
        self._analyses: dict[Path, tuple[int, object]] = {}

    # ---------------------------------------------------------------- documents
    def open(self, path: Path, text: str, version: int) -> None:
        path = path.resolve()
        self.documents[path] = OpenDocument(path, text, version)
        known = self._root_files is None or path in self._root_files
        if not known and self.under_root(path) and path.suffix == RULE_SUFFIX:
            self._root_files = None  # a new file: look again
        self.generation += 1

    def change(self, path: Path, text: str, version: int) -> None:
        self.open(path, text, version)

    def close(self, path: Path) -> None:
        self.documents.pop(path.resolve(), None)
        self._declarations.pop(path.resolve(), None)
        self.generation += 1

    def files_changed(self) -> None:
        """Files were created, changed or deleted on disk."""
        self._root_files = None
        self.generation += 1

    def add_root(self, root: Path) -> None:
        self.roots.append(root.resolve())
        self.files_changed()

    def remove_root(self, root: Path) -> None:
        self.roots = [r for r in self.roots if r != root.resolve()]
        self.files_changed()

    # ---------------------------------------------------------------- files
    def under_root(self, path: Path) -> bool:
        return any(path.is_relative_to(root) for root in self.roots)

    def is_bundled(self, path: Path) -> bool:
        """A file shipped with tfrules (and not also part of the user's folders)."""
        path = path.resolve()
        return path.is_relative_to(self._bundled_dir) and not self.under_root(path)

    def root_files(self) -> list[Path]:
        """Every rule file in the workspace folders (and every open one)."""
        if self._root_files is None:
            found = {p for root in self.roots for p in _rule_files(root)}
            self._root_files = sorted(found)
        open_files = [p for p in self.documents if p not in self._root_files]
        return [*self._root_files, *sorted(open_files)]

    def parse(self, path: Path, display: str) -> ParseResult:
        """A file's parse, made again only when its text has changed: the
        parser a `Workspace` is given."""
        resolved = path.resolve()
        self._paths_by_display[display] = resolved
        document = self.documents.get(resolved)
        if document is not None:
            key: object = ("open", document.version, len(document.text))
        else:
            try:
                stat = resolved.stat()
            except OSError:
                return parse_path(path, display)  # says why the file cannot be read
            key = ("disk", stat.st_mtime_ns, stat.st_size)
        cache = self._parses if document is not None else _DISK_PARSES
        cached = cache.get((resolved, display))
        if cached is not None and cached[0] == key:
            return cached[1]
        if document is not None:
            cached_parts = self._declarations.setdefault(resolved, DeclarationCache())
            result = cached_parts.parse(document.text, display)
        else:
            result = parse_path(path, display)
        cache[(resolved, display)] = (key, result)
        return result

    def path_of(self, display: str) -> Path | None:
        """The file a diagnostic's or span's file name stands for."""
        return self._paths_by_display.get(display)

    def text_of(self, path: Path) -> str | None:
        path = path.resolve()
        document = self.documents.get(path)
        if document is not None:
            return document.text
        for (parsed_path, _), (_, result) in [*self._parses.items(), *_DISK_PARSES.items()]:
            if parsed_path == path:
                return result.text
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    def workspace(
        self, path: Path, parse=None, *, first: bool = False
    ) -> tuple[Workspace, SourceFile]:
        """A workspace of every rule file, added in the order `tfrules check`
        adds a folder's (so a ruleset declared twice is reported in the same
        file), with `path` among them (or `first`, so that its ruleset is the
        one a name finds), and `path`'s source in it."""
        workspace = Workspace(parse=parse or self.parse)
        path = path.resolve()
        files = self.root_files()
        if first or path not in files:
            workspace.add_file(path, bundled=self.is_bundled(path))
        for other in files:
            workspace.add_file(other)
        return workspace, workspace.add_file(path)

    # ---------------------------------------------------------------- analyses
    def analysis(self, path: Path):  # -> Analysis
        """The analysis of a file as it is now (made once per generation)."""
        from tfrules.lsp.analysis import analyse

        path = path.resolve()
        cached = self._analyses.get(path)
        if cached is not None and cached[0] == self.generation:
            return cached[1]
        result = analyse(self, path)
        self._analyses[path] = (self.generation, result)
        return result

    def last_analysis(self, path: Path):
        cached = self._analyses.get(path.resolve())
        return cached[1] if cached is not None else None

    def dependents(self, path: Path) -> list[Path]:
        """The open documents whose last check read `path` (a council's file
        extending a national one, every ruleset using a schema), or that
        named a ruleset or schema that could not be found then."""
        path = path.resolve()
        found = []
        for other in self.documents:
            if other == path:
                continue
            previous = self.last_analysis(other)
            if previous is None or path in previous.depends_on or not previous.complete:
                found.append(other)
        return sorted(found)

    def all_rule_files(self) -> Iterator[Path]:
        """The workspace's rule files and the shipped ones they build on."""
        seen: set[Path] = set()
        for path in self.root_files():
            seen.add(path)
            yield path
            for base in sorted(self.analysis(path).depends_on - seen):
                seen.add(base)
                yield base


def _rule_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        if root.suffix == RULE_SUFFIX:
            yield root
        return
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [
            s for s in subfolders if not s.startswith(".") and s not in _SKIPPED_FOLDERS
        ]
        for name in files:
            if name.endswith(RULE_SUFFIX):
                yield Path(folder, name).resolve()
