"""Which tables and columns a checked ruleset reads, so that only those are
required of (and loaded from) a data set."""

from __future__ import annotations

from tfrules.model.ruleset import CheckedRuleset, ColumnRef
from tfrules.model.schema import Level


def required_columns(ruleset: CheckedRuleset) -> dict[str, set[str]]:
    schema = ruleset.schema
    notes = ruleset.annotations
    used: dict[str, set[str]] = {schema.households.name: set(), schema.persons.name: set()}
    for resolution in notes.all_resolutions():
        if isinstance(resolution, ColumnRef):
            used.setdefault(resolution.table, set()).add(resolution.column)
    tables = [info.table for info in notes.all_collections()]
    tables += [info.table for info in notes.all_windows()]
    for table in tables:
        columns = used.setdefault(table.name, set())
        if table.level is Level.EVENT:
            columns.update(
                c for c in (table.date_column, *(table.span or ()), *(table.term or ())) if c
            )
    if schema.persons.aged_by:
        used[schema.persons.name].add(schema.persons.aged_by)
    if schema.council_column is not None:
        used[schema.households.name].add(schema.council_column)
    return used
