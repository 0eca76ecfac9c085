"""Columns of the finer frames that aggregates read: a termly table's term
index, a row's own date, each household's member count, and the shared row
columns of lifted aggregates."""

from __future__ import annotations

import polars as pl

from tfrules.compile.graph import HOUSEHOLDS, PERSONS, Derived
from tfrules.compile.keys import ExprKey, MemberCountKey, RowKey, TermIndexKey
from tfrules.compile.lower.state import Lowering
from tfrules.semantics import calendar_exprs as C

I64 = pl.Int64


def term_index(frame: str, lo: Lowering) -> pl.Expr:
    """A termly frame's row term index, one shared column."""
    table = lo.schema.table(frame)
    assert table is not None and table.term is not None
    year, term = table.term
    return lo.use(
        frame,
        lo.derive(
            TermIndexKey(frame),
            frame,
            lambda: C.term_index_of(lo.col(frame, frame, year), lo.col(frame, frame, term)),
            "ti",
        ),
    )


def row_date(frame: str, lo: Lowering) -> pl.Expr:
    """The date a row of an event frame is ordered by (`latest`, `earliest`)."""
    table = lo.schema.table(frame)
    assert table is not None
    if table.date_column:
        return lo.col(frame, frame, table.date_column)
    if table.span:
        return lo.col(frame, frame, table.span[0])
    return term_index(frame, lo)


def member_count(frame: str, lo: Lowering) -> pl.Expr:
    """How many members each household has (0 for none), used in `frame`."""
    final = MemberCountKey(final=True)
    if final not in lo.memo:
        raw = lo.add(
            Derived(
                lo.graph.new_name("m"),
                HOUSEHOLDS,
                pl.len().cast(I64),
                frozenset(),
                "agg",
                PERSONS,
                lo.schema.persons.owner_key,
            )
        )
        lo.memo[MemberCountKey(final=False)] = raw
        lo.derive(final, HOUSEHOLDS, lambda: lo.use(HOUSEHOLDS, raw).fill_null(0), "m")
    return lo.use(frame, lo.memo[final])


def row_column(frame: str, expr: pl.Expr, deps: frozenset[str], lo: Lowering) -> str:
    """A row column of a finer frame, shared by every aggregate that needs the same one."""
    key = RowKey(frame, ExprKey.of(expr))
    if key not in lo.memo:
        lo.memo[key] = lo.add(Derived(lo.graph.new_name("x"), frame, expr, deps))
    return lo.memo[key].name
