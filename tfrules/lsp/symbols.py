"""The outline of a file: its ruleset (or schema) and what it declares."""

from __future__ import annotations

import attrs

from tfrules.lsp.text import NAME, SourceText
from tfrules.syntax import ast


@attrs.frozen
class Symbol:
    name: str
    kind: str  # ruleset, schema, parameter, criterion, measure, test, table, column
    span: ast.Span
    name_span: ast.Span
    detail: str | None = None
    children: tuple[Symbol, ...] = ()


def outline(tree: ast.File | None, source: SourceText) -> list[Symbol]:
    if isinstance(tree, ast.RulesetFile):
        children = tuple(s for d in tree.decls if (s := _declaration(d, source)) is not None)
        name = source.find(r"\bruleset\s+([A-Za-z_][\w.]*)", tree.span) or tree.span
        return [Symbol(tree.name, "ruleset", tree.span, name, tree.title, children)]
    if isinstance(tree, ast.SchemaFile):
        tables = tuple(_table(t, source) for t in tree.tables)
        name = source.name_after("schema", tree.span) or tree.span
        return [Symbol(tree.name, "schema", tree.span, name, tree.title, tables)]
    return []


def _declaration(decl: ast.Decl, source: SourceText) -> Symbol | None:
    if isinstance(decl, ast.ParamDecl):
        name = source.name_after("parameter", decl.span) or decl.span
        return Symbol(decl.name, "parameter", decl.span, name, decl.title)
    if isinstance(decl, ast.RuleDecl):
        name = source.name_after(decl.kind, decl.span) or decl.span
        return Symbol(decl.name, decl.kind, decl.span, name, decl.title)
    if isinstance(decl, ast.TestDecl):
        return Symbol(f"test: {decl.title}", "test", decl.span, decl.span)
    return None


def _table(decl: ast.EntityDecl | ast.EventsDecl, source: SourceText) -> Symbol:
    keyword = "entity" if isinstance(decl, ast.EntityDecl) else "events"
    name = source.find(rf"\b{keyword}\s+({NAME})", decl.span) or decl.span
    columns = tuple(
        Symbol(c.name, "column", c.span, source.prefix_span(c.span, len(c.name)), c.title)
        for c in decl.columns
    )
    return Symbol(decl.name, "table", decl.span, name, decl.title, columns)
