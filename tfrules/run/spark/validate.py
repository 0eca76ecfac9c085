"""The data contract checked by Spark jobs, with the single-machine messages.

The checks are those of `tfrules.data.validate` and their wording is theirs:
each row check is the same Polars expression, evaluated on every partition
(`mapInArrow`) over the partition's rows read with the loader's casts, and
Spark adds up how many rows break each and the first such row. Checks
across rows are Spark joins and aggregates: an id used twice, a row whose
owner (a person's household, an event's person) is not in its owner table.
Only the rows found are brought to the driver, to be described.

Rows are numbered from 1 in the order Spark reads them: the order of the
file for one Parquet file; for a folder of parts, the order Spark lists them
in (the row's id, named beside the number, finds it in any case).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import polars as pl
import pyarrow as pa

from tfrules.data.errors import DataError, DataProblem
from tfrules.data.load import TableInput, owner_table
from tfrules.data.row_checks import ROW_RULES, RowRule, cast_name
from tfrules.data.validate import (
    ROW,
    duplicate_message,
    located_problem,
    orphan_message,
    table_checks,
)
from tfrules.model.schema import Table
from tfrules.run.spark.buckets import raw_name
from tfrules.run.spark.engine import to_arrow
from tfrules.run.spark.executor import partition_function
from tfrules.run.spark.sources import SparkData

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_SPARK_ID = "__tfrules_spark_id"


@attrs.frozen
class RowCheckTask:
    """What an executor needs to check its rows: the casts and the checks."""

    dtypes: pl.Schema
    casts: Mapping[str, pl.Expr]
    checks: tuple[pl.Expr, ...]


def validate_in_spark(
    data: SparkData, row_rules: Mapping[str, tuple[RowRule, ...]] = ROW_RULES
) -> None:
    """Raise `DataError` listing every problem in `data`; return if there is none."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    problems: list[DataProblem] = []
    readable: dict[str, tuple[TableInput, DataFrame]] = {}
    for name, loaded in data.tables.items():
        inp = loaded.input
        problems.extend(inp.problems)
        if loaded.frame is None:  # absent, so empty: nothing to check
            continue
        owner = owner_table(data.schema, inp.table)
        try:
            frame = numbered(_renamed(loaded.frame, inp))
            problems.extend(_check_rows(frame, inp, owner, row_rules.get(name, ())))
            if owner is not None and owner.name in readable:
                problems.extend(_check_owner(frame, inp, *readable[owner.name]))
        except (PySparkException, Py4JJavaError) as error:
            text = str(error).strip()
            detail = text.splitlines()[0] if text else type(error).__name__
            where = inp.path or f"the {inp.table.name} table"
            message = f"cannot read {where}: {detail}"
            problems.append(
                DataProblem(inp.table.name, None, None, None, None, message, inp.origin)
            )
            continue
        readable[name] = (inp, frame)
    if problems:
        raise DataError(problems, data.source_description)


def _renamed(frame: DataFrame, inp: TableInput) -> DataFrame:
    """The table's raw columns under their schema names (as `TableInput.raw` has them)."""
    return frame.select(
        *[frame[f"`{raw_name(inp.table, c)}`"].alias(c) for c in inp.raw.collect_schema().names()]
    )


def numbered(frame: DataFrame) -> DataFrame:
    """`frame` with `ROW`: its rows numbered from 1 in the order Spark reads them.

    Spark's monotonically increasing id holds the partition in its upper bits
    and the row within it in the lower 33; one small job counts each
    partition's rows, and a row's number is the rows of the partitions before
    it plus its place in its own. A file scan reads the same partitions every
    time, so the ids are the same in every job over the frame."""
    from pyspark.sql import functions as F

    with_id = frame.withColumn(_SPARK_ID, F.monotonically_increasing_id())
    partition = F.shiftright(F.col(_SPARK_ID), 33)
    counts = with_id.groupBy(partition.alias("part")).count().orderBy("part").collect()
    if not counts:
        return with_id.withColumn(ROW, F.lit(None).cast("long")).drop(_SPARK_ID)
    starts = [0, *itertools.accumulate(row["count"] for row in counts)]
    before = F.create_map(
        *itertools.chain.from_iterable(
            (F.lit(row["part"]), F.lit(start)) for row, start in zip(counts, starts, strict=False)
        )
    )
    place = F.col(_SPARK_ID) - F.shiftleft(partition, 33)
    return with_id.withColumn(ROW, place + before[partition] + 1).drop(_SPARK_ID)


def _polars_rows(frame: DataFrame, inp: TableInput) -> pl.DataFrame:
    """Rows of a (small) Spark frame in Polars, each usable column cast as the loader casts."""
    found = pl.from_arrow(to_arrow(frame))
    assert isinstance(found, pl.DataFrame)
    dtypes = inp.raw.collect_schema()
    found = found.with_columns(pl.col(n).cast(d) for n, d in dtypes.items())
    return found.with_columns(_cast_columns(inp))


def _cast_columns(inp: TableInput) -> list[pl.Expr]:
    usable = [name for name in inp.casts if name not in inp.unusable]
    return [inp.casts[name].alias(cast_name(name)) for name in usable]


