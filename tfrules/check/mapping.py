"""Checks a `mapping` file against its schema and builds the `CheckedMapping`.

Every table and column it names must be the schema's (with a did-you-mean), a
source must be something tfrules can read, pictures of dates and amounts must
make sense, and labels must mean values the column can hold.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import attrs

from tfrules import diagnostics as diag
from tfrules.check.schema_build import build_schema
from tfrules.check.workspace import SourceFile, Workspace
from tfrules.model import types as T
from tfrules.model.mapping import (
    CSV_SUFFIXES,
    ENCODINGS,
    EXCEL_SUFFIXES,
    FILE_SUFFIXES,
    CheckedMapping,
    ColumnSource,
    LabelValue,
    SourceSpec,
    TableMapping,
    fold,
)
from tfrules.model.schema import Column, Schema, Table
from tfrules.semantics.pictures import PictureError, amount_picture, date_picture
from tfrules.syntax import ast

DEFAULT_SCHEMA = "canonical"
#: Delimiters written as a word.
DELIMITER_WORDS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def check_mapping(
    tree: ast.MappingFile, schema_file: ast.SchemaFile | None, display: str
) -> tuple[CheckedMapping | None, list[diag.Diagnostic]]:
    """The checked mapping (None if there are errors) and every problem found.

    `schema_file` is the schema the mapping uses (None when it cannot be found).
    """
    problems: list[diag.Diagnostic] = []
    name = tree.schema or DEFAULT_SCHEMA
    if schema_file is None:
        problems.append(
            diag.error(
                "E103",
                f"there is no schema '{name}'",
                tree.span,
                f"the shipped schema is '{DEFAULT_SCHEMA}'; leave out 'uses schema' to use it",
            )
        )
        return None, problems
    schema, schema_problems = build_schema(schema_file)
    if any(p.is_error for p in schema_problems):
        return None, problems  # the schema's own file reports them
    checker = _MappingChecker(schema, problems)
    tables = checker.tables(tree.tables)
    if any(p.is_error for p in problems):
        return None, problems
    mapping = CheckedMapping(tree.name, schema, tables, tree.title, tree.ignore, display)
    return mapping, problems


def check_mapping_source(
    workspace: Workspace, source: SourceFile
) -> tuple[CheckedMapping | None, list[diag.Diagnostic]]:
    """Check a parsed mapping file of `workspace` against the schema it uses."""
    tree = source.ast
    assert isinstance(tree, ast.MappingFile)
    schema_source = workspace.schema(tree.schema or DEFAULT_SCHEMA)
    schema_tree = schema_source.ast if schema_source is not None else None
    schema_file = schema_tree if isinstance(schema_tree, ast.SchemaFile) else None
    return check_mapping(tree, schema_file, source.display)


@attrs.define
class _MappingChecker:
    schema: Schema
    problems: list[diag.Diagnostic]

    def error(self, code: str, message: str, span: ast.Span, hint: str | None = None) -> None:
        self.problems.append(diag.error(code, message, span, hint))

    # ---------------------------------------------------------------- tables
    def tables(self, tables: tuple[ast.TableMap, ...]) -> dict[str, TableMapping]:
        found: dict[str, TableMapping] = {}
        for table_map in tables:
            table = self.schema.table(table_map.name)
            if table is None:
                names = [t.name for t in self.schema.tables]
                self.error(
                    "E104",
                    f"the schema '{self.schema.name}' has no table '{table_map.name}'",
                    _table_span(table_map),
                    diag.did_you_mean(table_map.name, names)
                    or f"its tables are {', '.join(names)}",
                )
                continue
            if table.name in found:
                self.error(
                    "E102",
                    f"the mapping maps the table '{table.name}' twice",
                    _table_span(table_map),
                    "give all its sources under one 'table' line",
                )
                continue
            sources = tuple(self.source(s) for s in table_map.sources)
            columns: dict[str, ColumnSource] = {}
            for column_map in table_map.columns:
                checked = self.column(table, column_map)
                if checked is None:
                    continue
                if checked.column in columns:
                    self.error(
                        "E102",
                        f"the mapping maps the column '{checked.column}' twice",
                        column_map.span,
                        'a column comes from one heading (or one list of headings: "A" or "B")',
                    )
                columns[checked.column] = checked
            found[table.name] = TableMapping(table.name, sources, columns, table_map.span)
        return found

    # ---------------------------------------------------------------- sources
    def source(self, source: ast.SourceDecl) -> SourceSpec:
        span = source.span
        delimiter = source.delimiter
        if source.kind == "file":
            self.file_source(source)
            if delimiter is not None:
                delimiter = DELIMITER_WORDS.get(delimiter.lower(), delimiter)
                if len(delimiter) != 1:
                    self.error(
                        "E605",
                        f"the delimiter '{source.delimiter}' is not one character",
                        span,
                        'write it in quotes, such as delimiter ";" or delimiter "tab"',
                    )
        else:
            for option, value in (
                ("sheet", source.sheet),
                ("delimiter", source.delimiter),
                ("encoding", source.encoding),
                ("headings on row", source.header_row),
            ):
                if value is not None:
                    self.error("E605", f"a database source has no '{option}'", span, "leave it out")
            if not source.target.strip():
                self.error("E605", f"the database {source.kind} is empty", span)
        if source.header_row is not None and source.header_row < 1:
            self.error("E605", "the headings are on row 1 or below", span)
        return SourceSpec(
            source.kind,
            source.target,
            source.database,
            source.sheet,
            delimiter,
            source.encoding,
            source.header_row or 1,
            source.supplied_by,
            source.extracted,
            span,
        )

    def file_source(self, source: ast.SourceDecl) -> None:
        span, target = source.span, source.target
        path = PurePosixPath(target.replace("\\", "/"))
        suffix = path.suffix.lower()
        if not target.strip():
            self.error("E605", "the file name is empty", span)
        elif path.is_absolute() or ".." in path.parts or ":" in target:
            self.error(
                "E605",
                f"'{target}' is not a file of the data folder",
                span,
                "name files by where they are inside the data folder (given with --data), "
                'such as "police/north.csv"',
            )
        elif suffix not in FILE_SUFFIXES:
            self.error(
                "E605",
                f"tfrules cannot read '{path.name}': it reads CSV, Parquet and Excel files",
                span,
                "name a file ending in " + ", ".join(FILE_SUFFIXES),
            )
        if source.sheet is not None and suffix not in EXCEL_SUFFIXES:
            self.error("E605", "only an Excel workbook has sheets", span, "leave out 'sheet'")
        if (source.delimiter or source.encoding) and suffix not in CSV_SUFFIXES:
            self.error(
                "E605",
                "a delimiter and an encoding are only for CSV files",
                span,
                "leave them out",
            )
        if source.encoding is not None and source.encoding.strip().lower() not in ENCODINGS:
            hint = diag.did_you_mean(source.encoding.lower(), ENCODINGS)
            self.error(
                "E605",
                f"tfrules does not know the encoding '{source.encoding}'",
                span,
                hint or "write utf-8 or windows-1252 (what Excel saves as 'CSV' on Windows)",
            )

    # ---------------------------------------------------------------- columns
    def column(self, table: Table, column_map: ast.ColumnMap) -> ColumnSource | None:
        column = table.column(column_map.column)
        if column is None and column_map.column in (table.key, table.owner_key):
            column = Column(column_map.column, T.TEXT)
        if column is None:
            names = [*(n for n in (table.key, table.owner_key) if n), *table.column_names]
            self.error(
                "E105",
                f"the {table.name} table has no column '{column_map.column}'",
                _name_span(column_map),
                diag.did_you_mean(column_map.column, names)
                or f"its columns are {', '.join(dict.fromkeys(names))}",
            )
            return None
        for piece in column_map.pieces:
            if piece.column and not piece.text.strip():
                self.error("E605", "a column piece needs the heading of a column", piece.span)
            if piece.cut is not None and not piece.separator:
                self.error("E605", f"'{piece.cut}' needs the text to cut at", piece.span)
        if any(not h.strip() for h in column_map.headings):
            self.error("E605", "a heading is empty", column_map.span)
        dates, amount = self.formats(column, column_map)
        labels = self.labels(column, column_map)
        return ColumnSource(
            column.name,
            tuple(h.strip() for h in column_map.headings),
            column_map.pieces,
            dates,
            column_map.excel_dates,
            amount,
            labels,
            column_map.span,
            spellings=tuple(
                dict.fromkeys(text for label in column_map.labels for text in label.labels)
            ),
        )

    def formats(self, column: Column, column_map: ast.ColumnMap) -> tuple[tuple, object]:
        span = column_map.written_span or column_map.span
        kind = column.type.kind
        if not column_map.formats and not column_map.excel_dates:
            return (), None
        if kind is T.Kind.DATE:
            dates = []
            for picture in column_map.formats:
                try:
                    dates.append(date_picture(picture))
                except PictureError as error:
                    self.error("E601", f"'{picture}' is not a date picture: {error}", span)
            return tuple(dates), None
        if column_map.excel_dates:
            self.error(
                "E602",
                f"{column.name} is not a date, so it cannot be written as an Excel date",
                span,
            )
        if kind is T.Kind.MONEY and len(column_map.formats) == 1:
            picture = column_map.formats[0]
            try:
                return (), amount_picture(picture)
            except PictureError as error:
                self.error("E601", f"'{picture}' is not an amount picture: {error}", span)
                return (), None
        if kind is T.Kind.MONEY:
            self.error("E602", "an amount has one picture", span, 'such as written "£1,234.50"')
        elif column_map.formats:
            self.error(
                "E602",
                f"{column.name} is {_kind_words(column)}: 'written' is for dates and amounts",
                span,
                'leave it out, or use value labels: "Yes" means true',
            )
        return (), None

    def labels(self, column: Column, column_map: ast.ColumnMap) -> dict[str, LabelValue]:
        found: dict[str, LabelValue] = {}
        seen_at: dict[str, str] = {}
        for label in column_map.labels:
            value = self.label_value(column, label)
            if value is _BAD:
                continue
            for text in label.labels:
                key = fold(text)
                if key in found and found[key] != value:
                    self.error(
                        "E604",
                        f'"{text}" is given two meanings for {column.name}: '
                        f"{_shown(found[key])} and {_shown(value)}",
                        label.span,
                        f"keep one (capitals and spaces at the ends do not count: "
                        f'"{seen_at[key]}" is the same label)',
                    )
                    continue
                found[key] = value  # type: ignore[assignment]
                seen_at.setdefault(key, text)
        return found

    def label_value(self, column: Column, label: ast.ValueLabel) -> object:
        kind = column.type.kind
        if label.value == "unknown" and not label.quoted:
            return None
        span = _value_span(label)
        if kind is T.Kind.BOOL:
            if label.value in ("true", "false") and not label.quoted:
                return label.value == "true"
            self.error(
                "E602",
                f"{column.name} is true or false, so a label means true, false or unknown",
                span,
            )
            return _BAD
        if kind is T.Kind.CATEGORY:
            if label.value in column.type.values:
                return label.value
            self.error(
                "E106",
                f"'{label.value}' is not a value of {column.name}",
                span,
                diag.did_you_mean(label.value, column.type.values)
                or f"its values are {', '.join(column.type.values)}",
            )
            return _BAD
        if kind is T.Kind.TEXT:
            return label.value
        self.error(
            "E602",
            f"{column.name} is {_kind_words(column)}: its labels can only mean unknown",
            span,
            'value labels are for categories, true/false and text; "Not known" means unknown '
            "fits any column",
        )
        return _BAD


_BAD = object()


def _kind_words(column: Column) -> str:
    return {
        T.Kind.INT: "a whole number",
        T.Kind.DECIMAL: "a number",
        T.Kind.PERCENT: "a percentage",
        T.Kind.MONEY: "an amount of money",
        T.Kind.DATE: "a date",
        T.Kind.TEXT: "text",
        T.Kind.CATEGORY: "a category",
        T.Kind.BOOL: "true or false",
    }.get(column.type.kind, str(column.type))


def _shown(value: object) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _table_span(table_map: ast.TableMap) -> ast.Span:
    """`table NAME`, at the start of a table's lines."""
    span = table_map.span
    width = len("table ") + len(table_map.name)
    return ast.Span(span.file, span.line, span.column, span.line, span.column + width)


def _name_span(column_map: ast.ColumnMap) -> ast.Span:
    """Where the canonical column's name is written on a column's line."""
    span, name = column_map.span, column_map.column
    if column_map.headings and span.end_line == span.line:
        return ast.Span(
            span.file, span.line, span.end_column - len(name), span.line, span.end_column
        )
    return ast.Span(span.file, span.line, span.column, span.line, span.column + len(name))


def _value_span(label: ast.ValueLabel) -> ast.Span:
    span = label.span
    width = len(label.value) + (2 if label.quoted else 0)
    if span.end_line == span.line:
        return ast.Span(span.file, span.line, span.end_column - width, span.line, span.end_column)
    return span
