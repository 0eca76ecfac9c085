"""The programme report: every programme run over one data set, each with
the councils' local rulesets, and the dashboard built from the results.

The report's files (each programme's results per household, the dashboard
as CSV and Markdown) are written into a temporary folder and moved into the
output folder only when all of them are complete: a failed or interrupted
report leaves no half set, and an earlier report stays as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import attrs
import polars as pl

from tfrules.data.load import Dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.dashboard import Dashboard, build_dashboard, to_csv, to_markdown
from tfrules.report.household_files import ResultsFormat, write_from_parquet
from tfrules.report.provenance import provenance_rows
from tfrules.report.run_dates import run_date_warnings
from tfrules.report.savings import add_savings, build_savings
from tfrules.run import runner
from tfrules.run.atomic import staged_folder, write_file, write_text
from tfrules.run.councils import unmatched_warnings
from tfrules.run.engines import Job

#: The programmes of the report, and their national rulesets.
PROGRAMMES = {
    "phase1": "national.phase1",
    "phase2": "national.phase2",
    "dwp": "national.dwp_fmp",
    "savings": "national.cost_savings",
}
DASHBOARD_FILES = ("dashboard.csv", "dashboard.md")


def report_files(
    programmes: Iterable[str] = PROGRAMMES, fmt: ResultsFormat = ResultsFormat.PARQUET
) -> list[str]:
    """The names of the files a report writes into its folder."""
    return [*(f"{p}{fmt.suffix}" for p in programmes), *DASHBOARD_FILES]


@attrs.frozen
class Programme:
    name: str
    national: CheckedRuleset
    local: tuple[CheckedRuleset, ...] = ()


def run_dates(
    programmes: Sequence[Programme], as_of: dt.date | Mapping[str, dt.date]
) -> dict[str, dt.date]:
    """Each programme's run date: one for all, or one each."""
    return {p.name: as_of[p.name] if isinstance(as_of, Mapping) else as_of for p in programmes}


def write_report(
    programmes: Sequence[Programme],
    dataset: Dataset,
    as_of: dt.date | Mapping[str, dt.date],
    out: Path,
    *,
    on_progress: Callable[[str], None] | None = None,
    results_format: ResultsFormat = ResultsFormat.PARQUET,
    on_results: Callable[[dict[str, pl.LazyFrame]], None] | None = None,
    engine: str = "polars",
) -> Dashboard:
    """Evaluate every programme, each at its run date (`as_of`: one for all,
    or one per programme), write the results (in `results_format`) and the
    dashboard into `out` (all or nothing), and return the dashboard.
    `on_results` is given each programme's results while they are still
    Parquet (the web page is drawn from them). `engine` evaluates them
    (`dataset` loaded for it: into Spark for the Spark engine)."""
    tell = on_progress or (lambda _: None)
    dates = run_dates(programmes, as_of)
    nationals = {p.name: p.national for p in programmes}
    with staged_folder(out) as stage:
        results: dict[str, pl.LazyFrame] = {}
        unmatched: dict[str, str] = {}
        for programme in programmes:
            tell(f"evaluating {programme.national.name}")
            job = Job(programme.national, dataset, dates[programme.name], None, programme.local)
            written = runner.write_results(job, stage / f"{programme.name}.parquet", engine=engine)
            results[programme.name] = pl.scan_parquet(written.path)
            unmatched.update(written.unmatched)
        tell("building the dashboard")
        dashboard = build_dashboard(
            results,
            {p.name: p.national.name for p in programmes},
            tuple(sorted(dataset.missing_tables)),
            run_dates=dates,
            warnings=(*run_date_warnings(nationals, dates), *unmatched_warnings(unmatched)),
            needs_local=tuple(p.name for p in programmes if p.national.abstract_rules),
            sources=provenance_rows(dataset),
        )
        if "savings" in results:
            national = next(p.national for p in programmes if p.name == "savings")
            dashboard = add_savings(dashboard, build_savings(results["savings"], national))
        write_text(stage / "dashboard.csv", to_csv(dashboard))
        write_text(stage / "dashboard.md", to_markdown(dashboard))
        if on_results is not None:
            on_results(results)
        if results_format is not ResultsFormat.PARQUET:
            tell(f"writing the results as {results_format}")
            for name in results:
                parquet = stage / f"{name}.parquet"
                target = stage / f"{name}{results_format.suffix}"
                write_file(
                    target, lambda path, p=parquet: write_from_parquet(p, path, results_format)
                )
                if parquet.is_dir():  # the Spark engine's parts, for many households
                    shutil.rmtree(parquet)
                else:
                    parquet.unlink()
    return dashboard
