"""`tfrules eval` and `tfrules explain`: run rules over household data."""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs
import polars as pl
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tfrules import api
from tfrules.check.overrides import OverrideError
from tfrules.check.workspace import PathError
from tfrules.cli import data_options
from tfrules.cli.main import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, app
from tfrules.cli.output import DiagnosticFormat, console, print_diagnostics
from tfrules.compile.councils import CouncilError, CouncilPlan, plan_councils
from tfrules.compile.slices import sink, slices_for, write_in_slices
from tfrules.data.councils import council_name
from tfrules.data.errors import DataError
from tfrules.data.load import Dataset
from tfrules.diagnostics import did_you_mean
from tfrules.interpret.explain import explain_household, render_text, to_json
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.provenance import provenance_rows
from tfrules.report.summary import Summary, summarise


class ExplainFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


RULESET_HELP = "A ruleset name (national.phase1, local.leeds.phase1) or a .tfr file."
DATA_HELP = "A folder with one Parquet or CSV file per table (households.parquet, ...)."
INCLUDE_HELP = "Folders of rule files to look in too (the shipped rulesets always are)."
PARAM_HELP = "A what-if value for a parameter, name=value (e.g. absence_threshold=10%); repeatable."


def load_rules(ruleset: str, include: list[Path], params: list[str]) -> CheckedRuleset:
    """The checked ruleset, or exit 1 with the diagnostics / 2 on a bad path."""
    try:
        return api.load(ruleset, include=include, params=params)
    except api.RulesError as exc:
        print_diagnostics(exc.diagnostics, exc.sources, DiagnosticFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS) from None
    except (PathError, OverrideError) as exc:
        typer.echo(f"tfrules: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def parse_date(text: str) -> dt.date:
    try:
        return api.as_date(text)
    except ValueError as exc:
        typer.echo(f"tfrules: --as-of {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def load_checked_data(
    ruleset: CheckedRuleset | list[CheckedRuleset],
    data: Path,
    mapping: Path | None = None,
    databases: list[str] | None = None,
) -> Dataset:
    if not data.is_dir():  # a usage problem (exit 2), not bad data
        typer.echo(f"tfrules: --data {data} is not a folder of data files", err=True)
        raise typer.Exit(EXIT_USAGE)
    checked_mapping = data_options.load_mapping(data, mapping)
    addresses = data_options.connections(databases or [])
    data_options.check_addresses(checked_mapping, addresses)
    rulesets = ruleset if isinstance(ruleset, list) else [ruleset]
    try:
        dataset = api.load_data(ruleset, data, mapping=checked_mapping, connections=addresses)
        data_options.warn_about_data(dataset, rulesets)
        return dataset
    except api.RulesError as exc:
        print_diagnostics(exc.diagnostics, exc.sources, DiagnosticFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS) from None
    except DataError as exc:
        typer.echo(
            f"The data cannot be used ({len(exc.problems)} problem(s)); nothing was written:",
            err=True,
        )
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_ERRORS) from None


def split_rules(ruleset: CheckedRuleset, rules: str | None) -> list[str]:
    if not rules:
        return ruleset.output_rules
    wanted = [r.strip() for r in rules.split(",") if r.strip()]
    unknown = [r for r in wanted if r not in ruleset.output_rules]
    if unknown:
        hint = did_you_mean(unknown[0], ruleset.output_rules)
        typer.echo(
            f"tfrules: no household rule {unknown[0]!r} in {ruleset.name}"
            + (f"; {hint}" if hint else ""),
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)
    return wanted


