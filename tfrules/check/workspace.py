"""The rule files of one run: found, parsed once, and indexed by name.

Rulesets name what they build on (`extends national.phase1`, `uses schema
canonical`); the workspace finds those among the files given and, failing
that, among the rulesets that ship with tfrules, so a council's repository
can hold only its own local files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

import attrs

from tfrules import diagnostics as diag
from tfrules.check.rule_files import RULE_SUFFIX, PathError, not_a_rule_file, rule_files_in
from tfrules.syntax import ast
from tfrules.syntax.parser import ParseResult, parse_path

_HEADER = re.compile(r"^\s*(ruleset|schema)\s+([A-Za-z_][\w.]*)", re.MULTILINE)


def bundled_rulesets_dir() -> Path:
    """The rulesets shipped inside the package (or the checkout's `rulesets/`)."""
    packaged = Path(str(resources.files("tfrules"))) / "rulesets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rulesets"


def display_path(path: Path) -> str:
    """A path as a rule author would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


#: How the shipped rule files are named in diagnostics: `<tfrules>/national/phase1.tfr`.
BUNDLED_PREFIX = "<tfrules>/"


def source_path(display: str) -> Path:
    """The file a diagnostic's file name (see `display_path`) stands for."""
    if display.startswith(BUNDLED_PREFIX):
        return bundled_rulesets_dir() / display.removeprefix(BUNDLED_PREFIX)
    return Path(display)


def same_file(one: Path, other: Path) -> bool:
    """One file, or two copies of it (the shipped rulesets and a checkout's `rulesets/`)."""
    try:
        return one.samefile(other) or one.read_bytes() == other.read_bytes()
    except OSError:
        return False


def same_rule_file(one: str | None, other: str | None) -> bool:
    """`same_file` for rule files as diagnostics name them (None: no file)."""
    if one is None or other is None:
        return one == other
    return one == other or same_file(source_path(one), source_path(other))


@attrs.define
class SourceFile:
    path: Path
    display: str
    parsed: ParseResult
    bundled: bool = False

    @property
    def ast(self) -> ast.File | None:
        return self.parsed.file if self.parsed.ok else None


class Workspace:
    """`parse` reads and parses one file (path, display name): an editor passes
    one that returns the text being edited and reuses parses of unchanged files."""

    def __init__(
        self,
        *,
        include_bundled: bool = True,
        parse: Callable[[Path, str], ParseResult] | None = None,
    ) -> None:
        self.files: list[SourceFile] = []
        self.rulesets: dict[str, SourceFile] = {}
        self.schemas: dict[str, SourceFile] = {}
        #: Mapping files, by name; a run names its mapping by file, never by name.
        self.mappings: dict[str, SourceFile] = {}
        self.sources = diag.SourceCache()
        self.diagnostics: list[diag.Diagnostic] = []
        self._bundled_loaded = not include_bundled
        self._index_cache: dict[tuple[str, str], Path] | None = None
        self._by_path: dict[Path, SourceFile] = {}
        self._parse = parse

    # ---------------------------------------------------------------- loading
    def add_paths(self, paths: Iterable[str | Path]) -> list[SourceFile]:
        """Load files and (recursively) folders of `.tfr` files; the files asked for."""
        added: list[SourceFile] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found, problems = rule_files_in(path, str(raw), display_path)
                self._refused(problems)
                if not found and not problems:
                    raise PathError(f"{raw}: no {RULE_SUFFIX} files in this folder")
                added.extend(self.add_file(p) for p in found)
            elif path.is_file():
                refused = not_a_rule_file(path, display_path(path))
                if refused is None:
                    added.append(self.add_file(path))
                else:
                    self._refused([refused])
            else:
                raise PathError(f"{raw}: no such file or folder")
        return added

    def _refused(self, problems: list[diag.Diagnostic]) -> None:
        """Files not read (links out of a folder, files that are not rule
        files), each reported once."""
        for problem in problems:
            if problem not in self.diagnostics:
                self.diagnostics.append(problem)

    def add_file(self, path: Path, *, bundled: bool = False) -> SourceFile:
        resolved = path.resolve()
        if resolved in self._by_path:
            return self._by_path[resolved]
        display = (
            display_path(path)
            if not bundled
            else f"{BUNDLED_PREFIX}{path.relative_to(bundled_rulesets_dir())}"
        )
        parsed = (self._parse or parse_path)(path, display)
        self.sources.add(display, parsed.text)
        source = SourceFile(path, display, parsed, bundled)
        self._by_path[resolved] = source
        self.files.append(source)
        self.diagnostics.extend(parsed.diagnostics)
        self._index(source)
        if not bundled:
            self._warn_if_shadowing(source)
        return source

    def add_text(self, text: str, display: str) -> SourceFile:
        """Load rules given as text (tests, notebooks)."""
        from tfrules.syntax.parser import parse_text

        parsed = parse_text(text, display)
        self.sources.add(display, text)
        source = SourceFile(Path(display), display, parsed)
        self.files.append(source)
        self.diagnostics.extend(parsed.diagnostics)
        self._index(source)
        return source

    def _index(self, source: SourceFile) -> None:
        tree = source.ast
        if tree is None:
            return
        if isinstance(tree, ast.MappingFile):
            self.mappings.setdefault(tree.name, source)
            return
        table = self.schemas if isinstance(tree, ast.SchemaFile) else self.rulesets
        existing = table.get(tree.name)
        if existing is not None:
            if existing.bundled and not source.bundled:
                table[tree.name] = source  # the user's own copy wins over the shipped one
                return
            if source.bundled:
                return
            kind = "schema" if isinstance(tree, ast.SchemaFile) else "ruleset"
            self.diagnostics.append(
                diag.error(
                    "E102",
                    f"the {kind} '{tree.name}' is also declared in {existing.display}",
                    tree.span,
                    f"each {kind} name must be declared once",
                )
            )
            return
        table[tree.name] = source

    def _warn_if_shadowing(self, source: SourceFile) -> None:
        """W030 for a file of the user's that declares a shipped ruleset or
        schema with other content: theirs is used, and they should know."""
        tree = source.ast
        if tree is None:
            return
        kind = "schema" if isinstance(tree, ast.SchemaFile) else "ruleset"
        shipped = self.shipped(kind, tree.name)
        if shipped is None or same_file(source.path, shipped):
            return
        where = f"{BUNDLED_PREFIX}{shipped.relative_to(bundled_rulesets_dir())}"
        self.diagnostics.append(
            diag.warning(
                "W030",
                f"this file's {kind} '{tree.name}' replaces the one shipped with tfrules "
                f"({where}); {source.display} is used",
                tree.span,
                f"give your {kind} another name unless you mean to change the shipped one",
            )
        )

    def shipped(self, kind: str, name: str) -> Path | None:
        """The shipped file declaring the ruleset or schema `name`, if any."""
        if self._bundled_loaded:
            return None
        return self._bundled_index().get((kind, name))

    def _bundled_index(self) -> dict[tuple[str, str], Path]:
        """The shipped rule files by (kind, name), read from each file's header
        line only: a file is parsed when it is first needed."""
        if self._index_cache is None:
            self._index_cache = {}
            root = bundled_rulesets_dir()
            if root.is_dir():
                for path in sorted(root.rglob(f"*{RULE_SUFFIX}")):
                    header = _HEADER.search(path.read_text(encoding="utf-8", errors="replace"))
                    if header:
                        self._index_cache.setdefault((header[1], header[2]), path)
        return self._index_cache

    def _load_bundled(self, kind: str, name: str) -> None:
        if self._bundled_loaded:
            return
        path = self._bundled_index().get((kind, name))
        if path is not None:
            self.add_file(path, bundled=True)

    # ---------------------------------------------------------------- lookup
    def ruleset(self, name: str) -> SourceFile | None:
        if name not in self.rulesets:
            self._load_bundled("ruleset", name)
        return self.rulesets.get(name)

    def schema(self, name: str) -> SourceFile | None:
        if name not in self.schemas:
            self._load_bundled("schema", name)
        return self.schemas.get(name)

    def known_names(self, kind: str) -> list[str]:
        """Every ruleset (or schema) name that can be found, loaded or shipped."""
        loaded = self.rulesets if kind == "ruleset" else self.schemas
        index = {} if self._bundled_loaded else self._bundled_index()
        return sorted({*loaded, *(n for k, n in index if k == kind)})

    def known_ruleset_names(self) -> list[str]:
        return self.known_names("ruleset")
