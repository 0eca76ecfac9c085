"""Check a loaded data set against the data contract before anything is computed.

Every check is a boolean Polars expression, true on a row that breaks it. One
aggregate query per table evaluates all of them at once (how many rows break
each, and the first such row number); only the rows found are then fetched to
describe them. Cross-table checks (an id that must exist in its owner table)
are anti-joins. Nothing here loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import polars as pl

from tfrules.data.errors import DataError, DataProblem, format_value
from tfrules.data.load import (
    EXPECTED,
    Dataset,
    TableInput,
    inputs_from_frames,
    owner_table,
    row_key_column,
)
from tfrules.model.schema import Column, Table
from tfrules.model.types import Kind

ROW = "__tfrules_row"


def _cast(name: str) -> str:
    return f"__tfrules_cast_{name}"


@attrs.frozen
class RowRule:
    """A rule relating several columns of one row of a table.

    `broken` gets the (cast) columns by name and returns a boolean expression,
    true on a row that breaks the rule; `describe` gets that row's values by
    name and says what is wrong. The rule is checked only when every column in
    `uses` is loaded, and none in `unless` (a fuller rule covers that case).
    """

    column: str
    uses: tuple[str, ...]
    broken: Callable[[Mapping[str, pl.Expr]], pl.Expr]
    describe: Callable[[Mapping[str, Any]], str]
    unless: tuple[str, ...] = ()


def _absences_over_possible(c: Mapping[str, pl.Expr]) -> pl.Expr:
    absences = c["sessions_authorised_absence"] + c["sessions_unauthorised_absence"]
    return absences > c["sessions_possible"]


#: The canonical model's own rules across columns, by table name. Generic rules
#: (types, ids, owners, counts, categories, spans) come from the schema itself.
ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "school_terms": (
        RowRule(
            column="sessions_possible",
            uses=(
                "sessions_authorised_absence",
                "sessions_unauthorised_absence",
                "sessions_possible",
            ),
            broken=_absences_over_possible,
            describe=lambda r: (
                f"absences ({r['sessions_authorised_absence']} authorised + "
                f"{r['sessions_unauthorised_absence']} unauthorised) are more than "
                f"the {r['sessions_possible']} sessions possible"
            ),
        ),
        # when the ruleset does not read authorised absences, at least this holds
        RowRule(
            column="sessions_possible",
            uses=("sessions_unauthorised_absence", "sessions_possible"),
            broken=lambda c: c["sessions_unauthorised_absence"] > c["sessions_possible"],
            describe=lambda r: (
                f"{r['sessions_unauthorised_absence']} unauthorised absences are more than "
                f"the {r['sessions_possible']} sessions possible"
            ),
            unless=("sessions_authorised_absence",),
        ),
    ),
}


#: Says what is wrong with a located row: (the offending value, the message).
Describe = Callable[[Mapping[str, Any]], tuple[Any, str]]


@attrs.frozen
class _Check:
    """One single-table check: `bad` is true on a row that breaks it."""

    column: str
    bad: pl.Expr
    describe: Describe


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
        message = f"cannot read {where}: {detail}"
        if inp.path is not None and inp.path.endswith(".csv"):
            message += " (is it a UTF-8 CSV file with the same number of fields on every line?)"
        raise _Unreadable(
            DataProblem(inp.table.name, None, None, None, None, message, inp.origin)
        ) from error


def _check_table(
    inp: TableInput, owner: Table | None, row_rules: tuple[RowRule, ...]
) -> list[DataProblem]:
    table = inp.table
    usable = [c for c in inp.columns if c.name in inp.casts and c.name not in inp.unusable]
    checks = _column_checks(table, owner, usable)
    checks += _span_checks(table, usable)
    checks += _rule_checks(row_rules, usable)
    key = table.key if table.key in {c.name for c in usable} else None

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
        _problem(inp, check.column, rows[first], count, *check.describe(rows[first]))
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


def _problem(
    inp: TableInput, column: str, row: Mapping[str, Any], count: int, value: Any, message: str
) -> DataProblem:
    key_column = row_key_column(inp.table)
    key = row.get(key_column) if key_column is not None else None
    return DataProblem(
        table=inp.table.name,
        column=column,
        key=None if key is None else str(key),
        row=row[ROW],
        value=value,
        message=message,
        source=inp.origin,
        key_column=key_column,
        count=count,
    )


def _is_id(table: Table, column: Column) -> bool:
    return column.name in (table.key, table.owner_key)


def _is_count(table: Table, column: Column) -> bool:
    """Columns the schema declares as counts (`count`): ints that cannot be negative."""
    return column.non_negative


def _column_checks(table: Table, owner: Table | None, columns: list[Column]) -> list[_Check]:
    checks: list[_Check] = []
    for column in columns:
        name, raw, cast = column.name, pl.col(column.name), pl.col(_cast(column.name))
        checks.append(_Check(name, raw.is_not_null() & cast.is_null(), _describe_type(column)))
        if _is_id(table, column) or not column.nullable:
            checks.append(_Check(name, raw.is_null(), _describe_null(table, owner, column)))
        if column.type.kind is Kind.CATEGORY and column.type.values:
            unknown = cast.is_not_null() & ~cast.is_in(list(column.type.values))
            checks.append(_Check(name, unknown, _describe_category(column)))
        if _is_count(table, column):
            checks.append(_Check(name, cast < 0, _describe_negative(column)))
    return checks


def _describe_type(column: Column) -> Describe:
    expected = EXPECTED[column.type.kind]

    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[column.name]
        return value, f"{format_value(value)} is not {expected}"

    return describe


def _describe_category(column: Column) -> Describe:
    allowed = ", ".join(column.type.values)

    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[column.name]
        message = (
            f"{format_value(value)} is not an allowed value of {column.name} "
            f"(allowed: {allowed}; capitals matter)"
        )
        return value, message

    return describe


def _describe_negative(column: Column) -> Describe:
    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[_cast(column.name)]
        message = f"{value} is negative, but {column.name} is a count and cannot be below 0"
        return value, message

    return describe


def _describe_null(table: Table, owner: Table | None, column: Column) -> Describe:
    if column.name == table.key:
        message = f"{column.name} is empty, but every row needs one (it is the row's id)"
    elif column.name == table.owner_key:
        noun = owner.level.label if owner is not None else "owner"
        message = f"{column.name} is empty, but every row must say which {noun} it belongs to"
    else:
        message = f"{column.name} is empty, but it must always be filled in"
    return lambda _row: (None, message)


def _span_checks(table: Table, columns: list[Column]) -> list[_Check]:
    names = {c.name for c in columns}
    if table.span is None or not set(table.span) <= names:
        return []
    start, end = table.span
    return [
        _Check(
            end,
            pl.col(_cast(end)) < pl.col(_cast(start)),
            lambda r: (
                r[_cast(end)],
                f"{end} {r[_cast(end)]} is before {start} {r[_cast(start)]}",
            ),
        )
    ]


def _rule_checks(rules: tuple[RowRule, ...], columns: list[Column]) -> list[_Check]:
    names = {c.name for c in columns}
    checks = []
    for rule in rules:
        if not set(rule.uses) <= names or set(rule.unless) & names:
            continue
        exprs = {n: pl.col(_cast(n)) for n in rule.uses}
        checks.append(
            _Check(
                rule.column,
                rule.broken(exprs),
                lambda r, rule=rule: (
                    {n: r[_cast(n)] for n in rule.uses},
                    rule.describe({n: r[_cast(n)] for n in rule.uses}),
                ),
            )
        )
    return checks


def _duplicate_problem(frame: pl.LazyFrame, inp: TableInput, key: str, extra: int) -> DataProblem:
    ids = pl.col(_cast(key))
    first = _collect(
        frame.filter(ids.is_duplicated() & ids.is_not_null()).select(ROW, ids).sort(ROW).head(1),
        inp,
    ).row(0)
    row, value = first
    second = _collect(
        frame.filter((ids == value) & (pl.col(ROW) != row)).select(pl.col(ROW).min()), inp
    ).item()
    message = (
        f"{format_value(value)} is used on more than one row (rows {row} and {second}), "
        f"but {key} must be unique"
    )
    return _problem(inp, key, {ROW: row, key: value}, extra, value, message)


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
    noun = owner.table.level.label
    message = f"there is no {noun} with {owner_key} {format_value(value)} in {owner.origin}"
    return [_problem(inp, link, row, count, value, message)]
