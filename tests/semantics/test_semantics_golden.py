"""Golden tables for the semantics both engines share (`tfrules.semantics`).

Tests that hold the compiler to the interpreter cannot see a mistake in code
they share: Easter a day late moves both engines' school terms together.
So each shared definition is held here to values written out by hand, each
table from a source other than the code (named above it): Easter Sunday
from a published table, the DfE term boundaries worked from it, calendar
months, financial years, ages across 29 February and the bounds of the
windows `in the last 12 months`, `26 weeks` and `3 terms` at chosen dates,
worked from the definitions in docs/programme-rules.md. The plain functions
(the interpreter's) and their Polars twins (the compiler's) are both held to
the tables.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tfrules.semantics import calendar
from tfrules.semantics import calendar_exprs as C
from tfrules.semantics.windows import window_bounds

D = dt.date


def iso(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def polars_dates(expr: pl.Expr, days: list[dt.date]) -> list[object]:
    """`expr` over a column `day` holding `days`, evaluated as a plan is."""
    return (
        pl.LazyFrame({"day": days}, schema={"day": pl.Date}).select(expr).collect()[:, 0].to_list()
    )


# ---------------------------------------------------------------- Easter Sunday

#: Western (Gregorian) Easter Sunday. Source: "List of dates for Easter",
#: Wikipedia, Western column (the same dates as the Church of England's
#: tables of Easter Day); 1818, 1943 and 2285 are that page's earliest and
#: latest Easters.
EASTER_SUNDAY = {
    2000: "04-23", 2001: "04-15", 2002: "03-31", 2003: "04-20", 2004: "04-11",
    2005: "03-27", 2006: "04-16", 2007: "04-08", 2008: "03-23", 2009: "04-12",
    2010: "04-04", 2011: "04-24", 2012: "04-08", 2013: "03-31", 2014: "04-20",
    2015: "04-05", 2016: "03-27", 2017: "04-16", 2018: "04-01", 2019: "04-21",
    2020: "04-12", 2021: "04-04", 2022: "04-17", 2023: "04-09", 2024: "03-31",
    2025: "04-20", 2026: "04-05", 2027: "03-28", 2028: "04-16", 2029: "04-01",
    2030: "04-21", 2031: "04-13", 2032: "03-28", 2033: "04-17", 2034: "04-09",
    2035: "03-25", 2036: "04-13", 2037: "04-05", 2038: "04-25", 2039: "04-10",
    2040: "04-01", 2041: "04-21", 2042: "04-06", 2043: "03-29", 2044: "04-17",
    2045: "04-09", 2046: "03-25", 2047: "04-14", 2048: "04-05", 2049: "04-18",
    2050: "04-10",
    1818: "03-22", 1943: "04-25", 2285: "03-22",
}  # fmt: skip


def test_easter_sunday_matches_the_published_dates() -> None:
    years = sorted(EASTER_SUNDAY)
    expected = [iso(f"{y}-{EASTER_SUNDAY[y]}") for y in years]
    assert [calendar.easter_sunday(y) for y in years] == expected
    twin = pl.select(C.easter_sunday(pl.Series("year", years))).to_series().to_list()
    assert twin == expected


# ---------------------------------------------------------------- DfE school terms

#: The DfE absence calendar (programme-rules.md, "School terms"): autumn is
#: 1 August to 31 December, spring 1 January to Easter Sunday, summer Easter
#: Monday to 31 July; academic year 2012 is 2012/13; a term's index is
#: 3 x academic year + (autumn 0, spring 1, summer 2). Worked by hand from the
#: Easter table above. Academic year, index of its autumn term, and the first
#: and last days of autumn, spring and summer.
DFE_TERMS = """
year  index   autumn                     spring                     summer
2010  6030    2010-08-01 2010-12-31      2011-01-01 2011-04-24      2011-04-25 2011-07-31
2011  6033    2011-08-01 2011-12-31      2012-01-01 2012-04-08      2012-04-09 2012-07-31
2012  6036    2012-08-01 2012-12-31      2013-01-01 2013-03-31      2013-04-01 2013-07-31
2013  6039    2013-08-01 2013-12-31      2014-01-01 2014-04-20      2014-04-21 2014-07-31
2014  6042    2014-08-01 2014-12-31      2015-01-01 2015-04-05      2015-04-06 2015-07-31
2015  6045    2015-08-01 2015-12-31      2016-01-01 2016-03-27      2016-03-28 2016-07-31
2016  6048    2016-08-01 2016-12-31      2017-01-01 2017-04-16      2017-04-17 2017-07-31
2017  6051    2017-08-01 2017-12-31      2018-01-01 2018-04-01      2018-04-02 2018-07-31
2018  6054    2018-08-01 2018-12-31      2019-01-01 2019-04-21      2019-04-22 2019-07-31
2019  6057    2019-08-01 2019-12-31      2020-01-01 2020-04-12      2020-04-13 2020-07-31
2020  6060    2020-08-01 2020-12-31      2021-01-01 2021-04-04      2021-04-05 2021-07-31
2021  6063    2021-08-01 2021-12-31      2022-01-01 2022-04-17      2022-04-18 2022-07-31
2022  6066    2022-08-01 2022-12-31      2023-01-01 2023-04-09      2023-04-10 2023-07-31
2023  6069    2023-08-01 2023-12-31      2024-01-01 2024-03-31      2024-04-01 2024-07-31
2024  6072    2024-08-01 2024-12-31      2025-01-01 2025-04-20      2025-04-21 2025-07-31
2025  6075    2025-08-01 2025-12-31      2026-01-01 2026-04-05      2026-04-06 2026-07-31
"""

#: (academic year, term, index, first day, last day), one row per term.
TERM_ROWS = [
    (int(year), term, int(index) + number, iso(first), iso(last))
    for year, index, *days in (line.split() for line in DFE_TERMS.strip().splitlines()[1:])
    for number, (term, first, last) in enumerate(
        zip(calendar.TERMS, days[0::2], days[1::2], strict=True)
    )
]


def test_term_indexes() -> None:
    for year, term, index, _, _ in TERM_ROWS:
        assert calendar.term_index_of(year, term) == index, (year, term)
    frame = pl.DataFrame({"year": [r[0] for r in TERM_ROWS], "term": [r[1] for r in TERM_ROWS]})
    twin = frame.select(C.term_index_of(pl.col("year"), pl.col("term")))[:, 0].to_list()
    assert twin == [r[2] for r in TERM_ROWS]


def test_term_bounds_of_every_term_2010_to_2025() -> None:
    wrong = [
        f"{year} {term}: {calendar.term_bounds(index)}, expected {first} to {last}"
        for year, term, index, first, last in TERM_ROWS
        if calendar.term_bounds(index) != (first, last)
    ]
    assert not wrong, "\n".join(wrong)
    indexes = pl.LazyFrame({"index": [r[2] for r in TERM_ROWS]})
    twin = indexes.select(C.term_start(pl.col("index")), C.term_end(pl.col("index")).alias("end"))
    got = twin.collect().rows()
    assert got == [(first, last) for *_, first, last in TERM_ROWS]


def test_the_term_each_first_and_last_day_is_in() -> None:
    """A term's first and last days are in it; the day before its first is in the term before."""
    days, expected = [], []
    for _, _, index, first, last in TERM_ROWS:
        days += [first, last, first - dt.timedelta(days=1)]
        expected += [index, index, index - 1]
    assert [calendar.term_index(day) for day in days] == expected
    assert polars_dates(C.term_index(pl.col("day")), days) == expected


