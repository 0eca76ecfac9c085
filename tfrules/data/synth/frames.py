"""Turning the generators' NumPy columns into canonical Polars frames.

Generators produce a ``Raw`` table: a dict from canonical column name to a
NumPy array where ids are row indices within the block, dates are day numbers
(``NO_DATE`` for null), categories are codes into ``schema.CATEGORIES`` and
money is whole pence. This module alone knows how each becomes a column of
the dtype docs/data-model.md asks for, so every table is built the same way.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tfrules.data.synth.schema import CATEGORIES, MONEY, NULLABLE, TABLES

Raw = dict[str, np.ndarray]

#: Digits in a household number: ids stay fixed-width up to 999,999,999 households.
HOUSEHOLD_DIGITS = 9

_NO_DATE = np.iinfo(np.int64).min


def household_ids(first_number: int, count: int) -> pl.Series:
    """``H000000001``-style ids for households ``first_number .. first_number+count-1``."""
    numbers = pl.Series(
        "household_id", np.arange(first_number, first_number + count, dtype=np.int64)
    )
    return pl.select(
        (pl.lit("H") + numbers.cast(pl.String).str.zfill(HOUSEHOLD_DIGITS)).alias("household_id")
    ).to_series()


def person_ids(household_numbers: np.ndarray, member: np.ndarray) -> pl.Series:
    """``P`` + the household's number + the member's place (1-8): ``P0000000121``
    is member 1 of household ``H000000012``. Derived from the household, so a
    chunk of households owns its person ids without knowing any other chunk."""
    numbers = pl.Series("person_id", household_numbers * 10 + member)
    return pl.select(
        (pl.lit("P") + numbers.cast(pl.String).str.zfill(HOUSEHOLD_DIGITS + 1)).alias("person_id")
    ).to_series()


def _dates(name: str, values: np.ndarray, nullable: bool) -> pl.Series:
    series = pl.Series(name, values, dtype=pl.Int64)
    if not nullable:
        return series.cast(pl.Int32).cast(pl.Date)
    return pl.select(
        pl.when(series != _NO_DATE).then(series).cast(pl.Int32).cast(pl.Date).alias(name)
    ).to_series()


def _money(name: str, pence: np.ndarray) -> pl.Series:
    series = pl.Series(name, pence, dtype=pl.Int64)
    return pl.select((series.cast(MONEY) / 100).cast(MONEY).alias(name)).to_series()


def to_frame(table: str, raw: Raw, lookups: dict[str, pl.Series]) -> pl.DataFrame:
    """The canonical frame for ``table``.

    ``lookups`` maps a column name (``person_id``, ``household_id``,
    ``la_code``) to the Series its integer codes index into.
    """
    columns: list[pl.Series] = []
    nullable = NULLABLE.get(table, frozenset())
    for name, dtype in TABLES[table].items():
        values = raw[name]
        if name in lookups:
            series = lookups[name].gather(values).alias(name)
        elif (table, name) in CATEGORIES:
            series = pl.Series(name, CATEGORIES[table, name], dtype=pl.String).gather(values)
        elif dtype == pl.Date:
            series = _dates(name, values, name in nullable)
        elif dtype == MONEY:
            series = _money(name, values)
        else:
            series = pl.Series(name, values).cast(dtype)
        columns.append(series)
    return pl.DataFrame(columns)
