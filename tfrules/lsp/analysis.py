"""One file as the checker sees it: its diagnostics, exactly those of
`tfrules check`, and (for hover, definition and the rest) its tree and
checked ruleset, read from what the parser recovers when the file has
syntax errors."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from tfrules import diagnostics as diag
from tfrules.check.mapping import check_mapping_source
from tfrules.check.ruleset import check_ruleset
from tfrules.check.schema_build import build_schema
from tfrules.check.workspace import _HEADER, SourceFile, Workspace
from tfrules.lsp.occurrences import Occurrence, ParamTarget, RuleTarget, occurrences
from tfrules.lsp.recovery import recover
from tfrules.lsp.text import SourceText
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Schema
from tfrules.syntax import ast

if TYPE_CHECKING:
    from tfrules.lsp.project import Project


@attrs.define
class View:
    """A file's tree (whole or recovered) with the checked ruleset it belongs to."""

    tree: ast.File | None
    checked: CheckedRuleset | None
    schema: Schema | None
    workspace: Workspace
    source: SourceText


@attrs.define(eq=False)
class Analysis:
    project: Project
    path: Path
    source_file: SourceFile
    workspace: Workspace
    checked: CheckedRuleset | None
    diagnostics: tuple[diag.Diagnostic, ...]
    #: The files this one's check read: the rulesets it extends and its schema.
    depends_on: frozenset[Path]
    #: False when a ruleset or schema it names could not be found.
    complete: bool

    @property
    def display(self) -> str:
        return self.source_file.display

    @property
    def text(self) -> str:
        return self.source_file.parsed.text

    @property
    def bundled(self) -> bool:
        return self.source_file.bundled

    @functools.cached_property
    def bases(self) -> list[Path]:
        """The user's own files this one's ruleset extends, nearest first, also
        those with syntax errors (which the check cannot read, so reports as
        missing): their diagnostics are shown with this file's."""
        found: list[Path] = []
        tree = self.source_file.parsed.file
        by_name = {
            match.group(2): source
            for source in self.workspace.files
            if (match := _HEADER.search(source.parsed.text)) is not None
        }
        while isinstance(tree, ast.RulesetFile) and tree.extends is not None:
            base = self.workspace.rulesets.get(tree.extends) or by_name.get(tree.extends)
            if base is None or base.bundled or base.path.resolve() in (self.path, *found):
                break
            found.append(base.path.resolve())
            tree = base.parsed.file
        return found

    @functools.cached_property
    def view(self) -> View:
        source = SourceText(self.text, self.display)
        parsed = self.source_file.parsed
        if parsed.ok:
            return View(
                parsed.file, self.checked, self._schema(self.checked), self.workspace, source
            )
        recovered = recover(parsed, self.display)
        if recovered is None:
            return View(None, None, None, self.workspace, source)
        mine = self.path

        def parse(path: Path, display: str):
            return recovered if path.resolve() == mine else self.project.parse(path, display)

        workspace, file = self.project.workspace(self.path, parse, first=True)
        checked = _check(workspace, file)[0]
        return View(
            recovered.file, checked, self._schema(checked, recovered.file), workspace, source
        )

    @functools.cached_property
    def occurrences(self) -> list[Occurrence]:
        view = self.view
        return occurrences(view.tree, view.source, view.checked, view.schema)

    @functools.cached_property
    def origins(self) -> dict[tuple[str, str], str]:
        """For each rule and parameter in scope, the ruleset that first
        declares it: a name means the same thing in every ruleset built on that one."""
        view = self.view
        layers = list(view.checked.chain) if view.checked is not None else []
        if isinstance(view.tree, ast.RulesetFile) and view.tree.name not in layers:
            layers.append(view.tree.name)
        found: dict[tuple[str, str], str] = {}
        for layer in layers:
            source = view.workspace.ruleset(layer)
            if source is None:
                continue
            mine = source.path.resolve() == self.path
            analysis = self if mine else self.project.analysis(source.path)
            for occurrence in analysis.occurrences:
                target = occurrence.target
                if occurrence.declaration and isinstance(target, RuleTarget | ParamTarget):
                    found.setdefault((_kind(target), target.name), layer)
        return found

    def _schema(
        self, checked: CheckedRuleset | None, tree: ast.File | None = None
    ) -> Schema | None:
        if checked is not None:
            return checked.schema
        tree = tree or self.source_file.parsed.file
        if isinstance(tree, ast.SchemaFile):
            return build_schema(tree)[0]
        return None


def _kind(target: RuleTarget | ParamTarget) -> str:
    return "rule" if isinstance(target, RuleTarget) else "parameter"


def analyse(project: Project, path: Path) -> Analysis:
    workspace, source = project.workspace(path)
    checked, found = _check(workspace, source)
    found += _from_bases(workspace, source)
    found += [d for d in workspace.diagnostics if d.span.file == source.display]
    depends_on = {path}
    complete = True
    if checked is not None:
        for display in checked.files.values():
            base = project.path_of(display)
            if base is not None:
                depends_on.add(base)
        schema = workspace.schema(checked.schema.name)
        if schema is not None:
            depends_on.add(schema.path.resolve())
    elif isinstance(source.ast, ast.RulesetFile):
        complete = False
    mine = [d for d in found if d.span.file == source.display]
    return Analysis(
        project,
        path,
        source,
        workspace,
        checked,
        _unique(mine),
        frozenset(depends_on),
        complete,
    )


def _check(
    workspace: Workspace, source: SourceFile
) -> tuple[CheckedRuleset | None, list[diag.Diagnostic]]:
    """What `tfrules check` does for one file."""
    tree = source.ast
    if isinstance(tree, ast.SchemaFile):
        return None, list(build_schema(tree)[1])
    if isinstance(tree, ast.MappingFile):
        return None, check_mapping_source(workspace, source)[1]
    if isinstance(tree, ast.RulesetFile) and workspace.rulesets.get(tree.name) is source:
        result = check_ruleset(workspace, tree.name)
        return result.ruleset, list(result.diagnostics)
    return None, []


def _from_bases(workspace: Workspace, source: SourceFile) -> list[diag.Diagnostic]:
    """What the checks of the workspace's rulesets this one extends say about
    this file (rulesets that extend each other are reported in both files)."""
    found: list[diag.Diagnostic] = []
    seen = {id(source)}
    tree = source.ast
    while isinstance(tree, ast.RulesetFile) and tree.extends is not None:
        base = workspace.ruleset(tree.extends)
        if base is None or base.bundled or id(base) in seen or base.ast is None:
            break
        seen.add(id(base))
        found += [d for d in _check(workspace, base)[1] if d.span.file == source.display]
        tree = base.ast
    return found


def _unique(found: list[diag.Diagnostic]) -> tuple[diag.Diagnostic, ...]:
    seen: set[tuple[object, ...]] = set()
    unique = []
    for item in found:
        key = (item.code, item.message, item.span)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return tuple(sorted(unique, key=diag.Diagnostic.sort_key))
