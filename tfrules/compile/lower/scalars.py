"""Leaves and arithmetic: literals, names (columns, rules, parameters, category
values, built-ins), arithmetic and the built-in functions."""

from __future__ import annotations

import polars as pl

from tfrules.compile.context import FixedDate, UnknownDate
from tfrules.compile.errors import CompileError
from tfrules.compile.graph import PERSONS
from tfrules.compile.lower.dates import ref_date
from tfrules.compile.lower.state import Lowering, Site
from tfrules.model import types as T
from tfrules.model.ruleset import (
    BuiltinRef,
    CategoryValue,
    ColumnRef,
    DateValues,
    ParamRef,
    RuleRef,
    YearValues,
)
from tfrules.semantics import calendar
from tfrules.semantics import calendar_exprs as C
from tfrules.semantics import dtypes as D
from tfrules.semantics.durations import duration_amount
from tfrules.syntax import ast

I64 = pl.Int64


def lower_literal(node: ast.Literal, site: Site, lo: Lowering) -> pl.Expr:
    if isinstance(node.value, ast.Duration):
        return pl.lit(duration_amount(node.value), dtype=I64)
    return D.literal(node.value, lo.facts.type_of(node))


def lower_name(node: ast.Name, site: Site, lo: Lowering) -> pl.Expr:
    resolution = lo.facts.resolution(node)
    if isinstance(resolution, ColumnRef):
        table = lo.schema.table(resolution.table)
        assert table is not None
        return lo.col(site.frame, lo.frame_of(table), resolution.column)
    if isinstance(resolution, RuleRef):
        return lo.use(site.frame, lo.rule_column(resolution.name, site.context))
    if isinstance(resolution, ParamRef):
        return parameter(resolution.name, site, lo)
    if isinstance(resolution, CategoryValue):
        return pl.lit(resolution.value, dtype=pl.String)
    assert isinstance(resolution, BuiltinRef)
    return builtin(resolution.name, site, lo)


def parameter(name: str, site: Site, lo: Lowering) -> pl.Expr:
    """A parameter's value at the reference date (a dated value picks its entry)."""
    info = lo.facts.params[name]
    value = info.value
    if not isinstance(value, YearValues | DateValues):
        return constant(value, info.type)
    date = site.context.date
    if isinstance(date, UnknownDate):
        return D.null(info.type)
    if isinstance(date, FixedDate):
        at = value.at(
            calendar.financial_year(date.day) if isinstance(value, YearValues) else date.day
        )
        return constant(at, info.type)
    day = ref_date(site, lo)
    key = C.financial_year(day) if isinstance(value, YearValues) else day
    chain = pl.when(key.is_null()).then(D.null(info.type))
    if isinstance(value, YearValues):
        for year, entry in value.entries:
            chain = chain.when(key == year).then(constant(entry, info.type))
    else:
        for start, entry in reversed(value.entries):
            chain = chain.when(key >= pl.lit(start)).then(constant(entry, info.type))
    return chain.otherwise(constant(value.otherwise, info.type))


def constant(value: object, found: T.Type) -> pl.Expr:
    if isinstance(value, ast.Duration):
        return pl.lit(duration_amount(value), dtype=I64)
    if isinstance(value, frozenset):
        return pl.lit(sorted(value))
    return D.literal(value, found)


def builtin(name: str, site: Site, lo: Lowering) -> pl.Expr:
    day = ref_date(site, lo)
    frame = site.frame
    if name == "as_of":
        return day
    if name == "age":
        dob = lo.schema.persons.aged_by
        assert dob is not None
        return C.age(lo.col(frame, PERSONS, dob), day)
    table = lo.schema.table(frame)
    assert table is not None and table.span is not None
    start = lo.col(frame, frame, table.span[0])
    end = lo.col(frame, frame, table.span[1])
    if name == "active":
        return (start <= day) & (end.is_null() | (end >= day))
    # `lasted`: min_horizontal skips nulls, so with no reference date the length is unknown
    until = pl.when(day.is_not_null()).then(pl.min_horizontal(end.fill_null(day), day))
    return (until - start).dt.total_days().cast(I64)


