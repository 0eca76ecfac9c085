"""Reading a council's own values as canonical ones: one Polars expression per column.

A mapped column's values go through, in order: its labels (`"Yes" means
true`, matched without regard to capitals or spaces at the ends; a label
meaning unknown gives null), then its pictures (dates written `dd/mm/yyyy`,
Excel's day numbers, amounts written `£1,234.50`), then the canonical reading
of `tfrules.data.casts`. ISO dates (`2013-01-15`, with or without a time, as
Excel's own date cells are read) are always accepted. A value that none of
these reads becomes null, and the validator reports its raw text.

A category, true/false or text column with labels is read by
`tfrules.data.labels`, which compares each row with the labels as written and
folds only the rows that leaves; its helper columns come as `Reading.stages`.
"""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl

from tfrules.data.casts import EXPECTED, canonical_dtype, cast_value, parse_plain_decimal, too_large
from tfrules.data.labels import LOOKUP_KINDS, read_labelled, said_unknown
from tfrules.model.mapping import ColumnSource, fold
from tfrules.model.schema import Column
from tfrules.model.types import Kind
from tfrules.semantics.pictures import AmountPicture, DatePicture

#: Day 0 of Excel's day numbers (right from 1 March 1900: Excel counts a 29 February 1900).
EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO = r"^\d{4}-\d{2}-\d{2}"
_SERIAL = r"^\d{1,6}(\.\d+)?$"


@attrs.frozen
class Reading:
    """How one column of one source becomes canonical.

    `value` gives the canonical value (null where it cannot be read);
    `shown` is the raw value as errors show it (null where a label says the
    value is unknown, so that it is not taken for one that cannot be read);
    `too_large` is true on an amount too large to hold (None if not an amount);
    `expected` says what a value should look like, for error messages;
    `stages` are helper columns the other expressions read, added to the
    source's frame first, one `with_columns` per stage (see `tfrules.data.labels`).
    """

    value: pl.Expr
    shown: pl.Expr
    too_large: pl.Expr | None
    expected: str
    stages: tuple[tuple[pl.Expr, ...], ...] = ()


def read_column(
    raw: pl.Expr, dtype: pl.DataType, column: Column, source: ColumnSource | None
) -> Reading:
    """The reading of `raw` (held as `dtype`) as canonical column `column`.

    In a category column with labels, the category's own values are read
    without regard to capitals or spaces at the ends (`Burglary` is burglary),
    as its labels are (without labels they are read exactly, which costs
    nothing; see `tfrules.data.labels`); a date written as text may have a
    time after it (as a workbook's date cells are read)."""
    kind = column.type.kind
    target = canonical_dtype(column.type)
    if kind in LOOKUP_KINDS and source is not None and source.labels:
        labelled = read_labelled(raw, dtype, column, source, target)
        expected = describe(column, source)
        return Reading(labelled.value, labelled.shown, None, expected, labelled.stages)
    dates_as_text = kind is Kind.DATE and dtype == pl.String
    plain = not dates_as_text and (
        source is None or not (source.labels or source.dates or source.excel_dates or source.amount)
    )
    if plain:
        value = cast_value(raw, dtype, column.type)
        return Reading(
            value if value is not None else pl.lit(None, dtype=target),
            raw,
            too_large(raw, dtype, kind),
            EXPECTED[kind],
        )
    source = source or ColumnSource(column.name)
    if dtype != pl.String and not source.labels:
        return _typed(raw, dtype, column, source)
    text = raw if dtype == pl.String else raw.cast(pl.String)
    trimmed = text.str.strip_chars()
    large: pl.Expr | None = None
    if kind is Kind.DATE:
        value = _date(trimmed, source)
    elif kind is Kind.MONEY and source.amount is not None:
        normal = normalise_amount(trimmed, source.amount)
        value = parse_plain_decimal(normal, kind)
        large = too_large(normal, pl.String, kind)
    else:
        cast = cast_value(
            trimmed if kind not in (Kind.TEXT, Kind.CATEGORY) else text, pl.String, column.type
        )
        value = cast if cast is not None else pl.lit(None, dtype=target)
        large = too_large(trimmed, pl.String, kind)
    shown = raw
    stages: tuple[tuple[pl.Expr, ...], ...] = ()
    if source.labels:  # here they can only mean unknown (`tfrules.check.mapping`)
        helper, unknown = said_unknown(text, source, column.name)
        stages = ((helper,),)
        value = pl.when(unknown).then(pl.lit(None, dtype=target)).otherwise(value)
        shown = pl.when(unknown).then(pl.lit(None, dtype=dtype)).otherwise(raw)
    return Reading(value, shown, large, describe(column, source), stages)


