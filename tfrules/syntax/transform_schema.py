"""Schema declarations from the parse tree: entities, event tables, columns
and their types."""

from __future__ import annotations

from typing import Any

from lark import Token
from lark.tree import Meta

from tfrules.syntax import ast
from tfrules.syntax.transform_base import Clause, ToAstBase


class SchemaToAst(ToAstBase):
    # ---------------------------------------------------------------- schema
    def table_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("table", str(children[0]), self._span(meta))

    def key_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("key", str(children[0]), self._span(meta))

    def council_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("council", str(children[0]), self._span(meta))

    def owner_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("owner", (str(children[0]), str(children[1])), self._span(meta))

    def aged_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("aged_by", str(children[0]), self._span(meta))

    def dated_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("dated", str(children[0]), self._span(meta))

    def span_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("spanning", (str(children[0]), str(children[1])), self._span(meta))

    def term_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("termly", (str(children[0]), str(children[1])), self._span(meta))

    def empty_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("empty_when_missing", True, self._span(meta))

    def _table_parts(self, children: list[Any]) -> tuple[dict[str, Any], list[ast.ColumnDecl]]:
        clauses: dict[str, Any] = {}
        columns: list[ast.ColumnDecl] = []
        for child in children:
            if isinstance(child, ast.ColumnDecl):
                columns.append(child)
            elif isinstance(child, Clause):
                if child.kind in clauses:
                    self._bad("E015", f"the table says '{child.kind}' twice", child.span)
                clauses[child.kind] = child.value
        return clauses, columns

    def entity_decl(self, meta: Meta, children: list[Any]) -> ast.EntityDecl:
        clauses, columns = self._table_parts(children[1:])
        return ast.EntityDecl(
            str(children[0]),
            title=clauses.get("title"),
            table=clauses.get("table"),
            key=clauses.get("key"),
            owner=clauses.get("owner"),
            aged_by=clauses.get("aged_by"),
            columns=tuple(columns),
            council=clauses.get("council"),
            span=self._span(meta),
        )

    def events_decl(self, meta: Meta, children: list[Any]) -> ast.EventsDecl:
        name, rest = str(children[0]), children[1:]
        title = None
        if rest and isinstance(rest[0], Clause) and rest[0].kind == "title":
            title, rest = rest[0].value, rest[1:]
        owner, owner_key = str(rest[0]), str(rest[1])
        clauses, columns = self._table_parts(rest[2:])
        return ast.EventsDecl(
            name,
            owner,
            owner_key,
            title=title,
            dated=clauses.get("dated"),
            spanning=clauses.get("spanning"),
            termly=clauses.get("termly"),
            empty_when_missing=bool(clauses.get("empty_when_missing")),
            columns=tuple(columns),
            span=self._span(meta),
        )

    def optional(self, meta: Meta, children: list[Token]) -> str:
        return "optional"

    def column_decl(self, meta: Meta, children: list[Any]) -> ast.ColumnDecl:
        name = str(children[0])
        optional = False
        title = None
        default = None
        type_ref = None
        for child in children[1:]:
            if child == "optional":
                optional = True
            elif isinstance(child, ast.TypeRef):
                type_ref = child
            elif isinstance(child, Clause):
                title = child.value
            elif isinstance(child, ast.Literal):
                default = child
        assert type_ref is not None
        return ast.ColumnDecl(name, type_ref, optional, title, default, span=self._span(meta))

    def column_default(self, meta: Meta, children: list[Any]) -> ast.Literal:
        return children[0]

    def named_type(self, meta: Meta, children: list[Token]) -> ast.TypeRef:
        return ast.TypeRef(name=str(children[0]), span=self._span(meta))

    def category_type(self, meta: Meta, children: list[Token]) -> ast.TypeRef:
        return ast.TypeRef(values=tuple(str(c) for c in children), span=self._span(meta))

    def set_type(self, meta: Meta, children: list[ast.TypeRef]) -> ast.TypeRef:
        return ast.TypeRef(element=children[0], span=self._span(meta))

    def column_type(self, meta: Meta, children: list[Token]) -> ast.TypeRef:
        return ast.TypeRef(column=(str(children[0]), str(children[1])), span=self._span(meta))
