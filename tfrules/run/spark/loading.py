"""A Spark run's data, loaded and validated: what `--engine spark` reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tfrules.data.load import Dataset
from tfrules.model.mapping import CheckedMapping
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.spark.session import spark_session
from tfrules.run.spark.sources import SparkData, load_spark_data
from tfrules.run.spark.validate import validate_in_spark


def spark_dataset(
    rulesets: Sequence[CheckedRuleset],
    source: str | Mapping[str, Any] | SparkData,
    master: str | None = None,
    mapping: CheckedMapping | None = None,
) -> SparkData:
    """The tables the rulesets read, from a location Spark reads (a path,
    `catalog:DATABASE`) or a mapping of Spark frames, checked against the data
    contract by Spark; raises DataError naming every problem. At a path, a
    council's `mapping` says where the tables' rows come from."""
    if isinstance(source, SparkData):
        return source
    if isinstance(source, Dataset):
        raise TypeError(
            "the Spark engine reads the data into Spark itself: give its location (a path Spark "
            "reads, or catalog:DATABASE) or Spark frames, not data loaded by tfrules.load_data"
        )
    spark = spark_session(master)
    data = load_spark_data(spark, rulesets, source, mapping)
    validate_in_spark(data)
    return data
