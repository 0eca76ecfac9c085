"""A checked mapping: how a council's own extract maps onto a schema's tables.

Built by `tfrules.check.mapping` from a `mapping` file and applied by
`tfrules.data.mapped`. A table the mapping does not name, or names without a
`from` line, is read from `<table>.csv` or `<table>.parquet` as without a
mapping; a column it does not name is read under its own name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from tfrules.model.schema import Schema
from tfrules.semantics.pictures import AmountPicture, DatePicture
from tfrules.syntax.ast import Piece, Span

#: File suffixes a source may have, by how the file is read.
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
FILE_SUFFIXES = CSV_SUFFIXES + PARQUET_SUFFIXES + EXCEL_SUFFIXES

#: Encodings a CSV source may name, and the Python codec of each.
ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
    "iso-8859-1": "latin-1",
}

#: A label's meaning: a category value or text, true or false, or None for unknown.
LabelValue = str | bool | None


@attrs.frozen
class SourceSpec:
    """One source of a table's rows (see `ast.SourceDecl`)."""

    kind: str  # "file", "table" or "query"
    target: str
    database: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    header_row: int = 1
    supplied_by: str | None = None
    extracted: dt.date | None = None
    span: Span = attrs.field(default=Span.unknown(), eq=False)

    @property
    def is_file(self) -> bool:
        return self.kind == "file"

    def describe(self) -> str:
        """How a person names the source: a file pattern or a database object."""
        if self.is_file:
            return self.target
        if self.kind == "table":
            return f"table {self.target} of database {self.database}"
        return f"a query of database {self.database}"


@attrs.frozen
class ColumnSource:
    """Where one canonical column comes from and how its values are written."""

    column: str
    headings: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()
    dates: tuple[DatePicture, ...] = ()
    excel_dates: bool = False
    amount: AmountPicture | None = None
    #: Labels, folded (spaces at the ends removed, lower case), and what each means.
    labels: Mapping[str, LabelValue] = attrs.field(factory=dict)
    span: Span = attrs.field(default=Span.unknown(), eq=False)
    #: The labels as the mapping writes them: values written so are read by an
    #: exact comparison, cheaper than folding (`tfrules.data.labels`).
    spellings: tuple[str, ...] = ()

    @property
    def is_renamed(self) -> bool:
        return bool(self.headings)

    @property
    def headings_read(self) -> tuple[str, ...]:
        """Every heading this column reads (a derived column's `column` pieces)."""
        if self.headings:
            return self.headings
        return tuple(p.text for p in self.pieces if p.column)


def fold(label: str) -> str:
    """A label as it is compared: spaces at its ends dropped, capitals ignored."""
    return label.strip().lower()


@attrs.frozen
class TableMapping:
    table: str
    sources: tuple[SourceSpec, ...]
    columns: Mapping[str, ColumnSource] = attrs.field(factory=dict)
    span: Span = attrs.field(default=Span.unknown(), eq=False)


@attrs.frozen
class CheckedMapping:
    name: str
    schema: Schema
    tables: Mapping[str, TableMapping]
    title: str | None = None
    #: File patterns in the data folder that are known to hold no table.
    ignore: tuple[str, ...] = ()
    #: The mapping file, as shown in messages.
    file: str = ""

    def table(self, name: str) -> TableMapping | None:
        return self.tables.get(name)
