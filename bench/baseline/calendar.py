"""Vectorised date helpers for the phase 1 baseline: ages, windows, school terms.

Every helper takes and returns Polars expressions, so the same code serves a
scalar reference date (``pl.lit(as_of)``) and a per-row anchor date (a
household's ``attached_on``). Nothing here runs Python per row.

Definitions (docs/programme-rules.md, "Shared definitions" and pinned readings 5):

- age: completed years, comparing (month, day); someone born on 29 February
  completes a year on 1 March in common years.
- "in the last N months at d": d - N calendar months < x <= d, the subtraction
  clamped to month end (Polars ``dt.offset_by("-Nmo")``).
- "in the last N weeks at d": d - 7N days < x <= d.
- School terms (DfE absence calendar): autumn = 1 Aug..31 Dec of year Y
  (academic year Y); spring = 1 Jan..Easter Sunday of Y (academic year Y-1);
  summer = Easter Monday..31 Jul of Y (academic year Y-1). Term index =
  3 * academic_year + (autumn 0, spring 1, summer 2).
- Financial year of d: the year in which the April-to-March year containing d
  starts.
"""

from __future__ import annotations

from datetime import date

import polars as pl

#: Offsets of the three terms inside an academic year.
TERM_OFFSETS: dict[str, int] = {"autumn": 0, "spring": 1, "summer": 2}


def _i64(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int64)


def month_day(d: pl.Expr) -> pl.Expr:
    """``100 * month + day`` of a date, for (month, day) comparisons."""
    return _i64(d.dt.month()) * 100 + _i64(d.dt.day())


def age_years(date_of_birth: pl.Expr, d: pl.Expr) -> pl.Expr:
    """Completed years from ``date_of_birth`` to ``d`` (Int64; null if either is null).

    A birthday is complete when (month, day) of ``d`` >= (month, day) of the
    date of birth, so a 29 February birthday completes on 1 March in a common
    year and on 29 February in a leap year.
    """
    not_yet = (month_day(d) < month_day(date_of_birth)).cast(pl.Int64)
    return _i64(d.dt.year()) - _i64(date_of_birth.dt.year()) - not_yet


def months_before(d: pl.Expr, months: int) -> pl.Expr:
    """``d`` minus ``months`` calendar months, clamped to the end of the month."""
    return d.dt.offset_by(f"-{months}mo")


def in_last_months(x: pl.Expr, d: pl.Expr, months: int) -> pl.Expr:
    """``x`` is in the last ``months`` months at ``d``: d - N months < x <= d."""
    return (x > months_before(d, months)) & (x <= d)


def easter_sunday(year: pl.Expr) -> pl.Expr:
    """Gregorian Easter Sunday of ``year`` (an integer expression), as a Date.

    The anonymous Gregorian algorithm (Meeus/Jones/Butcher), written with
    integer expressions only; valid for every Gregorian year.
    """
    y = _i64(year)
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
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    n = h + ell - 7 * m + 114
    return pl.date(y, n // 31, n % 31 + 1)


def easter_sunday_py(year: int) -> date:
    """Plain-Python Easter Sunday (same algorithm), for tests and scalar use."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    ell = (32 + 2 * e + 2 * (c // 4) - h - c % 4) % 7
    m = (a + 11 * h + 22 * ell) // 451
    n = h + ell - 7 * m + 114
    return date(year, n // 31, n % 31 + 1)


def term_index(d: pl.Expr) -> pl.Expr:
    """Index of the school term containing ``d``: 3 * academic_year + offset."""
    y = _i64(d.dt.year())
    return (
        pl.when(d.dt.month() >= 8)
        .then(3 * y + TERM_OFFSETS["autumn"])
        .when(d <= easter_sunday(y))
        .then(3 * (y - 1) + TERM_OFFSETS["spring"])
        .otherwise(3 * (y - 1) + TERM_OFFSETS["summer"])
    )


def term_index_py(d: date) -> int:
    """Plain-Python term index of ``d`` (same definition), for scalar reference dates."""
    if d.month >= 8:
        return 3 * d.year + TERM_OFFSETS["autumn"]
    if d <= easter_sunday_py(d.year):
        return 3 * (d.year - 1) + TERM_OFFSETS["spring"]
    return 3 * (d.year - 1) + TERM_OFFSETS["summer"]


def row_term_index(academic_year: pl.Expr, term: pl.Expr) -> pl.Expr:
    """Term index of a ``school_terms`` row from its academic year and term name."""
    offset = (
        pl.when(term == "autumn")
        .then(pl.lit(TERM_OFFSETS["autumn"], pl.Int64))
        .when(term == "spring")
        .then(pl.lit(TERM_OFFSETS["spring"], pl.Int64))
        .when(term == "summer")
        .then(pl.lit(TERM_OFFSETS["summer"], pl.Int64))
    )
    return 3 * _i64(academic_year) + offset


def financial_year(d: pl.Expr) -> pl.Expr:
    """Year in which the April-to-March financial year containing ``d`` starts."""
    return _i64(d.dt.year()) - (d.dt.month() < 4).cast(pl.Int64)