# ---------------------------------------------------------------- calendar months

#: Whole calendar months, the day clamped to the end of a shorter month
#: (programme-rules.md: 12 months before 2012-02-29 is 2011-02-28). Worked by
#: hand from the Gregorian calendar: (day, months, result).
ADD_MONTHS = [
    ("2013-01-31", 1, "2013-02-28"),
    ("2012-01-31", 1, "2012-02-29"),
    ("2012-02-29", 12, "2013-02-28"),
    ("2012-02-29", -12, "2011-02-28"),
    ("2012-02-29", 48, "2016-02-29"),
    ("2013-02-28", -12, "2012-02-28"),
    ("2013-03-31", -1, "2013-02-28"),
    ("2012-03-31", -1, "2012-02-29"),
    ("2013-05-31", 1, "2013-06-30"),
    ("2013-08-31", -6, "2013-02-28"),
    ("2013-10-31", 4, "2014-02-28"),
    ("2013-12-15", 1, "2014-01-15"),
    ("2013-01-15", -13, "2011-12-15"),
    ("2000-02-29", 1200, "2100-02-28"),  # 2100 is not a leap year
    ("2000-02-29", -1200, "1900-02-28"),  # nor is 1900
    ("1999-02-28", 12, "2000-02-28"),
]


def test_calendar_month_arithmetic() -> None:
    for day, months, result in ADD_MONTHS:
        assert calendar.add_months(iso(day), months) == iso(result), (day, months)
    for months in sorted({m for _, m, _ in ADD_MONTHS}):
        cases = [(iso(d), iso(r)) for d, m, r in ADD_MONTHS if m == months]
        got = polars_dates(C.add_months(pl.col("day"), months), [d for d, _ in cases])
        assert got == [r for _, r in cases], months


# ---------------------------------------------------------------- financial years

#: The UK financial year runs from 1 April to 31 March and is named by the year
#: it starts in (programme-rules.md; HM Treasury's 2012-13 is financial year 2012).
FINANCIAL_YEAR = {
    "2012-03-31": 2011,
    "2012-04-01": 2012,
    "2012-12-31": 2012,
    "2013-01-01": 2012,
    "2013-03-31": 2012,
    "2013-04-01": 2013,
    "2015-04-01": 2015,
    "2016-02-29": 2015,
}


