"""The types of the rules language.

Every value a rule computes has one of these types. Booleans are three-valued
(true, false, unknown); every other type also admits unknown, written as null
in data frames. Money is exact to the penny and decimals to six places, both
held as fixed-point decimals, never floats.
"""

from __future__ import annotations

import enum

import attrs


class Kind(enum.Enum):
    BOOL = "bool"
    INT = "int"
    DECIMAL = "decimal"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"
    DURATION = "duration"
    TEXT = "text"
    CATEGORY = "category"
    SET = "set"
    TABLE = "table"
    NULL = "unknown"  # the type of a bare `unknown` literal: fits anywhere
    ERROR = "error"  # the type of an expression already reported as wrong


@attrs.frozen
class Type:
    """A language type. `values` lists a category's allowed values; `element`
    is the element type of a set."""

    kind: Kind
    values: tuple[str, ...] = ()
    element: Type | None = None
    #: For durations: "days" (days and weeks), "months" (months and years) or "terms".
    unit: str | None = None

    def __str__(self) -> str:
        if self.kind is Kind.CATEGORY and self.values:
            return "{" + ", ".join(self.values) + "}"
        if self.kind is Kind.SET and self.element is not None:
            return f"set of {self.element}"
        if self.kind is Kind.DURATION and self.unit:
            return f"duration in {self.unit}"
        return self.kind.value

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


BOOL = Type(Kind.BOOL)
INT = Type(Kind.INT)
DECIMAL = Type(Kind.DECIMAL)
MONEY = Type(Kind.MONEY)
PERCENT = Type(Kind.PERCENT)
DATE = Type(Kind.DATE)
DURATION = Type(Kind.DURATION)
TEXT = Type(Kind.TEXT)
NULL = Type(Kind.NULL)
ERROR = Type(Kind.ERROR)
DAYS = Type(Kind.DURATION, unit="days")
MONTHS = Type(Kind.DURATION, unit="months")
TERMS = Type(Kind.DURATION, unit="terms")

UNIT_FAMILY = {
    "days": "days",
    "weeks": "days",
    "months": "months",
    "years": "months",
    "terms": "terms",
}


def duration(unit: str) -> Type:
    """The type of a duration written in `unit` (days, weeks, months, years, terms)."""
    return Type(Kind.DURATION, unit=UNIT_FAMILY[unit])


NUMERIC_KINDS = frozenset({Kind.INT, Kind.DECIMAL, Kind.MONEY, Kind.PERCENT})

#: Fixed-point scales: decimals and percents keep six places, money two.
DECIMAL_SCALE = 6
MONEY_SCALE = 2


def category(values: tuple[str, ...]) -> Type:
    return Type(Kind.CATEGORY, values=tuple(values))


def set_of(element: Type) -> Type:
    return Type(Kind.SET, element=element)


SCALAR_TYPE_NAMES: dict[str, Type] = {
    "bool": BOOL,
    "int": INT,
    "decimal": DECIMAL,
    "money": MONEY,
    "percent": PERCENT,
    "date": DATE,
    "duration": DURATION,
    "text": TEXT,
}

#: The type of each kind of literal but durations (whose type depends on the unit).
LITERAL_TYPES: dict[str, Type] = {
    "int": INT,
    "decimal": DECIMAL,
    "percent": PERCENT,
    "money": MONEY,
    "date": DATE,
    "text": TEXT,
    "bool": BOOL,
    "unknown": NULL,
}
