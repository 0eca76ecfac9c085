"""Check a loaded data set against the data contract before anything is computed.

Every check is a boolean Polars expression, true on a row that breaks it. One
aggregate query per table evaluates all of them at once (how many rows break
each, and the first such row number); only the rows found are then fetched to
describe them. Cross-table checks (an id that must exist in its owner table)
are anti-joins. Nothing here loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
    problems: list[DataProblem] = []
    readable: dict[str, TableInput] = {}
    # Schema order puts households and persons first, so an owner is checked
    # (and known to be readable) before the tables that point at it.
    inputs = dataset.inputs or inputs_from_frames(dataset.schema, dataset.frames)
    for name, inp in inputs.items():
        owner = owner_table(dataset.schema, inp.table)
        problems.extend(inp.problems)
        try:
            problems.extend(_check_table(inp, owner, row_rules.get(name, ())))
            if owner is not None and owner.name in readable:
                problems.extend(_check_owner(inp, readable[owner.name]))
        except _Unreadable as error:
            problems.append(error.problem)
            continue
        readable[name] = inp
    if problems:
        raise DataError(problems, dataset.source_description)


def _frame(inp: TableInput) -> pl.LazyFrame:
    """Raw columns, a row number, and every usable column cast, side by side."""
    usable = [name for name in inp.casts if name not in inp.unusable]
    return inp.raw.with_row_index(ROW, offset=1).with_columns(
        inp.casts[name].alias(_cast(name)) for name in usable
    )


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


def table_checks(
    inp: TableInput, owner: Table | None, row_rules: tuple[RowRule, ...]
) -> tuple[list[Check], str | None]:
    """The row checks of a table, and its key if it is usable (to check for repeats)."""
    usable = [c for c in inp.columns if c.name in inp.casts and c.name not in inp.unusable]
    checks = column_checks(inp, owner, usable)
    checks += span_checks(inp.table, usable)
    checks += rule_checks(row_rules, usable)
    key = inp.table.key if inp.table.key in {c.name for c in usable} else None
    return checks, key


def _check_table(
    inp: TableInput, owner: Table | None, row_rules: tuple[RowRule, ...]
) -> list[DataProblem]:
    checks, key = table_checks(inp, owner, row_rules)

    frame = _frame(inp)
    aggregates: list[pl.Expr] = []
    for i, check in enumerate(checks):
        bad = check.bad.fill_null(False)
        aggregates.append(pl.col(ROW).filter(bad).min().alias(f"first{i}"))
        aggregates.append(bad.sum().cast(pl.Int64).alias(f"count{i}"))
    if key is not None:
        ids = pl.col(_cast(key))
        aggregates.append((ids.count() - ids.drop_nulls().n_unique()).alias("duplicates"))
    if not aggregates:
        return []
    summary = _collect(frame.select(aggregates), inp).row(0, named=True)

    failed = [
        (check, summary[f"first{i}"], summary[f"count{i}"])
        for i, check in enumerate(checks)
        if summary[f"count{i}"]
    ]
    rows = _fetch_rows(frame, inp, [first for _, first, _ in failed])
    problems = [
        located_problem(inp, check.column, rows[first], count, *check.describe(rows[first]))
        for check, first, count in failed
    ]
    if key is not None and summary["duplicates"]:
        problems.append(_duplicate_problem(frame, inp, key, summary["duplicates"]))
    return problems


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
    if len(inp.places) > 1:
        where = f"{_located(inp, first)} and {_located(inp, second)}"
    else:
        _, word, number = _place(inp, first)
        where = f"{word}s {number} and {_place(inp, second)[2]}"
    message = duplicate_message(value, key, where)
    return located_problem(inp, key, {**first, key: value}, extra, value, message)


def duplicate_message(value: Any, key: str, where: str) -> str:
    """What to say of an id used on more than one row (`where`: which rows)."""
    return f"{format_value(value)} is used on more than one row ({where}), but {key} must be unique"


def orphan_message(owner: TableInput, value: Any) -> str:
    """What to say of a row whose owner key is no id of its owner table."""
    noun = owner.table.level.label
    return f"there is no {noun} with {owner.table.key} {format_value(value)} in {owner.origin}"


def _check_owner(inp: TableInput, owner: TableInput) -> list[DataProblem]:
    """Every owner key must be an id of the owner table (a person's household, …)."""
    link, owner_key = inp.table.owner_key, owner.table.key
    usable = set(inp.casts) - inp.unusable
    if link is None or owner_key is None or link not in usable:
        return []
    if owner_key not in set(owner.casts) - owner.unusable:
        return []
    ids = owner.raw.select(owner.casts[owner_key].alias(_cast(link))).drop_nulls()
    frame = _frame(inp)
    orphans = frame.filter(pl.col(_cast(link)).is_not_null()).join(ids, on=_cast(link), how="anti")
    summary = _collect(orphans.select(pl.col(ROW).min().alias("first"), pl.len()), inp)
    first, count = summary.row(0)
    if not count:
        return []
    row = _fetch_rows(frame, inp, [first])[first]
    value = row[_cast(link)]
    return [located_problem(inp, link, row, count, value, orphan_message(owner, value))]
