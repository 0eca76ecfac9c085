"""Run dates against the period each programme ran in.

A national ruleset says when its programme ran (`runs from 2015-04-01 to
2020-03-31`). Figures for a run date outside that period are still computed,
but they describe no real claim or count of the programme: `eval` and `report`
say so in plain words. `report` runs several programmes at once and takes a
date per programme: `--as-of DATE` for all of them, and `--as-of
PROGRAMME=DATE` (repeatable) for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.arguments import parse_as_of


class RunDateError(ValueError):
    """`--as-of` values that cannot be read; the message says what to write."""


def period_warning(ruleset: CheckedRuleset, day: dt.date) -> str | None:
    """A plain sentence when `day` lies outside the ruleset's programme
    period; None inside it, or when the ruleset states no period."""
    period = ruleset.period
    if period is None or day in period:
        return None
    when = "before it began" if day < period.start else "after it ended"
    return (
        f"{ruleset.name} ran from {period.start} to {period.end}: the run date {day} is "
        f"{when}, so its figures for that date describe no claim or count of the programme"
    )


def parse_run_dates(values: Sequence[str], programmes: Iterable[str]) -> dict[str, dt.date]:
    """Each programme's run date from `--as-of` values: `DATE` for every
    programme, `PROGRAMME=DATE` for one (it wins over the plain date)."""
    names = list(programmes)
    default: dt.date | None = None
    own: dict[str, dt.date] = {}
    for value in values:
        programme, equals, text = value.partition("=")
        if not equals:
            if default is not None:
                raise RunDateError(
                    f"--as-of is given two dates for every programme ({default} and {value}); "
                    "give one, and PROGRAMME=DATE for a programme of its own"
                )
            default = _date(value, value)
            continue
        programme = programme.strip()
        if programme not in names:
            raise RunDateError(
                f"--as-of {value}: there is no programme {programme!r} in the report; "
                f"the programmes are {', '.join(names)}"
            )
        if programme in own:
            raise RunDateError(f"--as-of gives {programme} two dates")
        own[programme] = _date(text.strip(), value)
    dates: dict[str, dt.date] = {}
    for programme in names:
        day = own.get(programme, default)
        if day is None:
            raise RunDateError(
                f"no run date for {programme}: give --as-of DATE for every programme, or "
                f"--as-of {programme}=DATE"
            )
        dates[programme] = day
    return dates


def _date(text: str, given: str) -> dt.date:
    try:
        return parse_as_of(text)
    except ValueError as exc:
        shown = "" if text == given else f" (in {given})"
        raise RunDateError(
            f"--as-of {exc}{shown}; write YYYY-MM-DD, e.g. 2015-03-31, or PROGRAMME=YYYY-MM-DD"
        ) from None


def run_date_warnings(
    nationals: Mapping[str, CheckedRuleset], dates: Mapping[str, dt.date]
) -> list[str]:
    """The warnings of a report: each programme whose run date lies outside its period."""
    found = (period_warning(ruleset, dates[p]) for p, ruleset in nationals.items())
    return [w for w in found if w is not None]
