"""The period a programme ran in (`runs from 2012-04-01 to 2015-03-31`).

A ruleset may state it in its header; a ruleset that does not gets the period
of the nearest ruleset it extends that does. A period must start on or before
its end, lie within the dates tfrules supports, and, in a ruleset that extends
another with a period, lie within that one: a council's rules cannot run when
the programme did not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tfrules import diagnostics as diag
from tfrules.semantics.calendar import EARLIEST_DATE, LATEST_DATE
from tfrules.syntax import ast


def _text(period: ast.ProgrammePeriod) -> str:
    return f"{period.start.isoformat()} to {period.end.isoformat()}"


def check_period(
    layers: Sequence[ast.RulesetFile], report: Callable[[diag.Diagnostic], None]
) -> ast.ProgrammePeriod | None:
    """The period of the last layer (its own, or the nearest base's), after
    reporting E112 for each period declared that cannot be right."""
    found: ast.ProgrammePeriod | None = None
    for layer in layers:
        period = layer.period
        if period is None:
            continue
        if period.end < period.start:
            report(
                diag.error(
                    "E112",
                    f"the period of {layer.name} ends ({period.end}) before it starts "
                    f"({period.start})",
                    period.span,
                    f"write the first day first: runs from {period.end} to {period.start}",
                )
            )
            continue
        if period.start < EARLIEST_DATE or period.end > LATEST_DATE:
            report(
                diag.error(
                    "E112",
                    f"the period of {layer.name} ({_text(period)}) is outside the dates "
                    "tfrules works with",
                    period.span,
                    f"dates run from {EARLIEST_DATE} to {LATEST_DATE}",
                )
            )
            continue
        if found is not None and not (period.start in found and period.end in found):
            report(
                diag.error(
                    "E112",
                    f"{layer.name} runs from {_text(period)}, outside the period of the "
                    f"programme it extends ({_text(found)})",
                    period.span,
                    "a ruleset can only narrow the period of the one it extends; "
                    "or leave the line out to take that period",
                )
            )
            continue
        found = period
    return found
