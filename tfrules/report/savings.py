"""The cost savings figures of the programme dashboard: per council and in
total, from the results of `national.cost_savings` (or a council's ruleset
built on it): families attached and counted, gross and net savings, savings
by agency, the cost of intervention and the ratio of savings to it.

Every sum is over the families counted: attached, followed up long enough,
every service they used priced and every table it needs supplied. A family
whose saving is unknown is counted apart, never as a saving of £0; a net
figure is unknown when any counted family's is (no deadweight set). The
ratios are exact decimals, worked out on the few totals, never on floats.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import attrs
import polars as pl

from tfrules.data.councils import council_name
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.dashboard import TOTAL, Dashboard

#: (column prefix in the ruleset, heading)
AGENCIES: tuple[tuple[str, str], ...] = (
    ("police_justice", "police and justice"),
    ("childrens_social_care", "children's social care"),
    ("education", "education"),
    ("dwp_benefits", "DWP benefits"),
    ("housing", "housing"),
    ("health", "health"),
)

SUMMARY = "Cost savings"
BY_AGENCY_GROSS = "Gross savings by agency"
BY_AGENCY_NET = "Net savings by agency (less deadweight)"

#: Parameters of the calculator that are not prices.
METHOD_PARAMETERS = frozenset(
    {"comparison_window", "terms_compared", "shortest_follow_up", "youth_age"}
)

_CENT = Decimal("0.01")


@attrs.frozen
class Savings:
    table: pl.DataFrame  # "council" (its name) and one column per figure; the total last
    sections: dict[str, list[str]]  # section -> its columns
    money: tuple[str, ...]  # the columns that hold amounts of money
    notes: tuple[str, ...]  # what a reader must know to read the figures


def _sum_or_unknown(column: str) -> pl.Expr:
    """The total of a column, or unknown (null) if any value in it is unknown."""
    return (
        pl.when(pl.col(column).is_null().any())
        .then(pl.lit(None))
        .otherwise(pl.col(column).sum())
        .cast(pl.Decimal(38, 2))
    )


def _ratio(saving: Decimal | None, cost: Decimal | None) -> Decimal | None:
    """Savings per £1 of intervention, to the penny; unknown without both."""
    if saving is None or cost is None or cost == 0:
        return None
    return (saving / cost).quantize(_CENT, rounding=ROUND_HALF_EVEN)


def build_savings(result: pl.LazyFrame, ruleset: CheckedRuleset) -> Savings:
    """The figures from a `national.cost_savings` evaluation (one row per
    household, with the council column and the calculator's rules)."""
    council = ruleset.schema.council_column
    if council is None:
        raise ValueError(f"{ruleset.schema.name}: the schema names no council column")
    gross = {a: f"{label} gross" for a, label in AGENCIES}
    net = {a: f"{label} net" for a, label in AGENCIES}
    counted = result.filter(pl.col("counted").fill_null(False))
    money_sums = [
        _sum_or_unknown("gross_saving").alias("gross saving"),
        _sum_or_unknown("net_saving").alias("net saving"),
        _sum_or_unknown("intervention_cost").alias("intervention cost"),
        *(_sum_or_unknown(f"{a}_gross_saving").alias(gross[a]) for a, _ in AGENCIES),
        *(_sum_or_unknown(f"{a}_net_saving").alias(net[a]) for a, _ in AGENCIES),
    ]
    family_counts = [
        pl.col("attached").fill_null(False).sum().cast(pl.Int64).alias("families attached"),
        (pl.col("attached").fill_null(False) & ~pl.col("counted").fill_null(False))
        .sum()
        .cast(pl.Int64)
        .alias("not counted"),
    ]
    families = pl.concat(
        [
            result.group_by(council).agg(family_counts),
            result.select(family_counts).with_columns(pl.lit(TOTAL).alias(council)),
        ],
        how="diagonal",
    )
    sums = pl.concat(
        [
            counted.group_by(council).agg(
                pl.len().cast(pl.Int64).alias("families counted"), *money_sums
            ),
            counted.select(
                pl.len().cast(pl.Int64).alias("families counted"), *money_sums
            ).with_columns(pl.lit(TOTAL).alias(council)),
        ],
        how="diagonal",
    )
    money = ("gross saving", "net saving", "intervention cost", *gross.values(), *net.values())
    none_counted = pl.col("families counted") == 0
    table = (
        families.join(sums, on=council, how="left")
        .with_columns(pl.col("families counted").fill_null(0))
        .with_columns(  # a council with no family counted has saved £0 so far
            pl.when(none_counted).then(Decimal(0)).otherwise(pl.col(c)).alias(c) for c in money
        )
        .collect()
    )
    table = _with_ratios(table)
    codes = table[council].to_list()
    order = [*sorted(c for c in codes if c != TOTAL), TOTAL]
    names = {c: TOTAL if c == TOTAL else council_name(c) for c in codes}
    table = (
        table.with_columns(
            pl.col(council).replace_strict(order, list(range(len(order)))).alias("__o")
        )
        .sort("__o")
        .drop("__o")
        .with_columns(
            pl.col(council).replace_strict(names, return_dtype=pl.String).alias("council")
        )
    )
    summary = [
        "families attached",
        "families counted",
        "not counted",
        "gross saving",
        "net saving",
        "intervention cost",
        "gross per £1",
        "net per £1",
    ]
    sections = {
        SUMMARY: summary,
        BY_AGENCY_GROSS: list(gross.values()),
        BY_AGENCY_NET: list(net.values()),
    }
    columns = [c for cols in sections.values() for c in cols]
    return Savings(table.select(["council", *columns]), sections, money, _notes(ruleset))


def _with_ratios(table: pl.DataFrame) -> pl.DataFrame:
    rows = table.select("gross saving", "net saving", "intervention cost").iter_rows()
    gross, net = [], []
    for gross_saving, net_saving, cost in rows:
        gross.append(_ratio(gross_saving, cost))
        net.append(_ratio(net_saving, cost))
    return table.with_columns(
        pl.Series("gross per £1", gross, dtype=pl.Decimal(38, 2)),
        pl.Series("net per £1", net, dtype=pl.Decimal(38, 2)),
    )


def unset_unit_costs(ruleset: CheckedRuleset) -> list[str]:
    """The calculator's prices (and deadweight) that have no value, in the
    national ruleset or a council's built on it."""
    return [
        name
        for name, info in ruleset.params.items()
        if name not in METHOD_PARAMETERS and info.value is None
    ]


def _notes(ruleset: CheckedRuleset) -> tuple[str, ...]:
    notes = [
        "Savings are summed over the families counted: attached, followed up for long "
        "enough, every service they used priced and every table supplied. "
        "'per £1' is the saving for each £1 of intervention."
    ]
    unset = unset_unit_costs(ruleset)
    if "deadweight" in unset:
        notes.append(
            f"{ruleset.name} sets no deadweight, so net savings are unknown except for "
            "councils whose own ruleset sets one (see docs/cost-savings.md)."
        )
    prices = [name for name in unset if name != "deadweight"]
    if prices:
        notes.append(
            f"{ruleset.name} has no figure for these unit costs; a family that used one "
            "of these services is counted only where its council's ruleset sets the cost: "
            + ", ".join(prices)
            + "."
        )
    return tuple(notes)


def add_savings(dashboard: Dashboard, savings: Savings) -> Dashboard:
    """The dashboard with the savings sections, columns and notes added (its
    councils joined by name)."""
    table = dashboard.table.join(savings.table, on="council", how="left", maintain_order="left")
    return attrs.evolve(
        dashboard,
        table=table,
        sections={**dashboard.sections, **savings.sections},
        money=(*dashboard.money, *savings.money),
        notes=(*dashboard.notes, *savings.notes),
    )
