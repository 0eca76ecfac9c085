"""Calendar helpers: ages, month windows, Easter, school terms, financial years."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from bench.baseline.calendar import (
    age_years,
    easter_sunday,
    easter_sunday_py,
    financial_year,
    in_last_months,
    months_before,
    row_term_index,
    term_index,
    term_index_py,
)


def _eval(expr: pl.Expr) -> object:
    return pl.select(expr).item()


# Published Gregorian Easter Sundays (checked against almanac tables).
KNOWN_EASTERS = [
    date(1990, 4, 15),
    date(2000, 4, 23),
    date(2008, 3, 23),
    date(2011, 4, 24),
    date(2012, 4, 8),
    date(2013, 3, 31),
    date(2014, 4, 20),
    date(2015, 4, 5),
    date(2016, 3, 27),
    date(2019, 4, 21),
    date(2038, 4, 25),
    date(2100, 3, 28),
]


@pytest.mark.parametrize("easter", KNOWN_EASTERS)
def test_easter_sunday_known_dates(easter: date) -> None:
    assert easter_sunday_py(easter.year) == easter
    assert _eval(easter_sunday(pl.lit(easter.year))) == easter


def test_easter_expression_matches_python_1990_2100() -> None:
    years = pl.DataFrame({"y": list(range(1990, 2101))})
    got = years.select(easter_sunday(pl.col("y"))).to_series().to_list()
    assert got == [easter_sunday_py(y) for y in range(1990, 2101)]
    # Easter Sunday always falls between 22 March and 25 April.
    assert all(date(d.year, 3, 22) <= d <= date(d.year, 4, 25) for d in got)


@pytest.mark.parametrize(
    ("dob", "d", "age"),
    [
        # Birthday on the reference date completes the year: 18 on 2013-01-15.
        (date(1995, 1, 15), date(2013, 1, 15), 18),
        (date(1995, 1, 15), date(2013, 1, 14), 17),
        # 29 Feb birthday: in a common year the year completes on 1 March.
        (date(1996, 2, 29), date(2014, 2, 28), 17),
        (date(1996, 2, 29), date(2014, 3, 1), 18),
        # ... and on 29 Feb itself in a leap year.
        (date(1996, 2, 29), date(2012, 2, 29), 16),
        (date(1996, 2, 29), date(2012, 2, 28), 15),
        # A 1 March birthday is not affected by leap years.
        (date(1996, 3, 1), date(2012, 2, 29), 15),
    ],
)
def test_age_completed_years(dob: date, d: date, age: int) -> None:
    assert _eval(age_years(pl.lit(dob), pl.lit(d))) == age


@pytest.mark.parametrize(
    ("d", "months", "expected"),
    [
        # Spec examples: d - 12 months of 2013-02-28 is 2012-02-28, of 2012-02-29 2011-02-28.
        (date(2013, 2, 28), 12, date(2012, 2, 28)),
        (date(2012, 2, 29), 12, date(2011, 2, 28)),
        # Clamped to month end: 31 Aug - 6 months = 28 Feb (2013 is common).
        (date(2013, 8, 31), 6, date(2013, 2, 28)),
    ],
)
def test_months_before_clamps(d: date, months: int, expected: date) -> None:
    assert _eval(months_before(pl.lit(d), months)) == expected


def test_in_last_months_excludes_lower_bound_includes_upper() -> None:
    d = pl.lit(date(2013, 2, 28))
    assert _eval(in_last_months(pl.lit(date(2012, 2, 28)), d, 12)) is False
    assert _eval(in_last_months(pl.lit(date(2012, 2, 29)), d, 12)) is True
    assert _eval(in_last_months(pl.lit(date(2013, 2, 28)), d, 12)) is True
    assert _eval(in_last_months(pl.lit(date(2013, 3, 1)), d, 12)) is False


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        # Easter 2013 = 31 March. Up to Easter Sunday: spring of academic year 2012.
        (date(2013, 3, 31), 3 * 2012 + 1),
        # Easter Monday starts summer (academic year 2012).
        (date(2013, 4, 1), 3 * 2012 + 2),
        # 31 July is still summer; 1 August starts autumn of academic year 2013.
        (date(2013, 7, 31), 3 * 2012 + 2),
        (date(2013, 8, 1), 3 * 2013 + 0),
        (date(2012, 12, 31), 3 * 2012 + 0),
        (date(2013, 1, 1), 3 * 2012 + 1),
        # Easter 2014 = 20 April.
        (date(2014, 4, 20), 3 * 2013 + 1),
        (date(2014, 4, 21), 3 * 2013 + 2),
    ],
)
def test_term_index(d: date, expected: int) -> None:
    assert term_index_py(d) == expected
    assert _eval(term_index(pl.lit(d))) == expected


def test_row_term_index() -> None:
    df = pl.DataFrame({"ay": [2012, 2012, 2012], "term": ["autumn", "spring", "summer"]})
    got = df.select(row_term_index(pl.col("ay"), pl.col("term"))).to_series().to_list()
    assert got == [6036, 6037, 6038]


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2012, 4, 1), 2012),
        (date(2013, 3, 31), 2012),
        (date(2013, 4, 1), 2013),
        (date(2015, 1, 1), 2014),
    ],
)
def test_financial_year(d: date, fy: int) -> None:
    assert _eval(financial_year(pl.lit(d))) == fy
