"""`tfrules report` and `tfrules demo`: the programme dashboard."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import polars as pl
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tfrules import api
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.cli import data_options
from tfrules.cli.eval_cmd import (
    council_plan,
    load_checked_data,
    load_local_rules,
    load_rules,
    parse_date,
    write_atomically,
)
from tfrules.cli.main import EXIT_OK, EXIT_USAGE, app
from tfrules.cli.output import console
from tfrules.compile.slices import sink
from tfrules.data.synth import generate_to_dir
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.dashboard import TOTAL, Dashboard, build_dashboard, cell, to_markdown
from tfrules.report.provenance import provenance_rows

PROGRAMMES = {
    "phase1": "national.phase1",
    "phase2": "national.phase2",
    "dwp": "national.dwp_fmp",
}
DEMO_AS_OF = "2015-03-31"
DEMO_HOUSEHOLDS = 20_000
DEMO_SEED = 2012


def run_report(
    data: Path,
    as_of: dt.date,
    local: list[Path],
    out: Path,
    *,
    quiet: bool = False,
    mapping: Path | None = None,
    databases: list[str] | None = None,
) -> Dashboard:
    """Evaluate every programme (with the councils' local rulesets), write the
    results and the dashboard to `out`, and return the dashboard."""
    out.mkdir(parents=True, exist_ok=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("checking the rules", total=None)
        nationals: dict[str, CheckedRuleset] = {}
        locals_: dict[str, list[CheckedRuleset]] = {}
        for programme, name in PROGRAMMES.items():
            try:
                nationals[programme] = api.load(name)
            except api.RulesError:
                continue  # a programme whose ruleset is not available is left out
            locals_[programme] = load_local_rules(nationals[programme], local, []) if local else []
        if not nationals:
            typer.echo("tfrules report: none of the national rulesets could be loaded", err=True)
            raise typer.Exit(EXIT_USAGE)
        progress.update(task, description=f"loading and validating the data in {data}")
        everything = [r for p in nationals for r in [nationals[p], *locals_[p]]]
        dataset = load_checked_data(everything, data, mapping, databases)
        results: dict[str, pl.LazyFrame] = {}
        for programme, national in nationals.items():
            progress.update(task, description=f"evaluating {national.name}")
            wanted = national.output_rules
            if locals_[programme]:
                plan, _ = council_plan(national, locals_[programme], dataset, as_of, wanted)
            else:
                plan = api.compile_plan(national, dataset, as_of, rules=wanted)
            target = out / f"{programme}.parquet"
            write_atomically(lambda path, plan=plan: sink(plan, path), target)
            results[programme] = pl.scan_parquet(target)
        progress.update(task, description="building the dashboard")
        dashboard = build_dashboard(
            results,
            {p: r.name for p, r in nationals.items()},
            tuple(sorted(dataset.missing_tables)),
            sources=provenance_rows(dataset),
        )
    dashboard.table.write_csv(out / "dashboard.csv")
    (out / "dashboard.md").write_text(to_markdown(dashboard), encoding="utf-8")
    return dashboard


def print_dashboard(dashboard: Dashboard, as_of: dt.date, out: Path) -> None:
    terminal = console()
    terminal.print(Text(f"Programme dashboard, as of {as_of}", style="bold"))
    for section, columns in dashboard.sections.items():
        table = Table(title=section, title_style="bold", title_justify="left")
        cells = {
            c: [cell(dashboard, c, row[c]) for row in dashboard.table.iter_rows(named=True)]
            for c in columns
        }
        # figures are never cut: in a narrow terminal headings and names wrap instead
        table.add_column("council", min_width=14)
        for column in columns:
            table.add_column(column, justify="right", min_width=max(map(len, cells[column])))
        for index, row in enumerate(dashboard.table.iter_rows(named=True)):
            style = "bold" if row["council"] == TOTAL else None
            table.add_row(row["council"], *(cells[c][index] for c in columns), style=style)
        terminal.print(table)
    if dashboard.missing_tables:
        terminal.print(
            Text(
                "Tables not supplied (facts drawn from them are unknown): "
                + ", ".join(dashboard.missing_tables),
                style="yellow",
            )
        )
    data_options.print_sources(dashboard.sources)
    terminal.print(
        Text(f"Results per household and the dashboard (CSV, Markdown) are in {out}/", style="bold")
    )


@app.command()
def report(
    data: Path = typer.Option(..., "--data", help="A folder with one file per table."),
    as_of: str = typer.Option(
        ..., "--as-of", metavar="DATE", help="The reference (claim) date, YYYY-MM-DD."
    ),
    local: list[Path] = typer.Option(
        [], "--local", help="Folders of local rulesets (each council's applies to its households)."
    ),
    out: Path = typer.Option(Path("tfrules-report"), "--out", help="Where to write the results."),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=data_options.MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=data_options.DATABASE_HELP
    ),
) -> None:
    """The programme dashboard: per council and in total, households identified,
    attached and turned around (and by which route), progress to work, fees and
    results payments due, unknowns from missing data, and the overlap with
    DWP's Families with Multiple Problems scheme. Printed, and written as CSV
    and Markdown beside each programme's results per household.
    """
    day = parse_date(as_of)
    dashboard = run_report(data, day, local, out, mapping=mapping, databases=database)
    print_dashboard(dashboard, day, out)
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
    started = time.perf_counter()
    data = out / "data"
    stamp = data / "synth.json"
    wanted = {"households": households, "seed": seed}
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        console(stderr=True).print(f"generating {households:,} synthetic households into {data}/ …")
        generate_to_dir(households, seed, data)
        stamp.write_text(json.dumps(wanted))
    day = dt.date.fromisoformat(DEMO_AS_OF)
    local = [bundled_rulesets_dir() / "local"]
    dashboard = run_report(data, day, [p for p in local if p.is_dir()], out)
    print_dashboard(dashboard, day, out)
    typer.echo(f"demo finished in {time.perf_counter() - started:.1f} s")
    raise typer.Exit(EXIT_OK)


__all__ = ["load_rules", "run_report"]
