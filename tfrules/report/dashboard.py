"""The programme dashboard: the figures the programme was judged by, per
council and in total, from the results of phase 1, phase 2 and DWP's
Families with Multiple Problems over the same households: what was counted,
what is due, what was claimed beyond what is due, which councils had a local
ruleset, and when a run date lies outside a programme's period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs
import polars as pl

from tfrules.data.councils import council_name
from tfrules.report.provenance import SourceRow, provenance_markdown

TOTAL = "All councils"
#: Short names of the programmes in column headings.
SHORT = {"phase1": "P1", "phase2": "P2", "dwp": "FMP"}
#: The column of a multi-council run that says which ruleset each household got.
APPLIED = "ruleset_applied"
NO_LOCAL = "none"

#: (section, column heading, programme, rule); a figure whose rule is absent is left out.
COUNTS = [
    ("Phase 1: identification", "households", None, None),
    ("Phase 1: identification", "identified", "phase1", "identified"),
    ("Phase 1: identification", "unknown", "phase1", "identified:unknown"),
    ("Phase 1: results", "attached", "phase1", "attached"),
    ("Phase 1: results", "turned around", "phase1", "turned_around"),
    ("Phase 1: results", "by education and crime", "phase1", "route:education_crime"),
    ("Phase 1: results", "by employment", "phase1", "route:employment"),
    ("Phase 1: results", "progress to work", "phase1", "progress_to_work"),
    ("Phase 2", "P2 identified", "phase2", "identified"),
    ("Phase 2", "P2 attached", "phase2", "attached"),
    ("Phase 2", "P2 significant progress", "phase2", "significant_progress"),
    ("DWP Families with Multiple Problems", "FMP eligible", "dwp", "eligible"),
    ("DWP Families with Multiple Problems", "FMP attached", "dwp", "attached"),
    ("DWP Families with Multiple Problems", "FMP job outcomes", "dwp", "job_outcome"),
    ("DWP Families with Multiple Problems", "eligible for both", None, "both:eligible"),
    ("DWP Families with Multiple Problems", "attached to both", None, "both:attached"),
]
MONEY = [
    ("Payments due: phase 1", "P1 attachment fees", "phase1", "attachment_fee"),
    ("Payments due: phase 1", "P1 results payments", "phase1", "results_payment"),
    ("Payments due: phase 1", "P1 still to pay", "phase1", "payment_due"),
    ("Payments due: phase 2", "P2 attachment fees", "phase2", "attachment_fee"),
    ("Payments due: phase 2", "P2 results payments", "phase2", "results_payment"),
    ("Payments due: phase 2", "P2 still to pay", "phase2", "payment_due"),
    ("Overclaims", "P1 overclaimed", "phase1", "overclaimed"),
    ("Overclaims", "P2 overclaimed", "phase2", "overclaimed"),
]
#: Counts shown beside the money of their section: families with an amount above £0.
FAMILIES = {
    "P1 overclaimed": "P1 families overclaimed",
    "P2 overclaimed": "P2 families overclaimed",
}


@attrs.frozen
class Dashboard:
    table: pl.DataFrame  # one row per council and one for the total; one column per figure
    sections: dict[str, list[str]]  # section -> its columns
    money: tuple[str, ...]  # the columns that hold amounts of money
    missing_tables: tuple[str, ...]
    rulesets: dict[str, str]  # programme -> ruleset name
    notes: tuple[str, ...] = ()  # printed after the tables
    #: programme -> its run date
    run_dates: dict[str, dt.date] = attrs.Factory(dict)
    #: plain sentences a reader must see first (a run date outside a programme's period)
    warnings: tuple[str, ...] = ()
    #: programme -> the councils (codes) that had no local ruleset, so its abstract rules
    #: (`local`) were unknown for their households
    without_local: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    #: The sources a mapping read, with who supplied them and when.
    sources: tuple[SourceRow, ...] = ()


def _true(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null(False).cast(pl.Int64).sum()


def build_dashboard(
    results: Mapping[str, pl.LazyFrame],
    rulesets: Mapping[str, str],
    missing_tables: tuple[str, ...] = (),
    *,
    run_dates: Mapping[str, dt.date] | None = None,
    warnings: tuple[str, ...] = (),
    needs_local: tuple[str, ...] = (),
    sources: tuple[SourceRow, ...] = (),
) -> Dashboard:
    """`results` maps "phase1", "phase2" and "dwp" to evaluation outputs
    (household_id, la_code and the rules); any of them may be left out.

    `needs_local` names the programmes whose national ruleset leaves rules to
    each council: the dashboard says, per council, which local ruleset it had
    (from the results' `ruleset_applied`), or that it had none."""
    key, council = "household_id", "la_code"
    joined: pl.LazyFrame | None = None
    present: dict[str, set[str]] = {}
    for programme, frame in results.items():
        names = frame.collect_schema().names()
        present[programme] = set(names)
        renamed = frame.select(
            [pl.col(key), pl.col(council)]
            + [pl.col(c).alias(f"{programme}.{c}") for c in names if c not in (key, council)]
        )
        joined = (
            renamed
            if joined is None
            else joined.join(renamed.drop(council), on=key, how="full", coalesce=True)
        )
    assert joined is not None

    def has(programme: str | None, rule: str) -> bool:
        return programme is not None and rule in present.get(programme, set())

    aggregations: list[pl.Expr] = []
    sections: dict[str, list[str]] = {}
    for section, label, programme, rule in COUNTS:
        expr: pl.Expr | None = None
        if rule is None:
            expr = pl.len().cast(pl.Int64)
        elif rule == "identified:unknown" and has(programme, "identified"):
            expr = pl.col(f"{programme}.identified").is_null().cast(pl.Int64).sum()
        elif rule == "route:education_crime" and has("phase1", "turned_around"):
            expr = _true(
                pl.col("phase1.turned_around")
                & pl.col("phase1.education_result")
                & pl.col("phase1.crime_asb_result")
            )
        elif rule == "route:employment" and has("phase1", "turned_around"):
            expr = _true(pl.col("phase1.turned_around") & pl.col("phase1.employment_result"))
        elif rule == "both:eligible" and has("phase1", "identified") and has("dwp", "eligible"):
            expr = _true(pl.col("phase1.identified") & pl.col("dwp.eligible"))
        elif rule == "both:attached" and has("phase1", "attached") and has("dwp", "attached"):
            expr = _true(pl.col("phase1.attached") & pl.col("dwp.attached"))
        elif programme is not None and has(programme, rule):
            expr = _true(pl.col(f"{programme}.{rule}"))
        if expr is not None:
            aggregations.append(expr.alias(label))
            sections.setdefault(section, []).append(label)
    money: list[str] = []
    for section, label, programme, rule in MONEY:
        if has(programme, rule):
            amount = pl.col(f"{programme}.{rule}")
            if label in FAMILIES:
                families = (amount > 0).fill_null(False).cast(pl.Int64).sum()
                aggregations.append(families.alias(FAMILIES[label]))
                sections.setdefault(section, []).append(FAMILIES[label])
            aggregations.append(amount.sum().alias(label))
            sections.setdefault(section, []).append(label)
            money.append(label)
    # per council, the local ruleset its households got (none: the national one alone)
    local_columns = {p: f"{SHORT.get(p, p)} local ruleset" for p in needs_local if p in present}
    local_aggregations: list[pl.Expr] = []
    for programme, label in local_columns.items():
        local = pl.lit(None, pl.String)
        if has(programme, APPLIED):
            applied = pl.col(f"{programme}.{APPLIED}")
            local = applied.filter(applied != rulesets[programme]).first()
        local_aggregations.append(local.alias(label))
        sections.setdefault("Local rulesets", []).append(label)
    by_council = (
        joined.group_by(council).agg(aggregations + local_aggregations).sort(council).collect()
    )
    without_local = {
        p: tuple(by_council.filter(pl.col(label).is_null())[council].to_list())
        for p, label in local_columns.items()
    }
    by_council = by_council.with_columns(
        pl.col(label).fill_null(NO_LOCAL) for label in local_columns.values()
    )
    councils = by_council.height
    total = (
        joined.select(aggregations)
        .with_columns(pl.lit(TOTAL).alias(council))
        .collect()
        .with_columns(
            pl.lit(f"{councils - len(without_local[p]):,} of {councils:,} councils").alias(label)
            for p, label in local_columns.items()
        )
    )
    table = pl.concat([by_council, total], how="diagonal")
    names = {c: _council_name(c) for c in table[council].to_list()}
    table = table.with_columns(
        pl.col(council).replace_strict(names, return_dtype=pl.String).alias("council")
    ).select(["council", *(c for cols in sections.values() for c in cols)])
    return Dashboard(
        table,
        sections,
        tuple(money),
        tuple(missing_tables),
        dict(rulesets),
        (),
        dict(run_dates or {}),
        tuple(warnings),
        without_local,
        tuple(sources),
    )


def _council_name(code: str) -> str:
    return TOTAL if code == TOTAL else council_name(code)


def money_text(value: object) -> str:
    """£1,447,200, or £1,447,200.50 when there are pence; -£750 below zero."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value or 0))
    text = f"{'-' if amount < 0 else ''}£{abs(amount):,.2f}"
    return text[:-3] if text.endswith(".00") else text


def cell(dashboard: Dashboard, column: str, value: object) -> str:
    if value is None:
        return "unknown"
    if column in dashboard.money:
        return money_text(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def without_local_text(dashboard: Dashboard, programme: str) -> str | None:
    """Which councils had no local ruleset for a programme, in plain words."""
    councils = dashboard.without_local.get(programme)
    if not councils:
        return None
    names = ", ".join(council_name(c) for c in councils)
    return (
        f"{dashboard.rulesets[programme]}: no local ruleset for {len(councils)} council(s), so "
        f"the rules each council sets were unknown for their households: {names}"
    )


def to_csv(dashboard: Dashboard) -> str:
    """The dashboard's table as CSV, with each programme's run date (and, for
    one outside the programme's period, a warning) in columns of its own: a
    spreadsheet has no place above the table for them."""
    table = dashboard.table
    for programme, day in dashboard.run_dates.items():
        ruleset = dashboard.rulesets.get(programme, programme)
        outside = [w for w in dashboard.warnings if w.startswith(f"{ruleset} ")]
        text = f"{day} (outside the programme's period)" if outside else str(day)
        table = table.with_columns(pl.lit(text).alias(f"{SHORT.get(programme, programme)} as of"))
    return table.write_csv()


def to_markdown(dashboard: Dashboard) -> str:
    lines = ["# Programme dashboard", ""]
    lines += [f"**Warning:** {w}" for w in dashboard.warnings]
    if dashboard.warnings:
        lines.append("")
    for programme, ruleset in dashboard.rulesets.items():
        day = dashboard.run_dates.get(programme)
        lines.append(f"- {programme}: `{ruleset}`" + (f", as of {day}" if day else ""))
    for programme in dashboard.rulesets:
        text = without_local_text(dashboard, programme)
        if text:
            lines.append(f"- {text}")
    if dashboard.missing_tables:
        lines.append(
            "- tables not supplied (facts drawn from them are unknown): "
            + ", ".join(dashboard.missing_tables)
        )
    for section, columns in dashboard.sections.items():
        lines += ["", f"## {section}", ""]
        lines.append("| council | " + " | ".join(columns) + " |")
        lines.append("|---|" + "|".join("---:" for _ in columns) + "|")
        for row in dashboard.table.iter_rows(named=True):
            values = [cell(dashboard, c, row[c]) for c in columns]
            lines.append(f"| {row['council']} | " + " | ".join(values) + " |")
    if dashboard.notes:
        lines += ["", *(f"- {note}" for note in dashboard.notes)]
    lines += provenance_markdown(dashboard.sources)
    return "\n".join(lines) + "\n"
