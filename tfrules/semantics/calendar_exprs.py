"""Vectorised twins of `tfrules.semantics.calendar`: the same definitions as Polars
expressions (no Python per row). Tests hold each to its plain twin."""

from __future__ import annotations

import polars as pl

from tfrules.semantics import calendar

I64 = pl.Int64


def easter_sunday(year: pl.Expr) -> pl.Expr:
    """Easter Sunday of each year (the anonymous Gregorian algorithm, in integers).

    Plain integer arithmetic keeps the plan on the streaming engine; a table
    lookup (`replace_strict`) would make Polars 2.1 fall back to running in
    memory. Years outside TERM_YEARS give null, as in `tfrules.semantics.calendar`."""
    y = year.cast(I64)
    a = y % 19
    b = y // 100
    c = y % 100
    d = b // 4
    e = b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i = c // 4
    k = c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    n = h + el - 7 * m + 114
    years = calendar.TERM_YEARS
    inside = (y >= years.start) & (y < years.stop)
    return pl.when(inside).then(pl.date(y, n // 31, n % 31 + 1))


def term_index(day: pl.Expr) -> pl.Expr:
    """The index of the DfE school term containing each date."""
    year = day.dt.year().cast(I64)
    years = calendar.TERM_YEARS
    return (
        pl.when((year < years.start) | (year >= years.stop))
        .then(None)
        .when(day.dt.month() >= 8)
        .then(3 * year)
        .when(day <= easter_sunday(year))
        .then(3 * (year - 1) + 1)
        .otherwise(3 * (year - 1) + 2)
    )


def term_index_of(academic_year: pl.Expr, term: pl.Expr) -> pl.Expr:
    number = (
        pl.when(term == "autumn")
        .then(0)
        .when(term == "spring")
        .then(1)
        .when(term == "summer")
        .then(2)
    )
    return 3 * academic_year.cast(I64) + number.cast(I64)


def term_start(index: pl.Expr) -> pl.Expr:
    year = index // 3
    number = index % 3
    return (
        pl.when(number == 0)
        .then(pl.date(year, 8, 1))
        .when(number == 1)
        .then(pl.date(year + 1, 1, 1))
        .otherwise(easter_sunday(year + 1) + pl.duration(days=1))
    )


def term_end(index: pl.Expr) -> pl.Expr:
    year = index // 3
    number = index % 3
    return (
        pl.when(number == 0)
        .then(pl.date(year, 12, 31))
        .when(number == 1)
        .then(easter_sunday(year + 1))
        .otherwise(pl.date(year + 1, 7, 31))
    )


def add_months(day: pl.Expr, months: int | pl.Expr) -> pl.Expr:
    """Whole calendar months, clamped to the end of a shorter month."""
    if isinstance(months, int):
        return day.dt.offset_by(f"{months}mo")
    return day.dt.offset_by(pl.format("{}mo", months))


def age(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Completed years, by comparing (month, day)."""
    not_yet = (on.dt.month().cast(I64) * 100 + on.dt.day().cast(I64)) < (
        born.dt.month().cast(I64) * 100 + born.dt.day().cast(I64)
    )
    return on.dt.year().cast(I64) - born.dt.year().cast(I64) - not_yet.cast(I64)


def financial_year(day: pl.Expr) -> pl.Expr:
    return day.dt.year().cast(I64) - (day.dt.month() < 4).cast(I64)


def window_bounds(day: pl.Expr, length: int, unit: str | None) -> tuple[pl.Expr, pl.Expr]:
    """The twin of `windows.window_bounds`: the first and last day of the window."""
    if unit == "terms":
        now = term_index(day)
        return term_start(now - length), term_end(now - 1)
    if unit == "months":
        return add_months(day, -length) + pl.duration(days=1), day
    return day - pl.duration(days=length - 1), day
