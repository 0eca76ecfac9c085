"""The compiler's vectorised calendar (`tfrules.semantics.calendar_exprs`) against
the plain one (`tfrules.semantics.calendar`), exhaustively: every date from 1990 to 2100
in one frame, evaluated once by Polars and once row by row in Python.

The window bounds the compiler uses for a fixed run date (`_bounds`), for a
date per row (`_bounds_expr`) and the interpreter's are held to each other
the same way, and Easter to an independent algorithm (Gauss's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import polars as pl
import pytest

from tfrules.semantics import calendar
from tfrules.semantics import calendar_exprs as C
from tfrules.semantics.windows import window_bounds

FIRST, LAST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
YEARS = range(FIRST.year - 1, LAST.year + 2)


@pytest.fixture(scope="module")
def days() -> pl.DataFrame:
    return pl.DataFrame({"day": pl.date_range(FIRST, LAST, "1d", eager=True)})


def evaluate(frame: pl.DataFrame, *exprs: pl.Expr) -> pl.DataFrame:
    """Lazily, as plans run (common subexpressions shared: some of these
    expressions repeat the term index many times over)."""
    return frame.lazy().select(*exprs).collect()


def mismatches(
    inputs: Sequence[object], got: Sequence[object], plain: Callable[..., object]
) -> list[str]:
    """Where the vectorised results differ from the plain function (first ten)."""
    found = []
    for args, value in zip(inputs, got, strict=True):
        expected = plain(*args) if isinstance(args, tuple) else plain(args)
        if value != expected or type(value) is not type(expected):
            found.append(f"{args}: vectorised {value!r}, plain {expected!r}")
            if len(found) == 10:
                break
    return found


def gauss_easter(year: int) -> dt.date:
    """Easter Sunday by Gauss's algorithm, independent of the one under test."""
    a, b, c = year % 19, year % 4, year % 7
    k = year // 100
    p = (13 + 8 * k) // 25
    q = k // 4
    m = (15 - p + k - q) % 30
    n = (4 + k - q) % 7
    d = (19 * a + m) % 30
    e = (2 * b + 4 * c + 6 * d + n) % 7
    if d == 29 and e == 6:
        return dt.date(year, 4, 19)
    if d == 28 and e == 6 and (11 * m + 11) % 30 < 19:
        return dt.date(year, 4, 18)
    day = 22 + d + e
    return dt.date(year, 3, day) if day <= 31 else dt.date(year, 4, day - 31)


def test_easter_twins_and_gauss() -> None:
    years = list(YEARS)
    got = pl.select(C.easter_sunday(pl.Series("y", years))).to_series().to_list()
    assert mismatches(years, got, calendar.easter_sunday) == []
    assert mismatches(years, got, gauss_easter) == []
    known = {2012: dt.date(2012, 4, 8), 2013: dt.date(2013, 3, 31), 2014: dt.date(2014, 4, 20)}
    assert {y: calendar.easter_sunday(y) for y in known} == known


def test_term_index_twin(days: pl.DataFrame) -> None:
    got = days.select(C.term_index(pl.col("day"))).to_series().to_list()
    assert mismatches(days["day"].to_list(), got, calendar.term_index) == []


def test_term_bounds_twins(days: pl.DataFrame) -> None:
    indices = list(range(3 * (FIRST.year - 1), 3 * (LAST.year + 1)))
    frame = pl.DataFrame({"i": indices}).select(
        C.term_start(pl.col("i")).alias("start"), C.term_end(pl.col("i")).alias("end")
    )
    got = list(zip(frame["start"].to_list(), frame["end"].to_list(), strict=True))
    assert mismatches(indices, got, calendar.term_bounds) == []
    # every day lies in the term of its index, and terms tile the calendar
    for index, (start, end) in zip(indices, got, strict=True):
        assert start <= end
        if index + 1 in indices:
            assert calendar.term_bounds(index + 1)[0] == end + dt.timedelta(days=1)
    index = days.with_columns(C.term_index(pl.col("day")).alias("i"))
    inside = (C.term_start(pl.col("i")) <= pl.col("day")) & (
        pl.col("day") <= C.term_end(pl.col("i"))
    )
    assert evaluate(index, inside.all()).item()


