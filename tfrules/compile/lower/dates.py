"""Reference dates: what `as_of` is in a context, `x at d`, windows ending at
the reference date, and the term it falls in."""

from __future__ import annotations

import polars as pl

from tfrules.compile.analysis import date_kind, is_spell_end, window_length
from tfrules.compile.context import Context, FixedDate, HouseholdDate, RowDate, UnknownDate
from tfrules.compile.graph import HOUSEHOLDS
from tfrules.compile.keys import BoundKey, DateKey, TermNowKey, WindowKey
from tfrules.compile.lower.state import Lowering, Site
from tfrules.compile.nodes import SplitAt
from tfrules.semantics import calendar
from tfrules.semantics import calendar_exprs as C
from tfrules.semantics import windows as W
from tfrules.syntax import ast

I64 = pl.Int64


def ref_date(site: Site, lo: Lowering) -> pl.Expr:
    """The reference date, as an expression of the site's frame."""
    date = site.context.date
    if isinstance(date, RowDate):
        return date.expr
    if isinstance(date, HouseholdDate):
        return lo.col(site.frame, HOUSEHOLDS, date.column)
    if isinstance(date, FixedDate):
        return pl.lit(date.day, dtype=pl.Date)
    return pl.lit(None, dtype=pl.Date)


def moved(date: ast.Expr, site: Site, lo: Lowering) -> Context:
    """The context of `x at date`."""
    context = site.context
    kind = date_kind(lo.facts, date)
    if kind.kind == "as_of":
        return context
    if kind.kind == "fixed":
        assert kind.day is not None
        return context.at(FixedDate(kind.day))
    if context.is_row_date or kind.kind == "row":
        return Context(RowDate(date, lo.expr(date, site)))
    if kind.kind == "household_column":
        # the household's own column, not a copy: a filter on it reaches the
        # scan of the households table, so Polars joins from the few rows left
        assert kind.column is not None
        return context.at(HouseholdDate(kind.column))
    column = lo.derive(
        DateKey(date, context),
        HOUSEHOLDS,
        lambda: lo.expr(date, site.on(HOUSEHOLDS)),
        "d",
    )
    return context.at(HouseholdDate(column.name))


def lower_at(node: ast.At, site: Site, lo: Lowering) -> pl.Expr:
    return lo.expr(node.operand, site.at(moved(node.date, site, lo)))


def lower_split_at(node: SplitAt, site: Site, lo: Lowering) -> pl.Expr:
    """Households whose date is known take the operand at it; the others at an
    unknown date (see `passes.split_dates`)."""
    if site.context.is_row_date:
        return lower_at(ast.At(node.operand, node.date, span=node.span), site, lo)
    known = moved(node.date, site, lo)
    assert isinstance(known.date, HouseholdDate)
    at_known = lo.expr(node.operand, site.at(known))
    if known.date.column in site.context.known:
        return at_known  # every household that needs the value has its date
    at_unknown = lo.expr(node.operand, site.at(site.context.at(UnknownDate())))
    is_unknown = lo.col(site.frame, HOUSEHOLDS, known.date.column).is_null()
    return pl.when(is_unknown).then(at_unknown).otherwise(at_known)


def window_bounds(site: Site, length: int, unit: str, lo: Lowering) -> tuple[pl.Expr, pl.Expr]:
    """The first and last day (inclusive) of the window ending at the reference date."""
    date = site.context.date
    if isinstance(date, FixedDate):
        low, high = W.window_bounds(date.day, length, unit)
        return pl.lit(low, dtype=pl.Date), pl.lit(high, dtype=pl.Date)
    if isinstance(date, UnknownDate):
        return pl.lit(None, dtype=pl.Date), pl.lit(None, dtype=pl.Date)
    if isinstance(date, RowDate):
        return C.window_bounds(date.expr, length, unit)
    households = site.on(HOUSEHOLDS)
    low = lo.derive(
        BoundKey("low", date, length, unit),
        HOUSEHOLDS,
        lambda: C.window_bounds(ref_date(households, lo), length, unit)[0],
        "lo",
    )
    high = lo.derive(
        BoundKey("high", date, length, unit),
        HOUSEHOLDS,
        lambda: C.window_bounds(ref_date(households, lo), length, unit)[1],
        "hi",
    )
    return lo.use(site.frame, low), lo.use(site.frame, high)


def term_now(site: Site, lo: Lowering) -> pl.Expr:
    """The index of the term containing the reference date."""
    date = site.context.date
    if isinstance(date, FixedDate):
        return pl.lit(calendar.term_index(date.day), dtype=I64)
    if isinstance(date, UnknownDate):
        return pl.lit(None, dtype=I64)
    if isinstance(date, RowDate):
        return C.term_index(date.expr)
    households = site.on(HOUSEHOLDS)
    column = lo.derive(
        TermNowKey(date), HOUSEHOLDS, lambda: C.term_index(ref_date(households, lo)), "t"
    )
    return lo.use(site.frame, column)


def lower_in_window(node: ast.InWindow, site: Site, lo: Lowering) -> pl.Expr:
    if site.context.is_unknown_date:
        return pl.lit(None, dtype=pl.Boolean)  # ends on an unknown day
    length, unit = window_length(lo.facts, node.length)
    if node.date is not None:
        when = lo.expr(node.date, site)
        low, high = window_bounds(site, length, unit, lo)
        inside = (when >= low) & (when <= high)
        if is_spell_end(lo.facts, node.date):
            # an open spell has not ended: not in any window (see semantics.windows)
            return pl.when(when.is_null()).then(W.OPEN_END_IN_WINDOW).otherwise(inside)
        return inside
    # a row window is its own column, computed once and shared by every
    # aggregate that filters on it
    key = WindowKey(site.frame, length, unit, site.context.date)
    return lo.use(site.frame, lo.derive(key, site.frame, lambda: _row_window(node, site, lo), "w"))


def _row_window(node: ast.InWindow, site: Site, lo: Lowering) -> pl.Expr:
    from tfrules.compile.lower.rows import term_index

    length, unit = window_length(lo.facts, node.length)
    info = lo.facts.window(node)
    table = info.table
    frame = site.frame
    if info.mode == "termly":
        index = term_index(frame, lo)
        now = term_now(site, lo)
        return (index >= now - length) & (index <= now - 1)
    low, high = window_bounds(site, length, unit, lo)
    if info.mode == "dated":
        assert table.date_column is not None
        when = lo.col(frame, frame, table.date_column)
        return (when >= low) & (when <= high)
    assert table.span is not None
    start = lo.col(frame, frame, table.span[0])
    end = lo.col(frame, frame, table.span[1])
    return (start <= high) & (end.is_null() | (end >= low))
