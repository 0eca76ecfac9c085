"""Every row of every table given its household's bucket, and the tables
side by side in one Spark frame partitioned by bucket.

A row's household is its own id (households), its owner key (persons and
events that belong to a household) or its person's household (events that
belong to a person, found by a join with the persons). Its bucket is a
stable hash of that household id (Spark's xxhash64) modulo the number of
buckets, so every row of one household lands in the same partition, on
whatever machine, in every run.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from tfrules.data.load import owner_table
from tfrules.run.spark.executor import BUCKET, TABLE, side_name
from tfrules.run.spark.sources import SparkData

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

#: The column holding each row's household id while buckets are assigned.
HOUSEHOLD = "__tfrules_household"


def with_households(data: SparkData) -> dict[str, DataFrame]:
    """Each table's rows (the columns the executors read, prefixed by the
    table's name) with the household each belongs to, in `HOUSEHOLD`."""
    schema = data.schema
    persons = schema.persons
    assert persons.key and persons.owner_key
    people = data.tables[persons.name]
    # every person of the data set: too many to broadcast to each task, whatever
    # Spark guesses from the compressed file's size, so joined by shuffling
    person_households = (
        people.frame.select(  # type: ignore[union-attr]
            people.text(persons.key).alias("__tfrules_person"),
            people.text(persons.owner_key).alias(HOUSEHOLD),
        )
    ).hint("shuffle_hash")
    tagged: dict[str, DataFrame] = {}
    for name, loaded in data.tables.items():
        frame = loaded.frame
        if frame is None:
            continue
        table = loaded.input.table
        owner = owner_table(schema, table)
        _, read = loaded.evaluated()
        columns = [frame[f"`{c}`"].alias(side_name(name, c)) for c in read]
        if owner is None:
            assert table.key
            tagged[name] = frame.select(*columns, loaded.text(table.key).alias(HOUSEHOLD))
        elif owner.name == persons.name:
            assert table.owner_key
            link = loaded.text(table.owner_key)
            joined = frame.join(
                person_households, link == person_households["__tfrules_person"], "inner"
            )
            tagged[name] = joined.select(*columns, joined[HOUSEHOLD])
        else:
            assert table.owner_key
            tagged[name] = frame.select(*columns, loaded.text(table.owner_key).alias(HOUSEHOLD))
    return tagged


def bucketed(data: SparkData, buckets: int) -> DataFrame:
    """Every table's rows in one frame, with `TABLE` and `BUCKET`,
    repartitioned so that each bucket is in one partition."""
    from pyspark.sql import functions as F

    parts = [frame.withColumn(TABLE, F.lit(name)) for name, frame in with_households(data).items()]
    union = functools.reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), parts)
    with_bucket = union.withColumn(BUCKET, F.pmod(F.xxhash64(HOUSEHOLD), F.lit(buckets)))
    return with_bucket.drop(HOUSEHOLD).repartition(buckets, BUCKET)
