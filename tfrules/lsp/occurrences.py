"""Every name in a file that refers to something, with what it refers to.

What a name in a rule means comes from the checker's annotations of the
ruleset the file belongs to (read through `Annotations`' methods); the few
names the AST keeps no span of (a declaration's own name, a test's columns)
are found in the text of their declaration.
"""

from __future__ import annotations

import attrs

from tfrules.lsp.text import NAME, SourceText, contains, span_size
from tfrules.model import types as T
from tfrules.model.ruleset import (
    BuiltinRef,
    CategoryValue,
    CheckedRuleset,
    ColumnRef,
    ParamRef,
    RuleRef,
)
from tfrules.model.schema import Schema
from tfrules.syntax import ast
from tfrules.syntax.walk import walk


@attrs.frozen
class RuleTarget:
    name: str


@attrs.frozen
class ParamTarget:
    name: str


@attrs.frozen
class ColumnTarget:
    table: str
    column: str


@attrs.frozen
class TableTarget:
    table: str


@attrs.frozen
class BuiltinTarget:
    """A built-in value (`as_of`, `age`, `active`, `lasted`) or function (`min`, ...)."""

    name: str


@attrs.frozen
class CategoryTarget:
    value: str
    category: T.Type


@attrs.frozen
class RulesetTarget:
    name: str


@attrs.frozen
class SchemaTarget:
    name: str


Target = (
    RuleTarget
    | ParamTarget
    | ColumnTarget
    | TableTarget
    | BuiltinTarget
    | CategoryTarget
    | RulesetTarget
    | SchemaTarget
)


@attrs.frozen
class Occurrence:
    span: ast.Span
    target: Target
    #: The name where a rule, parameter, table or column is declared (or
    #: declared again: an override, the definition of an abstract rule).
    declaration: bool = False


def occurrences(
    tree: ast.File | None,
    source: SourceText,
    checked: CheckedRuleset | None,
    schema: Schema | None,
) -> list[Occurrence]:
    if isinstance(tree, ast.SchemaFile):
        return _schema_occurrences(tree, source, schema)
    if isinstance(tree, ast.RulesetFile):
        return _Collector(source, checked, schema).ruleset(tree)
    return []


def occurrence_at(found: list[Occurrence], line: int, column: int) -> Occurrence | None:
    """The innermost occurrence at a 1-based position."""
    here = [o for o in found if contains(o.span, line, column)]
    return min(here, key=lambda o: span_size(o.span), default=None)


