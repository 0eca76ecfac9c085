"""Check a loaded data set against the data contract before anything is computed.

Every check is a boolean Polars expression, true on a row that breaks it. One
aggregate query per table evaluates all of them at once (how many rows break
each); the first row breaking each check that some row breaks is then found,
and fetched to describe it. Cross-table checks (an id that must exist in its owner table)
are anti-joins. Nothing here loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import polars as pl

from tfrules.data.csv_locate import first_broken_line
from tfrules.data.errors import DataError, DataProblem, format_value
from tfrules.data.inputs import LINE, SOURCE, TableInput
from tfrules.data.load import Dataset, inputs_from_frames, owner_table, row_key_column
from tfrules.data.row_checks import (
    ROW_RULES,
    Check,
    RowRule,
    column_checks,
    rule_checks,
    span_checks,
)
from tfrules.data.row_checks import cast_name as _cast
from tfrules.model.schema import Table

ROW = "__tfrules_row"

__all__ = [
    "ROW",
    "ROW_RULES",
    "RowRule",
    "duplicate_message",
    "duplicate_where",
    "located_problem",
    "orphan_message",
    "table_checks",
    "validate",
]


class _Unreadable(Exception):
    def __init__(self, problem: DataProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def validate(dataset: Dataset, row_rules: Mapping[str, tuple[RowRule, ...]] = ROW_RULES) -> None:
    """Raise `DataError` listing every problem in `dataset`; return if there is none."""
    found: dict[str, list[DataProblem]] = {}
    checked: dict[str, _Checked] = {}
    clean: set[str] = set()  # tables whose ids are none of them blank or padded
    owner_ids: dict[str, pl.LazyFrame] = {}
    # Schema order puts households and persons first, so an owner is checked
    # (and known to be readable) before the tables that point at it.
    inputs = dataset.inputs or inputs_from_frames(dataset.schema, dataset.frames)
    for name, inp in inputs.items():
        owner = owner_table(dataset.schema, inp.table)
        found[name] = list(inp.problems)
        readable = checked.get(owner.name) if owner is not None else None
        try:
            link = _link(inp, readable.inp if readable else None, clean, owner_ids)
            checked[name] = _check_rows(inp, owner, row_rules.get(name, ()), link)
        except _Unreadable as error:
            found[name].append(error.problem)
            continue
        key = inp.table.key
        if key is not None and not {(key, kind) for kind in ID_SHAPE} & checked[name].broken:
            clean.add(name)
    for group in _by_owner(checked.values()):
        for name, unreadable in _check_links(group).items():
            found[name].extend(unreadable)
    for name, table in checked.items():
        found[name].extend(table.problems())
    problems = [problem for name in inputs for problem in found[name]]
    if problems:
        raise DataError(problems, dataset.source_description)


#: The checks of an id's shape. An id that links a row to a clean owner (one
#: whose own ids are none of them blank or padded) can break them only where it
#: matches no owner, so they are made on those rows alone (same first row, same
#: count), spared the string work on every other row.
ID_SHAPE = frozenset({"blank", "padded"})


@attrs.frozen
class _Link:
    """A table's owner key, the owner's ids to find it among, and whether the
    owner is clean (so the link's shape checks need only its orphans)."""

    column: str
    owner: TableInput
    ids: pl.LazyFrame
    clean: bool


def _link(
    inp: TableInput,
    owner: TableInput | None,
    clean: set[str],
    owner_ids: dict[str, pl.LazyFrame],
) -> _Link | None:
    """How `inp` links to its (readable) owner, or None if it cannot be checked."""
    if owner is None:
        return None
    link, owner_key = inp.table.owner_key, owner.table.key
    if link is None or owner_key is None or link not in set(inp.casts) - inp.unusable:
        return None
    if owner_key not in set(owner.casts) - owner.unusable:
        return None
    name = owner.table.name
    if name not in owner_ids:
        # Left lazy: the tables that point at an owner are checked in one
        # anti-join (`_check_links`), which reads the ids once; held in memory
        # they cost as much again as its hash table (a third of a gigabyte more
        # at 10 million households)
        ids = owner.raw.select(owner.casts[owner_key].alias(OWNER_ID)).drop_nulls()
        owner_ids[name] = ids
    ids = owner_ids[name].rename({OWNER_ID: _cast(link)})
    return _Link(link, owner, ids, name in clean)


OWNER_ID = "__tfrules_owner_id"


def _frame(inp: TableInput, *, numbered: bool = True) -> pl.LazyFrame:
    """Raw columns, a row number (unless not `numbered`), and every usable
    column cast, side by side."""
    usable = [name for name in inp.casts if name not in inp.unusable]
    rows = inp.raw.with_row_index(ROW, offset=1) if numbered else inp.raw
    return rows.with_columns(inp.casts[name].alias(_cast(name)) for name in usable)


def _collect(lf: pl.LazyFrame, inp: TableInput) -> pl.DataFrame:
    """Collect, turning a failure to read the input into a located problem."""
    try:
        return lf.collect()
    except pl.exceptions.PolarsError as error:
        text = str(error).strip()
        detail = text.splitlines()[0] if text else type(error).__name__
        where = inp.path or f"the {inp.table.name} table"
        if inp.path is not None and inp.path.endswith(".csv"):
            broken = first_broken_line(Path(inp.path))
            if broken is not None:
                message = f"cannot read {where}: {broken.message}"
                problem = DataProblem(inp.table.name, None, None, None, None, message, inp.origin)
                raise _Unreadable(problem) from error
        for place in inp.places:  # the CSV files a mapping read, each as it was read
            if place.file is not None and place.csv is not None:
                delimiter, encoding, header_row = place.csv
                broken = first_broken_line(
                    Path(place.file), delimiter, encoding=encoding, header_row=header_row
                )
                if broken is not None:
                    message = f"cannot be read: {broken.message}"
                    problem = DataProblem(
                        inp.table.name, None, None, None, None, message, place.name
                    )
                    raise _Unreadable(problem) from error
        message = f"cannot read {where}: {detail}"
        if inp.path is not None and inp.path.endswith(".csv"):
            message += " (is it a UTF-8 CSV file with the same number of fields on every line?)"
        raise _Unreadable(
            DataProblem(inp.table.name, None, None, None, None, message, inp.origin)
        ) from error


@attrs.define
class _Checked:
    """A table's checks, and what the one query over its rows found of them
    (`summary`: per check i, `first{i}` and `count{i}`); the checks made only on
    rows linking to no owner, and those rows, are added by `_check_links`."""

    inp: TableInput
    checks: list[Check]
    frame: pl.LazyFrame
    summary: dict[str, Any]
    key: str | None
    link: _Link | None
    #: the indices of the checks made on the orphans alone
    on_orphans: list[int]

    @property
    def broken(self) -> set[tuple[str, str]]:
        """The (column, kind) of each check broken so far."""
        return {
            (check.column, check.kind)
            for i, check in enumerate(self.checks)
            if self.summary.get(f"count{i}")
        }

    def problems(self) -> list[DataProblem]:
        """In the order of the checks, then duplicate ids, then rows with no owner."""
        inp, summary = self.inp, self.summary
        failed = [
            (check, summary[f"first{i}"], summary[f"count{i}"])
            for i, check in enumerate(self.checks)
            if summary.get(f"count{i}")
        ]
        orphan_first = summary.get("orphan_first") if summary.get("orphans") else None
        wanted = [first for _, first, _ in failed] + ([orphan_first] if orphan_first else [])
        rows = _fetch_rows(self.frame, inp, wanted)
        found = [
            located_problem(inp, check.column, rows[first], count, *check.describe(rows[first]))
            for check, first, count in failed
        ]
        if self.key is not None and summary["duplicates"]:
            found.append(_duplicate_problem(self.frame, inp, self.key, summary["duplicates"]))
        if self.link is not None and orphan_first is not None:
            found.append(_orphan_problem(inp, self.link, rows[orphan_first], summary["orphans"]))
        return found


def table_checks(
    inp: TableInput, owner: Table | None, row_rules: tuple[RowRule, ...]
) -> tuple[list[Check], str | None]:
    """The row checks of a table, and its key if it is usable (to check for
    repeats); the Spark engine makes the same checks."""
    usable = [c for c in inp.columns if c.name in inp.casts and c.name not in inp.unusable]
    checks = column_checks(inp, owner, usable)
    checks += span_checks(inp.table, usable)
    checks += rule_checks(row_rules, usable)
    key = inp.table.key if inp.table.key in {c.name for c in usable} else None
    return checks, key


def _check_rows(
    inp: TableInput, owner: Table | None, row_rules: tuple[RowRule, ...], link: _Link | None
) -> _Checked:
    """Every check of the table's rows in one query, but those left to its orphans."""
    checks, key = table_checks(inp, owner, row_rules)
    shape = {(link.column, kind) for kind in ID_SHAPE} if link is not None and link.clean else set()
    on_orphans = [i for i, check in enumerate(checks) if (check.column, check.kind) in shape]

    frame = _frame(inp)
    # Rows are counted first, without numbering them: on data with no problem
    # (the usual case) the first row of each problem is never needed, and
    # finding it in the same pass cost as much again as counting.
    counted = [i for i in range(len(checks)) if i not in on_orphans]
    aggregates = [_bad(checks[i]).sum().cast(pl.Int64).alias(f"count{i}") for i in counted]
    if key is not None:
        aggregates.append(_repeats(key, hashed=True).alias("duplicates"))
    query = _frame(inp, numbered=False).select(aggregates)
    summary = dict(_collect(query, inp).row(0, named=True)) if aggregates else {}
    if key is not None and summary["duplicates"]:  # perhaps only ids whose hashes are alike
        summary["duplicates"] = _collect(frame.select(_repeats(key)), inp).item()
    failed = [i for i in counted if summary[f"count{i}"]]
    if failed:
        firsts = [pl.col(ROW).filter(_bad(checks[i])).min().alias(f"first{i}") for i in failed]
        summary.update(_collect(frame.select(firsts), inp).row(0, named=True))
    return _Checked(inp, checks, frame, summary, key, link, on_orphans)


def _bad(check: Check) -> pl.Expr:
    """True on a row that breaks `check` (false where that is unknown)."""
    return check.bad.fill_null(False)


def _repeats(key: str, *, hashed: bool = False) -> pl.Expr:
    """How many rows repeat an id of an earlier row. `hashed`: counted by the
    ids' 64-bit hashes, twice as fast over millions of text ids; two ids with
    the same hash count as a repeat, so this is never less than the true count,
    and is 0 exactly when no id is repeated: a count above 0 is counted again."""
    ids = pl.col(_cast(key)).drop_nulls()
    return pl.col(_cast(key)).count() - (ids.hash().n_unique() if hashed else ids.n_unique())


def _counted(check: Check, i: int) -> list[pl.Expr]:
    """The first row breaking `check` and how many do, as aggregates."""
    bad = _bad(check)
    return [
        pl.col(ROW).filter(bad).min().alias(f"first{i}"),
        bad.sum().cast(pl.Int64).alias(f"count{i}"),
    ]


def _by_owner(checked: Iterable[_Checked]) -> list[list[_Checked]]:
    """The tables with a link to check, grouped by owner, link column and cleanness."""
    groups: dict[tuple[str, str, bool], list[_Checked]] = {}
    for table in checked:
        if table.link is not None:
            link = table.link
            groups.setdefault((link.owner.table.name, link.column, link.clean), []).append(table)
    return list(groups.values())


TABLE = "__tfrules_table"


def _check_links(group: list[_Checked]) -> dict[str, list[DataProblem]]:
    """Rows of every table of `group` whose link matches no owner: one anti-join
    for them all (the owner's ids are hashed once), counted per table, with the
    checks left to those rows. A table that cannot be read here is checked alone,
    so that the problem names it; returns such tables' problems."""
    unreadable: dict[str, list[DataProblem]] = {}
    try:
        _orphans(group)
    except pl.exceptions.PolarsError:
        for table in group:
            try:
                _orphans([table])
            except pl.exceptions.PolarsError:
                try:  # names the file that cannot be read; else a real failure
                    _collect(_linked_rows(table, 0), table.inp)
                except _Unreadable as error:
                    unreadable[table.inp.table.name] = [error.problem]
                    continue
                raise
    return unreadable


def _linked_rows(table: _Checked, index: int) -> pl.LazyFrame:
    assert table.link is not None
    column = _cast(table.link.column)
    return table.frame.select(pl.lit(index, pl.Int32).alias(TABLE), ROW, column)


def _orphans(group: list[_Checked]) -> None:
    """Count the orphans of each table of `group` (and make the checks left to
    them) into its summary.

    First, which tables have one at all: their ids are looked up with each row
    that repeats the id of the row before it left out. An extract usually keeps
    a person's rows together, so few ids are left to look up (a sixth, over the
    events of the synthetic data: 1.7 CPU s against 2.5 at a million
    households); in any order the answer is the same. Rows are counted, and the
    first found, only in the tables that have an orphan."""
    first = group[0]
    assert first.link is not None
    column = _cast(first.link.column)
    ids = pl.concat([_link_ids(table, i) for i, table in enumerate(group)])
    lookup = ids.filter(pl.col(column).is_not_null()).join(
        first.link.ids, on=column, how="anti", build_side="force_right"
    )
    having = set(lookup.select(pl.col(TABLE).unique()).collect()[TABLE].to_list())
    for i, table in enumerate(group):
        if i not in having:
            table.summary["orphan_first"] = None
            table.summary["orphans"] = 0
            for index in table.on_orphans:
                table.summary[f"first{index}"] = None
                table.summary[f"count{index}"] = 0
    if having:
        _count_orphans([table for i, table in enumerate(group) if i in having])


def _link_ids(table: _Checked, index: int) -> pl.LazyFrame:
    """A table's owner ids, each row whose id is the row before's left out."""
    assert table.link is not None
    link = pl.col(_cast(table.link.column))
    frame = _frame(table.inp, numbered=False)
    return frame.select(pl.lit(index, pl.Int32).alias(TABLE), link).filter(
        link.ne_missing(link.shift())
    )


def _count_orphans(group: list[_Checked]) -> None:
    """The orphans of each table of `group`, counted, with the first of them and
    the checks left to them."""
    first = group[0]
    assert first.link is not None
    column = _cast(first.link.column)
    rows = pl.concat([_linked_rows(table, i) for i, table in enumerate(group)])
    orphans = rows.filter(pl.col(column).is_not_null()).join(first.link.ids, on=column, how="anti")
    # the checks left to the orphans are the same in every table of the group
    left = {first.checks[i].kind: first.checks[i] for i in first.on_orphans}
    counted = [
        pl.col(ROW).min().alias("orphan_first"),
        pl.len().alias("orphans"),
        *(
            e.alias(f"{kind}_{e.meta.output_name()}")
            for kind, c in left.items()
            for e in _counted(c, 0)
        ),
    ]
    found = {
        row[TABLE]: row
        for row in orphans.group_by(TABLE).agg(counted).collect().iter_rows(named=True)
    }
    for i, table in enumerate(group):
        row = found.get(i, {})
        table.summary["orphan_first"] = row.get("orphan_first")
        table.summary["orphans"] = row.get("orphans", 0)
        for index in table.on_orphans:
            kind = table.checks[index].kind
            table.summary[f"first{index}"] = row.get(f"{kind}_first0")
            table.summary[f"count{index}"] = row.get(f"{kind}_count0", 0)


def _fetch_rows(frame: pl.LazyFrame, inp: TableInput, rows: list[int]) -> dict[int, dict]:
    if not rows:
        return {}
    found = _collect(frame.filter(pl.col(ROW).is_in(rows)), inp)
    return {r[ROW]: r for r in found.iter_rows(named=True)}


def located_problem(
    inp: TableInput, column: str, row: Mapping[str, Any], count: int, value: Any, message: str
) -> DataProblem:
    key_column = row_key_column(inp.table)
    key = row.get(key_column) if key_column is not None else None
    source, word, number = _place(inp, row)
    heading = inp.headings.get((row.get(SOURCE, 0), column)) if column else None
    return DataProblem(
        table=inp.table.name,
        column=column,
        key=None if key is None else str(key),
        row=number,
        value=value,
        message=message,
        source=source,
        key_column=key_column,
        count=count,
        row_word=word,
        heading=heading,
    )


def _place(inp: TableInput, row: Mapping[str, Any]) -> tuple[str, str, int]:
    """Where a row is, as a person would look for it: the source, and its line or row."""
    if inp.places and row.get(SOURCE) is not None:
        place = inp.places[row[SOURCE]]
        return place.name, place.row_word, row[LINE]
    if len(inp.places) == 1:  # one source: its lines follow the rows
        place = inp.places[0]
        return place.name, place.row_word, row[ROW] + place.first_row - 1
    return inp.origin, "row", row[ROW]


def _located(inp: TableInput, row: Mapping[str, Any]) -> str:
    source, word, number = _place(inp, row)
    return f"{source} {word} {number}"


def _duplicate_problem(frame: pl.LazyFrame, inp: TableInput, key: str, extra: int) -> DataProblem:
    ids = pl.col(_cast(key))
    first = _collect(
        frame.filter(ids.is_duplicated() & ids.is_not_null()).sort(ROW).head(1), inp
    ).row(0, named=True)
    value = first[_cast(key)]
    second = _collect(
        frame.filter((ids == value) & (pl.col(ROW) != first[ROW])).sort(ROW).head(1), inp
    ).row(0, named=True)
    message = duplicate_message(value, key, duplicate_where(inp, first, second))
    return located_problem(inp, key, {**first, key: value}, extra, value, message)


def duplicate_where(inp: TableInput, first: Mapping[str, Any], second: Mapping[str, Any]) -> str:
    """Where the two rows of a repeated id are: `rows 3 and 7`, or each in its own source."""
    if len(inp.places) > 1:
        return f"{_located(inp, first)} and {_located(inp, second)}"
    _, word, number = _place(inp, first)
    return f"{word}s {number} and {_place(inp, second)[2]}"


def duplicate_message(value: Any, key: str, where: str) -> str:
    """What to say of an id used on more than one row (`where`: which rows)."""
    return f"{format_value(value)} is used on more than one row ({where}), but {key} must be unique"


def orphan_message(owner: TableInput, value: Any) -> str:
    """What to say of a row whose owner key is no id of its owner table."""
    noun = owner.table.level.label
    return f"there is no {noun} with {owner.table.key} {format_value(value)} in {owner.origin}"


def _orphan_problem(
    inp: TableInput, link: _Link, row: Mapping[str, Any], count: int
) -> DataProblem:
    """Rows whose owner key is an id of no owner (a person's household, …)."""
    value = row[_cast(link.column)]
    noun = link.owner.table.level.label
    owner_key = link.owner.table.key
    message = f"there is no {noun} with {owner_key} {format_value(value)} in {link.owner.origin}"
    return located_problem(inp, link.column, row, count, value, message)
