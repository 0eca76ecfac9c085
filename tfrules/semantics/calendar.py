"""The built-in calendars, written plainly: ages, calendar months, financial
years and the DfE school-term calendar.

These are the definitions both evaluators follow. The reference interpreter
calls them directly; the compiler has vectorised Polars twins in
`tfrules.semantics.calendar_exprs`, tested against these.

School terms (DfE absence calendar): autumn is 1 August to 31 December of
year Y (academic year Y); spring is 1 January to Easter Sunday of Y, and
summer Easter Monday to 31 July of Y (both academic year Y-1). A term's index
is 3 x academic year + (autumn 0, spring 1, summer 2).
"""

from __future__ import annotations

import calendar
import datetime as dt

TERMS = ("autumn", "spring", "summer")


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


#: Years with school terms: the Gregorian calendar's first full year to 2500.
TERM_YEARS = range(1583, 2501)

#: The dates tfrules works with, in data and as run dates: both engines agree
#: on every date inside, and every window, term and date arithmetic a rule can
#: reach from one (centuries either way) stays inside TERM_YEARS. A date
#: outside is a data error at load and a usage error as a run date.
EARLIEST_DATE = dt.date(1800, 1, 1)
LATEST_DATE = dt.date(2299, 12, 31)


def term_index(day: dt.date) -> int | None:
    """The index of the school term that contains `day` (None outside TERM_YEARS)."""
    if day.year not in TERM_YEARS:
        return None
    if day.month >= 8:
        return 3 * day.year
    if day <= easter_sunday(day.year):
        return 3 * (day.year - 1) + 1
    return 3 * (day.year - 1) + 2


def term_index_of(academic_year: int, term: str) -> int:
    return 3 * academic_year + TERMS.index(term)


def term_bounds(index: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the term with this index."""
    academic_year, number = divmod(index, 3)
    if number == 0:
        return dt.date(academic_year, 8, 1), dt.date(academic_year, 12, 31)
    easter = easter_sunday(academic_year + 1)
    if number == 1:
        return dt.date(academic_year + 1, 1, 1), easter
    return easter + dt.timedelta(days=1), dt.date(academic_year + 1, 7, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month
    (2012-02-29 less 12 months is 2011-02-28)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def age(born: dt.date, on: dt.date) -> int:
    """Completed years; someone born on 29 February completes a year on 1 March
    in common years."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def financial_year(day: dt.date) -> int:
    """The year in which the April-to-March financial year containing `day` starts."""
    return day.year if day.month >= 4 else day.year - 1
