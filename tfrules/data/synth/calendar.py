"""Date arithmetic on NumPy arrays of day numbers, and the DfE term calendar.

The generator keeps every date as an ``int64`` count of days since 1970-01-01
(the representation Polars' ``Date`` uses), so whole columns are shifted,
compared and converted without a Python object per row. Only the handful of
term boundaries are computed with Python ``date`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.int64]

EPOCH = date(1970, 1, 1)

#: Mean length of a year in days, for turning ages in years into day offsets.
YEAR_DAYS = 365.2425

TERMS: tuple[str, ...] = ("autumn", "spring", "summer")


def day_number(d: date) -> int:
    """Days since 1970-01-01 (Polars' physical representation of ``Date``)."""
    return (d - EPOCH).days


def from_day_number(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def split_ymd(days: Days) -> tuple[Days, Days, Days]:
    """Year, month (1-12) and day of month (1-31) of every day number."""
    d64 = days.astype("datetime64[D]")
    years = d64.astype("datetime64[Y]")
    months = d64.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = months.astype(np.int64) - (years.astype("datetime64[M]").astype(np.int64)) + 1
    dd = (d64 - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, dd


def add_years(days: Days, years: int | npt.NDArray[np.int64]) -> Days:
    """The same month and day ``years`` later; 29 February lands on 1 March.

    That is the pinned reading of "completes a year" for leap-day birthdays
    (docs/programme-rules.md, pinned reading 5), so ``add_years(dob, 18)`` is the
    first day a person counts as an adult.
    """
    y, m, d = split_ymd(days)
    first_of_month = (
        (np.asarray(y + years, dtype=np.int64) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[M]")
        + (m - 1)
    ).astype("datetime64[D]")
    return (first_of_month + (d - 1)).astype(np.int64)


def age_at(dob: Days, on: Days) -> Days:
    """Completed years from ``dob`` to ``on``, comparing (month, day) as the rules do."""
    y1, m1, d1 = split_ymd(dob)
    y2, m2, d2 = split_ymd(on)
    before_birthday = (m2 < m1) | ((m2 == m1) & (d2 < d1))
    return y2 - y1 - before_birthday.astype(np.int64)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekdays(first: date, last: date) -> int:
    """Monday-to-Friday days in ``first..last`` inclusive."""
    if last < first:
        return 0
    return int(np.busday_count(first, last + timedelta(days=1)))


@dataclass(frozen=True)
class Term:
    """One term of the DfE absence calendar (docs/programme-rules.md, shared definitions).

    ``index`` is 3 x academic_year + (autumn 0, spring 1, summer 2); ``first``
    and ``last`` are the calendar span the term covers; ``sessions`` is the
    typical number of half-day sessions a pupil on roll for the whole term could
    attend (see ``term_sessions``).
    """

    index: int
    academic_year: int
    name: str
    first: date
    last: date
    sessions: int


def term_span(index: int) -> tuple[date, date]:
    """Calendar span of a term index under the DfE absence calendar."""
    year, k = divmod(index, 3)
    if k == 0:
        return date(year, 8, 1), date(year, 12, 31)
    easter = easter_sunday(year + 1)
    if k == 1:
        return date(year + 1, 1, 1), easter
    return easter + timedelta(days=1), date(year + 1, 7, 31)


def term_sessions(index: int) -> int:
    """Typical half-day sessions possible in a term.

    Schools open 190 days (380 sessions) a year. Autumn is taken as 70 days.
    Spring is the weekdays from the first Monday-ish of January (the 4th) to the
    Thursday before Easter Sunday, less a half-term week, capped at 62 days (a
    late Easter falls inside the Easter holiday); summer gets the rest of the
    190. An early Easter therefore makes a short spring and a long summer term,
    which is exactly what the DfE calendar produces.
    """
    year, k = divmod(index, 3)
    if k == 0:
        return 140
    easter = easter_sunday(year + 1)
    spring_days = min(62, _weekdays(date(year + 1, 1, 4), easter - timedelta(days=3)) - 5)
    if k == 1:
        return 2 * spring_days
    return 2 * (190 - 70 - spring_days)


def term_index_of(d: date) -> int:
    """Index of the term containing ``d``."""
    if d.month >= 8:
        return 3 * d.year
    easter = easter_sunday(d.year)
    return 3 * (d.year - 1) + (1 if d <= easter else 2)


def terms_between(first: date, last: date) -> tuple[Term, ...]:
    """Every term that lies wholly inside ``first..last``."""
    out: list[Term] = []
    index = term_index_of(first)
    while True:
        span_first, span_last = term_span(index)
        if span_first > last:
            break
        if span_first >= first and span_last <= last:
            year, k = divmod(index, 3)
            out.append(Term(index, year, TERMS[k], span_first, span_last, term_sessions(index)))
        index += 1
    return tuple(out)


@dataclass(frozen=True)
class Window:
    """The dates a synthetic data set spans.

    ``events_from..events_to`` bounds every event date (spans may start earlier:
    long-term benefit claims and jobs that were already running);
    ``attach_from..attach_to`` is when families can be attached (phase 1's
    financial years 2012-2014). Ages are drawn relative to ``attach_from``.
    """

    events_from: date = date(2010, 1, 1)
    events_to: date = date(2016, 12, 31)
    attach_from: date = date(2012, 4, 1)
    attach_to: date = date(2015, 3, 31)

    def __post_init__(self) -> None:
        if not self.events_from <= self.attach_from <= self.attach_to <= self.events_to:
            raise ValueError(
                "expected events_from <= attach_from <= attach_to <= events_to, got "
                f"{self.events_from}, {self.attach_from}, {self.attach_to}, {self.events_to}"
            )

    @property
    def first(self) -> int:
        return day_number(self.events_from)

    @property
    def last(self) -> int:
        return day_number(self.events_to)

    @property
    def years(self) -> float:
        return (self.last - self.first + 1) / YEAR_DAYS

    @property
    def reference(self) -> int:
        """Ages are drawn relative to this day (the programme's start)."""
        return day_number(self.attach_from)

    @property
    def attach_first(self) -> int:
        return day_number(self.attach_from)

    @property
    def attach_last(self) -> int:
        return day_number(self.attach_to)


#: Stands for a null date in the generator's day-number arrays.
NO_DATE = np.iinfo(np.int64).min