def numeric_pair(
    left: ast.Expr, right: ast.Expr, site: Site, lo: Lowering
) -> tuple[pl.Expr, pl.Expr]:
    """Both sides, cast to one type where plain numbers of different kinds meet."""
    a, b = lo.expr(left, site), lo.expr(right, site)
    ta, tb = lo.facts.type_of(left), lo.facts.type_of(right)
    decimals = (T.Kind.DECIMAL, T.Kind.PERCENT)
    if (ta.kind in decimals or tb.kind in decimals) and ta.is_numeric and tb.is_numeric:
        return a.cast(D.DECIMAL_DTYPE), b.cast(D.DECIMAL_DTYPE)
    return a, b


def lower_arith(node: ast.Arith, site: Site, lo: Lowering) -> pl.Expr:
    result = lo.facts.type_of(node)
    ta, tb = lo.facts.type_of(node.left), lo.facts.type_of(node.right)
    if T.Kind.NULL in (ta.kind, tb.kind) and result.kind is not T.Kind.NULL:
        return D.null(result)  # arithmetic with `unknown` is unknown
    a, b = lo.expr(node.left, site), lo.expr(node.right, site)
    op = "*" if node.op == "of" else node.op
    if result.kind is T.Kind.DATE:
        b = b.cast(I64)  # a bare `unknown` duration is a Null-typed literal
        step = b if op == "+" else -b
        if tb.unit == "months":
            return C.add_months(a, step)
        return a + pl.duration(days=step)
    if ta.kind is T.Kind.DATE and tb.kind is T.Kind.DATE:
        return (a - b).dt.total_days().cast(I64)
    if result.kind in (T.Kind.INT, T.Kind.DURATION) and op != "/":
        # in 128 bits, then back: a result beyond 64 bits is an error, not a wrap
        a, b = a.cast(pl.Int128), b.cast(pl.Int128)
        value = a + b if op == "+" else a - b if op == "-" else a * b
        return value.cast(I64, strict=True)
    if result.kind is T.Kind.MONEY and op in ("+", "-") and ta.kind is tb.kind:
        return a + b if op == "+" else a - b
    a, b = a.cast(D.DECIMAL_DTYPE), b.cast(D.DECIMAL_DTYPE)
    if op == "+":
        value = a + b
    elif op == "-":
        value = a - b
    elif op == "*":
        value = a * b
    else:
        value = a / pl.when(b != 0).then(b)
    if result.kind is T.Kind.MONEY:
        return value.round(2).cast(D.MONEY_DTYPE)
    return value.cast(D.DECIMAL_DTYPE)


def lower_negate(node: ast.Negate, site: Site, lo: Lowering) -> pl.Expr:
    return -lo.expr(node.operand, site)


def lower_call(node: ast.Call, site: Site, lo: Lowering) -> pl.Expr:
    args = [lo.expr(a, site) for a in node.args]
    if node.function == "financial_year":
        # a bare `unknown` argument has no dtype of its own: it is a date here
        return C.financial_year(args[0].cast(pl.Date))
    target = D.dtype(lo.facts.type_of(node))
    args = [a.cast(target) for a in args]
    if node.function == "first_known":
        return pl.coalesce(args)
    any_null = pl.any_horizontal([a.is_null() for a in args])
    combined = pl.min_horizontal(args) if node.function == "min" else pl.max_horizontal(args)
    return pl.when(any_null).then(None).otherwise(combined).cast(target)


def lower_set(node: ast.SetLiteral, site: Site, lo: Lowering) -> pl.Expr:
    from tfrules.compile.analysis import constant_set

    values = constant_set(lo.facts, node)
    if values is None:
        raise CompileError("a set can only be used after 'in'")
    return pl.lit(values)
