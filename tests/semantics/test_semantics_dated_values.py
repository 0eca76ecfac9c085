"""Parameters that change over time take their new value on its first day.

A `by date` parameter gives each value from its date on (the day before,
the previous value); a `by financial year` parameter changes on 1 April.
Each value is read on its first day and on the day before, at the run date
(a constant the compiler works out once) and at a household's attachment
date (a date per row), by the compiled plan and by the interpreter, and
both are held to the value the table gives.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from semantic_harness import agree, check_text, same
from strategies.data_strategies import DataSet, make_frame

from tfrules.model.ruleset import CheckedRuleset

D = dt.date
DAY = dt.timedelta(days=1)

RULES = """\
ruleset gen.t "Values in force from given dates and by financial year"
    uses schema canonical

parameter hourly_rate "Adult minimum wage, per hour": money
    = by date
        from 2012-10-01: £6.19
        from 2013-10-01: £6.31
        from 2014-10-01: £6.50
        otherwise: unknown

parameter absence_share "A share of sessions that changes over time"
    = by date
        from 2013-09-01: 10%
        from 2015-09-01: 8.5%
        otherwise: 15%

parameter local_fee "A fee by financial year": money
    = by financial year
        2012: £300
        2013: £200
        2014: £150.50
        otherwise: £0

measure rate_now: money = hourly_rate
measure rate_then: money = hourly_rate at attached_on
measure share_now: percent = absence_share
measure share_then: percent = absence_share at attached_on
measure fee_now: money = local_fee
measure fee_then: money = local_fee at attached_on
"""

#: first day -> (the value from that day, the value the day before)
HOURLY_RATE = {
    D(2012, 10, 1): (Decimal("6.19"), None),
    D(2013, 10, 1): (Decimal("6.31"), Decimal("6.19")),
    D(2014, 10, 1): (Decimal("6.50"), Decimal("6.31")),
}
ABSENCE_SHARE = {
    D(2013, 9, 1): (Decimal("0.10"), Decimal("0.15")),  # a percentage is a fraction
    D(2015, 9, 1): (Decimal("0.085"), Decimal("0.10")),
}
#: 1 April of each financial year in the table, and of the first year after it
LOCAL_FEE = {
    D(2012, 4, 1): (Decimal("300"), Decimal("0")),
    D(2013, 4, 1): (Decimal("200"), Decimal("300")),
    D(2014, 4, 1): (Decimal("150.50"), Decimal("200")),
    D(2015, 4, 1): (Decimal("0"), Decimal("150.50")),
}
TABLES = {
    ("rate_now", "rate_then"): HOURLY_RATE,
    ("share_now", "share_then"): ABSENCE_SHARE,
    ("fee_now", "fee_then"): LOCAL_FEE,
}
EDGES = sorted(
    {day for table in TABLES.values() for first in table for day in (first, first - DAY)}
)


@pytest.fixture(scope="module")
def ruleset() -> CheckedRuleset:
    found, errors = check_text(RULES)
    assert found is not None, errors
    return found


def value_on(table: dict, day: dt.date) -> Decimal | None:
    """The value the table gives on `day`, if `day` is a first day or the day before."""
    if day in table:
        return table[day][0]
    return table[day + DAY][1]


def households_attached_on(days: list[dt.date]) -> DataSet:
    rows = [{"household_id": f"H{d}", "la_code": "E08000035", "attached_on": d} for d in days]
    frames = {"households": make_frame("households", rows), "persons": make_frame("persons", [])}
    return DataSet(frames, frozenset())


def test_each_dated_value_from_its_first_day_at_the_run_date(ruleset: CheckedRuleset) -> None:
    data = households_attached_on([D(2013, 1, 1)])
    for (now, _), table in TABLES.items():
        for day in [d for first in table for d in (first, first - DAY)]:
            got = agree(ruleset, data, day, text=RULES)["H2013-01-01"][now]
            assert same(got, value_on(table, day)), f"{now} on {day}: {got!r}"


def test_each_dated_value_from_its_first_day_at_the_attachment_date(
    ruleset: CheckedRuleset,
) -> None:
    data = households_attached_on(EDGES)
    rows = agree(ruleset, data, D(2016, 1, 15), text=RULES)
    wrong = []
    for (_, then), table in TABLES.items():
        for first in table:
            for day in (first, first - DAY):
                got, want = rows[f"H{day}"][then], value_on(table, day)
                if not same(got, want):
                    wrong.append(f"{then} attached on {day}: {got!r}, expected {want!r}")
    assert not wrong, "\n".join(wrong)
