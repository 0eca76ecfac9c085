"""What changed, counted: for each rule, overall and per council.

- criteria (true/false/unknown): how many households went from each value
  to each other one;
- amounts (money and numbers): the total of the known values before and
  after, the change, and how many households' value is unknown in each;
- every rule: how many households' value changed (for a date or a
  category, that is all there is to count).

All of it is Polars aggregations over the paired plan's columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from tfrules.diffing.plan import NEW
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset

#: The transitions of a criterion, in the order they are reported.
TRANSITIONS: tuple[tuple[str, str], ...] = (
    ("true", "false"),
    ("false", "true"),
    ("true", "unknown"),
    ("unknown", "true"),
    ("false", "unknown"),
    ("unknown", "false"),
)
#: The council of the totals over every household.
ALL = "all"
MONEY_KINDS = (T.Kind.MONEY,)
#: Amounts that are not money: their totals are Decimals too (a whole number exactly)
MEASURE_KINDS = (T.Kind.INT, T.Kind.DECIMAL)
_MEASURE_DTYPE = pl.Decimal(38, 6)


def transition_name(before: str, after: str) -> str:
    return f"{before}->{after}"


def _state(column: str, value: str) -> pl.Expr:
    if value == "unknown":
        return pl.col(column).is_null()
    return pl.col(column).eq_missing(value == "true")


def criteria(ruleset: CheckedRuleset, rules: Sequence[str]) -> list[str]:
    return [r for r in rules if ruleset.rules[r].type.kind is T.Kind.BOOL]


def amounts(ruleset: CheckedRuleset, rules: Sequence[str], kinds: Sequence[T.Kind]) -> list[str]:
    return [r for r in rules if ruleset.rules[r].type.kind in kinds]


def _by_council(frame: pl.DataFrame, council: str | None, aggs: list[pl.Expr]) -> pl.DataFrame:
    """The aggregations over every household (council `all`), then per council."""
    overall = frame.select(pl.lit(ALL).alias("council"), *aggs)
    if council is None or not aggs:
        return overall
    each = (
        frame.group_by(pl.col(council).cast(pl.String).fill_null("(none)").alias("council"))
        .agg(aggs)
        .sort("council")
    )
    return pl.concat([overall, each.select(overall.columns)], how="vertical_relaxed")


def transition_counts(
    frame: pl.DataFrame, ruleset: CheckedRuleset, rules: Sequence[str], council: str | None
) -> pl.DataFrame:
    """One row per rule and council: `households`, `changed` (households whose
    value differs), and one column per transition (`true->false`, ...; zero
    for rules that are not criteria)."""
    wanted = list(rules)
    bools = set(criteria(ruleset, wanted))
    aggs: list[pl.Expr] = [pl.len().alias("households")]
    for index, rule in enumerate(wanted):
        aggs.append((~pl.col(rule).eq_missing(pl.col(NEW + rule))).sum().alias(f"{index}|changed"))
        if rule not in bools:
            continue
        for before, after in TRANSITIONS:
            moved = _state(rule, before) & _state(NEW + rule, after)
            aggs.append(moved.sum().alias(f"{index}|{transition_name(before, after)}"))
    wide = _by_council(frame, council, aggs)
    rows = []
    for index, rule in enumerate(wanted):
        columns = [pl.col("council"), pl.col("households")]
        columns.append(pl.col(f"{index}|changed").alias("changed"))
        for before, after in TRANSITIONS:
            name = transition_name(before, after)
            found = f"{index}|{name}"
            value = pl.col(found) if found in wide.columns else pl.lit(0)
            columns.append(value.cast(pl.Int64).alias(name))
        rows.append(wide.select(pl.lit(rule).alias("rule"), *columns))
    if not rows:
        return pl.DataFrame(schema=_transition_schema())
    return pl.concat(rows, how="vertical_relaxed").cast(_transition_schema())


def _transition_schema() -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {
        "rule": pl.String(),
        "council": pl.String(),
        "households": pl.Int64(),
        "changed": pl.Int64(),
    }
    schema.update({transition_name(a, b): pl.Int64() for a, b in TRANSITIONS})
    return schema


def amount_totals(
    frame: pl.DataFrame,
    ruleset: CheckedRuleset,
    rules: Sequence[str],
    council: str | None,
    kinds: Sequence[T.Kind] = MONEY_KINDS,
) -> pl.DataFrame:
    """One row per amount rule (of the given kinds) and council: the totals of
    the known values `before` and `after`, `change`, and the households whose
    value is unknown in each version. Exact: money stays Decimal (pence),
    other numbers are summed as Decimals."""
    wanted = amounts(ruleset, rules, kinds)
    aggs: list[pl.Expr] = []
    for index, rule in enumerate(wanted):
        before, after = pl.col(rule), pl.col(NEW + rule)
        if ruleset.rules[rule].type.kind is not T.Kind.MONEY:
            before, after = before.cast(_MEASURE_DTYPE), after.cast(_MEASURE_DTYPE)
        aggs += [
            before.sum().alias(f"{index}|before"),
            after.sum().alias(f"{index}|after"),
            pl.col(rule).null_count().alias(f"{index}|unknown_before"),
            pl.col(NEW + rule).null_count().alias(f"{index}|unknown_after"),
        ]
    if not wanted:
        return pl.DataFrame(
            schema={"rule": pl.String(), "council": pl.String(), "kind": pl.String()}
        )
    wide = _by_council(frame, council, aggs)
    rows = []
    for index, rule in enumerate(wanted):
        kind = ruleset.rules[rule].type.kind.value
        rows.append(
            wide.select(
                pl.lit(rule).alias("rule"),
                pl.col("council"),
                pl.lit(kind).alias("kind"),
                pl.col(f"{index}|before").alias("before"),
                pl.col(f"{index}|after").alias("after"),
                (pl.col(f"{index}|after") - pl.col(f"{index}|before")).alias("change"),
                pl.col(f"{index}|unknown_before").cast(pl.Int64).alias("unknown_before"),
                pl.col(f"{index}|unknown_after").cast(pl.Int64).alias("unknown_after"),
            )
        )
    return pl.concat(rows, how="vertical_relaxed")
