"""The gate: limits on how many families, and how much money, a change may
move, for a council's CI to refuse a rule change that does more than meant.

- `RULE=N`: at most N households may change value for the rule;
- `RULE=P%`: at most P per cent of the households;
- `RULE=£X` (money rules): the total may move by at most £X either way.

Every comparison is exact (whole numbers and Decimals, never floats).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import polars as pl

from tfrules.diffing.result import DiffResult

_COUNT = re.compile(r"^\s*(?P<rule>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<n>[0-9][0-9,_]*)\s*$")
_SHARE = re.compile(r"^\s*(?P<rule>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<p>[0-9]+(\.[0-9]+)?)\s*%\s*$")
_MONEY = re.compile(
    r"^\s*(?P<rule>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*£?\s*(?P<x>[0-9][0-9,]*(\.[0-9]{1,2})?)\s*$"
)


class GateError(ValueError):
    """A limit that cannot be read, or names a rule the diff has not got."""


@attrs.frozen
class Limit:
    rule: str
    #: "changed" (households) or "money" (the total's change)
    measure: str
    amount: Decimal
    percent: bool = False
    #: as it was written
    text: str = ""


@attrs.frozen
class Verdict:
    limit: Limit
    #: households changed, or the money total's change (signed)
    actual: Decimal
    #: the limit in the actual's unit (households for a percentage)
    allowed: Decimal
    exceeded: bool

    def describe(self) -> str:
        limit = self.limit
        if limit.measure == "money":
            sign = "-" if self.actual < 0 else "+"
            return (
                f"{limit.rule}: the total moves by {sign}£{abs(self.actual):,.2f}, "
                f"at most £{limit.amount:,.2f} either way"
            )
        allowed = f"{limit.amount}% of the households" if limit.percent else f"{limit.amount:,}"
        count = int(self.actual)
        noun = "household changes" if count == 1 else "households change"
        return f"{limit.rule}: {count:,} {noun} value, at most {allowed}"

    def to_json(self) -> dict[str, Any]:
        return {
            "limit": self.limit.text,
            "rule": self.limit.rule,
            "measure": self.limit.measure,
            "actual": f"{self.actual:f}" if self.limit.measure == "money" else int(self.actual),
            "allowed": f"{self.allowed:f}",
            "exceeded": self.exceeded,
        }


def parse_changed(text: str) -> Limit:
    """`RULE=N` or `RULE=P%` (--max-changed)."""
    found = _SHARE.match(text)
    if found:
        return Limit(found["rule"], "changed", Decimal(found["p"]), True, text)
    found = _COUNT.match(text)
    if found:
        count = Decimal(found["n"].replace(",", "").replace("_", ""))
        return Limit(found["rule"], "changed", count, False, text)
    raise GateError(
        f"--max-changed {text!r}: write RULE=N (households) or RULE=P% "
        "(of the households), e.g. identified=50 or identified=2%"
    )


def parse_money(text: str) -> Limit:
    """`RULE=£X` (--max-money-change), pounds and pence."""
    found = _MONEY.match(text)
    if found:
        try:
            amount = Decimal(found["x"].replace(",", ""))
        except InvalidOperation:
            amount = None
        if amount is not None:
            return Limit(found["rule"], "money", amount, False, text)
    raise GateError(
        f"--max-money-change {text!r}: write RULE=£X, e.g. payment_due=£10000 or "
        "payment_due=£2,500.50"
    )


def check_limits(result: DiffResult, limits: Iterable[Limit]) -> list[Verdict]:
    """Each limit against the diff (over every household); GateError for a
    limit on a rule the diff did not compare, or on money for a rule that is
    not an amount of money."""
    verdicts = []
    for limit in limits:
        if limit.rule not in result.rules:
            raise GateError(
                f"{limit.text!r}: {limit.rule} is not a household rule of both versions"
            )
        if limit.measure == "money":
            verdicts.append(_money(result, limit))
        else:
            verdicts.append(_changed(result, limit))
    return verdicts


def _changed(result: DiffResult, limit: Limit) -> Verdict:
    changed = Decimal(result.changed(limit.rule))
    # exact: a share of the households in Decimals, never a float
    allowed = limit.amount * result.households / 100 if limit.percent else limit.amount
    return Verdict(limit, changed, allowed, changed > allowed)


def _money(result: DiffResult, limit: Limit) -> Verdict:
    rows = result.money.filter((pl.col("rule") == limit.rule) & (pl.col("council") == "all"))
    if rows.height == 0:
        raise GateError(f"{limit.text!r}: {limit.rule} is not an amount of money")
    change = rows["change"][0]
    moved = Decimal(change) if change is not None else Decimal(0)
    return Verdict(limit, moved, limit.amount, abs(moved) > limit.amount)
