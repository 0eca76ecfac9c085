"""`tfrules data check`: what a data folder holds, before any rule runs.

Each table found and its sources, its rows, the columns a ruleset needs and
how many of each are empty; files that feed no table; tables not supplied and
the rules that read them (and so may come out unknown); school-term coverage
(school-age children with no row for a term, by term); and every contract
error, as `eval` reports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import attrs
import polars as pl

from tfrules.check.usage import required_columns
from tfrules.data.errors import DataError, DataProblem
from tfrules.data.inventory import Inventory, Unmatched, take_inventory
from tfrules.data.load import Dataset, load_dataset
from tfrules.data.validate import validate
from tfrules.model.mapping import CheckedMapping
from tfrules.model.ruleset import CheckedRuleset, ColumnRef, RuleRef
from tfrules.model.schema import Schema
from tfrules.semantics import calendar
from tfrules.semantics import calendar_exprs as cal
from tfrules.syntax import ast
from tfrules.syntax.walk import walk

#: School age, in completed years on a term's first day (as the national rules have it).
SCHOOL_AGE = (5, 15)
#: How many terms back the coverage looks, ending with the latest.
TERMS_SHOWN = 6


@attrs.frozen
class TableReport:
    table: str
    sources: tuple[str, ...]
    rows: int | None
    #: Empty values of each column the rules need (None: the table could not be read).
    nulls: Mapping[str, int] = attrs.field(factory=dict)


@attrs.frozen
class TermCoverage:
    academic_year: int
    term: str
    children: int
    missing: int


@attrs.frozen
class DataCheck:
    folder: str
    mapping: str | None
    ruleset: str | None
    tables: tuple[TableReport, ...]
    unmatched: tuple[Unmatched, ...]
    #: Tables not supplied, each with the rules that read them.
    not_supplied: Mapping[str, tuple[str, ...]]
    terms: tuple[TermCoverage, ...]
    problems: tuple[DataProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_data(
    folder: Path,
    schema: Schema,
    *,
    ruleset: CheckedRuleset | None = None,
    mapping: CheckedMapping | None = None,
    connections: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
) -> DataCheck:
    """Everything `tfrules data check` reports about `folder`."""
    required = required_columns(ruleset) if ruleset is not None else None
    inventory = take_inventory(folder, schema, mapping)
    problems: list[DataProblem] = []
    dataset: Dataset | None = None
    try:
        dataset = load_dataset(folder, schema, required, mapping=mapping, connections=connections)
        validate(dataset)
    except DataError as error:
        problems = list(error.problems)
    tables = _tables(dataset, inventory, schema) if dataset is not None else ()
    readers = rules_reading(ruleset) if ruleset is not None else {}
    wanted = set(required) if required is not None else {t.name for t in schema.tables}
    not_supplied = {
        table.name: tuple(readers.get(table.name, ()))
        for table in schema.tables
        if table.name not in inventory.sources
        and table.name in wanted
        and not table.empty_when_missing
    }
    terms = _term_coverage(dataset, schema, as_of) if dataset is not None and not problems else ()
    return DataCheck(
        str(folder),
        mapping.file if mapping is not None else None,
        ruleset.name if ruleset is not None else None,
        tables,
        inventory.unmatched,
        not_supplied,
        terms,
        tuple(problems),
    )


def _tables(dataset: Dataset, inventory: Inventory, schema: Schema) -> tuple[TableReport, ...]:
    found = []
    for table in schema.tables:
        frame = dataset.frames.get(table.name)
        if frame is None or table.name not in inventory.sources:
            continue
        names = frame.collect_schema().names()
        try:
            counts = frame.select(
                pl.len().alias("__rows"), *(pl.col(n).null_count().alias(n) for n in names)
            ).collect()
        except pl.exceptions.PolarsError:
            found.append(TableReport(table.name, inventory.sources[table.name], None))
            continue
        row = counts.row(0, named=True)
        nulls = {n: int(row[n]) for n in names}
        found.append(TableReport(table.name, inventory.sources[table.name], row["__rows"], nulls))
    return tuple(found)


def rules_reading(ruleset: CheckedRuleset) -> dict[str, list[str]]:
    """For each table, the household rules that read it, directly or through other rules."""
    notes = ruleset.annotations
    direct: dict[str, set[str]] = {}
    uses: dict[str, set[str]] = {}
    for name, rule in ruleset.rules.items():
        tables, rules = set(), set()
        for node in walk(rule.body) if rule.body is not None else ():
            if isinstance(node, ast.Name):
                resolved = notes.resolution_or_none(node)
                if isinstance(resolved, ColumnRef):
                    tables.add(resolved.table)
                elif isinstance(resolved, RuleRef):
                    rules.add(resolved.name)
            elif isinstance(node, ast.Collection):
                tables.add(notes.collection(node).table.name)
            elif isinstance(node, ast.InWindow) and node.date is None:
                tables.add(notes.window(node).table.name)
        direct[name], uses[name] = tables, rules
    reads: dict[str, set[str]] = {}
    for name in ruleset.rules:
        seen, stack, tables = {name}, [name], set()
        while stack:
            current = stack.pop()
            tables |= direct.get(current, set())
            for used in uses.get(current, set()) - seen:
                seen.add(used)
                stack.append(used)
        reads[name] = tables
    found: dict[str, list[str]] = {}
    for name in ruleset.output_rules:
        for table in sorted(reads[name]):
            found.setdefault(table, []).append(name)
    return found


def _term_coverage(
    dataset: Dataset, schema: Schema, as_of: dt.date | None
) -> tuple[TermCoverage, ...]:
    terms = next((t for t in schema.tables if t.term is not None), None)
    persons = schema.persons
    if terms is None or terms.name not in dataset.frames or persons.aged_by is None:
        return ()
    year, term = terms.term  # type: ignore[misc]
    rows = dataset.frames[terms.name].select(
        pl.col(terms.owner_key).alias("person"),  # type: ignore[arg-type]
        cal.term_index_of(pl.col(year), pl.col(term)).alias("term"),
    )
    if as_of is not None:
        last = calendar.term_index(as_of)
    else:
        last = rows.select(pl.col("term").max()).collect().item()
    if last is None:
        return ()
    indexes = pl.LazyFrame({"term": list(range(last - TERMS_SHOWN + 1, last + 1))})
    children = (
        dataset.frames[persons.name]
        .select(pl.col(persons.key).alias("person"), pl.col(persons.aged_by).alias("born"))
        .join(indexes, how="cross")
        .with_columns(cal.age(pl.col("born"), cal.term_start(pl.col("term"))).alias("age"))
        .filter(pl.col("age").is_between(*SCHOOL_AGE))
    )
    missing = children.join(rows.unique(), on=["person", "term"], how="anti")
    counts = (
        children.group_by("term")
        .len("children")
        .join(missing.group_by("term").len("missing"), on="term", how="left")
        .sort("term")
        .collect()
    )
    return tuple(
        TermCoverage(
            r["term"] // 3, calendar.TERMS[r["term"] % 3], r["children"], r["missing"] or 0
        )
        for r in counts.iter_rows(named=True)
    )
