"""`tfrules eval`: run rules over household data, and summarise the results."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import (
    AS_OF_HELP,
    AUDIT_BUNDLE_HELP,
    DATABASE_HELP,
    EXIT_OK,
    INCLUDE_HELP,
    MAPPING_HELP,
    PARAM_HELP,
    RULESET_HELP,
    app,
    data_arguments,
    fail,
    files_read,
    load_checked_data,
    load_local_rules,
    load_rules,
    parse_date,
    plain_failures,
    record_run,
    require_data_folder,
    split_rules,
    warn_outside_period,
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

if TYPE_CHECKING:
    from tfrules.model.ruleset import CheckedRuleset
    from tfrules.report.summary import Summary
    from tfrules.run.runner import RunResult


@app.command("eval")
def evaluate(
    ruleset: str = typer.Argument(..., help=RULESET_HELP),
    data: str = typer.Option(..., "--data", metavar="DIR", help=SPARK_DATA_HELP),
    as_of: str = typer.Option(..., "--as-of", metavar="DATE", help=AS_OF_HELP),
    out: Path = typer.Option(
        ...,
        "--out",
        help="Where to write the results: FILE.parquet or FILE.csv (not a file of --data).",
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
    reasons: bool = typer.Option(
        False,
        "--reasons",
        help="Beside each criterion, a column <rule>_reason saying why: the parts that made "
        "it true (e.g. education+work+local for identified), or for an unknown the parts "
        "that were unknown and the tables not supplied.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display or summary."),
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
    """Evaluate a ruleset over household data: one row per household, one column per rule.

    The data is checked first (types, ids, links between tables, categories,
    counts, dates); any problem stops the run before anything is written.
    The results are written as they are computed (Parquet or CSV), whole or
    not at all, then a summary is printed: per criterion how many households
    are true, false and unknown, per amount of money the total, overall and
    by council. An --out that is one of the data's own files is refused.

    With --local, a national extract is evaluated council by council: each
    council's local ruleset for its own households, and the national ruleset
    alone (its abstract rules unknown) where a council has none; the output's
    ruleset_applied column says which.

    With --engine spark the data is read, checked and evaluated inside Apache
    Spark (Parquet at any path Spark reads, or tables of the Spark catalog)
    and the results are written by Spark as Parquet: the same rows as on one
    machine (docs/spark.md).
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    from tfrules import api
    from tfrules.audit.manifest import RunArguments
    from tfrules.cli.data_notes import print_sources
    from tfrules.report.provenance import provenance_rows
    from tfrules.report.summary import summarise
    from tfrules.run.councils import unmatched_warnings
    from tfrules.run.outputs import check_output_file
    from tfrules.run.runner import RESULT_SUFFIXES

    if out.suffix not in RESULT_SUFFIXES:
        fail("--out must end in .parquet or .csv")
    check_spark_options(engine, spark_master, out)
    on_spark = engine is EngineName.SPARK
    if on_spark and audit_bundle is not None:
        fail(
            "--audit-bundle is not available with --engine spark: the bundle hashes every "
            "input file on this machine; for an audited run, run on one machine (--engine polars)"
        )
    if on_spark and slices:
        fail("--slices is for the polars engine: Spark cuts the households into buckets itself")
    folder = Path(data) if not on_spark or is_local_folder(data) else None
    day = parse_date(as_of)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("checking the rules", total=None)
        checked = load_rules(ruleset, include, param)
        tables = [t.name for t in checked.schema.tables]
        with plain_failures():
            check_output_file(out, data=folder, tables=tables)
        if not on_spark:
            assert folder is not None
            require_data_folder(folder, tables)
        wanted = split_rules(checked, rules)
        locals_ = load_local_rules(checked, local, include, param) if local else []
        progress.update(task, description=f"loading and validating the data in {data}")
        if on_spark:
            dataset = spark_data([checked, *locals_], data, spark_master, mapping, database)
        else:
            assert folder is not None
            dataset = load_checked_data(
                [checked, *locals_], folder, mapping=mapping, databases=database
            )
        with plain_failures():  # a mapping's files have names of their own
            check_output_file(out, inputs=files_read(dataset))  # type: ignore[arg-type]

        def tell(step: str) -> None:
            progress.update(task, description=step)

        with plain_failures():
            result = in_worker(
                lambda: api.write_results(
                    checked, dataset, day, out, rules=wanted, local=locals_, slices=slices,
                    on_progress=tell, reasons=reasons, engine=engine.value,
                )
            )  # fmt: skip
        progress.update(task, description="summarising")
        summary = in_worker(lambda: summarise(result.scan(), checked, wanted))
    if audit_bundle is not None:
        options = data_arguments(Path(data), mapping)
        options += [("--as-of", day.isoformat())]
        options += [("--rules", rules)] if rules else []
        options += [("--param", p) for p in param]
        options += [("--include", str(p.resolve())) for p in include]
        options += [("--local", str(p.resolve())) for p in local]
        options += [("--slices", str(slices))] + ([("--reasons", None)] if reasons else [])
        options += [("--quiet", None)]
        record_run(
            audit_bundle,
            RunArguments("eval", (ruleset,), tuple(options)),
            out,
            [checked, *locals_],
            dataset,
            params=param,
            include=include,
        )
    if not quiet:
        print_summary(summary, checked, result)
        print_sources(provenance_rows(dataset))
    warn_outside_period(checked, day)
    for warning in unmatched_warnings(result.unmatched):
        console(stderr=True).print(Text(f"Warning: {warning}", style="bold yellow"))
    raise typer.Exit(EXIT_OK)


def print_summary(summary: Summary, ruleset: CheckedRuleset, result: RunResult) -> None:
    from rich.table import Table
    from rich.text import Text

    from tfrules.data.councils import council_name

    terminal = console()
    terminal.print(
        Text(
            f"{ruleset.name}: {summary.households:,} households evaluated in "
            f"{result.elapsed:.1f} s; results written to {result.path}",
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
        money = Table(title="Amounts (total of the known amounts; unknown: households)")
        for column in ("council", "rule", "total", "unknown"):
            money.add_column(column, justify="left" if column in ("council", "rule") else "right")
        for row in summary.money.iter_rows(named=True):
            group = row["group"] if row["group"] == "all councils" else council_name(row["group"])
            money.add_row(group, row["rule"], f"£{row['total']:,.2f}", f"{row['unknown']:,}")
        terminal.print(money)
    if result.without_local:
        lacking = ", ".join(f"{council_name(c)}: {n:,}" for c, n in result.without_local.items())
        unknown = ", ".join(result.abstract)
        consequence = (
            f"so {unknown} is unknown for their households"
            if unknown
            else "so their households got the national rules alone"
        )
        terminal.print(
            Text(
                f"No local ruleset for {len(result.without_local)} council(s), {consequence}: "
                f"{lacking}",
                style="yellow",
            )
        )
