"""One supplied table as the loader hands it to the validator: its raw
columns as read, how each is cast, and how its rows are located."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs
import polars as pl

from tfrules.data.casts import canonical_dtype
from tfrules.data.errors import DataProblem
from tfrules.model.schema import Column, Table
from tfrules.model.types import TEXT

#: Columns of a stacked raw frame that locate each row in its own source.
SOURCE = "__tfrules_source"
LINE = "__tfrules_line"


@attrs.frozen
class SourcePlace:
    """A source file (or sheet, or query) as an error names it: `Police North.csv`
    and what its rows are called (`line` in a CSV file, `row` in a sheet)."""

    name: str
    row_word: str = "row"
    #: The line (or row) of the source's first row of data.
    first_row: int = 1
    #: Provenance, as the mapping gives it: who supplied the source, and when.
    supplied_by: str | None = None
    extracted: dt.date | None = None
    #: The file read, for an audit bundle (None for a database table or query).
    file: str | None = None
    #: How a CSV file is read: its delimiter, Python codec and heading row (None if not CSV).
    csv: tuple[str, str, int] | None = None


@attrs.frozen
class TableInput:
    """One supplied table as read, before and after casting.

    `raw` has the table's needed columns that are present, under their schema
    names, in the dtypes they were read with. `casts` converts each of them.
    `problems` are column-level problems found while loading (a missing column,
    a column of an unusable dtype); the validator reports them with the rest.
    """

    table: Table
    origin: str
    #: The needed columns, in schema order, whether present or not.
    columns: tuple[Column, ...]
    raw: pl.LazyFrame
    casts: Mapping[str, pl.Expr]
    missing: tuple[str, ...] = ()
    problems: tuple[DataProblem, ...] = ()
    #: The file read, if any (for "cannot read" errors).
    path: str | None = None
    #: Per column: true on a raw value too large for its fixed-point type.
    too_large: Mapping[str, pl.Expr] = attrs.field(factory=dict)
    #: Per column: what a value should look like, where it is not the canonical form.
    expected: Mapping[str, str] = attrs.field(factory=dict)
    #: Per column: its heading in the source, where it is not the column's name.
    headings: Mapping[str, str] = attrs.field(factory=dict)
    #: For a table stacked from several sources: each source, as a person would name
    #: it; the raw frame's `SOURCE` column holds the index and `LINE` the line or row.
    places: tuple[SourcePlace, ...] = ()
    #: The frame the rules read, when it is built apart from `raw` (a mapped table).
    evaluation: pl.LazyFrame | None = attrs.field(default=None, repr=False)
    #: Columns whose values a mapping's labels translate.
    labelled: frozenset[str] = frozenset()

    @property
    def unusable(self) -> frozenset[str]:
        """Columns that are missing or cannot be converted at all."""
        return frozenset(p.column for p in self.problems if p.column is not None)

    def frame(self) -> pl.LazyFrame:
        """The cast frame; missing or unusable columns are all null."""
        if self.evaluation is not None:
            return self.evaluation
        exprs = []
        for column in self.columns:
            if column.name in self.casts and column.name not in self.unusable:
                exprs.append(self.casts[column.name].alias(column.name))
            else:
                exprs.append(pl.lit(None, dtype=canonical_dtype(column.type)).alias(column.name))
        return self.raw.select(exprs)


def needed_columns(table: Table, names: Iterable[str] | None) -> tuple[Column, ...]:
    """The table's columns in schema order: key, owner key and `names` (all if None)."""
    ids = [n for n in (table.key, table.owner_key) if n is not None]
    wanted = set(table.column_names) if names is None else set(names) | set(ids)
    # An id the schema declares without listing it as a column is text.
    unlisted = tuple(Column(n, TEXT) for n in ids if table.column(n) is None)
    return unlisted + tuple(c for c in table.columns if c.name in wanted)
