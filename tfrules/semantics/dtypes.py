"""Language types as Polars data types, and constants as typed literals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl

from tfrules.model import types as T

MONEY_DTYPE = pl.Decimal(38, T.MONEY_SCALE)
DECIMAL_DTYPE = pl.Decimal(38, T.DECIMAL_SCALE)


def dtype(found: T.Type) -> pl.DataType:
    kind = found.kind
    if kind is T.Kind.BOOL:
        return pl.Boolean()
    if kind in (T.Kind.INT, T.Kind.DURATION):
        return pl.Int64()
    if kind is T.Kind.MONEY:
        return MONEY_DTYPE
    if kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
        return DECIMAL_DTYPE
    if kind is T.Kind.DATE:
        return pl.Date()
    if kind in (T.Kind.TEXT, T.Kind.CATEGORY):
        return pl.String()
    if kind is T.Kind.SET and found.element is not None:
        return pl.List(dtype(found.element))
    return pl.Null()


def literal(value: object, found: T.Type) -> pl.Expr:
    """A constant of the given language type as a typed Polars literal."""
    if found.kind is T.Kind.NULL:
        return pl.lit(None)
    if value is None:
        return pl.lit(None, dtype=dtype(found))
    if found.kind is T.Kind.MONEY:
        assert isinstance(value, Decimal | int)
        return pl.lit(Decimal(value).quantize(Decimal("0.01")), dtype=MONEY_DTYPE)
    if found.kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
        assert isinstance(value, Decimal | int)
        return pl.lit(Decimal(value).quantize(Decimal("0.000001")), dtype=DECIMAL_DTYPE)
    if found.kind is T.Kind.DATE:
        assert isinstance(value, dt.date)
        return pl.lit(value, dtype=pl.Date())
    return pl.lit(value, dtype=dtype(found))


def null(found: T.Type) -> pl.Expr:
    return pl.lit(None, dtype=dtype(found))
