"""Multi-council runs in Spark: what the summary says of the councils,
counted by Spark (on one machine: `households_without_local` and
`councils_without_households` of `tfrules.run.councils`)."""

from __future__ import annotations

from collections.abc import Mapping

from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.spark.sources import SparkData


def spark_councils(
    national: CheckedRuleset, data: SparkData, covered: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    """How many households each council with no local ruleset has, by
    council; and each council a local ruleset applies to that no household
    belongs to, with that ruleset."""
    column = national.schema.council_column
    assert column is not None
    table = data.tables[national.schema.households.name]
    households = data.households()
    council = table.text(column)
    counts = {
        row["council"]: row["count"]
        for row in households.select(council.alias("council")).groupBy("council").count().collect()
    }
    without = {
        code: count
        for code, count in sorted((c, n) for c, n in counts.items() if c is not None)
        if code not in covered
    }
    unmatched = {code: name for code, name in sorted(covered.items()) if code not in counts}
    return without, unmatched
