"""The Polars dtypes of a plan's output as Spark types, so that Spark writes
the very columns the single-machine engine writes (exact money stays a
decimal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType, StructType


def spark_type(dtype: pl.DataType) -> DataType:
    """The Spark type holding values of the Polars `dtype` exactly; TypeError
    for a dtype no plan produces."""
    from pyspark.sql import types as T

    if isinstance(dtype, pl.Decimal):
        return T.DecimalType(dtype.precision or 38, dtype.scale or 0)
    if isinstance(dtype, pl.Datetime):
        return T.TimestampNTZType() if dtype.time_zone is None else T.TimestampType()
    if isinstance(dtype, pl.Categorical | pl.Enum):
        return T.StringType()
    if isinstance(dtype, pl.List):
        return T.ArrayType(spark_type(dtype.inner), containsNull=True)
    simple: dict[type[pl.DataType], DataType] = {
        pl.Boolean: T.BooleanType(),
        pl.Int8: T.ByteType(),
        pl.Int16: T.ShortType(),
        pl.Int32: T.IntegerType(),
        pl.Int64: T.LongType(),
        pl.UInt8: T.ShortType(),
        pl.UInt16: T.IntegerType(),
        pl.UInt32: T.LongType(),
        pl.Float32: T.FloatType(),
        pl.Float64: T.DoubleType(),
        pl.String: T.StringType(),
        pl.Date: T.DateType(),
        pl.Null: T.StringType(),  # a column of unknowns only
    }
    found = simple.get(dtype.base_type())
    if found is None:
        raise TypeError(f"no Spark type for the Polars dtype {dtype}")
    return found


def spark_schema(schema: pl.Schema) -> StructType:
    """A Spark schema with the columns of `schema`, each nullable (unknowns are null)."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(n, spark_type(d), True) for n, d in schema.items()])


def polars_dtypes(schema: pl.Schema) -> pl.Schema:
    """The dtypes the results take once read back from Spark's Parquet: those
    of `schema` except where Spark has no such type (unsigned integers widen,
    categories are text, a column of unknowns only is text)."""
    widened: dict[str, pl.DataType] = {}
    for name, dtype in schema.items():
        if isinstance(dtype, pl.Categorical | pl.Enum) or dtype == pl.Null:
            widened[name] = pl.String()
        elif dtype in (pl.UInt8, pl.UInt16, pl.UInt32):
            widened[name] = {pl.UInt8: pl.Int16(), pl.UInt16: pl.Int32()}.get(
                dtype.base_type(), pl.Int64()
            )
        else:
            widened[name] = dtype
    return pl.Schema(widened)


def polars_schema(frame: DataFrame) -> pl.Schema:
    """The Polars dtypes of the Arrow batches Spark makes of `frame`."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return pl.from_arrow(to_arrow_schema(frame.schema).empty_table()).schema
