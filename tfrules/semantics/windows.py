"""Windows of time ending at a reference date: `in the last 12 months`,
`in the last 26 weeks`, `in the last 3 terms` (docs/programme-rules.md).

- N days or weeks at d: the days x with d - 7N < x <= d (weeks as 7 days);
- N months at d: d - N calendar months < x <= d (the month end clamped: 12
  months before 2012-02-29 is 2011-02-28);
- N terms at d: the N whole terms before the term containing d, by index
  t(d) - N to t(d) - 1.

A spell's end that is empty means the spell goes on: it has not ended, so
"ended in the last 12 months" (`end_date in the last 12 months`) is false
for an open spell, never unknown (`OPEN_END_IN_WINDOW`).

Stated once here; the compiler's vectorised twins are in `calendar_exprs`.
"""

from __future__ import annotations

import datetime as dt

from tfrules.semantics import calendar

#: Whether a spell that has not ended ended in a window: it did not.
OPEN_END_IN_WINDOW = False


def window_bounds(day: dt.date, length: int, unit: str | None) -> tuple[dt.date, dt.date]:
    """The first and last day (inclusive) of the window of `length` units ending at `day`."""
    if unit == "terms":
        first, last = term_window(day, length)
        return calendar.term_bounds(first)[0], calendar.term_bounds(last)[1]
    if unit == "months":
        return calendar.add_months(day, -length) + dt.timedelta(days=1), day
    return day - dt.timedelta(days=length - 1), day


def term_window(day: dt.date, length: int) -> tuple[int, int]:
    """The first and last term index (inclusive) of the last `length` terms at `day`."""
    now = calendar.term_index(day)
    return now - length, now - 1


def date_in_window(when: dt.date, day: dt.date, length: int, unit: str | None) -> bool:
    low, high = window_bounds(day, length, unit)
    return low <= when <= high


def spell_in_window(
    start: dt.date, end: dt.date | None, day: dt.date, length: int, unit: str | None
) -> bool:
    """A spell (an open end: still going on) overlaps the window."""
    low, high = window_bounds(day, length, unit)
    return start <= high and (end is None or end >= low)
