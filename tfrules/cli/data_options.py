"""What every command that reads household data shares: the `--mapping` and
`--database` options, and the warnings that no run passes over in silence
(files that feed no table, tables not supplied)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from tfrules import api
from tfrules.check.workspace import PathError
from tfrules.cli.output import DiagnosticFormat, console, print_diagnostics
from tfrules.data.database import env_name, unaddressed
from tfrules.data.inventory import MAPPING_NAME
from tfrules.data.load import Dataset
from tfrules.model.mapping import CheckedMapping
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.provenance import SourceRow

EXIT_ERRORS, EXIT_USAGE = 1, 2

MAPPING_HELP = (
    "A mapping file (.tfr) saying how the data folder's own files, headings and values map "
    f"onto the canonical tables. Without it, the folder's own {MAPPING_NAME} is used if it "
    "has one."
)
DATABASE_HELP = (
    "The address of a database the mapping reads, NAME=ADDRESS (such as "
    "housing=postgresql://user:password@host/db); repeatable. Or set TFRULES_DATABASE_NAME. "
    "Addresses are never printed."
)


def check_addresses(mapping: CheckedMapping | None, addresses: dict[str, str]) -> None:
    """Exit 2 if the mapping reads a database whose address is not given."""
    for name in unaddressed(mapping, addresses):
        typer.echo(
            f"tfrules: the mapping reads the database '{name}', but no address is given for it: "
            f"run with --database {name}=ADDRESS, or set the environment variable {env_name(name)}",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)


def connections(values: Iterable[str]) -> dict[str, str]:
    """`--database NAME=ADDRESS` options as a dictionary (exit 2 on a bad one)."""
    found: dict[str, str] = {}
    for value in values:
        name, sep, address = value.partition("=")
        if not sep or not name.strip() or not address.strip():
            typer.echo(
                "tfrules: --database takes NAME=ADDRESS, such as housing=postgresql://user@host/db",
                err=True,
            )
            raise typer.Exit(EXIT_USAGE)
        found[name.strip()] = address.strip()
    return found


def load_mapping(data: Path, mapping: Path | None) -> CheckedMapping | None:
    """The mapping given, or the one beside the data; exit 1 with its problems."""
    path = mapping or api.mapping_beside(data)
    if path is None:
        return None
    try:
        checked = api.load_mapping(path)
    except api.RulesError as exc:
        print_diagnostics(exc.diagnostics, exc.sources, DiagnosticFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS) from None
    except PathError as exc:
        typer.echo(f"tfrules: --mapping {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if mapping is None:
        note = f"reading {data} through its mapping {path}"
        console(stderr=True).print(Text(note, style="dim"))
    return checked


def warn_about_data(dataset: Dataset, rulesets: Sequence[CheckedRuleset]) -> None:
    """Say, on standard error, which files fed no table and which tables the
    rules read were not supplied (every fact drawn from them is unknown)."""
    lines = data_warnings(dataset, rulesets)
    if lines:
        out = console(stderr=True)
        for line in lines:
            out.print(Text(line, style="yellow"))


def data_warnings(dataset: Dataset, rulesets: Sequence[CheckedRuleset]) -> list[str]:
    found: list[str] = []
    inventory = dataset.inventory
    if inventory is not None and inventory.unmatched:
        files = "; ".join(u.describe() for u in inventory.unmatched)
        found.append(
            f"warning: {len(inventory.unmatched)} file(s) in {dataset.source_description} "
            f"feed no table and were not read: {files}. Rename a file after its table, "
            "or say in a mapping where it belongs (or that it is to be ignored)"
        )
    missing = sorted(dataset.missing_tables)
    if missing:
        read_by = sorted({r.name for r in rulesets})
        found.append(
            f"warning: tables not supplied: {', '.join(missing)}; every fact the rules of "
            f"{', '.join(read_by)} draw from them is unknown"
        )
    return found


def print_sources(rows: tuple[SourceRow, ...]) -> None:
    """The sources a mapping read, who supplied each and when (nothing if none)."""
    if not rows:
        return
    table = Table(title="Sources of the data", title_justify="left")
    for heading in ("table", "source", "supplied by", "extracted"):
        table.add_column(heading)
    for row in rows:
        extracted = row.extracted.isoformat() if row.extracted else ""
        table.add_row(row.table, row.source, row.supplied_by or "", extracted)
    console().print(table)


def write_text_atomically(target: Path, text: str) -> None:
    """Write `text` to `target` through a temporary file beside it and a rename,
    so that a failed write never leaves half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
