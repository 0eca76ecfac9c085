"""The programme report: every programme run over one data set, each with
the councils' local rulesets, and the dashboard built from the results.

The report's files (each programme's results per household, the dashboard
as CSV and Markdown) are written into a temporary folder and moved into the
output folder only when all of them are complete: a failed or interrupted
report leaves no half set, and an earlier report stays as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs
import polars as pl

from tfrules.data.load import Dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.dashboard import Dashboard, build_dashboard, to_markdown
from tfrules.report.savings import add_savings, build_savings
from tfrules.run import runner
from tfrules.run.atomic import staged_folder, write_file, write_text
from tfrules.run.engines import Job

#: The programmes of the report, and their national rulesets.
PROGRAMMES = {
    "phase1": "national.phase1",
    "phase2": "national.phase2",
    "dwp": "national.dwp_fmp",
    "savings": "national.cost_savings",
}
DASHBOARD_FILES = ("dashboard.csv", "dashboard.md")


def report_files(programmes: Iterable[str] = PROGRAMMES) -> list[str]:
    """The names of the files a report writes into its folder."""
    return [*(f"{p}.parquet" for p in programmes), *DASHBOARD_FILES]


@attrs.frozen
class Programme:
    name: str
    national: CheckedRuleset
    local: tuple[CheckedRuleset, ...] = ()


def write_report(
    programmes: Sequence[Programme],
    dataset: Dataset,
    as_of: dt.date,
    out: Path,
    *,
    on_progress: Callable[[str], None] | None = None,
) -> Dashboard:
    """Evaluate every programme, write the results and the dashboard into
    `out` (all or nothing), and return the dashboard."""
    tell = on_progress or (lambda _: None)
    with staged_folder(out) as stage:
        results: dict[str, pl.LazyFrame] = {}
        for programme in programmes:
            tell(f"evaluating {programme.national.name}")
            job = Job(programme.national, dataset, as_of, None, programme.local)
            written = runner.write_results(job, stage / f"{programme.name}.parquet")
            results[programme.name] = pl.scan_parquet(written.path)
        tell("building the dashboard")
        dashboard = build_dashboard(
            results,
            {p.name: p.national.name for p in programmes},
            tuple(sorted(dataset.missing_tables)),
        )
        if "savings" in results:
            national = next(p.national for p in programmes if p.name == "savings")
            dashboard = add_savings(dashboard, build_savings(results["savings"], national))
        write_file(stage / "dashboard.csv", dashboard.table.write_csv)
        write_text(stage / "dashboard.md", to_markdown(dashboard))
    return dashboard
