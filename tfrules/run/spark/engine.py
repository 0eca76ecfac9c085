"""`SparkEngine`: a job's households evaluated inside Spark, bucket by bucket,
by the single-machine engine's own plan (see `tfrules.run.spark`)."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import polars as pl
import pyarrow as pa

from tfrules.run.engines import Job, Progress
from tfrules.run.spark.buckets import bucketed
from tfrules.run.spark.dtypes import polars_dtypes, spark_schema
from tfrules.run.spark.errors import SparkRunError
from tfrules.run.spark.executor import (
    EXECUTOR_MARK,
    BucketTask,
    output_schema,
    partition_function,
)
from tfrules.run.spark.session import spark_session
from tfrules.run.spark.sink import write_parquet
from tfrules.run.spark.sources import SparkData

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: Households per bucket: a bucket's frames and plan fit an executor's memory easily.
HOUSEHOLDS_PER_BUCKET = 200_000


def bucket_count(spark: SparkSession, households: int) -> int:
    """Enough buckets to keep every core busy, and a bucket's households bounded."""
    try:
        cores = spark.sparkContext.defaultParallelism
    except Exception:  # a Spark Connect session has no SparkContext
        cores = 8
    return max(cores, math.ceil(households / HOUSEHOLDS_PER_BUCKET))


def spark_data(job: Job) -> SparkData:
    if not isinstance(job.dataset, SparkData):
        raise TypeError(
            "the Spark engine runs on data loaded into Spark "
            "(tfrules.write_results(..., engine='spark') loads it so)"
        )
    return job.dataset


class SparkEngine:
    """The results computed by Spark: the same rows as the Polars engine's."""

    name = "spark"

    def __init__(self, buckets: int = 0) -> None:
        #: buckets of households (0: chosen from the number of households and cores)
        self.buckets = buckets

    def results(self, job: Job) -> tuple[DataFrame, pl.Schema, int]:
        """The results as a Spark frame, their Polars dtypes, and the number of households."""
        from pyspark.sql.pandas.types import to_arrow_schema

        data = spark_data(job)
        spark = spark_session()
        task = BucketTask(
            job.ruleset,
            tuple(job.local),
            job.as_of,
            job.rules,
            job.reasons,
            {name: table.evaluated()[0] for name, table in data.tables.items()},
            frozenset(name for name, t in data.tables.items() if t.frame is not None),
            data.missing_tables,
        )
        dtypes = output_schema(task)
        schema = spark_schema(dtypes)
        task = attrs.evolve(task, output=to_arrow_schema(schema))
        households = data.households().count()
        buckets = self.buckets or bucket_count(spark, households)
        frame = bucketed(data, buckets).mapInArrow(partition_function(task), schema)
        return frame, dtypes, households

    def evaluate(self, job: Job) -> pl.DataFrame:
        from pyspark.sql.pandas.types import to_arrow_schema

        frame, dtypes, _ = self.results(job)
        key = job.ruleset.schema.households.key or ""
        with executor_failures():
            arrow = to_arrow(frame)
        found = pl.from_arrow(arrow.cast(to_arrow_schema(frame.schema)))
        assert isinstance(found, pl.DataFrame)
        return found.cast(dict(polars_dtypes(dtypes))).sort(key)

    def write(self, job: Job, out: Path, on_progress: Progress) -> pl.Schema:
        if out.suffix != ".parquet":
            raise ValueError(
                f"{out}: the Spark engine writes Parquet; give a name ending in .parquet"
            )
        frame, dtypes, households = self.results(job)
        on_progress(f"evaluating {households:,} households in Spark and writing {out.name}")
        key = job.ruleset.schema.households.key or ""
        with executor_failures():
            write_parquet(frame, key, out, households)
        return polars_dtypes(dtypes)


@contextlib.contextmanager
def executor_failures() -> Iterator[None]:
    """An executor that cannot import Polars or tfrules is a SparkRunError
    saying what to install (Spark reports it inside a long Java trace)."""
    try:
        yield
    except Exception as error:
        text = str(error)
        start = text.find(EXECUTOR_MARK)
        if start < 0:
            raise
        line = text[start:].splitlines()[0]
        raise SparkRunError(line) from None


def to_arrow(frame: DataFrame) -> pa.Table:
    """The rows of a Spark frame as an Arrow table (toArrow came in Spark 4)."""
    if hasattr(frame, "toArrow"):
        return frame.toArrow()
    from pyspark.sql.pandas.types import to_arrow_schema

    batches = frame._collect_as_arrow()  # Spark 3.5
    return pa.Table.from_batches(batches, schema=to_arrow_schema(frame.schema))
