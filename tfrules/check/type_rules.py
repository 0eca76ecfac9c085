"""Which types combine, compare and unify, and what arithmetic yields.

Money only meets money (adding a percentage to an amount is a mistake the
checker must catch), except that money may be scaled by a number or a
percentage. Dates take durations; two dates give a duration in days.
"""

from __future__ import annotations

from tfrules.model.types import (
    DAYS,
    DECIMAL,
    ERROR,
    INT,
    MONEY,
    PERCENT,
    Kind,
    Type,
)

_PLAIN_NUMBERS = {Kind.INT, Kind.DECIMAL, Kind.PERCENT}


def is_error(*types: Type) -> bool:
    return any(t.kind is Kind.ERROR for t in types)


def unify(a: Type, b: Type) -> Type | None:
    """The type of a value that may be `a` or `b` (if/then/else, min, max), or None."""
    if is_error(a, b):
        return ERROR
    if a.kind is Kind.NULL:
        return b
    if b.kind is Kind.NULL:
        return a
    if a.kind is b.kind:
        if a.kind is Kind.DURATION and a.unit != b.unit:
            return None
        if a.kind is Kind.CATEGORY:
            values = tuple(dict.fromkeys(a.values + b.values))
            return Type(Kind.CATEGORY, values=values)
        return a
    if a.kind in _PLAIN_NUMBERS and b.kind in _PLAIN_NUMBERS:
        return DECIMAL
    return None


def comparable(a: Type, b: Type, op: str) -> bool:
    if is_error(a, b) or Kind.NULL in (a.kind, b.kind):
        return True
    if a.kind in _PLAIN_NUMBERS and b.kind in _PLAIN_NUMBERS:
        return True
    if a.kind is not b.kind:
        return False
    if a.kind in (Kind.BOOL, Kind.CATEGORY, Kind.SET):
        return op in ("=", "!=")
    if a.kind is Kind.DURATION:
        return a.unit == b.unit
    return a.kind in (Kind.MONEY, Kind.DATE, Kind.TEXT)


def arith_result(op: str, a: Type, b: Type) -> Type | None:
    """The type of `a op b`, or None when the combination makes no sense."""
    if is_error(a, b):
        return ERROR
    if Kind.NULL in (a.kind, b.kind):
        other = b if a.kind is Kind.NULL else a
        if other.kind is Kind.NULL:
            return None
        return other if op in ("+", "-") else arith_result(op, other, other)
    ka, kb = a.kind, b.kind
    if op == "of":
        if ka is not Kind.PERCENT:
            return None
        if kb is Kind.MONEY:
            return MONEY
        return DECIMAL if kb in _PLAIN_NUMBERS else None
    if op in ("+", "-"):
        if ka is Kind.DATE and kb is Kind.DURATION and b.unit in ("days", "months"):
            return a
        if op == "-" and ka is Kind.DATE and kb is Kind.DATE:
            return DAYS
        if ka is Kind.DURATION and kb is Kind.DURATION and a.unit == b.unit:
            return a
        if ka is Kind.MONEY and kb is Kind.MONEY:
            return MONEY
        if ka is Kind.INT and kb is Kind.INT:
            return INT
        if ka is Kind.PERCENT and kb is Kind.PERCENT:
            return PERCENT
        if ka in _PLAIN_NUMBERS and kb in _PLAIN_NUMBERS:
            return DECIMAL
        return None
    if op == "*":
        money_by_number = ka is Kind.MONEY and kb in _PLAIN_NUMBERS
        if money_by_number or (kb is Kind.MONEY and ka in _PLAIN_NUMBERS):
            return MONEY
        if ka is Kind.DURATION and kb is Kind.INT:
            return a
        if ka is Kind.INT and kb is Kind.DURATION:
            return b
        if ka is Kind.INT and kb is Kind.INT:
            return INT
        if ka in _PLAIN_NUMBERS and kb in _PLAIN_NUMBERS:
            return DECIMAL
        return None
    if op == "/":
        if ka is Kind.MONEY and kb is Kind.MONEY:
            return DECIMAL
        if ka is Kind.MONEY and kb in _PLAIN_NUMBERS:
            return MONEY
        if ka in _PLAIN_NUMBERS and kb in _PLAIN_NUMBERS:
            return DECIMAL
        if ka is Kind.DURATION and kb is Kind.DURATION and a.unit == b.unit:
            return DECIMAL
        return None
    return None


def fits(value: Type, declared: Type) -> bool:
    """Whether a value of type `value` may stand where `declared` is expected."""
    if is_error(value, declared) or value.kind is Kind.NULL:
        return True
    if declared.kind is Kind.DECIMAL and value.kind in (Kind.INT, Kind.DECIMAL):
        return True
    if declared.kind is Kind.CATEGORY and value.kind is Kind.CATEGORY:
        return set(value.values) <= set(declared.values)
    if declared.kind is Kind.SET and value.kind is Kind.SET:
        return (
            value.element is None
            or declared.element is None
            or fits(value.element, declared.element)
        )
    if declared.kind is Kind.DURATION:
        return value.kind is Kind.DURATION and value.unit == declared.unit
    return value.kind is declared.kind
