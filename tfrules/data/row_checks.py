"""The checks of one table's rows, each a boolean Polars expression true on a
row that breaks it, with what to say about such a row.

Generic checks come from the schema (types, ids, counts, categories, spans,
the supported dates and sizes of amounts); `ROW_RULES` holds the canonical
model's own rules across the columns of a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import polars as pl

from tfrules.data.casts import EXPECTED
from tfrules.data.errors import format_value
from tfrules.data.inputs import TableInput
from tfrules.model.schema import Column, Table
from tfrules.model.types import Kind
from tfrules.semantics.calendar import EARLIEST_DATE, LATEST_DATE
from tfrules.semantics.values import LARGEST_AMOUNT


def cast_name(name: str) -> str:
    """The column of a validation frame holding column `name` cast to its type."""
    return f"__tfrules_cast_{name}"


_cast = cast_name


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
class Check:
    """One single-table check: `bad` is true on a row that breaks it."""

    column: str
    bad: pl.Expr
    describe: Describe
    #: "blank" or "padded" for those checks of an id (see validate's owner check).
    kind: str = ""


def _is_id(table: Table, column: Column) -> bool:
    return column.name in (table.key, table.owner_key)


def _is_count(table: Table, column: Column) -> bool:
    """Columns the schema declares as counts (`count`): ints that cannot be negative."""
    return column.non_negative


def column_checks(inp: TableInput, owner: Table | None, columns: list[Column]) -> list[Check]:
    """The checks of each column on its own: its type, emptiness, ids, category
    values, counts, dates inside the supported range, amounts inside the limit."""
    table = inp.table
    checks: list[Check] = []
    for column in columns:
        name, raw, cast = column.name, pl.col(column.name), pl.col(_cast(column.name))
        large = inp.too_large.get(name)
        unreadable = raw.is_not_null() & cast.is_null()
        if large is not None:
            checks.append(Check(name, large, _describe_too_large(column)))
            unreadable = unreadable & ~large
        expected = inp.expected.get(name, EXPECTED[column.type.kind])
        checks.append(Check(name, unreadable, _describe_type(column, expected)))
        if _is_id(table, column) or not column.nullable:
            checks.append(Check(name, raw.is_null(), _describe_null(table, owner, column)))
        if _is_id(table, column):
            blank = cast.str.strip_chars() == ""
            checks.append(Check(name, blank, _describe_blank(table, owner, column), "blank"))
            padded = ~blank & (cast != cast.str.strip_chars())
            checks.append(Check(name, padded, _describe_padded(column), "padded"))
        if column.type.kind is Kind.CATEGORY and column.type.values:
            unknown = cast.is_not_null() & ~cast.is_in(list(column.type.values))
            describe = (
                _describe_unlabelled(column)
                if name in inp.labelled or inp.places
                else _describe_category(column)
            )
            checks.append(Check(name, unknown, describe))
        if column.type.kind is Kind.DATE:
            outside = (cast < EARLIEST_DATE) | (cast > LATEST_DATE)
            checks.append(Check(name, outside, _describe_outside(column)))
        if _is_count(table, column):
            checks.append(Check(name, cast < 0, _describe_negative(column)))
    return checks


def _describe_type(column: Column, expected: str) -> Describe:
    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[column.name]
        return value, f"{format_value(value)} is not {expected}"

    return describe


def _describe_too_large(column: Column) -> Describe:
    limit = f"{LARGEST_AMOUNT:,}"
    what = "an amount of money" if column.type.kind is Kind.MONEY else "a number in data"

    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[column.name]
        message = (
            f"{format_value(value)} is too large: {what} must be less than {limit} "
            "in size, so that sums of it stay exact"
        )
        return value, message

    return describe


def _describe_blank(table: Table, owner: Table | None, column: Column) -> Describe:
    _, empty = _describe_null(table, owner, column)({})

    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[column.name]
        if value == "":
            return value, empty
        return value, f"{format_value(value)} is only spaces, but {empty.split(', but ', 1)[1]}"

    return describe


def _describe_padded(column: Column) -> Describe:
    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[column.name]
        message = (
            f"{format_value(value)} has spaces at its start or end; an id must not, or "
            f"{format_value(str(value).strip())} and {format_value(value)} would be "
            f"read as two different ids"
        )
        return value, message

    return describe


def _describe_outside(column: Column) -> Describe:
    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[_cast(column.name)]
        message = (
            f"{value} is outside the dates tfrules works with "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}); "
            "is it a placeholder for an unknown date? Leave the field empty instead"
        )
        return value, message

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


def _describe_unlabelled(column: Column) -> Describe:
    """A value of a mapped category column that no label translates."""
    allowed = ", ".join(column.type.values)

    def describe(row: Mapping[str, Any]) -> tuple[Any, str]:
        value = row[column.name]
        example = column.type.values[-1]
        message = (
            f"{format_value(value)} is not a value of {column.name} and the mapping gives it no "
            f"meaning (the values are {allowed}); add a line under the column's line, such as "
            f"{format_value(str(value).strip())} means {example}"
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


def span_checks(table: Table, columns: list[Column]) -> list[Check]:
    names = {c.name for c in columns}
    if table.span is None or not set(table.span) <= names:
        return []
    start, end = table.span
    return [
        Check(
            end,
            pl.col(_cast(end)) < pl.col(_cast(start)),
            lambda r: (
                r[_cast(end)],
                f"{end} {r[_cast(end)]} is before {start} {r[_cast(start)]}",
            ),
        )
    ]


def rule_checks(rules: tuple[RowRule, ...], columns: list[Column]) -> list[Check]:
    names = {c.name for c in columns}
    checks = []
    for rule in rules:
        if not set(rule.uses) <= names or set(rule.unless) & names:
            continue
        exprs = {n: pl.col(_cast(n)) for n in rule.uses}
        checks.append(
            Check(
                rule.column,
                rule.broken(exprs),
                lambda r, rule=rule: (
                    {n: r[_cast(n)] for n in rule.uses},
                    rule.describe({n: r[_cast(n)] for n in rule.uses}),
                ),
            )
        )
    return checks
