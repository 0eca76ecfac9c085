"""Where the data came from: each source a mapping read, the agency that
supplied it and the date of the extract, carried into summaries and reports."""

from __future__ import annotations

import datetime as dt

import attrs

from tfrules.data.load import Dataset


@attrs.frozen
class SourceRow:
    table: str
    source: str
    supplied_by: str | None = None
    extracted: dt.date | None = None


def provenance_rows(dataset: Dataset) -> tuple[SourceRow, ...]:
    """One row per source of each table read through a mapping, in schema order."""
    return tuple(
        SourceRow(table, place.name, place.supplied_by, place.extracted)
        for table, places in dataset.provenance().items()
        for place in places
    )


def provenance_markdown(rows: tuple[SourceRow, ...]) -> list[str]:
    """The 'Sources of the data' section of a Markdown report (no lines if none)."""
    if not rows:
        return []
    lines = ["", "## Sources of the data", ""]
    lines += ["| table | source | supplied by | extracted |", "|---|---|---|---|"]
    for row in rows:
        extracted = row.extracted.isoformat() if row.extracted else ""
        lines.append(f"| {row.table} | {row.source} | {row.supplied_by or ''} | {extracted} |")
    return lines
