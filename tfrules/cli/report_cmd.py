"""`tfrules report` and `tfrules demo`: the programme dashboard."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import (
    AUDIT_BUNDLE_HELP,
    DATABASE_HELP,
    EXIT_OK,
    MAPPING_HELP,
    app,
    data_arguments,
    fail,
    files_read,
    load_checked_data,
    load_local_rules,
    plain_failures,
    record_run,
    require_data_folder,
)
from tfrules.cli.interrupts import in_worker
from tfrules.cli.output import console
from tfrules.cli.spark_support import (
    ENGINE_HELP,
    SPARK_DATA_HELP,
    SPARK_MASTER_HELP,
    EngineName,
    check_spark_options,
    is_local_folder,
    spark_data,
)
from tfrules.report.results_format import ResultsFormat

if TYPE_CHECKING:
    import polars as pl

    from tfrules.audit.manifest import RunArguments
    from tfrules.data.load import Dataset
    from tfrules.report.dashboard import Dashboard
    from tfrules.report.programmes import Programme

DEMO_AS_OF = dt.date(2015, 3, 31)
DEMO_HOUSEHOLDS = 20_000
DEMO_SEED = 2012


def _programmes(local: list[Path]) -> list[Programme]:
    """Each programme whose national ruleset can be loaded, with its councils'
    local rulesets from the `local` folders."""
    from tfrules import api
    from tfrules.report.programmes import PROGRAMMES, Programme

    found: list[Programme] = []
    for programme, name in PROGRAMMES.items():
        try:
            national = api.load(name)
        except api.RulesError:
            continue  # a programme whose ruleset is not available is left out
        locals_ = load_local_rules(national, local, [], []) if local else []
        found.append(Programme(programme, national, tuple(locals_)))
    if not found:
        fail("none of the national rulesets could be loaded")
    return found


def run_report(
    data: Path | str,
    as_of: dt.date | dict[str, dt.date],
    local: list[Path],
    out: Path,
    *,
    quiet: bool = False,
    results_format: ResultsFormat = ResultsFormat.PARQUET,
    html: Path | None = None,
    audit: RunArguments | None = None,
    audit_bundle: Path | None = None,
    mapping: Path | None = None,
    databases: list[str] | None = None,
    engine: EngineName = EngineName.POLARS,
    spark_master: str | None = None,
) -> Dashboard:
    """Evaluate every programme (with the councils' local rulesets), each at
    its run date (`as_of`: one for all, or one per programme), and write the
    results and the dashboard into `out`, all or nothing; nothing is created
    before the rules and the data have been checked. With `html`, the
    dashboard as a web page too; with `audit_bundle`, the run's manifest. A
    council's own extract is read through `mapping` and the `databases` it
    names. With the Spark engine, `data` is any location Spark reads."""

    import polars as pl
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from tfrules.report.household_files import TooManyRows, check_fits
    from tfrules.report.programmes import report_files, write_report
    from tfrules.run.atomic import write_text
    from tfrules.run.outputs import check_output_folder

    on_spark = engine is EngineName.SPARK
    folder = Path(data) if not on_spark or is_local_folder(str(data)) else None
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("checking the rules", total=None)
        programmes = _programmes(local)
        tables = [t.name for t in programmes[0].national.schema.tables]
        with plain_failures():
            check_output_folder(
                out,
                names=report_files((p.name for p in programmes), results_format),
                data=folder,
                tables=tables,
            )
        progress.update(task, description=f"loading and validating the data in {data}")
        everything = [r for p in programmes for r in (p.national, *p.local)]
        if on_spark:
            dataset = spark_data(everything, str(data), spark_master, mapping, databases or ())
            with plain_failures():  # a mapping's files have names of their own
                check_output_folder(
                    out,
                    names=report_files((p.name for p in programmes), results_format),
                    inputs=files_read(dataset),  # type: ignore[arg-type]
                )
            count = in_worker(lambda: dataset.households().count())
        else:
            assert folder is not None
            require_data_folder(folder, tables)
            dataset = load_checked_data(
                everything,
                folder,
                ledger=html is not None,
                mapping=mapping,
                databases=databases or (),
            )
            with plain_failures():  # a mapping's files have names of their own
                check_output_folder(
                    out,
                    names=report_files((p.name for p in programmes), results_format),
                    inputs=files_read(dataset),
                )
            households = dataset.frames[everything[0].schema.households.name]
            count = households.select(pl.len()).collect().item()
        try:
            check_fits(results_format, count)
        except TooManyRows as exc:
            fail(str(exc))

        def tell(step: str) -> None:
            progress.update(task, description=step)

        with plain_failures():

            def draw_page(results: dict[str, pl.LazyFrame]) -> None:
                assert html is not None
                tell(f"drawing the dashboard as a web page, {html}")
                write_text(html, _page(programmes, dataset, as_of, results))

            dashboard = in_worker(
                lambda: write_report(
                    programmes, dataset, as_of, out, on_progress=tell,
                    results_format=results_format, engine=engine.value,
                    on_results=draw_page if html is not None else None,
                )
            )  # fmt: skip
    if audit is not None and audit_bundle is not None:
        record_run(audit_bundle, audit, out, everything, dataset)
    return dashboard


def _page(
    programmes: list[Programme],
    dataset: Dataset,
    as_of: dt.date | dict[str, dt.date],
    results: dict[str, pl.LazyFrame],
) -> str:
    """The web page; its claims and gaps are those at phase 1's run date."""
    from tfrules.report.web import dashboard_page

    day = as_of.get("phase1", min(as_of.values())) if isinstance(as_of, dict) else as_of
    return dashboard_page(
        {p.name: results[p.name].collect() for p in programmes},
        {p.name: p.national for p in programmes},
        {p.name: p.local for p in programmes},
        dataset,
        day,
    )


def print_dashboard(dashboard: Dashboard, as_of: dt.date | None, out: Path) -> None:
    from rich.text import Text

    from tfrules.cli.data_notes import print_sources
    from tfrules.report.dashboard import without_local_text
    from tfrules.report.terminal import print_dashboard_tables

    terminal = console()
    dates = sorted(set(dashboard.run_dates.values()))
    if as_of is not None or len(dates) == 1:
        terminal.print(Text(f"Programme dashboard, as of {as_of or dates[0]}", style="bold"))
    else:
        each = ", ".join(f"{p} as of {d}" for p, d in dashboard.run_dates.items())
        terminal.print(Text(f"Programme dashboard: {each}", style="bold"))
    for warning in dashboard.warnings:
        terminal.print(Text(f"Warning: {warning}", style="bold yellow"))
    print_dashboard_tables(dashboard, terminal)
    for note in dashboard.notes:
        terminal.print(Text(note, style="yellow"))
    for programme in dashboard.rulesets:
        lacking = without_local_text(dashboard, programme)
        if lacking:
            terminal.print(Text(lacking, style="yellow"))
    print_sources(dashboard.sources)
    if dashboard.missing_tables:
        terminal.print(
            Text(
                "Tables not supplied (facts drawn from them are unknown): "
                + ", ".join(dashboard.missing_tables),
                style="yellow",
            )
        )
    terminal.print(
        Text(f"Results per household and the dashboard (CSV, Markdown) are in {out}/", style="bold")
    )


@app.command()
def report(
    data: str = typer.Option(..., "--data", metavar="DIR", help=SPARK_DATA_HELP),
    as_of: list[str] = typer.Option(
        ...,
        "--as-of",
        metavar="DATE",
        help="The reference (claim) date, YYYY-MM-DD, for every programme; or "
        "PROGRAMME=DATE (phase1, phase2, dwp, savings) for one programme, e.g. --as-of "
        "2015-03-31 --as-of phase2=2016-03-31. Repeatable.",
    ),
    results_format: ResultsFormat = typer.Option(
        ResultsFormat.PARQUET,
        "--format",
        help="How each programme's results per household are written: parquet, csv, or xlsx "
        "(an Excel workbook, up to 1,048,575 households).",
    ),
    local: list[Path] = typer.Option(
        [], "--local", help="Folders of local rulesets (each council's applies to its households)."
    ),
    out: Path = typer.Option(
        Path("tfrules-report"),
        "--out",
        help="The folder to write the results into (created if needed; not an existing file).",
    ),
    html: Path = typer.Option(
        None,
        "--html",
        metavar="FILE",
        help="Also write the dashboard as one web page (charts and their tables; it opens "
        "from disk with no network).",
    ),
    audit_bundle: Path = typer.Option(
        None, "--audit-bundle", metavar="DIR", help=AUDIT_BUNDLE_HELP
    ),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=DATABASE_HELP
    ),
    engine: EngineName = typer.Option(EngineName.POLARS, "--engine", help=ENGINE_HELP),
    spark_master: str = typer.Option(None, "--spark-master", metavar="URL", help=SPARK_MASTER_HELP),
) -> None:
    """The programme dashboard: per council and in total, households identified,
    attached and turned around (and by which route), progress to work, fees and
    results payments due, overclaims, unknowns from missing data, which
    councils had a local ruleset, the overlap with
    DWP's Families with Multiple Problems scheme, and the cost savings of
    attached families (gross and net, by agency, against the cost of
    intervention). Printed, and written as CSV and Markdown beside each
    programme's results per household.

    Each programme may be run at its own date. A run date outside the period a
    programme ran in (phase 2 before April 2015, say) is warned about on the
    screen and in the dashboard files.

    The files appear in the output folder together, once all are complete: a
    report that fails or is interrupted leaves the folder as it was.

    With --engine spark the households are evaluated inside Apache Spark
    (docs/spark.md); the dashboard is the same.
    """
    from tfrules.audit.manifest import RunArguments
    from tfrules.report.programmes import PROGRAMMES
    from tfrules.report.run_dates import RunDateError, parse_run_dates

    check_spark_options(engine, spark_master, None)
    if engine is EngineName.SPARK and (html is not None or audit_bundle is not None):
        fail(
            "--html and --audit-bundle are not available with --engine spark: run the report "
            "on one machine (--engine polars) for the web page or an audit bundle"
        )
    try:
        dates = parse_run_dates(as_of, PROGRAMMES)
    except RunDateError as exc:
        fail(str(exc))
    audit = None
    if audit_bundle is not None:
        audit = RunArguments(
            "report",
            (),
            (
                *data_arguments(Path(data), mapping),
                *(("--as-of", text) for text in as_of),
                ("--format", results_format.value),
                *(("--local", str(p.resolve())) for p in local),
            ),
            files=(("--html", str(html.resolve())),) if html else (),
        )
    dashboard = run_report(
        data, dates, local, out, results_format=results_format,
        html=html, audit=audit, audit_bundle=audit_bundle, mapping=mapping, databases=database,
        engine=engine, spark_master=spark_master,
    )  # fmt: skip
    print_dashboard(dashboard, None, out)
    if html is not None:
        typer.echo(f"The dashboard as a web page: {html}")
    raise typer.Exit(EXIT_OK)


