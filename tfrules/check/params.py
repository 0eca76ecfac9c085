"""Parameter values: constants, sets, and tables by financial year or date.

A parameter's value is worked out once, when the ruleset is checked, so rules
read plain values and a what-if run (`--param`) only swaps a value.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tfrules import diagnostics as diag
from tfrules.check import type_rules as R
from tfrules.model import types as T
from tfrules.model.ruleset import DateValues, ParamValue, Value, YearValues
from tfrules.model.schema import Schema
from tfrules.syntax import ast

Report = Callable[[diag.Diagnostic], None]


def param_type_ref(ref: ast.TypeRef, schema: Schema, report: Report) -> T.Type:
    """The type a parameter declares (`: money`, `: set of benefit_claims.benefit`)."""
    if ref.element is not None:
        return T.set_of(param_type_ref(ref.element, schema, report))
    if ref.values:
        return T.category(ref.values)
    if ref.column is not None:
        table_name, column_name = ref.column
        table = schema.table(table_name)
        column = table.column(column_name) if table else None
        if column is None:
            report(diag.error("E105", f"there is no column {table_name}.{column_name}", ref.span))
            return T.ERROR
        return column.type
    assert ref.name is not None
    if ref.name in T.SCALAR_TYPE_NAMES:
        return T.SCALAR_TYPE_NAMES[ref.name]
    if ref.name in ("days", "weeks", "months", "years", "terms"):
        return T.duration(ref.name)
    report(
        diag.error(
            "E108",
            f"'{ref.name}' is not a type",
            ref.span,
            diag.did_you_mean(ref.name, T.SCALAR_TYPE_NAMES)
            or "types: " + ", ".join(T.SCALAR_TYPE_NAMES),
        )
    )
    return T.ERROR


def constant(expr: ast.Expr, report: Report) -> tuple[Value, T.Type]:
    """The value and type of a constant expression (a literal, a negative
    literal, or a set of names or texts)."""
    if isinstance(expr, ast.Literal):
        if expr.kind == "duration":
            assert isinstance(expr.value, ast.Duration)
            return expr.value, T.duration(expr.value.unit)
        return expr.value, T.LITERAL_TYPES[expr.kind]
    if isinstance(expr, ast.SetLiteral):
        values: list[str] = []
        texts = all(isinstance(i, ast.Literal) and i.kind == "text" for i in expr.items)
        for item in expr.items:
            if isinstance(item, ast.Name):
                values.append(item.name)
            elif isinstance(item, ast.Literal) and item.kind == "text":
                values.append(str(item.value))
            else:
                report(
                    diag.error(
                        "E211",
                        "a set parameter lists names or quoted texts",
                        getattr(item, "span", expr.span),
                    )
                )
        element = T.TEXT if texts and expr.items else T.category(tuple(values))
        return frozenset(values), T.set_of(element)
    report(
        diag.error(
            "E211",
            "a parameter's value must be written out: a number, amount, percentage, date, "
            "duration, text or set",
            getattr(expr, "span", ast.NO_SPAN),
            "work it out in a measure instead",
        )
    )
    return None, T.ERROR


def param_value(
    value: ast.Expr | ast.YearTable | ast.DateTable, report: Report
) -> tuple[ParamValue, T.Type]:
    if isinstance(value, ast.YearTable | ast.DateTable):
        result_type: T.Type = T.NULL
        entries: list[tuple[object, Value]] = []
        keys: set[object] = set()
        for key, expr in value.entries:
            if key in keys:
                report(diag.error("E102", f"{key} is given twice", expr.span))
            keys.add(key)
            entry_value, entry_type = constant(expr, report)
            merged = R.unify(result_type, entry_type)
            if merged is None:
                report(
                    diag.error("E209", "the values of a table must all be of one kind", expr.span)
                )
                merged = T.ERROR
            result_type = merged
            entries.append((key, entry_value))
        otherwise = None
        if value.otherwise is not None:
            otherwise, other_type = constant(value.otherwise, report)
            merged = R.unify(result_type, other_type)
            result_type = merged if merged is not None else T.ERROR
        if isinstance(value, ast.YearTable):
            return YearValues(tuple(sorted(entries)), otherwise), result_type  # type: ignore[arg-type]
        return DateValues(tuple(sorted(entries)), otherwise), result_type  # type: ignore[arg-type]
    return constant(value, report)


def widen_set(found: T.Type, schema: Schema) -> T.Type:
    """A set of category values written out, typed as a set of the whole
    category of the column(s) they come from: `{JSA, ESA}` is a set of benefits,
    so a council or a what-if run may give it other benefits, such as UC."""
    element = found.element
    if found.kind is not T.Kind.SET or element is None or element.kind is not T.Kind.CATEGORY:
        return found
    domains: list[str] = []
    for table in schema.tables:
        for column in table.columns:
            values = column.type.values
            if column.type.kind is T.Kind.CATEGORY and set(element.values) <= set(values):
                domains.extend(v for v in values if v not in domains)
    return T.set_of(T.category(tuple(domains))) if domains else found


def coerce(value: ParamValue, found: T.Type, declared: T.Type) -> ParamValue:
    """A whole number where a decimal is declared becomes a Decimal."""
    if declared.kind is T.Kind.DECIMAL and isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value
