"""Reading values as their canonical type: one Polars expression per column.

A value that does not convert becomes null, so that `tfrules.data.validate`
finds it by comparing the cast with the raw column and reports the raw value.

CSV text in the canonical model: ints are plain base-10 integers, bools are
true/false (any case) or 1/0, dates are ISO 8601 (YYYY-MM-DD), money is a plain
decimal in pounds with at most two places (`1234.50`, no `£` or thousands
commas), decimals and percents plain decimals with at most six places (a percent
is written as a number, not with `%`). Parquet (or frame) columns of a
compatible dtype are cast; float money is rounded to the penny.

Fixed-point values (money, decimals, percents) must be below `LARGEST_AMOUNT`
in size: `too_large` finds the raw values that are not.
"""

from __future__ import annotations

import polars as pl

from tfrules.model.types import DECIMAL_SCALE, MONEY_SCALE, Kind, Type
from tfrules.semantics.dtypes import dtype as canonical_dtype
from tfrules.semantics.values import LARGEST_AMOUNT

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False}
#: Digits before the point that an amount below LARGEST_AMOUNT can have.
AMOUNT_DIGITS = len(str(LARGEST_AMOUNT)) - 1
FIXED_POINT = (Kind.MONEY, Kind.DECIMAL, Kind.PERCENT)

#: How each kind is described in "… is not <expected>" messages.
EXPECTED: dict[Kind, str] = {
    Kind.INT: "a whole number",
    Kind.BOOL: "true or false (true, false, 1 or 0)",
    Kind.DATE: "a date (YYYY-MM-DD)",
    Kind.MONEY: "an amount in pounds with at most 2 decimal places (like 1234.50, no £ or commas)",
    Kind.DECIMAL: f"a decimal number with at most {DECIMAL_SCALE} decimal places",
    Kind.PERCENT: f"a decimal number with at most {DECIMAL_SCALE} decimal places",
    Kind.TEXT: "text",
    Kind.CATEGORY: "text",
}

__all__ = ["EXPECTED", "canonical_dtype", "cast_expr", "too_large"]


def scale_of(kind: Kind) -> int:
    return MONEY_SCALE if kind is Kind.MONEY else DECIMAL_SCALE


def cast_expr(name: str, dtype: pl.DataType, type_: Type) -> pl.Expr | None:
    """Convert column `name` (held as `dtype`) to the canonical dtype of `type_`.

    None when no value of `dtype` can be converted.
    """
    return cast_value(pl.col(name), dtype, type_)


def cast_value(c: pl.Expr, dtype: pl.DataType, type_: Type) -> pl.Expr | None:
    """`cast_expr` for any expression `c` of dtype `dtype`."""
    target = canonical_dtype(type_)
    kind = type_.kind
    if dtype == target:
        return _within_limit(c, kind) if kind in FIXED_POINT else c
    if dtype == pl.Null:  # an all-empty column, e.g. written from a frame of Nones
        return c.cast(target)
    if kind is Kind.INT:
        if dtype.is_integer():
            return c.cast(pl.Int64, strict=False)
        if dtype == pl.String:
            return c.str.to_integer(strict=False).cast(pl.Int64, strict=False)
        if dtype.is_float() or dtype.is_decimal():
            return pl.when(c == c.round(0)).then(c).otherwise(None).cast(pl.Int64, strict=False)
    elif kind is Kind.BOOL:
        if dtype == pl.String:
            words = c.str.to_lowercase()
            return words.replace_strict(_BOOL_WORDS, default=None, return_dtype=pl.Boolean)
        if dtype.is_integer():
            return c.replace_strict({1: True, 0: False}, default=None, return_dtype=pl.Boolean)
    elif kind is Kind.DATE:
        if dtype == pl.String:
            parsed = c.str.to_date("%Y-%m-%d", strict=False)
            return pl.when(c.str.contains(_ISO_DATE)).then(parsed).otherwise(None)
        if isinstance(dtype, pl.Datetime):
            return c.dt.date()
    elif kind in (Kind.TEXT, Kind.CATEGORY):
        if isinstance(dtype, pl.Categorical | pl.Enum) or dtype.is_integer():
            return c.cast(pl.String)
    else:  # money, decimal, percent: fixed point
        converted = _fixed_point(c, dtype, kind)
        return None if converted is None else _within_limit(converted, kind)
    return None


def parse_plain_decimal(text: pl.Expr, kind: Kind) -> pl.Expr:
    """Plain decimal text (`-1234.5`) as the canonical fixed-point dtype of `kind`;
    null for anything else, or for more decimal places than the kind keeps."""
    scale = scale_of(kind)
    target = pl.Decimal(38, scale)
    pattern = rf"^-?\d{{1,{AMOUNT_DIGITS}}}(\.\d{{1,{scale}}})?$"
    parsed = text.str.to_decimal(scale=scale).cast(target, strict=False)
    return pl.when(text.str.contains(pattern)).then(parsed).otherwise(None)


def _fixed_point(c: pl.Expr, dtype: pl.DataType, kind: Kind) -> pl.Expr | None:
    scale = scale_of(kind)
    target = pl.Decimal(38, scale)
    if dtype == pl.String:
        return parse_plain_decimal(c, kind)
    if dtype.is_integer():
        return c.cast(target, strict=False)
    if dtype.is_float():
        return c.round(scale).cast(target, strict=False)
    if isinstance(dtype, pl.Decimal):
        rounded = c.round(scale) if (dtype.scale or 0) > scale else c
        return rounded.cast(target, strict=False)
    return None


def _within_limit(c: pl.Expr, kind: Kind) -> pl.Expr:
    limit = pl.lit(LARGEST_AMOUNT, dtype=pl.Decimal(38, scale_of(kind)))
    return pl.when(c.abs() < limit).then(c).otherwise(None)


def too_large(raw: pl.Expr, dtype: pl.DataType, kind: Kind) -> pl.Expr | None:
    """True where a raw fixed-point value is `LARGEST_AMOUNT` or more in size
    (None for kinds and dtypes that cannot hold one)."""
    if kind not in FIXED_POINT:
        return None
    if dtype == pl.String:
        return raw.str.contains(rf"^-?0*[1-9]\d{{{AMOUNT_DIGITS},}}(\.\d*)?$")
    if dtype.is_integer() or dtype.is_float() or isinstance(dtype, pl.Decimal):
        return raw.cast(pl.Float64, strict=False).abs() >= float(LARGEST_AMOUNT)
    return None
