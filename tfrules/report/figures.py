"""The figures of the dashboard web page, each a small table computed with
Polars from the programmes' results: variation between councils, the funnel,
unknowns by the data gap that caused them, the overlap with DWP's scheme,
money, and attachments and results by quarter. Councils are named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs
import polars as pl

from tfrules.data.councils import council_name
from tfrules.report.terminal import short_council

COUNCIL = "council"
AVERAGE = "programme average"


@attrs.frozen
class FigureData:
    key: str
    title: str
    description: str
    frame: pl.DataFrame  # long form, for the chart (and the table, unless `table` is given)
    #: the figures under the chart, when a wide table reads better than the long form
    table: pl.DataFrame | None = None

    @property
    def figures(self) -> pl.DataFrame:
        return self.frame if self.table is None else self.table


def _named(frame: pl.DataFrame, council_column: str) -> pl.DataFrame:
    codes = frame[council_column].unique().to_list()
    names = {c: short_council(council_name(c)) for c in codes}
    return frame.with_columns(
        pl.col(council_column).replace_strict(names, return_dtype=pl.String).alias(COUNCIL)
    )


def _count(rule: str) -> pl.Expr:
    return pl.col(rule).fill_null(False).cast(pl.Int64).sum()


def variation(phase1: pl.DataFrame, council_column: str) -> FigureData:
    """Rates per council, and the programme's: identified and attached (of all
    households), turned around and each route (of the families attached)."""
    figures = [
        pl.len().alias("households"),
        _count("identified").alias("identified"),
        _count("attached").alias("attached"),
        _count("turned_around").alias("turned around"),
        (_count_route("education_crime")).alias("by education and crime"),
        (_count_route("employment")).alias("by employment"),
    ]
    per = phase1.group_by(council_column).agg(figures)
    total = phase1.select(figures).with_columns(pl.lit(AVERAGE).alias(council_column))
    both = pl.concat(
        [_named(per, council_column), total.with_columns(pl.lit(AVERAGE).alias(COUNCIL))],
        how="diagonal",
    ).sort(pl.col(COUNCIL) == AVERAGE, COUNCIL)
    rates = []
    for measure, base in (
        ("identified", "households"),
        ("attached", "households"),
        ("turned around", "attached"),
        ("by education and crime", "attached"),
        ("by employment", "attached"),
    ):
        rates.append(
            both.select(
                COUNCIL,
                pl.lit(f"{measure} (of {base})").alias("measure"),
                pl.col(measure).cast(pl.Int64).alias("families"),
                pl.col(base).cast(pl.Int64).alias("out of"),
                (pl.col(measure) / pl.col(base).replace(0, None) * 100).round(1).alias("rate %"),
            )
        )
    frame = pl.concat(rates)  # in the order above: identified, attached, turned around, routes
    return FigureData(
        "variation",
        "Variation between councils",
        "Each council's rate against the programme average (the black line): identified and "
        "attached as a share of households, turned around and each route as a share of the "
        "families attached.",
        frame,
    )


def _count_route(route: str) -> pl.Expr:
    turned = pl.col("turned_around").fill_null(False)
    if route == "employment":
        chosen = turned & pl.col("employment_result").fill_null(False)
    else:
        chosen = (
            turned
            & pl.col("education_result").fill_null(False)
            & pl.col("crime_asb_result").fill_null(False)
        )
    return chosen.cast(pl.Int64).sum()


def funnel(phase1: pl.DataFrame, council_column: str) -> FigureData:
    """Identified -> attached -> turned around -> paid for results, per council."""
    paid = (pl.col("results_payment").fill_null(0) > 0).cast(pl.Int64).sum()
    stages = [
        ("1 identified", _count("identified")),
        ("2 attached", _count("attached")),
        ("3 turned around", _count("turned_around")),
        ("4 results paid or due", paid),
    ]
    per = phase1.group_by(council_column).agg(e.cast(pl.Int64).alias(s) for s, e in stages)
    per = _named(per, council_column)
    frame = per.unpivot(
        index=COUNCIL, on=[s for s, _ in stages], variable_name="stage", value_name="families"
    ).sort(COUNCIL, "stage")
    return FigureData(
        "funnel",
        "From identification to payment",
        "Per council, the families identified, attached, turned around, and with a results "
        "payment earned (paid or still due).",
        frame,
    )


def unknowns(causes: pl.DataFrame, council_column: str) -> FigureData:
    """Families whose identification is unknown, by the data gap that caused it."""
    exploded = causes.explode("causes").drop_nulls("causes")
    per = exploded.group_by(council_column, "causes").agg(pl.len().cast(pl.Int64).alias("families"))
    frame = (
        _named(per, council_column)
        .select(COUNCIL, pl.col("causes").alias("missing data"), "families")
        .sort(COUNCIL, "missing data")
    )
    return FigureData(
        "unknowns",
        "Unknown identification, by the data that is missing",
        "Families whose phase 1 identification is unknown, by what is missing: a table not "
        "supplied, a council without local rules, or records the rules call incomplete (school "
        "attendance not returned for every term, as academies need not). A family can have "
        "more than one cause.",
        frame,
    )


def overlap(phase1: pl.DataFrame, dwp: pl.DataFrame, key: str, council_column: str) -> FigureData:
    """Troubled Families and DWP Families with Multiple Problems over the same households."""
    joined = phase1.select(key, council_column, "identified", pl.col("attached")).join(
        dwp.select(key, pl.col("eligible"), pl.col("attached").alias("fmp_attached")), on=key
    )
    tf, fmp = pl.col("identified").fill_null(False), pl.col("eligible").fill_null(False)
    tfa, fmpa = pl.col("attached").fill_null(False), pl.col("fmp_attached").fill_null(False)
    groups = [
        ("identified", "Troubled Families only", tf & ~fmp),
        ("identified", "both", tf & fmp),
        ("identified", "DWP FMP only", ~tf & fmp),
        ("attached", "Troubled Families only", tfa & ~fmpa),
        ("attached", "both", tfa & fmpa),
        ("attached", "DWP FMP only", ~tfa & fmpa),
    ]
    parts = [
        joined.group_by(council_column).agg(
            pl.lit(what).alias("families who are"),
            pl.lit(scheme).alias("scheme"),
            chosen.cast(pl.Int64).sum().alias("families"),
        )
        for what, scheme, chosen in groups
    ]
    frame = _named(pl.concat(parts), council_column).select(
        COUNCIL, "families who are", "scheme", "families"
    )
    return FigureData(
        "overlap",
        "Troubled Families and DWP Families with Multiple Problems",
        "The same households under both schemes: identified by Troubled Families (phase 1) "
        "and eligible for DWP's scheme, and attached to each.",
        frame.sort(COUNCIL, "families who are", "scheme"),
    )


def money(results: Mapping[str, pl.DataFrame], council_column: str) -> FigureData:
    """Fees, results payments, still to pay and overclaims, per council and programme."""
    items = [
        ("phase1", "phase 1", "attachment fees", "attachment_fee"),
        ("phase1", "phase 1", "results payments", "results_payment"),
        ("phase1", "phase 1", "still to pay", "payment_due"),
        ("phase1", "phase 1", "overclaimed", "overclaimed"),
        ("phase2", "phase 2", "attachment fees", "attachment_fee"),
        ("phase2", "phase 2", "results payments", "results_payment"),
        ("phase2", "phase 2", "still to pay", "payment_due"),
        ("phase2", "phase 2", "overclaimed", "overclaimed"),
    ]
    parts = []
    for programme, label, what, rule in items:
        frame = results.get(programme)
        if frame is None or rule not in frame.columns:
            continue
        parts.append(
            frame.group_by(council_column).agg(
                pl.lit(label).alias("programme"),
                pl.lit(what).alias("amount of"),
                pl.col(rule).sum().alias("amount"),
            )
        )
    frame = _named(pl.concat(parts), council_column).select(
        COUNCIL, "programme", "amount of", "amount"
    )
    return FigureData(
        "money",
        "Money, per council",
        "Attachment fees and results payments the rules say are due, what is still to pay, "
        "and what was claimed beyond what is due (to be repaid).",
        frame.sort(COUNCIL, "programme", "amount of"),
    )


def by_quarter(households: pl.DataFrame, claims: pl.DataFrame | None, as_of: dt.date) -> FigureData:
    """Families attached, and results claimed, in each quarter up to the run date."""

    def quarter(column: str) -> pl.Expr:
        return pl.format("{} Q{}", pl.col(column).dt.year(), pl.col(column).dt.quarter()).alias(
            "quarter"
        )

    attached = (
        households.filter(pl.col("attached_on") <= as_of)
        .group_by(quarter("attached_on"))
        .agg(pl.len().cast(pl.Int64).alias("families"))
        .with_columns(pl.lit("attached").alias("series"))
    )
    parts = [attached]
    if claims is not None and claims.height:
        results = (
            claims.filter((pl.col("claim") != "attachment") & (pl.col("claimed_on") <= as_of))
            .group_by(quarter("claimed_on"))
            .agg(pl.col("household_id").n_unique().cast(pl.Int64).alias("families"))
            .with_columns(pl.lit("results claimed").alias("series"))
        )
        parts.append(results)
    frame = pl.concat(parts).select("quarter", "series", "families").sort("quarter", "series")
    return FigureData(
        "quarters",
        "Attachments and results by quarter",
        "Families attached in each quarter (from the households' attachment dates), and "
        "families with a results claim in each quarter (from the claims ledger).",
        frame,
    )


def _councils_named(table: pl.DataFrame) -> pl.DataFrame:
    names = {n: short_council(n) for n in table[COUNCIL].to_list()}
    return table.with_columns(pl.col(COUNCIL).replace_strict(names, return_dtype=pl.String))


def savings(table: pl.DataFrame, summary: list[str], money: tuple[str, ...]) -> FigureData:
    """Cost savings per council (from the dashboard's savings section): the
    amounts of its summary charted, an unknown one left unknown, never £0; the
    table under it has the whole summary (families counted and not, savings
    per £1 of intervention) and the total of all councils."""
    amounts = [c for c in summary if c in money]
    named = _councils_named(table)
    councils = named.filter(pl.col(COUNCIL) != "All councils")
    frame = councils.unpivot(
        index=COUNCIL, on=amounts, variable_name="amount of", value_name="amount"
    ).with_columns(pl.col("amount").cast(pl.Decimal(38, 2)))
    return FigureData(
        "savings",
        "Cost savings of the families attached, per council",
        "Gross and net savings to the public services (police and justice, social care, "
        "education, benefits, housing, health) of the families counted, against the cost of "
        "intervention; a figure that cannot be known from the data is shown as unknown.",
        frame.sort(COUNCIL, "amount of"),
        table=named.select(COUNCIL, *summary),
    )


def savings_by_agency(table: pl.DataFrame, net: list[str]) -> FigureData:
    """Net savings per council by the agency that saves them (less deadweight)."""
    named = _councils_named(table)
    councils = named.filter(pl.col(COUNCIL) != "All councils")
    frame = councils.unpivot(
        index=COUNCIL, on=net, variable_name="agency", value_name="amount"
    ).with_columns(
        pl.col("agency").str.strip_suffix(" net"),
        pl.col("amount").cast(pl.Decimal(38, 2)),
    )
    return FigureData(
        "savings_by_agency",
        "Net savings by agency, per council",
        "Which public services save, per council: each agency's saving on the families "
        "counted, less the share that would have happened anyway (deadweight); a saving "
        "that cannot be known from the data is shown as unknown.",
        frame.sort(COUNCIL, "agency"),
        table=named.select(COUNCIL, *net),
    )