def _typed(raw: pl.Expr, dtype: pl.DataType, column: Column, source: ColumnSource) -> Reading:
    """A column already typed (Parquet, a database): Excel day numbers, or as it is."""
    kind = column.type.kind
    if kind is Kind.DATE and source.excel_dates and (dtype.is_integer() or dtype.is_float()):
        value = _serial_date(raw.cast(pl.Float64, strict=False))
    else:
        value = cast_value(raw, dtype, column.type)
    if value is None:
        value = pl.lit(None, dtype=canonical_dtype(column.type))
    return Reading(value, raw, too_large(raw, dtype, kind), describe(column, source))


def _date(text: pl.Expr, source: ColumnSource) -> pl.Expr:
    readings = [_picture(text, picture) for picture in source.dates]
    if source.excel_dates:
        serial = text.str.contains(_SERIAL)
        readings.append(pl.when(serial).then(_serial_date(text.cast(pl.Float64, strict=False))))
    iso_day = text.str.slice(0, 10)
    readings.append(
        pl.when(text.str.contains(_ISO)).then(iso_day.str.to_date("%Y-%m-%d", strict=False))
    )
    return pl.coalesce(readings)


def _picture(text: pl.Expr, picture: DatePicture) -> pl.Expr:
    if picture.has_time:
        parsed = text.str.to_datetime(picture.format, strict=False).dt.date()
    else:
        parsed = text.str.to_date(picture.format, strict=False)
    return pl.when(text.str.contains(picture.pattern)).then(parsed)


def _serial_date(days: pl.Expr) -> pl.Expr:
    whole = days.floor().cast(pl.Int64, strict=False)
    usable = whole.is_between(1, 2_958_465)  # Excel's own range: up to 9999-12-31
    return pl.when(usable).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=whole))


def normalise_amount(text: pl.Expr, picture: AmountPicture) -> pl.Expr:
    """An amount written as `picture` shows it, as plain decimal text (`-1234.50`)."""
    out = text
    if picture.currency is not None:
        out = out.str.replace(picture.currency, "", literal=True)
    out = out.str.replace_all(" ", "", literal=True)
    if picture.thousands is not None and picture.thousands != " ":
        out = out.str.replace_all(picture.thousands, "", literal=True)
    if picture.decimal != ".":
        out = out.str.replace(picture.decimal, ".", literal=True)
    return out


def describe(column: Column, source: ColumnSource) -> str:
    """What a value of a mapped column should look like, for '... is not <this>'."""
    kind = column.type.kind
    ways: list[str] = []
    if kind is Kind.DATE:
        ways = [f"a date written {p.picture}" for p in source.dates]
        if source.excel_dates:
            ways.append("an Excel day number")
        ways.append("a date written yyyy-mm-dd")
    elif kind is Kind.MONEY and source.amount is not None:
        ways = [f"an amount written like {source.amount.picture}"]
    else:
        ways = [EXPECTED[kind]]
    own = {fold(value) for value in column.type.values}
    said = [f'"{label}"' for label in _shown_labels(source) if label not in own]
    text = " or ".join(ways)
    if said:
        text += ", or one of the labels " + ", ".join(said)
    return text


def _shown_labels(source: ColumnSource) -> list[str]:
    return sorted(source.labels)[:8]