def summarise_partition(task: RowCheckTask, batches: Iterator[pa.RecordBatch]) -> Iterator:
    """On an executor: how many of a partition's rows break each check, and the first."""
    received = [batch for batch in batches if batch.num_rows]
    if not received:
        return
    rows = pl.from_arrow(pa.Table.from_batches(received))
    assert isinstance(rows, pl.DataFrame)
    rows = rows.with_columns(pl.col(n).cast(d) for n, d in task.dtypes.items())
    rows = rows.with_columns(cast.alias(cast_name(name)) for name, cast in task.casts.items())
    aggregates: list[pl.Expr] = []
    for i, check in enumerate(task.checks):
        bad = check.fill_null(False)
        aggregates.append(pl.col(ROW).filter(bad).min().cast(pl.Int64).alias(f"first{i}"))
        aggregates.append(bad.sum().cast(pl.Int64).alias(f"count{i}"))
    yield from rows.select(aggregates).to_arrow().to_batches()


def _check_rows(
    frame: DataFrame, inp: TableInput, owner: Table | None, row_rules: tuple[RowRule, ...]
) -> list[DataProblem]:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    checks, key = table_checks(inp, owner, row_rules)
    problems: list[DataProblem] = []
    if checks:
        usable = {n: c for n, c in inp.casts.items() if n not in inp.unusable}
        task = RowCheckTask(inp.raw.collect_schema(), usable, tuple(c.bad for c in checks))
        fields = [
            T.StructField(f"{what}{i}", T.LongType(), True)
            for i in range(len(checks))
            for what in ("first", "count")
        ]
        run = f"{__name__}:summarise_partition"
        per_partition = frame.mapInArrow(partition_function(task, run), T.StructType(fields))
        totals = per_partition.agg(
            *[F.min(f"first{i}").alias(f"first{i}") for i in range(len(checks))],
            *[
                F.coalesce(F.sum(f"count{i}"), F.lit(0)).alias(f"count{i}")
                for i in range(len(checks))
            ],
        ).collect()[0]
        failed = [
            (check, totals[f"first{i}"], totals[f"count{i}"])
            for i, check in enumerate(checks)
            if totals[f"count{i}"]
        ]
        rows = _fetch(frame, inp, [first for _, first, _ in failed])
        problems += [
            located_problem(inp, check.column, rows[first], count, *check.describe(rows[first]))
            for check, first, count in failed
        ]
    if key is not None:
        problems += _check_duplicates(frame, inp, key)
    return problems


def _fetch(frame: DataFrame, inp: TableInput, rows: Sequence[int]) -> dict[int, dict[str, Any]]:
    from pyspark.sql import functions as F

    if not rows:
        return {}
    found = _polars_rows(frame.filter(F.col(ROW).isin(list(rows))), inp)
    return {r[ROW]: r for r in found.iter_rows(named=True)}


def _text_id(frame: DataFrame, column: str) -> Any:
    """An id column as text, as the loader reads ids."""
    return frame[f"`{column}`"].cast("string")


def _check_duplicates(frame: DataFrame, inp: TableInput, key: str) -> list[DataProblem]:
    from pyspark.sql import functions as F

    ids = _text_id(frame, key)
    summary = frame.agg((F.count(ids) - F.countDistinct(ids)).alias("extra")).collect()[0]
    if not summary["extra"]:
        return []
    repeated = (
        frame.filter(ids.isNotNull())
        .groupBy(ids.alias("id"))
        .agg(F.count("*").alias("n"), F.min(ROW).alias("first"))
        .filter(F.col("n") > 1)
        .orderBy("first")
        .limit(1)
        .collect()[0]
    )
    value, first = repeated["id"], repeated["first"]
    second = (
        frame.filter((ids == F.lit(value)) & (F.col(ROW) != F.lit(first)))
        .agg(F.min(ROW).alias("row"))
        .collect()[0]["row"]
    )
    row = _fetch(frame, inp, [first])[first]
    message = duplicate_message(value, key, f"rows {first} and {second}")
    return [located_problem(inp, key, {**row, key: value}, summary["extra"], value, message)]


def _check_owner(
    frame: DataFrame, inp: TableInput, owner: TableInput, owner_frame: DataFrame
) -> list[DataProblem]:
    """Every owner key must be an id of the owner table (a person's household, ...)."""
    from pyspark.sql import functions as F

    link, owner_key = inp.table.owner_key, owner.table.key
    if link is None or owner_key is None or link not in set(inp.casts) - inp.unusable:
        return []
    if owner_key not in set(owner.casts) - owner.unusable:
        return []
    ids = owner_frame.select(_text_id(owner_frame, owner_key).alias("__tfrules_owner")).dropna()
    links = frame.filter(_text_id(frame, link).isNotNull())
    orphans = links.join(ids, _text_id(links, link) == ids["__tfrules_owner"], "left_anti")
    summary = orphans.agg(F.min(ROW).alias("first"), F.count("*").alias("n")).collect()[0]
    if not summary["n"]:
        return []
    row = _fetch(frame, inp, [summary["first"]])[summary["first"]]
    value = row[cast_name(link)]
    message = orphan_message(owner, value)
    return [located_problem(inp, link, row, summary["n"], value, message)]
