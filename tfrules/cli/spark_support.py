"""What `eval` and `report` share to run on the Spark engine: the options,
and the data loaded and checked by Spark."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tfrules.cli.common import exit_bad_data, fail, plain_failures
from tfrules.cli.interrupts import in_worker
from tfrules.run.spark.locations import is_local_folder

# Spark's modules are imported when Spark is used: `--help` must stay quick.
if TYPE_CHECKING:
    from tfrules.model.ruleset import CheckedRuleset
    from tfrules.run.spark.sources import SparkData


class EngineName(enum.StrEnum):
    POLARS = "polars"
    SPARK = "spark"


ENGINE_HELP = (
    "Where to evaluate: polars (on this machine, the default) or spark (inside Apache Spark, "
    "where the data lives; needs pip install 'tfrules[spark]'; see docs/spark.md). The "
    "results are the same."
)
SPARK_MASTER_HELP = (
    "With --engine spark: the Spark master to run on (spark://HOST:7077, yarn, local[4]). "
    "By default the session spark-submit started, else local mode on every core."
)
SPARK_DATA_HELP = (
    "A folder with one Parquet or CSV file per table (households.parquet, ...). With "
    "--engine spark: any path Spark reads (hdfs://, s3a://, abfss://, a local folder) with "
    "one Parquet file or folder per table, or catalog:DATABASE for the tables of a database "
    "of the Spark catalog."
)


def check_spark_options(engine: EngineName, master: str | None, out: Path | None) -> None:
    """Refuse a --spark-master without --engine spark, and a Spark output that is not Parquet."""
    if engine is not EngineName.SPARK:
        if master is not None:
            fail("--spark-master is for --engine spark")
        return
    if out is not None and out.suffix != ".parquet":
        fail("--engine spark writes Parquet: give an --out ending in .parquet")


def spark_data(
    rulesets: Sequence[CheckedRuleset],
    data: str,
    master: str | None,
    mapping: Path | None = None,
    databases: Sequence[str] = (),
) -> SparkData:
    """The data loaded into Spark and checked there, through the council's
    `mapping` (or the one beside a folder of this machine), if any: exit 1
    naming every problem, 2 when Spark cannot run or read the location. Files
    that feed no table and tables not supplied are warned about, as on one machine."""
    from tfrules.cli.common import load_data_mapping
    from tfrules.cli.data_notes import warn_about_data
    from tfrules.data.errors import DataError
    from tfrules.run.spark.loading import spark_dataset

    if databases:
        fail(
            "--database is for the polars engine: the Spark engine does not read databases "
            "(copy the tables into files or the Spark catalog, and map those; see docs/spark.md)"
        )
    beside = is_local_folder(data)  # a mapping.tfr in a folder of this machine is read too
    checked = load_data_mapping(rulesets, Path(data), mapping) if beside or mapping else None
    try:
        with plain_failures():
            dataset = in_worker(lambda: spark_dataset(rulesets, data, master, checked))
    except DataError as exc:
        exit_bad_data(exc)
    warn_about_data(dataset, rulesets)  # type: ignore[arg-type]
    return dataset


__all__ = [
    "ENGINE_HELP",
    "SPARK_DATA_HELP",
    "SPARK_MASTER_HELP",
    "EngineName",
    "check_spark_options",
    "is_local_folder",
    "spark_data",
]
