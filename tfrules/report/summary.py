"""The summary of an evaluation: per criterion how many households are true,
false and unknown; per money measure the total of the known amounts and how
many households' amount is unknown (never counted as £0); overall and by council."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import polars as pl

from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset

#: Rules aggregated per pass over the results: thousands of aggregations in one
#: group_by take memory out of proportion to the data (2,000 rules over 200
#: households took 730 MB at once, 130 MB in batches).
RULES_PER_BATCH = 64


@attrs.frozen
class Summary:
    criteria: pl.DataFrame  # group, rule, true, false, unknown
    money: pl.DataFrame  # group, rule, total (of the known amounts), unknown (households)
    households: int


def summarise(result: pl.LazyFrame, ruleset: CheckedRuleset, rules: Sequence[str]) -> Summary:
    """Counts and totals, computed lazily over an evaluation's output."""
    criteria = [r for r in rules if ruleset.rules[r].type.kind is T.Kind.BOOL]
    money = [r for r in rules if ruleset.rules[r].type.kind is T.Kind.MONEY]
    names = result.collect_schema().names()
    council = ruleset.schema.council_column
    frames = [result.with_columns(pl.lit("all councils").alias("group"))]
    if council is not None and council in names:
        frames.append(result.with_columns(pl.col(council).alias("group")))
    combined = pl.concat(frames, how="diagonal")
    wide = _aggregate_in_batches(combined, criteria, money)
    order = ["all councils", *sorted(g for g in wide["group"].to_list() if g != "all councils")]
    wide = wide.with_columns(
        pl.col("group").replace_strict(order, list(range(len(order)))).alias("__o")
    )
    wide = wide.sort("__o").drop("__o")
    criteria_rows = [
        {
            "group": row["group"],
            "rule": rule,
            "true": row[f"{rule}\x00true"],
            "false": row[f"{rule}\x00false"],
            "unknown": row[f"{rule}\x00unknown"],
        }
        for row in wide.iter_rows(named=True)
        for rule in criteria
    ]
    money_rows = [
        {
            "group": row["group"],
            "rule": rule,
            "total": row[f"{rule}\x00total"],
            "unknown": row[f"{rule}\x00unknown"],
        }
        for row in wide.iter_rows(named=True)
        for rule in money
    ]
    total = wide.filter(pl.col("group") == "all councils")["__households"]
    return Summary(
        pl.DataFrame(
            criteria_rows,
            schema={
                "group": pl.String,
                "rule": pl.String,
                "true": pl.Int64,
                "false": pl.Int64,
                "unknown": pl.Int64,
            },
        ),
        pl.DataFrame(
            money_rows,
            schema={
                "group": pl.String,
                "rule": pl.String,
                "total": pl.Decimal(38, 2),
                "unknown": pl.Int64,
            },
        ),
        int(total[0]) if len(total) else 0,
    )


def _aggregate_in_batches(
    combined: pl.LazyFrame, criteria: Sequence[str], money: Sequence[str]
) -> pl.DataFrame:
    """One row per group: the households, and per criterion its true, false and
    unknown counts, per money rule the total of its known amounts and how many
    are unknown; a batch of rules at a time."""
    aggregations: list[list[pl.Expr]] = []
    for rule in criteria:
        aggregations.append(
            [
                pl.col(rule).sum().cast(pl.Int64).alias(f"{rule}\x00true"),
                (~pl.col(rule)).sum().cast(pl.Int64).alias(f"{rule}\x00false"),
                pl.col(rule).null_count().cast(pl.Int64).alias(f"{rule}\x00unknown"),
            ]
        )
    aggregations.extend(
        [
            pl.col(rule).sum().alias(f"{rule}\x00total"),
            pl.col(rule).null_count().cast(pl.Int64).alias(f"{rule}\x00unknown"),
        ]
        for rule in money
    )
    wide: pl.DataFrame | None = None
    for start in range(0, max(len(aggregations), 1), RULES_PER_BATCH):
        batch = [e for rule in aggregations[start : start + RULES_PER_BATCH] for e in rule]
        if wide is None:
            batch.insert(0, pl.len().alias("__households"))
        part = combined.group_by("group").agg(batch).collect()
        wide = part if wide is None else wide.join(part, on="group", how="left")
    assert wide is not None
    return wide
