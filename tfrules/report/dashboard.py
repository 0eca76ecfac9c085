"""The programme dashboard: the figures the programme was judged by, per
council and in total, from the results of phase 1, phase 2 and DWP's
Families with Multiple Problems over the same households.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs
import polars as pl

from tfrules.data.councils import council_name
from tfrules.report.provenance import SourceRow, provenance_markdown

TOTAL = "All councils"

#: (section, column heading, programme, rule); a figure whose rule is absent is left out.
COUNTS = [
    ("Phase 1", "households", None, None),
    ("Phase 1", "identified", "phase1", "identified"),
    ("Phase 1", "unknown", "phase1", "identified:unknown"),
    ("Phase 1", "attached", "phase1", "attached"),
    ("Phase 1", "turned around", "phase1", "turned_around"),
    ("Phase 1", "by education+crime", "phase1", "route:education_crime"),
    ("Phase 1", "by employment", "phase1", "route:employment"),
    ("Phase 1", "progress to work", "phase1", "progress_to_work"),
    ("Phase 2 and DWP", "P2 identified", "phase2", "identified"),
    ("Phase 2 and DWP", "P2 significant progress", "phase2", "significant_progress"),
    ("Phase 2 and DWP", "FMP eligible", "dwp", "eligible"),
    ("Phase 2 and DWP", "FMP attached", "dwp", "attached"),
    ("Phase 2 and DWP", "FMP job outcomes", "dwp", "job_outcome"),
    ("Phase 2 and DWP", "eligible for both", None, "both:eligible"),
    ("Phase 2 and DWP", "attached to both", None, "both:attached"),
]
MONEY = [
    ("Payments due", "P1 attachment fees", "phase1", "attachment_fee"),
    ("Payments due", "P1 results payments", "phase1", "results_payment"),
    ("Payments due", "P1 still to pay", "phase1", "payment_due"),
    ("Payments due", "P2 attachment fees", "phase2", "attachment_fee"),
    ("Payments due", "P2 results payments", "phase2", "results_payment"),
]


@attrs.frozen
class Dashboard:
    table: pl.DataFrame  # one row per council and one for the total; one column per figure
    sections: dict[str, list[str]]  # section -> its columns
    money: tuple[str, ...]  # the columns that hold amounts of money
    missing_tables: tuple[str, ...]
    rulesets: dict[str, str]  # programme -> ruleset name
    #: The sources a mapping read, with who supplied them and when.
    sources: tuple[SourceRow, ...] = ()


def _true(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null(False).cast(pl.Int64).sum()


def build_dashboard(
    results: Mapping[str, pl.LazyFrame],
    rulesets: Mapping[str, str],
    missing_tables: tuple[str, ...] = (),
    sources: tuple[SourceRow, ...] = (),
) -> Dashboard:
    """`results` maps "phase1", "phase2" and "dwp" to evaluation outputs
    (household_id, la_code and the rules); any of them may be left out."""
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
            aggregations.append(pl.col(f"{programme}.{rule}").sum().alias(label))
            sections.setdefault(section, []).append(label)
            money.append(label)
    by_council = joined.group_by(council).agg(aggregations).sort(council)
    total = joined.select(aggregations).with_columns(pl.lit(TOTAL).alias(council))
    table = pl.concat([by_council.collect(), total.collect()], how="diagonal")
    names = {c: _council_name(c) for c in table[council].to_list()}
    table = table.with_columns(
        pl.col(council).replace_strict(names, return_dtype=pl.String).alias("council")
    ).select(["council", *(c for cols in sections.values() for c in cols)])
    return Dashboard(
        table, sections, tuple(money), tuple(missing_tables), dict(rulesets), tuple(sources)
    )


def _council_name(code: str) -> str:
    return TOTAL if code == TOTAL else council_name(code)


def money_text(value: object) -> str:
    """£1,447,200, or £1,447,200.50 when there are pence."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value or 0))
    text = f"£{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def cell(dashboard: Dashboard, column: str, value: object) -> str:
    if column in dashboard.money:
        return money_text(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def to_markdown(dashboard: Dashboard) -> str:
    lines = ["# Programme dashboard", ""]
    lines += [f"- {p}: `{r}`" for p, r in dashboard.rulesets.items()]
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
    lines += provenance_markdown(dashboard.sources)
    return "\n".join(lines) + "\n"
