"""Go to definition, find references and rename, across the workspace and
into the shipped rulesets and the schema."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from tfrules.check.expressions import BUILTINS
from tfrules.lsp.occurrences import (
    CategoryTarget,
    ColumnTarget,
    Occurrence,
    ParamTarget,
    RulesetTarget,
    RuleTarget,
    SchemaTarget,
    TableTarget,
    Target,
    occurrence_at,
)
from tfrules.syntax import ast
from tfrules.syntax.words import RESERVED_WORDS

if TYPE_CHECKING:
    from tfrules.lsp.analysis import Analysis
    from tfrules.lsp.project import Project

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@attrs.frozen
class Location:
    path: Path
    span: ast.Span


class RenameError(Exception):
    """Why a name cannot be renamed, in words for the editor to show."""


def target_at(analysis: Analysis, line: int, column: int) -> Occurrence | None:
    return occurrence_at(analysis.occurrences, line, column)


def symbol_key(analysis: Analysis, occurrence: Occurrence) -> tuple[str, ...] | None:
    """What makes two occurrences in different files the same thing: a rule or
    parameter is known by its name and the ruleset that first declares it."""
    target = occurrence.target
    if isinstance(target, RuleTarget | ParamTarget):
        kind = "rule" if isinstance(target, RuleTarget) else "parameter"
        origin = analysis.origins.get((kind, target.name))
        return (kind, target.name, origin) if origin is not None else None
    if isinstance(target, ColumnTarget):
        return ("column", target.table, target.column)
    if isinstance(target, TableTarget):
        return ("table", target.table)
    if isinstance(target, RulesetTarget):
        return ("ruleset", target.name)
    return None


# ---------------------------------------------------------------- definition


def definition(analysis: Analysis, line: int, column: int) -> list[Location]:
    occurrence = target_at(analysis, line, column)
    if occurrence is None:
        return []
    target = occurrence.target
    if isinstance(target, RuleTarget | ParamTarget):
        found = _chain_declarations(analysis, target)
        if not occurrence.declaration:
            return found[-1:]
        here = Location(analysis.path, occurrence.span)
        # on a declaration: the one it declares again (an abstract rule, an overridden parameter)
        if here in found and found.index(here) > 0:
            return [found[found.index(here) - 1]]
        return [here]
    if isinstance(target, ColumnTarget | TableTarget):
        return _schema_declarations(analysis, target)
    if isinstance(target, CategoryTarget):
        return _category_column(analysis, target)
    if isinstance(target, RulesetTarget | SchemaTarget):
        workspace = analysis.view.workspace
        source = (
            workspace.ruleset(target.name)
            if isinstance(target, RulesetTarget)
            else workspace.schema(target.name)
        )
        if source is None or source.ast is None:
            return []
        span = source.ast.span
        return [
            Location(
                source.path.resolve(),
                ast.Span(span.file, span.line, span.column, span.line, span.column),
            )
        ]
    return []


def _chain_declarations(analysis: Analysis, target: RuleTarget | ParamTarget) -> list[Location]:
    """Where the name is declared in the rulesets of this file's chain, base first."""
    view = analysis.view
    layers = list(view.checked.chain) if view.checked is not None else []
    if isinstance(view.tree, ast.RulesetFile) and view.tree.name not in layers:
        layers.append(view.tree.name)
    found = []
    for layer in layers:
        source = view.workspace.ruleset(layer)
        if source is None:
            continue
        path = source.path.resolve()
        other = analysis if path == analysis.path else analysis.project.analysis(path)
        for occurrence in other.occurrences:
            if occurrence.declaration and occurrence.target == target:
                found.append(Location(path, occurrence.span))
    return found


def _schema_declarations(analysis: Analysis, target: ColumnTarget | TableTarget) -> list[Location]:
    schema = analysis.view.schema
    if schema is None:
        return []
    source = analysis.view.workspace.schema(schema.name)
    if source is None:
        return []
    path = source.path.resolve()
    other = analysis if path == analysis.path else analysis.project.analysis(path)
    return [
        Location(path, o.span) for o in other.occurrences if o.declaration and o.target == target
    ][:1]


def _category_column(analysis: Analysis, target: CategoryTarget) -> list[Location]:
    schema = analysis.view.schema
    if schema is None:
        return []
    for table in schema.tables:
        for column in table.columns:
            if column.type == target.category:
                return _schema_declarations(analysis, ColumnTarget(table.name, column.name))
    return []


# ---------------------------------------------------------------- references


def references(
    project: Project, analysis: Analysis, line: int, column: int, include_declaration: bool
) -> list[Location]:
    occurrence = target_at(analysis, line, column)
    if occurrence is None:
        return []
    key = symbol_key(analysis, occurrence)
    if key is None:
        return []
    return [
        Location(path, o.span)
        for path, o in _all_occurrences(project, key)
        if include_declaration or not o.declaration
    ]


def _all_occurrences(project: Project, key: tuple[str, ...]) -> list[tuple[Path, Occurrence]]:
    found = []
    for path in project.all_rule_files():
        other = project.analysis(path)
        for occurrence in other.occurrences:
            if symbol_key(other, occurrence) == key:
                found.append((path, occurrence))
    return found


# ---------------------------------------------------------------- rename


def rename_target(analysis: Analysis, line: int, column: int) -> Occurrence:
    """The rule or parameter under the cursor, or why it cannot be renamed."""
    occurrence = target_at(analysis, line, column)
    if occurrence is None or not isinstance(occurrence.target, RuleTarget | ParamTarget):
        raise RenameError("only the name of a rule or a parameter can be renamed")
    key = symbol_key(analysis, occurrence)
    if key is None:
        raise RenameError(f"'{occurrence.target.name}' is not declared in any ruleset")
    return occurrence


def rename(
    project: Project, analysis: Analysis, line: int, column: int, new_name: str
) -> dict[Path, list[tuple[ast.Span, str]]]:
    """The edits that rename a rule or parameter everywhere it is used."""
    occurrence = rename_target(analysis, line, column)
    target = occurrence.target
    assert isinstance(target, RuleTarget | ParamTarget)
    _check_new_name(new_name)
    key = symbol_key(analysis, occurrence)
    assert key is not None
    found = _all_occurrences(project, key)
    edits: dict[Path, list[tuple[ast.Span, str]]] = {}
    for path, item in found:
        if project.is_bundled(path):
            raise RenameError(
                f"'{target.name}' is used in {item.span.file}, which ships with tfrules "
                "and cannot be changed here"
            )
        edits.setdefault(path, []).append((item.span, new_name))
    for path in edits:
        checked = project.analysis(path).view.checked
        if checked is None:
            continue
        if new_name in checked.rules or new_name in checked.params:
            what = "a rule" if new_name in checked.rules else "a parameter"
            raise RenameError(f"'{new_name}' is already {what} in {checked.name}")
        for table in checked.schema.tables:
            if table.column(new_name) is not None:
                raise RenameError(
                    f"'{new_name}' is a column of {table.name}: where that table is read, "
                    "the name would mean the column"
                )
    return edits


def _check_new_name(new_name: str) -> None:
    if not _NAME.match(new_name):
        raise RenameError(
            f"'{new_name}' is not a name: use letters, digits and _, starting with a letter"
        )
    if new_name in RESERVED_WORDS or new_name in BUILTINS:
        raise RenameError(f"'{new_name}' is a word of the language, so it cannot name a rule")


__all__ = ["Location", "RenameError", "Target", "definition", "references", "rename"]
