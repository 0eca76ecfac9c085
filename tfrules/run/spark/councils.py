"""Multi-council runs in Spark: the households of councils with no local
ruleset, counted by Spark (the single-machine count is
`tfrules.run.councils.households_without_local`)."""

from __future__ import annotations

from collections.abc import Mapping

from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.spark.buckets import raw_name
from tfrules.run.spark.sources import SparkData


def spark_households_without_local(
    national: CheckedRuleset, data: SparkData, covered: Mapping[str, str]
) -> dict[str, int]:
    """How many households each council with no local ruleset has, by council."""
    from pyspark.sql import functions as F

    column = national.schema.council_column
    assert column is not None
    households = data.households()
    council = households[f"`{raw_name(national.schema.households, column)}`"].cast("string")
    counts = (
        households.select(council.alias("council"))
        .filter(~F.col("council").isin(list(covered)))
        .groupBy("council")
        .count()
        .collect()
    )
    return dict(sorted((row["council"], row["count"]) for row in counts))
