"""Value semantics, written as plainly as possible: Kleene logic with None as
unknown, exact decimal arithmetic, and what division by zero means.

Decimals and percentages keep six places and money two, rounding half to
even, as the compiled plans do: a product or quotient is taken to six places
first and, if it is money, then to the penny. Division by zero is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from tfrules.model import types as T
from tfrules.semantics import calendar

SIX_PLACES = Decimal("0.000001")
PENNY = Decimal("0.01")

#: Whole numbers (and durations, counted in days, months or terms) are 64-bit:
#: a result beyond this range is an error in every engine, never a wrap.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class NumberTooLarge(ArithmeticError):
    """A whole number beyond the 64-bit range the language gives them."""

    def __init__(self, value: int | None = None) -> None:
        shown = "" if value is None else f" ({value:,})"
        super().__init__(
            f"a whole number is too large{shown}: whole numbers lie between "
            f"{INT_MIN:,} and {INT_MAX:,}"
        )


def whole(value: int) -> int:
    """`value`, checked to be a whole number the language can hold."""
    if not INT_MIN <= value <= INT_MAX:
        raise NumberTooLarge(value)
    return value


#: Amounts, decimals and percents in data are below this in size (a million
#: million): products and sums of them then stay well inside the exact
#: decimal arithmetic of both engines (28 significant digits in Python).
#: A larger value is a data error at load.
LARGEST_AMOUNT = Decimal(10**12)


def to_decimal(value: int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def six_places(value: Decimal) -> Decimal:
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_EVEN)


def to_penny(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_EVEN)


def kleene_and(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def kleene_or(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def kleene_not(value: bool | None) -> bool | None:
    return None if value is None else not value


def compare(op: str, left: object, right: object) -> bool | None:
    if left is None or right is None:
        return None
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == ">":
        return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]


def arith(
    op: str, left: object, right: object, left_type: T.Type, right_type: T.Type, result: T.Type
) -> object:
    """`left op right` with the language's rules; None (unknown) spreads."""
    if left is None or right is None:
        return None
    lk, rk = left_type.kind, right_type.kind
    if result.kind is T.Kind.DATE:
        assert isinstance(left, dt.date) and isinstance(right, int)
        amount = right if op == "+" else -right
        if right_type.unit == "months":
            return calendar.add_months(left, amount)
        return left + dt.timedelta(days=amount)
    if lk is T.Kind.DATE and rk is T.Kind.DATE:
        assert isinstance(left, dt.date) and isinstance(right, dt.date)
        return (left - right).days
    if op == "of":
        op = "*"
    if result.kind in (T.Kind.INT, T.Kind.DURATION) and op != "/":
        assert isinstance(left, int) and isinstance(right, int)
        return whole(left + right if op == "+" else left - right if op == "-" else left * right)
    a, b = to_decimal(left), to_decimal(right)  # type: ignore[arg-type]
    if op == "+":
        value = a + b
    elif op == "-":
        value = a - b
    elif op == "*":
        value = six_places(a * b)
    else:
        if b == 0:
            return None
        value = six_places(a / b)
    if result.kind is T.Kind.MONEY:
        return to_penny(value)
    if result.kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
        return six_places(value)
    return value


def negate(value: object) -> object:
    if value is None:
        return None
    return -value  # type: ignore[operator]


def if_then_else(condition: bool | None, then: object, otherwise: object) -> object:
    """Pinned reading 2: with an unknown condition, the common value of both
    branches if they agree, else unknown."""
    if condition is True:
        return then
    if condition is False:
        return otherwise
    if then is not None and then == otherwise:
        return then
    return None


def count_of(op: str, count: int, items: list[bool | None]) -> bool | None:
    true = sum(1 for i in items if i is True)
    unknown = sum(1 for i in items if i is None)
    low, high = true, true + unknown  # the true count lies in [low, high]
    if op == "at least":
        return True if low >= count else False if high < count else None
    if op == "at most":
        return True if high <= count else False if low > count else None
    if low == high:
        return low == count
    return False if (count < low or count > high) else None


def min_max(function: str, values: list[object]) -> object:
    if any(v is None for v in values):
        return None
    return min(values) if function == "min" else max(values)  # type: ignore[type-var]


def first_known(values: list[object]) -> object:
    return next((v for v in values if v is not None), None)
