"""The summary of an evaluation: per criterion how many households are true,
false and unknown; per money measure the total; overall and by council."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import polars as pl

from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset

BY = "la_code"


@attrs.frozen
class Summary:
    criteria: pl.DataFrame  # group, rule, true, false, unknown
    money: pl.DataFrame  # group, rule, total
    households: int


def summarise(result: pl.LazyFrame, ruleset: CheckedRuleset, rules: Sequence[str]) -> Summary:
    """Counts and totals, computed lazily over an evaluation's output."""
    criteria = [r for r in rules if ruleset.rules[r].type.kind is T.Kind.BOOL]
    money = [r for r in rules if ruleset.rules[r].type.kind is T.Kind.MONEY]
    names = result.collect_schema().names()
    groups: list[pl.Expr] = [pl.lit("all councils").alias("group")]
    frames = [result.with_columns(groups)]
    if BY in names:
        frames.append(result.with_columns(pl.col(BY).alias("group")))
    combined = pl.concat(frames, how="diagonal")
    aggregations: list[pl.Expr] = [pl.len().alias("__households")]
    for rule in criteria:
        aggregations += [
            pl.col(rule).sum().cast(pl.Int64).alias(f"{rule}\x00true"),
            (~pl.col(rule)).sum().cast(pl.Int64).alias(f"{rule}\x00false"),
            pl.col(rule).null_count().cast(pl.Int64).alias(f"{rule}\x00unknown"),
        ]
    for rule in money:
        aggregations.append(pl.col(rule).sum().alias(f"{rule}\x00total"))
    wide = combined.group_by("group").agg(aggregations).collect()
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
        {"group": row["group"], "rule": rule, "total": row[f"{rule}\x00total"]}
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
            money_rows, schema={"group": pl.String, "rule": pl.String, "total": pl.Decimal(38, 2)}
        ),
        int(total[0]) if len(total) else 0,
    )