@app.command()
def demo(
    out: Path = typer.Option(
        Path("tfrules-demo-output"), "--out", help="Where to write everything."
    ),
    households: int = typer.Option(DEMO_HOUSEHOLDS, "--households", help="Synthetic households."),
    seed: int = typer.Option(DEMO_SEED, "--seed", help="Seed of the synthetic data."),
) -> None:
    """The main job on bundled synthetic data, with no arguments needed.

    Generates synthetic households for six councils, checks the shipped
    rulesets, runs phase 1, phase 2 and DWP Families with Multiple Problems with
    each council's local rulesets, and prints the programme dashboard. Everything
    is written under the output folder (the data is reused on later runs).
    """
    from tfrules.check.workspace import bundled_rulesets_dir
    from tfrules.data.synth import generate_to_dir
    from tfrules.run.atomic import write_text

    started = time.perf_counter()
    data = out / "data"
    stamp = data / "synth.json"
    wanted = {"households": households, "seed": seed}
    if not stamp.is_file() or _stamp(stamp) != wanted:
        console(stderr=True).print(f"generating {households:,} synthetic households into {data}/ …")
        with plain_failures():
            in_worker(lambda: generate_to_dir(households, seed, data))
            write_text(stamp, json.dumps(wanted))
    local = [bundled_rulesets_dir() / "local"]
    page = out / "dashboard.html"
    dashboard = run_report(data, DEMO_AS_OF, [p for p in local if p.is_dir()], out, html=page)
    print_dashboard(dashboard, DEMO_AS_OF, out)
    typer.echo(f"The dashboard as a web page (open it in a browser): {page}")
    typer.echo(f"demo finished in {time.perf_counter() - started:.1f} s")
    raise typer.Exit(EXIT_OK)


def _stamp(path: Path) -> object:
    """What the demo's data was generated with (None if unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