@app.command("eval")
def evaluate(
    ruleset: str = typer.Argument(..., help=RULESET_HELP),
    data: Path = typer.Option(..., "--data", metavar="DIR", help=DATA_HELP),
    as_of: str = typer.Option(
        ..., "--as-of", metavar="DATE", help="The reference date, YYYY-MM-DD."
    ),
    out: Path = typer.Option(
        ..., "--out", help="Where to write the results: FILE.parquet or FILE.csv."
    ),
    rules: str = typer.Option(
        None, "--rules", metavar="A,B", help="Only these rules, comma-separated."
    ),
    param: list[str] = typer.Option([], "--param", metavar="NAME=VALUE", help=PARAM_HELP),
    include: list[Path] = typer.Option([], "--include", metavar="DIR", help=INCLUDE_HELP),
    local: list[Path] = typer.Option(
        [],
        "--local",
        metavar="DIR",
        help="A folder of local rulesets: each council's (by 'applies to') is applied to its own "
        "households; the others get the national rules alone. Repeatable.",
    ),
    slices: int = typer.Option(
        0,
        "--slices",
        min=0,
        metavar="N",
        help="Evaluate the households in N slices, one after another, so that peak memory "
        "follows a slice rather than the whole data set (the results are the same). "
        "0, the default, takes one slice per million households.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display or summary."),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=data_options.MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=data_options.DATABASE_HELP
    ),
) -> None:
    """Evaluate a ruleset over household data: one row per household, one column per rule.

    The data is checked first (types, ids, links between tables, categories,
    counts, dates); any problem stops the run before anything is written.
    The results are written as they are computed (Parquet or CSV), then a
    summary is printed: per criterion how many households are true, false and
    unknown, per amount of money the total, overall and by council.

    With --local, a national extract is evaluated council by council: each
    council's local ruleset for its own households, and the national ruleset
    alone (its abstract rules unknown) where a council has none; the output's
    ruleset_applied column says which.
    """
    if out.suffix not in (".parquet", ".csv"):
        typer.echo("tfrules eval: --out must end in .parquet or .csv", err=True)
        raise typer.Exit(EXIT_USAGE)
    day = parse_date(as_of)
    out_console = console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=out_console,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("checking the rules", total=None)
        checked = load_rules(ruleset, include, param)
        wanted = split_rules(checked, rules)
        locals_ = load_local_rules(checked, local, param) if local else []
        progress.update(task, description=f"loading and validating the data in {data}")
        dataset = load_checked_data([checked, *locals_], data, mapping, database)
        progress.update(task, description="compiling the rules")
        uncovered: dict[str, int] = {}

        def build(frames: Mapping[str, pl.LazyFrame]) -> pl.LazyFrame:
            part = attrs.evolve(dataset, frames=dict(frames))
            if local:
                return councils_plan(checked, locals_, part, day, wanted).plan
            return api.compile_plan(checked, part, day, rules=wanted)

        if local:
            plan, uncovered = council_plan(checked, locals_, dataset, day, wanted)
        else:
            plan = build(dataset.frames)
        count = slices_for(dataset.frames, checked.schema, slices)
        started = time.perf_counter()
        written = plan.collect_schema()
        if count == 1:
            progress.update(task, description=f"evaluating and writing {out}")
            write_atomically(lambda path: sink(plan, path), out)
        else:
            progress.update(task, description=f"evaluating slice 1 of {count}")

            def done(number: int, total: int) -> None:
                following = f"slice {number + 1} of {total}" if number < total else "the output"
                progress.update(task, description=f"evaluating {following}")

            write_atomically(
                lambda path: write_in_slices(
                    build, dataset.frames, checked.schema, count, path, on_slice=done
                ),
                out,
            )
        elapsed = time.perf_counter() - started
        progress.update(task, description="summarising")
        # read CSV back with the dtypes written: inference would take an all-unknown
        # criterion for text and a money column for floats
        result = (
            pl.scan_parquet(out) if out.suffix == ".parquet" else pl.scan_csv(out, schema=written)
        )
        summary = summarise(result, checked, wanted)
    if not quiet:
        print_summary(summary, checked, out, elapsed)
        data_options.print_sources(provenance_rows(dataset))
        if uncovered:
            lacking = ", ".join(f"{council_name(c)}: {n:,}" for c, n in uncovered.items())
            console().print(
                Text(
                    f"No local ruleset for {len(uncovered)} council(s), so "
                    f"{', '.join(checked.abstract_rules) or 'no rule'} is unknown for their "
                    f"households: {lacking}",
                    style="yellow",
                )
            )
    raise typer.Exit(EXIT_OK)


