"""Turns a `test` declaration into data: frames in the canonical dtypes, the
date it runs at, the parameter values and abstract-rule values it sets, and
what it expects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import polars as pl

from tfrules.check.params import coerce, param_value
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset, ParamInfo
from tfrules.model.schema import Column, Table
from tfrules.semantics.dtypes import dtype
from tfrules.syntax import ast

_TYPE_DEFAULTS: dict[T.Kind, Any] = {
    T.Kind.BOOL: False,
    T.Kind.INT: 0,
    T.Kind.MONEY: Decimal("0.00"),
    T.Kind.DECIMAL: Decimal(0),
    T.Kind.PERCENT: Decimal(0),
    T.Kind.TEXT: "",
}


@attrs.frozen
class Expected:
    household: str
    rule: str
    value: Any
    span: ast.Span


@attrs.frozen
class TestCase:
    title: str
    layer: str
    decl: ast.TestDecl
    as_of: dt.date
    frames: dict[str, pl.DataFrame]
    missing: frozenset[str]
    params: dict[str, ParamInfo]
    fixed: dict[str, Any]
    expected: tuple[Expected, ...]

    @property
    def span(self) -> ast.Span:
        return self.decl.span


def literal_value(value: ast.Literal | ast.Name) -> Any:
    if isinstance(value, ast.Name):
        return value.name
    if isinstance(value.value, ast.Duration):
        from tfrules.semantics.durations import duration_amount

        return duration_amount(value.value)
    return value.value


def _row(table: Table, fields: tuple[ast.Field, ...], fixed: dict[str, Any]) -> dict[str, Any]:
    given = {f.column: literal_value(f.value) for f in fields}
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.name in fixed:
            row[column.name] = fixed[column.name]
        elif column.name in given:
            row[column.name] = _typed(given[column.name], column)
        else:
            row[column.name] = _default(column)
    return row


def _typed(value: Any, column: Column) -> Any:
    if value is not None and column.type.kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
        return Decimal(value)
    return value


def _default(column: Column) -> Any:
    if column.default is not None:
        return column.default
    if column.nullable:
        return None
    return _TYPE_DEFAULTS.get(column.type.kind)


def _frame(table: Table, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = {c.name: dtype(c.type) for c in table.columns}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def build_case(ruleset: CheckedRuleset, decl: ast.TestDecl, layer: str) -> TestCase:
    """The data and expectations of one (checked) test."""
    schema = ruleset.schema
    households, persons = schema.households, schema.persons
    assert households.key and persons.key and persons.owner_key
    as_of = dt.date(1, 1, 1)
    params: dict[str, ParamInfo] = {}
    fixed: dict[str, Any] = {}
    household_rows: list[dict[str, Any]] = []
    person_rows: list[dict[str, Any]] = []
    event_rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in schema.event_tables}
    missing: set[str] = set()
    expected: list[Expected] = []
    names: list[str] = []
    for item in decl.items:
        if isinstance(item, ast.TestAsOf):
            as_of = item.date
        elif isinstance(item, ast.TestParam):
            _set(ruleset, item, params, fixed)
        elif isinstance(item, ast.TestHousehold):
            names.append(item.name)
            household_rows.append(_row(households, item.fields, {households.key: item.name}))
            for member in item.members:
                fixed_columns = {persons.key: member.name, persons.owner_key: item.name}
                if persons.aged_by:
                    fixed_columns[persons.aged_by] = member.born
                person_rows.append(_row(persons, member.fields, fixed_columns))
        elif isinstance(item, ast.TestRow):
            table = schema.table(item.table)
            assert table is not None and table.owner_key is not None
            event_rows[table.name].append(_row(table, item.fields, {table.owner_key: item.owner}))
        elif isinstance(item, ast.TestMissing):
            missing.update(item.tables)
    for item in decl.items:
        if isinstance(item, ast.TestExpect):
            household = item.household or (names[0] if names else "")
            for expectation in item.expectations:
                value = literal_value(expectation.value)
                rule_type = ruleset.rules[expectation.rule].type
                if value is not None and rule_type.kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
                    value = Decimal(value)
                expected.append(Expected(household, expectation.rule, value, expectation.span))
    frames = {households.name: _frame(households, household_rows)}
    frames[persons.name] = _frame(persons, person_rows)
    for table in schema.event_tables:
        if table.name not in missing:
            frames[table.name] = _frame(table, event_rows[table.name])
    return TestCase(
        decl.title, layer, decl, as_of, frames, frozenset(missing), params, fixed, tuple(expected)
    )


def _set(
    ruleset: CheckedRuleset,
    item: ast.TestParam,
    params: dict[str, ParamInfo],
    fixed: dict[str, Any],
) -> None:
    problems: list[object] = []
    value, found = param_value(item.value, problems.append)
    if item.name in ruleset.params:
        existing = ruleset.params[item.name]
        params[item.name] = attrs.evolve(existing, value=coerce(value, found, existing.type))
    else:
        fixed[item.name] = value
