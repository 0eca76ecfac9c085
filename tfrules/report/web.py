"""The dashboard web page from a report's results: its figures, then the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from tfrules.claims.ledger import MONEY, cap_amount
from tfrules.claims.schemes import SchemeError, scheme_for
from tfrules.data.load import Dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report import figures
from tfrules.report.gaps import identification_gaps
from tfrules.report.html_dashboard import render_page
from tfrules.report.provenance import SourceRow, provenance_rows
from tfrules.report.savings import BY_AGENCY_NET, SUMMARY, build_savings


def with_overclaims(frame: pl.DataFrame, ruleset: CheckedRuleset, as_of: dt.date) -> pl.DataFrame:
    """The results with `overclaimed` (claimed beyond what is now due, capped as the
    programme caps it) when the ruleset does not state it itself."""
    if "overclaimed" in frame.columns:
        return frame
    try:
        scheme = scheme_for(ruleset)
    except SchemeError:
        return frame
    if scheme.already_claimed not in frame.columns:
        return frame
    due = pl.sum_horizontal(*(pl.col(m) for m in scheme.measures))
    cap = cap_amount(ruleset, scheme, as_of)
    if cap is not None:
        due = pl.min_horizontal(due, pl.lit(cap, dtype=MONEY))
    zero = pl.lit(0, dtype=MONEY)
    return frame.with_columns(
        pl.max_horizontal(pl.col(scheme.already_claimed) - due, zero).alias("overclaimed")
    )


def dashboard_page(
    results: Mapping[str, pl.DataFrame],
    nationals: Mapping[str, CheckedRuleset],
    locals_: Mapping[str, Sequence[CheckedRuleset]],
    dataset: Dataset,
    as_of: dt.date,
) -> str:
    """The page for the programmes' results (`phase1`, `phase2`, `dwp`; phase 1 is needed)."""
    results = {p: with_overclaims(f, nationals[p], as_of) for p, f in results.items()}
    national = nationals["phase1"]
    schema = national.schema
    key = schema.households.key or "household_id"
    council = schema.council_column or "la_code"
    phase1 = results["phase1"]
    found = [figures.variation(phase1, council), figures.funnel(phase1, council)]
    gaps = identification_gaps(national, locals_.get("phase1", ()), dataset, as_of, phase1)
    found.append(figures.unknowns(gaps, council))
    if "dwp" in results:
        found.append(figures.overlap(phase1, results["dwp"], key, council))
    found.append(figures.money(results, council))
    households = dataset.frames[schema.households.name].select(key, "attached_on").collect()
    claims = dataset.frames.get("claims")
    ledger = None
    if claims is not None and "claim" in claims.collect_schema().names():
        ledger = claims.collect()
    found.append(figures.by_quarter(households, ledger, as_of))
    if "savings" in results and "savings" in nationals:
        worked_out = build_savings(results["savings"].lazy(), nationals["savings"])
        found.append(
            figures.savings(worked_out.table, worked_out.sections[SUMMARY], worked_out.money)
        )
        found.append(
            figures.savings_by_agency(worked_out.table, worked_out.sections[BY_AGENCY_NET])
        )
    notes = []
    if dataset.missing_tables:
        notes.append(
            "Tables not supplied (facts drawn from them are unknown): "
            + ", ".join(sorted(dataset.missing_tables))
        )
    notes += [_source_note(row) for row in provenance_rows(dataset)]
    return render_page(
        found,
        as_of=as_of,
        rulesets={p: r.name for p, r in nationals.items()},
        notes=notes,
    )


def _source_note(row: SourceRow) -> str:
    """Where a table read through a mapping came from, who supplied it and when."""
    said = [f"supplied by {row.supplied_by}"] if row.supplied_by else []
    said += [f"extracted {row.extracted.isoformat()}"] if row.extracted else []
    return f"Source of {row.table}: {row.source}" + (f" ({', '.join(said)})" if said else "")
