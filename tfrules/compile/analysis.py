"""Facts about an expression that can be seen without evaluating it, read by
the passes and by the lowering alike."""

from __future__ import annotations

import datetime as dt

import attrs

from tfrules.compile.facts import Facts
from tfrules.model.ruleset import BuiltinRef, CategoryValue, ColumnRef, ParamRef, RuleRef
from tfrules.model.schema import Level
from tfrules.semantics.durations import duration_amount
from tfrules.syntax import ast


def is_unknown(node: ast.Expr) -> bool:
    """The literal `unknown`."""
    return isinstance(node, ast.Literal) and node.value is None


def may_be_null(facts: Facts, node: ast.Expr) -> bool:
    """False only where a value can be seen never to be unknown (a plain
    non-nullable column, a literal, arithmetic on those without division)."""
    if isinstance(node, ast.Literal):
        return node.value is None
    if isinstance(node, ast.Name):
        resolution = facts.resolution(node)
        if isinstance(resolution, CategoryValue):
            return False
        if isinstance(resolution, ColumnRef):
            table = facts.schema.table(resolution.table)
            column = table.column(resolution.column) if table else None
            return column is None or column.nullable
        return True
    if isinstance(node, ast.IsKnown | ast.IsTrue):
        return False
    if isinstance(node, ast.Arith) and node.op != "/":
        return may_be_null(facts, node.left) or may_be_null(facts, node.right)
    if isinstance(node, ast.Negate):
        return may_be_null(facts, node.operand)
    return True


@attrs.frozen
class DateKind:
    """What the date of `x at d` is: `as_of` (no move at all), a fixed day, a
    column of the households table, another household-level expression, or a
    date that varies by row."""

    kind: str  # "as_of", "fixed", "household_column", "household", "row"
    day: dt.date | None = None
    column: str | None = None


def date_kind(facts: Facts, date: ast.Expr) -> DateKind:
    resolution = facts.resolution_or_none(date)
    if isinstance(resolution, BuiltinRef) and resolution.name == "as_of":
        return DateKind("as_of")
    if isinstance(date, ast.Literal) and isinstance(date.value, dt.date):
        return DateKind("fixed", day=date.value)
    if isinstance(resolution, ParamRef):
        value = facts.params[resolution.name].value
        if isinstance(value, dt.date):
            return DateKind("fixed", day=value)
    if isinstance(resolution, ColumnRef) and resolution.table == facts.schema.households.name:
        return DateKind("household_column", column=resolution.column)
    if (facts.level_of(date) or Level.HOUSEHOLD) is Level.HOUSEHOLD:
        return DateKind("household")
    return DateKind("row")


def window_length(facts: Facts, node: ast.Expr) -> tuple[int, str]:
    """A window's length (a duration literal or parameter) and its unit family."""
    length_type = facts.type_of(node)
    if isinstance(node, ast.Literal):
        assert isinstance(node.value, ast.Duration)
        return duration_amount(node.value), length_type.unit or "days"
    resolution = facts.resolution(node)
    assert isinstance(resolution, ParamRef)
    value = facts.params[resolution.name].value
    assert isinstance(value, ast.Duration)
    return duration_amount(value), length_type.unit or "days"


def constant_set(facts: Facts, node: ast.Expr) -> list[object] | None:
    """The members of a set known when compiling (a set parameter or a literal
    set of constants), sorted for a parameter; None otherwise."""
    if isinstance(node, ast.Name):
        resolution = facts.resolution_or_none(node)
        if isinstance(resolution, ParamRef):
            value = facts.params[resolution.name].value
            assert isinstance(value, frozenset)
            return sorted(value)
        return None
    if isinstance(node, ast.SetLiteral):
        values: list[object] = []
        for item in node.items:
            resolution = facts.resolution_or_none(item)
            if isinstance(resolution, CategoryValue):
                values.append(resolution.value)
            elif isinstance(item, ast.Literal) and isinstance(item.value, ast.Duration):
                values.append(duration_amount(item.value))
            elif isinstance(item, ast.Literal) and item.value is not None:
                values.append(item.value)
            else:
                return None
        return values
    return None


def counts_terms(facts: Facts, node: ast.Aggregate) -> bool:
    """`count distinct academic_year, term` over a termly table: its terms."""
    table = facts.collection(node.collection).table
    named = [
        resolution.column
        for value in node.values
        if isinstance(value, ast.Name)
        and isinstance(resolution := facts.resolution_or_none(value), ColumnRef)
        and resolution.table == table.name
    ]
    return (
        node.op == "count distinct"
        and table.term is not None
        and len(node.values) == 2
        and set(named) == set(table.term)
    )


def is_spell_end(facts: Facts, node: ast.Expr) -> bool:
    """A spell's end column (`end_date`): empty while the spell goes on."""
    resolution = facts.resolution_or_none(node)
    if not isinstance(resolution, ColumnRef):
        return False
    table = facts.schema.table(resolution.table)
    return table is not None and table.is_spell_end(resolution.column)


def known_columns(facts: Facts, node: ast.Expr, wanted: bool, depth: int = 0) -> frozenset[str]:
    """Household columns that are surely known wherever `node` is surely
    `wanted` (true or false): `attached_on` where `attached_on is known` is
    true, and through `not`, `and` (true), `or` (false) and the rules it names.
    Conservative: what cannot be seen is left out."""
    if depth > 32:
        return frozenset()
    if isinstance(node, ast.Not):
        return known_columns(facts, node.operand, not wanted, depth + 1)
    if isinstance(node, ast.And | ast.Or) and wanted == isinstance(node, ast.And):
        # every operand is surely `wanted` wherever the whole is
        found: frozenset[str] = frozenset()
        for operand in node.operands:
            found |= known_columns(facts, operand, wanted, depth + 1)
        return found
    if isinstance(node, ast.IsKnown) and wanted != node.negated:
        if isinstance(node.operand, ast.Name):
            resolution = facts.resolution_or_none(node.operand)
            if (
                isinstance(resolution, ColumnRef)
                and resolution.table == facts.schema.households.name
            ):
                return frozenset({resolution.column})
        return frozenset()
    if isinstance(node, ast.Name):
        resolution = facts.resolution_or_none(node)
        if isinstance(resolution, RuleRef):
            rule = facts.rules.get(resolution.name)
            if rule is not None and rule.body is not None and rule.level is Level.HOUSEHOLD:
                return known_columns(facts, rule.body, wanted, depth + 1)
    return frozenset()