class _Collector:
    def __init__(
        self, source: SourceText, checked: CheckedRuleset | None, schema: Schema | None
    ) -> None:
        self.source = source
        self.checked = checked
        self.schema = schema
        self.found: list[Occurrence] = []

    def add(self, span: ast.Span | None, target: Target, declaration: bool = False) -> None:
        if span is not None:
            self.found.append(Occurrence(span, target, declaration))

    def ruleset(self, tree: ast.RulesetFile) -> list[Occurrence]:
        header_end = tree.decls[0].span if tree.decls else None
        header = ast.Span(
            tree.span.file,
            tree.span.line,
            tree.span.column,
            header_end.line if header_end else tree.span.end_line,
            header_end.column if header_end else tree.span.end_column,
        )
        if tree.extends:
            span = self.source.find(r"\bextends\s+([A-Za-z_][\w.]*)", header)
            self.add(span, RulesetTarget(tree.extends))
        if tree.schema:
            self.add(
                self.source.find(rf"\buses\s+schema\s+({NAME})", header), SchemaTarget(tree.schema)
            )
        for decl in tree.decls:
            if isinstance(decl, ast.ParamDecl):
                self.param(decl)
            elif isinstance(decl, ast.RuleDecl):
                self.add(self.source.name_after(decl.kind, decl.span), RuleTarget(decl.name), True)
                if decl.body is not None:
                    self.expression(decl.body)
            else:
                self.test(decl)
        return self.found

    def param(self, decl: ast.ParamDecl) -> None:
        self.add(self.source.name_after("parameter", decl.span), ParamTarget(decl.name), True)
        info = self.checked.params.get(decl.name) if self.checked else None
        kind = info.type if info is not None else None
        if (
            kind is not None
            and kind.kind is T.Kind.SET
            and kind.element is not None
            and kind.element.kind is T.Kind.CATEGORY
            and isinstance(decl.value, ast.SetLiteral)
        ):
            for item in decl.value.items:
                if isinstance(item, ast.Name):
                    self.add(item.span, CategoryTarget(item.name, kind.element))

    def expression(self, node: ast.Expr) -> None:
        notes = self.checked.annotations if self.checked else None
        for item in walk(node):
            if isinstance(item, ast.Name) and notes is not None:
                span, target = self._resolved(item)
                self.add(span, target)
            elif isinstance(item, ast.Collection):
                if item.is_members and item.qualifier:
                    span = self.source.prefix_span(item.span, len(item.qualifier))
                    self.add(span, RuleTarget(item.qualifier))
                elif not item.is_members:
                    self.add(item.span, TableTarget(item.name))
            elif isinstance(item, ast.Call):
                self.add(
                    self.source.prefix_span(item.span, len(item.function)),
                    BuiltinTarget(item.function),
                )

    def _resolved(self, node: ast.Name) -> tuple[ast.Span | None, Target]:
        assert self.checked is not None
        notes = self.checked.annotations
        resolution = notes.resolution_or_none(node)
        if isinstance(resolution, RuleRef):
            return node.span, RuleTarget(resolution.name)
        if isinstance(resolution, ParamRef):
            return node.span, ParamTarget(resolution.name)
        if isinstance(resolution, ColumnRef):
            return node.span, ColumnTarget(resolution.table, resolution.column)
        if isinstance(resolution, BuiltinRef):
            return node.span, BuiltinTarget(resolution.name)
        if isinstance(resolution, CategoryValue):
            return node.span, CategoryTarget(resolution.value, notes.type_of(node))
        return None, BuiltinTarget(node.name)

    def test(self, decl: ast.TestDecl) -> None:
        schema = self.schema
        for item in decl.items:
            if isinstance(item, ast.TestParam):
                is_param = self.checked is not None and item.name in self.checked.params
                target = ParamTarget(item.name) if is_param else RuleTarget(item.name)
                self.add(self.source.name_after("with", item.span), target)
                self.expression(item.value)
            elif isinstance(item, ast.TestHousehold) and schema is not None:
                self.fields(schema.households.name, item.fields)
                for member in item.members:
                    self.fields(schema.persons.name, member.fields)
            elif isinstance(item, ast.TestRow):
                self.add(
                    self.source.prefix_span(item.span, len(item.table)), TableTarget(item.table)
                )
                self.fields(item.table, item.fields)
            elif isinstance(item, ast.TestMissing):
                for table in item.tables:
                    self.add(self.source.word_span(table, item.span), TableTarget(table))
            elif isinstance(item, ast.TestExpect):
                for expectation in item.expectations:
                    span = self.source.prefix_span(expectation.span, len(expectation.rule))
                    self.add(span, RuleTarget(expectation.rule))

    def fields(self, table_name: str, fields: tuple[ast.Field, ...]) -> None:
        table = self.schema.table(table_name) if self.schema else None
        if table is None:
            return
        for field in fields:
            column = table.column(field.column)
            if column is None:
                continue
            span = self.source.prefix_span(field.span, len(field.column))
            self.add(span, ColumnTarget(table.name, column.name))
            value = field.value
            if (
                isinstance(value, ast.Name)
                and column.type.kind is T.Kind.CATEGORY
                and value.name in column.type.values
            ):
                self.add(value.span, CategoryTarget(value.name, column.type))


def _schema_occurrences(
    tree: ast.SchemaFile, source: SourceText, schema: Schema | None
) -> list[Occurrence]:
    found: list[Occurrence] = []
    if schema is None:
        return found
    for decl in tree.tables:
        if isinstance(decl, ast.EntityDecl):
            table = next((t for t in schema.tables if t.entity == decl.name), None)
            keyword = "entity"
        else:
            table = schema.table(decl.name)
            keyword = "events"
        if table is None:
            continue
        span = source.name_after(keyword, decl.span)
        if span is not None:
            found.append(Occurrence(span, TableTarget(table.name), True))
        if isinstance(decl, ast.EntityDecl) and decl.table:
            span = source.name_after("table", decl.span)
            if span is not None:
                found.append(Occurrence(span, TableTarget(table.name), True))
        for column in decl.columns:
            span = source.prefix_span(column.span, len(column.name))
            found.append(Occurrence(span, ColumnTarget(table.name, column.name), True))
    return found