def load_local_rules(
    national: CheckedRuleset, folders: list[Path], params: list[str]
) -> list[CheckedRuleset]:
    try:
        return api.load_locals(national, folders, params=params)
    except api.RulesError as exc:
        print_diagnostics(exc.diagnostics, exc.sources, DiagnosticFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS) from None
    except (PathError, OverrideError) as exc:
        typer.echo(f"tfrules eval: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def councils_plan(
    national: CheckedRuleset,
    locals_: list[CheckedRuleset],
    dataset: Dataset,
    day: dt.date,
    wanted: list[str],
) -> CouncilPlan:
    try:
        return plan_councils(
            national, locals_, dataset.frames, day, missing=dataset.missing_tables, rules=wanted
        )
    except CouncilError as exc:
        typer.echo(f"tfrules eval: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def council_plan(
    national: CheckedRuleset,
    locals_: list[CheckedRuleset],
    dataset: Dataset,
    day: dt.date,
    wanted: list[str],
) -> tuple[pl.LazyFrame, dict[str, int]]:
    """The plan of a multi-council run, and the households per council with no local ruleset."""
    councils = councils_plan(national, locals_, dataset, day, wanted)
    households = dataset.frames[national.schema.households.name]
    counts = (
        households.filter(~pl.col("la_code").is_in(list(councils.covered)))
        .group_by("la_code")
        .len()
        .sort("la_code")
        .collect()
    )
    return councils.plan, dict(zip(counts["la_code"], counts["len"], strict=True))


def write_atomically(write: Callable[[Path], None], out: Path) -> None:
    """Write the results (`write(path)`) into a temporary file beside `out`,
    then rename it, so a failed run never leaves a half-written output.

    The temporary file is in a folder of its own, removed on failure: a Polars
    sink can still open its file just after the query has failed, and it cannot
    create one in a folder that is gone.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part"))
    temporary = folder / out.name
    try:
        write(temporary)
        os.replace(temporary, out)
    finally:
        for _ in range(20):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                break
            time.sleep(0.05)


def print_summary(summary: Summary, ruleset: CheckedRuleset, out: Path, elapsed: float) -> None:
    terminal = console()
    terminal.print(
        Text(
            f"{ruleset.name}: {summary.households:,} households evaluated in {elapsed:.1f} s; "
            f"results written to {out}",
            style="bold",
        )
    )
    table = Table(title="Criteria (households)")
    for column in ("council", "rule", "true", "false", "unknown"):
        table.add_column(column, justify="left" if column in ("council", "rule") else "right")
    for row in summary.criteria.iter_rows(named=True):
        table.add_row(
            row["group"],
            row["rule"],
            f"{row['true']:,}",
            f"{row['false']:,}",
            f"{row['unknown']:,}",
        )
    terminal.print(table)
    if summary.money.height:
        money = Table(title="Amounts")
        for column in ("council", "rule", "total"):
            money.add_column(column, justify="right" if column == "total" else "left")
        for row in summary.money.iter_rows(named=True):
            group = row["group"] if row["group"] == "all councils" else council_name(row["group"])
            money.add_row(group, row["rule"], f"£{row['total']:,.2f}")
        terminal.print(money)


@app.command()
def explain(
    ruleset: str = typer.Argument(..., help=RULESET_HELP),
    data: Path = typer.Option(..., "--data", metavar="DIR", help=DATA_HELP),
    as_of: str = typer.Option(
        ..., "--as-of", metavar="DATE", help="The reference date, YYYY-MM-DD."
    ),
    household: str = typer.Option(
        ..., "--household", metavar="ID", help="The household_id to explain."
    ),
    rules: str = typer.Option(
        None, "--rules", metavar="A,B", help="Only these rules, comma-separated."
    ),
    param: list[str] = typer.Option([], "--param", metavar="NAME=VALUE", help=PARAM_HELP),
    include: list[Path] = typer.Option([], "--include", metavar="DIR", help=INCLUDE_HELP),
    depth: int = typer.Option(8, "--depth", help="How many levels of each rule to show."),
    output_format: ExplainFormat = typer.Option(
        ExplainFormat.TEXT, "--format", help="text or json."
    ),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=data_options.MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=data_options.DATABASE_HELP
    ),
) -> None:
    """Why one household got each value.

    For every rule: its value, the ruleset (national or local) that defined
    it, and how the value was reached: the value of each part of the rule,
    the members and the event rows each quantifier looked at, and the
    parameters used.
    """
    day = parse_date(as_of)
    checked = load_rules(ruleset, include, param)
    wanted = split_rules(checked, rules)
    dataset = load_checked_data(checked, data, mapping, database)
    found = api.household(checked, dataset, household)
    if found is None:
        typer.echo(f"tfrules explain: there is no household {household!r} in {data}", err=True)
        raise typer.Exit(EXIT_USAGE)
    explanation = explain_household(checked, found, day, wanted)
    if output_format is ExplainFormat.JSON:
        typer.echo(json.dumps(to_json(explanation, checked), indent=2))
    else:
        typer.echo(render_text(explanation, checked, depth=depth))
