"""`tfrules data check` and `tfrules data init`: a council's data before any rule runs."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import (
    DATABASE_HELP,
    EXIT_ERRORS,
    EXIT_OK,
    MAPPING_HELP,
    app,
    database_addresses,
    fail,
    load_data_mapping,
    load_rules,
    parse_date,
    plain_failures,
)
from tfrules.cli.output import console
from tfrules.data.file_names import MAPPING_NAME

if TYPE_CHECKING:
    from tfrules.data.data_check import DataCheck
    from tfrules.model.mapping import CheckedMapping
    from tfrules.model.schema import Schema

data_app = typer.Typer(
    name="data",
    help="Look at a council's data before any rule runs: check it, or write a first mapping.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data")


class CheckFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


@data_app.command("check")
def check(
    ruleset: str = typer.Argument(
        None,
        help="A ruleset (name or .tfr file): its tables and columns are the ones checked, and "
        "the rules that tables not supplied make unknown are named.",
    ),
    data: Path = typer.Option(..., "--data", metavar="DIR", help="The folder of data files."),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=DATABASE_HELP
    ),
    as_of: str = typer.Option(
        None,
        "--as-of",
        metavar="DATE",
        help="School-term coverage is shown for the six terms up to this date (YYYY-MM-DD); "
        "without it, up to the latest term in the data.",
    ),
    output_format: CheckFormat = typer.Option(CheckFormat.TEXT, "--format", help="text or json."),
) -> None:
    """What a data folder holds, before any rule runs.

    Each table found and the files (or database tables) it comes from, its
    rows, the columns the rules need and how many of each are empty; files that
    feed no table (with the table each may be meant for); tables not supplied,
    and the rules of RULESET that read them (so may come out unknown);
    school-age children with no school-terms row, term by term; and every
    problem that would stop `tfrules eval`. Exit 1 when there is such a problem.
    """
    from tfrules.data.data_check import check_data

    if not data.is_dir():
        fail(f"--data {data} is not a folder of data files")
    day = parse_date(as_of) if as_of else None
    checked = load_rules(ruleset, [], []) if ruleset else None
    found_mapping = load_data_mapping(checked, data, mapping)
    addresses = database_addresses(database, found_mapping)
    schema = checked.schema if checked is not None else _schema(found_mapping)
    report = check_data(
        data,
        schema,
        ruleset=checked,
        mapping=found_mapping,
        connections=addresses,
        as_of=day,
    )
    if output_format is CheckFormat.JSON:
        typer.echo(json.dumps(to_json(report), indent=2))
    else:
        print_check(report)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_ERRORS)


def _schema(mapping: CheckedMapping | None) -> Schema:
    from tfrules import api

    if mapping is not None:
        return mapping.schema
    return api.load("national.phase1").schema


def to_json(report: DataCheck) -> dict[str, object]:
    return {
        "folder": report.folder,
        "mapping": report.mapping,
        "ruleset": report.ruleset,
        "tables": [
            {"table": t.table, "sources": list(t.sources), "rows": t.rows, "nulls": dict(t.nulls)}
            for t in report.tables
        ],
        "unmatched_files": [
            {"file": u.path, "did_you_mean": u.suggestion} for u in report.unmatched
        ],
        "not_supplied": [
            {"table": table, "rules": list(rules)} for table, rules in report.not_supplied.items()
        ],
        "school_terms": [
            {
                "academic_year": t.academic_year,
                "term": t.term,
                "school_age_children": t.children,
                "without_a_row": t.missing,
            }
            for t in report.terms
        ],
        "problems": [
            {
                "table": p.table,
                "source": p.source,
                "column": p.column,
                "heading": p.heading,
                "row": p.row,
                "row_word": p.row_word,
                "count": p.count,
                "message": p.message,
                "text": str(p),
            }
            for p in report.problems
        ],
        "ok": report.ok,
    }


def print_check(report: DataCheck) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    head = f"Data in {report.folder}"
    if report.mapping:
        head += f", read through the mapping {report.mapping}"
    out.print(Text(head, style="bold"))
    if report.tables:
        table = Table(title="Tables found", title_justify="left")
        for heading in ("table", "from", "rows", "empty values of the columns needed"):
            table.add_column(heading, justify="right" if heading == "rows" else "left")
        for t in report.tables:
            empty = ", ".join(f"{c} {n:,}" for c, n in t.nulls.items() if n) or "none"
            rows = "?" if t.rows is None else f"{t.rows:,}"
            table.add_row(t.table, "\n".join(t.sources), rows, empty)
        out.print(table)
    if report.unmatched:
        out.print(Text("Files that feed no table (they are not read):", style="yellow"))
        for u in report.unmatched:
            out.print(Text(f"  {u.describe()}", style="yellow"))
    if report.not_supplied:
        out.print(
            Text("Tables not supplied (every fact drawn from them is unknown):", style="yellow")
        )
        for name, rules in report.not_supplied.items():
            said = f": may make {', '.join(rules)} unknown" if rules else ""
            out.print(Text(f"  {name}{said}", style="yellow"))
    if report.terms:
        terms = Table(title="School-age children without a school_terms row", title_justify="left")
        for heading in ("term", "school-age children", "without a row", "share"):
            terms.add_column(heading, justify="left" if heading == "term" else "right")
        for t in report.terms:
            share = f"{t.missing / t.children:.0%}" if t.children else "-"
            name = f"{t.term} {t.academic_year}/{(t.academic_year + 1) % 100:02d}"
            terms.add_row(name, f"{t.children:,}", f"{t.missing:,}", share)
        out.print(terms)
    if report.problems:
        out.print(
            Text(f"{len(report.problems)} problem(s) that stop tfrules eval:", style="bold red")
        )
        for problem in report.problems:
            out.print(Text(f"  {problem}"))
    else:
        out.print(Text("No problems: tfrules eval can read this data.", style="green"))


@data_app.command("init")
def init(
    data: Path = typer.Option(..., "--data", metavar="DIR", help="The folder of data files."),
    out: Path = typer.Option(
        None,
        "--out",
        metavar="FILE",
        help=f"Where to write the mapping (default: {MAPPING_NAME} in the data folder).",
    ),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
) -> None:
    """Write a first mapping for a data folder, to check and finish by hand.

    Each file's headings are matched to the canonical tables and columns,
    date formats are detected from the values, and the distinct values of
    true/false and category columns are listed for you to map. Every guess is
    marked '# check' in the file; `tfrules check FILE` and `tfrules data
    check` then show what is left to do.
    """
    from rich.text import Text

    from tfrules import api
    from tfrules.data.first_mapping import FirstMappingError, first_mapping
    from tfrules.run.atomic import write_text

    if not data.is_dir():
        fail(f"--data {data} is not a folder of data files")
    target = out or data / MAPPING_NAME
    if target.exists() and not force:
        fail(f"{target} already exists; give another --out, or --force")
    schema = api.load("national.phase1").schema
    try:
        text = first_mapping(data, schema)
    except FirstMappingError as exc:
        fail(str(exc))
    with plain_failures():
        write_text(target, text)
    guesses = text.count("# check")
    console().print(
        Text(
            f"wrote {target}: {guesses} guess(es) to check, marked '# check'. Then run "
            f"tfrules data check --data {data} --mapping {target}",
            style="bold",
        )
    )
    raise typer.Exit(EXIT_OK)