def test_financial_years() -> None:
    days = [iso(d) for d in FINANCIAL_YEAR]
    assert [calendar.financial_year(d) for d in days] == list(FINANCIAL_YEAR.values())
    assert polars_dates(C.financial_year(pl.col("day")), days) == list(FINANCIAL_YEAR.values())


# ---------------------------------------------------------------- ages

#: Completed years (programme-rules.md, pinned reading 5): someone born on
#: 29 February completes a year on 1 March in common years, on 29 February in
#: leap years. (born, on, age)
AGES = [
    ("2000-02-29", "2001-02-28", 0),
    ("2000-02-29", "2001-03-01", 1),
    ("2000-02-29", "2004-02-28", 3),
    ("2000-02-29", "2004-02-29", 4),
    ("2000-02-29", "2005-02-28", 4),
    ("2000-02-29", "2005-03-01", 5),
    ("1996-02-29", "2014-02-28", 17),
    ("1996-02-29", "2014-03-01", 18),
    ("2000-03-01", "2004-02-29", 3),
    ("2000-03-01", "2004-03-01", 4),
    ("1995-01-15", "2013-01-14", 17),
    ("1995-01-15", "2013-01-15", 18),
    ("1999-12-31", "2000-12-30", 0),
    ("1999-12-31", "2000-12-31", 1),
    ("2013-01-15", "2013-01-15", 0),
]


def test_ages_across_29_february() -> None:
    for born, on, age in AGES:
        assert calendar.age(iso(born), iso(on)) == age, (born, on)
    frame = pl.LazyFrame({"born": [iso(b) for b, _, _ in AGES], "on": [iso(o) for _, o, _ in AGES]})
    got = frame.select(C.age(pl.col("born"), pl.col("on"))).collect()[:, 0].to_list()
    assert got == [age for _, _, age in AGES]


# ---------------------------------------------------------------- windows

#: The first and last day of "in the last N ..." at a date (programme-rules.md:
#: N months at d: d - N months < x <= d; N weeks: d - 7N days < x <= d; N
#: terms: the N whole terms before the one containing d). Lengths in the
#: unit's base: months, days (26 weeks = 182) or terms.
WINDOWS = [
    ("2013-01-15", 12, "months", "2012-01-16", "2013-01-15"),
    ("2012-02-29", 12, "months", "2011-03-01", "2012-02-29"),
    ("2013-02-28", 12, "months", "2012-02-29", "2013-02-28"),
    ("2013-03-31", 12, "months", "2012-04-01", "2013-03-31"),
    ("2013-08-31", 6, "months", "2013-03-01", "2013-08-31"),
    ("2012-08-31", 6, "months", "2012-03-01", "2012-08-31"),
    ("2013-03-31", 1, "months", "2013-03-01", "2013-03-31"),
    ("2012-03-30", 1, "months", "2012-03-01", "2012-03-30"),
    ("2013-01-15", 182, "days", "2012-07-18", "2013-01-15"),
    ("2013-01-15", 91, "days", "2012-10-17", "2013-01-15"),
    ("2012-03-01", 7, "days", "2012-02-24", "2012-03-01"),
    ("2013-03-01", 7, "days", "2013-02-23", "2013-03-01"),
    ("2016-01-15", 364, "days", "2015-01-17", "2016-01-15"),
    ("2013-01-15", 1, "days", "2013-01-15", "2013-01-15"),
    ("2013-01-15", 3, "terms", "2012-01-01", "2012-12-31"),
    ("2013-03-31", 3, "terms", "2012-01-01", "2012-12-31"),  # Easter Sunday: still spring
    ("2013-04-01", 3, "terms", "2012-04-09", "2013-03-31"),  # Easter Monday: summer
    ("2013-07-31", 3, "terms", "2012-04-09", "2013-03-31"),
    ("2013-08-01", 3, "terms", "2012-08-01", "2013-07-31"),
    ("2012-04-08", 3, "terms", "2011-01-01", "2011-12-31"),
    ("2012-04-09", 3, "terms", "2011-04-25", "2012-04-08"),
    ("2016-01-15", 1, "terms", "2015-08-01", "2015-12-31"),
    ("2016-01-15", 6, "terms", "2014-01-01", "2015-12-31"),
]


@pytest.mark.parametrize(("unit"), ["months", "days", "terms"])
def test_window_bounds(unit: str) -> None:
    cases = [(iso(d), n, iso(f), iso(la)) for d, n, u, f, la in WINDOWS if u == unit]
    for day, length, first, last in cases:
        assert window_bounds(day, length, unit) == (first, last), (day, length, unit)
        low, high = C.window_bounds(pl.col("day"), length, unit)
        got = polars_dates(pl.struct(low.alias("low"), high.alias("high")), [day])[0]
        assert (got["low"], got["high"]) == (first, last), (day, length, unit)