def test_term_index_of_twin() -> None:
    pairs = [(year, term) for year in YEARS for term in calendar.TERMS]
    frame = pl.DataFrame(pairs, schema={"y": pl.Int64, "t": pl.String}, orient="row")
    got = frame.select(C.term_index_of(pl.col("y"), pl.col("t"))).to_series().to_list()
    assert mismatches(pairs, got, calendar.term_index_of) == []


@pytest.mark.parametrize("months", [-25, -13, -12, -6, -1, 0, 1, 6, 12, 13])
def test_add_months_twin(days: pl.DataFrame, months: int) -> None:
    """Both forms: a constant number of months and a number per row."""
    frame = days.with_columns(pl.lit(months, dtype=pl.Int64).alias("n"))
    got = frame.select(
        C.add_months(pl.col("day"), months).alias("constant"),
        C.add_months(pl.col("day"), pl.col("n")).alias("per_row"),
    )
    inputs = [(d, months) for d in days["day"].to_list()]
    assert mismatches(inputs, got["constant"].to_list(), calendar.add_months) == []
    assert mismatches(inputs, got["per_row"].to_list(), calendar.add_months) == []


BIRTHS = (
    dt.date(2000, 2, 29),
    dt.date(1996, 2, 29),
    dt.date(2004, 2, 29),
    dt.date(2000, 3, 1),
    dt.date(2000, 2, 28),
    dt.date(1999, 12, 31),
    dt.date(2001, 1, 1),
    dt.date(1994, 8, 1),
    dt.date(2007, 7, 31),
    dt.date(2095, 6, 15),  # born after many of the days: negative ages
)


@pytest.mark.parametrize("born", BIRTHS, ids=str)
def test_age_twin_fixed_births(days: pl.DataFrame, born: dt.date) -> None:
    got = days.select(C.age(pl.lit(born), pl.col("day"))).to_series().to_list()
    inputs = [(born, d) for d in days["day"].to_list()]
    assert mismatches(inputs, got, calendar.age) == []


@pytest.mark.parametrize("years", [5, 16, 18])
@pytest.mark.parametrize("shift", [-1, 0, 1])
def test_age_twin_birthdays(days: pl.DataFrame, years: int, shift: int) -> None:
    """Births that make someone `years` old on each day (give or take a day)."""

    def born_on(day: dt.date) -> dt.date:
        try:
            born = day.replace(year=day.year - years)
        except ValueError:
            born = dt.date(day.year - years, 2, 28)
        return born + dt.timedelta(days=shift)

    births = [born_on(d) for d in days["day"].to_list()]
    frame = days.with_columns(pl.Series("born", births, dtype=pl.Date))
    got = frame.select(C.age(pl.col("born"), pl.col("day"))).to_series().to_list()
    inputs = list(zip(births, days["day"].to_list(), strict=True))
    assert mismatches(inputs, got, calendar.age) == []


def test_financial_year_twin(days: pl.DataFrame) -> None:
    got = days.select(C.financial_year(pl.col("day"))).to_series().to_list()
    assert mismatches(days["day"].to_list(), got, calendar.financial_year) == []


WINDOWS = [
    (0, "days"), (1, "days"), (7, "days"), (91, "days"), (182, "days"), (364, "days"),
    (0, "months"), (1, "months"), (6, "months"), (12, "months"), (24, "months"),
    (0, "terms"), (1, "terms"), (3, "terms"), (6, "terms"),
]  # fmt: skip


@pytest.mark.parametrize(("length", "unit"), WINDOWS)
def test_window_bounds_both_ways(days: pl.DataFrame, length: int, unit: str) -> None:
    """The window ending on each day: the plain definition (the interpreter's,
    and the compiler's for a fixed run date) and the vectorised one agree."""
    low, high = C.window_bounds(pl.col("day"), length, unit)
    frame = evaluate(days, low.alias("low"), high.alias("high"))
    vectorised = list(zip(frame["low"].to_list(), frame["high"].to_list(), strict=True))
    dates = days["day"].to_list()

    def interpreter(day: dt.date) -> tuple[dt.date, dt.date]:
        return window_bounds(day, length, unit)

    assert mismatches(dates, vectorised, interpreter) == []
