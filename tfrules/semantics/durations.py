"""Durations: a number of days, months or school terms.

`2 weeks` is 14 days and `1 year` is 12 months; a duration is held as a count
of its unit family's base, and the families never mix (the checker sees to it).
"""

from __future__ import annotations

from tfrules.syntax import ast

DAYS_PER = {"days": 1, "weeks": 7}
MONTHS_PER = {"months": 1, "years": 12}


def duration_amount(duration: ast.Duration) -> int:
    """A duration as a count of its unit family's base: days, months or terms."""
    if duration.unit in DAYS_PER:
        return duration.amount * DAYS_PER[duration.unit]
    if duration.unit in MONTHS_PER:
        return duration.amount * MONTHS_PER[duration.unit]
    return duration.amount
