"""Turns the parse tree of a mapping file into its AST nodes: a mix-in of
`ToAst`, whose frame (`transform_base`) provides `_span` and `_bad`, and
which provides `_date`.

The lines about a column (`written ...`, `"..." means ...`) come from the
grammar as items of their own, after the column's line; here they are
attached to that column.
"""

from __future__ import annotations

from typing import Any

import attrs
from lark import Token
from lark.tree import Meta

from tfrules.syntax import ast
from tfrules.syntax.transform_base import Clause, ToAstBase, unescape


class MappingToAst(ToAstBase):
    def _date(self, token: Token) -> Any:
        raise NotImplementedError  # pragma: no cover - ToAst's

    # ---------------------------------------------------------------- mappings
    def table_maps(self, meta: Meta, children: list[Any]) -> list[Any]:
        return children

    def mapping_file(self, meta: Meta, children: list[Any]) -> ast.MappingFile:
        name = str(children[0])
        fields: dict[str, Any] = {"title": None, "schema": None}
        ignore: list[str] = []
        tables: list[ast.TableMap] = []
        for child in children[1:]:
            if isinstance(child, ast.TableMap):
                tables.append(child)
            elif child.kind == "ignore":
                ignore.extend(child.value)
            elif fields[child.kind] is not None:
                self._bad("E015", f"the mapping says '{child.kind}' twice", child.span)
            else:
                fields[child.kind] = child.value
        return ast.MappingFile(
            name,
            fields["title"],
            fields["schema"],
            tuple(ignore),
            tuple(tables),
            span=self._span(meta),
        )

    def ignore_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("ignore", [unescape(c) for c in children], self._span(meta))

    def table_map(self, meta: Meta, children: list[Any]) -> ast.TableMap:
        sources: list[ast.SourceDecl] = []
        columns: list[ast.ColumnMap] = []
        for child in children[1:]:
            if isinstance(child, ast.SourceDecl):
                sources.append(child)
            elif isinstance(child, ast.ColumnMap):
                columns.append(child)
            elif not columns:
                what = "a 'written' line" if isinstance(child, Clause) else "a 'means' line"
                self._bad(
                    "E603",
                    f"{what} must follow the line of the column it is about",
                    child.span,
                    'put it under a column\'s line, such as "Date of Birth" -> date_of_birth',
                )
            elif isinstance(child, Clause):
                columns[-1] = self._with_formats(columns[-1], child)
            else:
                last = columns[-1]
                columns[-1] = attrs.evolve(last, labels=(*last.labels, child))
        return ast.TableMap(str(children[0]), tuple(sources), tuple(columns), span=self._span(meta))

    def _with_formats(self, column: ast.ColumnMap, written: Clause) -> ast.ColumnMap:
        if column.formats or column.excel_dates:
            self._bad(
                "E015",
                f"the column {column.column} says 'written' twice",
                written.span,
                'give every way it is written on one line: written "dd/mm/yyyy" or excel',
            )
            return column
        pictures = [p for p in written.value if p is not None]
        return attrs.evolve(
            column,
            formats=tuple(pictures),
            excel_dates=None in written.value,
            written_span=written.span,
        )

    def _source(
        self, kind: str, target: str, database: str | None, meta: Meta, options: list[Any]
    ) -> ast.SourceDecl:
        fields: dict[str, Any] = {}
        for option in options:
            if option.kind in fields:
                self._bad("E015", f"the source says '{option.kind}' twice", option.span)
            fields[option.kind] = option.value
        return ast.SourceDecl(kind, target, database, **fields, span=self._span(meta))  # type: ignore[arg-type]

    def from_file(self, meta: Meta, children: list[Any]) -> ast.SourceDecl:
        return self._source("file", unescape(children[0]), None, meta, children[1:])

    def from_database(self, meta: Meta, children: list[Any]) -> ast.SourceDecl:
        kind, target = children[1]
        return self._source(kind, target, str(children[0]), meta, children[2:])

    def db_table(self, meta: Meta, children: list[Token]) -> tuple[str, str]:
        return ("table", unescape(children[0]))

    def db_query(self, meta: Meta, children: list[Token]) -> tuple[str, str]:
        return ("query", unescape(children[0]))

    def sheet_option(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("sheet", unescape(children[0]), self._span(meta))

    def delimiter_option(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("delimiter", unescape(children[0]), self._span(meta))

    def encoding_option(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("encoding", unescape(children[0]), self._span(meta))

    def headings_option(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("header_row", int(children[0]), self._span(meta))

    def supplied_option(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("supplied_by", unescape(children[0]), self._span(meta))

    def extracted_option(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("extracted", self._date(children[0]), self._span(meta))

    def rename(self, meta: Meta, children: list[Token]) -> ast.ColumnMap:
        headings = tuple(unescape(c) for c in children[:-1])
        return ast.ColumnMap(str(children[-1]), headings=headings, span=self._span(meta))

    def derive(self, meta: Meta, children: list[Any]) -> ast.ColumnMap:
        return ast.ColumnMap(str(children[0]), pieces=tuple(children[1:]), span=self._span(meta))

    def text_piece(self, meta: Meta, children: list[Token]) -> ast.Piece:
        return ast.Piece(unescape(children[0]), span=self._span(meta))

    def column_piece(self, meta: Meta, children: list[Any]) -> ast.Piece:
        heading = unescape(children[0])
        if len(children) == 1:
            return ast.Piece(heading, column=True, span=self._span(meta))
        cut, separator = str(children[1]), unescape(children[2])
        return ast.Piece(heading, True, cut, separator, span=self._span(meta))  # type: ignore[arg-type]

    def piece_cut(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])

    def written(self, meta: Meta, children: list[str | None]) -> Clause:
        return Clause("written", children, self._span(meta))

    def picture_text(self, meta: Meta, children: list[Token]) -> str:
        return unescape(children[0])

    def picture_excel(self, meta: Meta, children: list[Token]) -> None:
        return None

    def means(self, meta: Meta, children: list[Any]) -> ast.ValueLabel:
        labels = tuple(unescape(c) for c in children[:-1])
        value, quoted = children[-1]
        return ast.ValueLabel(labels, value, quoted, span=self._span(meta))

    def label_value(self, meta: Meta, children: list[Token]) -> tuple[str, bool]:
        token = children[0]
        if token.type == "STRING":
            return unescape(token), True
        return str(token), False
