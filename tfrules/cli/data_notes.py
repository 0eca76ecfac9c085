"""What every command that reads household data prints beside its own output:
the warnings no run passes over in silence (files that feed no table, tables
not supplied), and the sources a mapping read, who supplied each and when."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tfrules.cli.output import console

if TYPE_CHECKING:
    from tfrules.data.load import Dataset
    from tfrules.model.ruleset import CheckedRuleset
    from tfrules.report.provenance import SourceRow


def warn_about_data(dataset: Dataset, rulesets: Sequence[CheckedRuleset]) -> None:
    """Say, on standard error, which files fed no table and which tables the
    rules read were not supplied (every fact drawn from them is unknown)."""
    from rich.text import Text

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
    if inventory is not None:
        # a file given for a table these rules read is an error when it is read;
        # for the others, the mapping is wrong all the same, and says so here
        for table, pattern in inventory.not_found:
            if table not in dataset.inputs:
                found.append(
                    f'warning: the mapping gives "{pattern}" for {table}, but no file in '
                    f"{dataset.source_description} is named so (these rules do not read "
                    f"{table}; rules that do would stop at it)"
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
    from rich.table import Table

    if not rows:
        return
    table = Table(title="Sources of the data", title_justify="left")
    for heading in ("table", "source", "supplied by", "extracted"):
        table.add_column(heading)
    for row in rows:
        extracted = row.extracted.isoformat() if row.extracted else ""
        table.add_row(row.table, row.source, row.supplied_by or "", extracted)
    console().print(table)
