"""Spark frames of sources that are read on the executors (`tfrules.run.spark.reading`):
a CSV file's lines parsed, and any source's columns read through a mapping.

A CSV file is read by Spark's text source, one row per line, each marked
with its place (Spark's monotonically increasing id: the partition in the
upper bits, the place in it in the lower; partition 0 begins the file). The
title and heading lines are the first `header_row` marks, and are left out;
the rest go to the executors as bytes, decoded there in the file's encoding.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs
import polars as pl

from tfrules.data.csv_locate import ragged_message, undecodable_message
from tfrules.run.spark.dtypes import spark_schema
from tfrules.run.spark.executor import partition_function
from tfrules.run.spark.reading import (
    LINE_BYTES,
    LINE_MARK,
    CsvShape,
    ReadTask,
    output_dtypes,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_READ = "tfrules.run.spark.reading:read_partition"
#: Python codecs as a person names their encodings in messages.
_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}


@attrs.frozen
class CsvLines:
    """A CSV source's lines as Spark reads them, kept to number a line that
    cannot be read (only then are they counted)."""

    lines: DataFrame
    shape: CsvShape

    def line_of(self, mark: int) -> int:
        """The line of the file (from 1) of the line marked `mark`."""
        from pyspark.sql import functions as F

        return self.lines.filter(F.col(LINE_MARK) < F.lit(mark)).count() + 1

    def message(self, reason: str, mark: int, detail: int) -> str:
        """What to say of the line marked `mark`, which cannot be read for `reason`."""
        line = self.line_of(mark)
        if reason == "ragged":
            return ragged_message(line, detail, len(self.shape.headings), self.shape.delimiter)
        if reason == "spans":
            return (
                f"line {line} begins a value in double quotes that runs over several lines, "
                "and Spark reads a file this large in parts split between lines: take the line "
                "breaks out of the values, or save the file as Parquet (one machine reads it "
                "as it is)"
            )
        place, byte = divmod(detail, 256)
        if self.shape.codec in ("utf-8", "utf-8-sig"):
            return undecodable_message(line, place, byte)
        name = _ENCODING_NAMES.get(self.shape.codec, self.shape.codec)
        return (
            f"line {line} is not {name} text (byte {place + 1} of the line, 0x{byte:02x}): "
            "say the file's encoding in the data mapping"
        )


def read_with(frame: DataFrame, task: ReadTask) -> DataFrame:
    """`frame` (a source's columns, or a CSV file's lines) read on the executors by `task`."""
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = spark_schema(output_dtypes(task))
    task = attrs.evolve(task, output=to_arrow_schema(schema))
    return frame.mapInArrow(partition_function(task, _READ), schema)


def csv_lines(spark: SparkSession, uri: str, shape: CsvShape) -> CsvLines:
    """Every line of the CSV file at `uri`, marked with its place."""
    from pyspark.sql import functions as F

    lines = spark.read.text(uri).select(
        F.monotonically_increasing_id().alias(LINE_MARK),
        F.col("value").cast("binary").alias(LINE_BYTES),
    )
    try:
        split = lines.rdd.getNumPartitions() > 1
    except Exception:  # a Spark Connect session: no partitions to ask about
        split = True
    return CsvLines(lines, attrs.evolve(shape, split=split))


def read_csv(
    lines: CsvLines,
    header_row: int,
    columns: tuple[pl.Expr, ...],
    source: int | None = None,
    stages: tuple[tuple[pl.Expr, ...], ...] = (),
) -> DataFrame:
    """The file's rows below its heading (line `header_row`), read as `columns`
    over its headings (and the helper columns of `stages`)."""
    from pyspark.sql import functions as F

    data = lines.lines.filter(F.col(LINE_MARK) >= F.lit(header_row))
    dtypes = pl.Schema(dict.fromkeys(lines.shape.headings, pl.String()))
    return read_with(data, ReadTask(columns, dtypes, lines.shape, source, stages=stages))


def sheet_frame(spark: SparkSession, rows: pl.DataFrame) -> DataFrame:
    """A workbook's sheet, read on the driver, as a Spark frame (in its order)."""
    import pyspark

    arrow = rows.to_arrow(compat_level=pl.CompatLevel.oldest())
    schema = spark_schema(rows.schema)
    if int(pyspark.__version__.split(".")[0]) >= 4:
        return spark.createDataFrame(arrow, schema=schema)
    with _arrow_conversion(spark):  # Spark 3.5 takes pandas, through Arrow when enabled
        return spark.createDataFrame(arrow.to_pandas(), schema=schema)


@contextlib.contextmanager
def _arrow_conversion(spark: SparkSession) -> Iterator[None]:
    key = "spark.sql.execution.arrow.pyspark.enabled"
    before = spark.conf.get(key, "false")
    spark.conf.set(key, "true")
    try:
        yield
    finally:
        spark.conf.set(key, before or "false")
