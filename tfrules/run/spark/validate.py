"""The data contract checked by Spark jobs, with the single-machine messages.

The checks are those of `tfrules.data.validate` and their wording is theirs:
each row check is the same Polars expression, evaluated on every partition
(`mapInArrow`) over the partition's rows read with the loader's casts.
Checks across rows are Spark aggregates and joins: an id used twice, a row
whose owner (a person's household, an event's person) is not in its owner
table. Every table's counts come back in one Spark job, as rows of (table,
measure, partition, value); only when something is wrong are the rows found
fetched to be described.

Rows are numbered from 1 in the order Spark reads them: the order of the
file for one Parquet file; for a folder of parts, the order Spark lists them
in (the row's id, named beside the number, finds it in any case). Spark's
monotonically increasing id marks each row (its partition in the upper bits,
its place in the partition in the lower 33); the job counts each partition's
rows, which turns a mark into a row number. A file scan reads the same
partitions every time, so a row has the same mark in every job.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import polars as pl
import pyarrow as pa

from tfrules.data.errors import DataError, DataProblem
from tfrules.data.inputs import LINE, SOURCE, TableInput
from tfrules.data.load import owner_table
from tfrules.data.row_checks import ROW_RULES, Check, RowRule, cast_name
from tfrules.data.validate import (
    ROW,
    duplicate_message,
    duplicate_where,
    located_problem,
    orphan_message,
    table_checks,
)
from tfrules.run.spark.engine import to_arrow
from tfrules.run.spark.errors import spark_words
from tfrules.run.spark.executor import partition_function
from tfrules.run.spark.reading import UNREAD, UNREAD_AT, UNREAD_DETAIL
from tfrules.run.spark.sources import SparkData, SparkTable

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

#: Spark's mark of each row (see the module's docstring).
MARK = "__tfrules_mark"
_PLACE_BITS = 33

#: A measure of a table: what (`rows`, `first3`, `count3`, `repeats`, ...),
#: of which partition, how much.
Measure = tuple[str, int | None, int | None]


@attrs.frozen
class RowCheckTask:
    """What an executor needs to check its rows: the dtypes, casts and checks."""

    dtypes: pl.Schema
    casts: Mapping[str, pl.Expr]
    checks: tuple[pl.Expr, ...]


@attrs.frozen
class _Table:
    """One table being checked: how it reads, its marked rows, its checks."""

    loaded: SparkTable
    frame: DataFrame
    checks: tuple[Check, ...]
    key: str | None
    owner: _Table | None

    @property
    def input(self) -> TableInput:
        return self.loaded.input


def validate_in_spark(
    data: SparkData, row_rules: Mapping[str, tuple[RowRule, ...]] = ROW_RULES
) -> None:
    """Raise `DataError` listing every problem in `data`; return if there is none."""
    found: dict[str, list[DataProblem]] = {}
    tables: dict[str, _Table] = {}
    for name, loaded in data.tables.items():
        inp = loaded.input
        found[name] = list(inp.problems)
        if loaded.frame is None:  # absent, so empty: nothing to check
            continue
        owner = owner_table(data.schema, inp.table)
        checks, key = table_checks(inp, owner, row_rules.get(name, ()))
        frame = loaded.frame.withColumn(MARK, _spark().monotonically_increasing_id())
        owning = tables.get(owner.name) if owner is not None else None
        tables[name] = _Table(loaded, frame, tuple(checks), key, owning)
    problems: list[DataProblem] = []
    measures = _measure_all(list(tables.values()), problems)
    unread = {name for name, each in measures.items() if _unread(each)}
    for name, table in tables.items():
        if name in measures:
            found[name].extend(_problems(table, measures[name], unread))
    problems = [problem for name in data.tables for problem in found[name]] + problems
    if problems:
        raise DataError(problems, data.source_description)


def _spark() -> Any:
    from pyspark.sql import functions as F

    return F


# -- the measures: one Spark job for every table -------------------------------------------


def _measures(table: _Table) -> DataFrame:
    """Rows (table, measure, part, value) of what is wrong with `table`."""
    from pyspark.sql import types as T

    F = _spark()
    name = table.input.table.name
    frame = table.frame
    usable = {n: c for n, c in table.input.casts.items() if n not in table.input.unusable}
    task = RowCheckTask(
        table.input.raw.collect_schema(), usable, tuple(c.bad for c in table.checks)
    )
    measure_schema = T.StructType(
        [
            T.StructField("measure", T.StringType(), False),
            T.StructField("part", T.LongType(), True),
            T.StructField("value", T.LongType(), True),
        ]
    )
    run = f"{__name__}:measure_partition"
    parts = [frame.mapInArrow(partition_function(task, run), measure_schema)]
    if table.key is not None:
        ids = table.loaded.text(table.key, frame)
        parts.append(
            frame.agg((F.count(ids) - F.countDistinct(ids)).alias("value")).select(
                F.lit("repeats").alias("measure"), F.lit(None).cast("long").alias("part"), "value"
            )
        )
    orphans = _orphans(table)
    if orphans is not None:
        parts.append(
            orphans.agg(F.min(MARK).alias("first"), F.count("*").alias("n"))
            .select(
                F.explode(
                    F.array(
                        F.struct(F.lit("orphan_first").alias("measure"), F.col("first")),
                        F.struct(F.lit("orphans").alias("measure"), F.col("n").alias("first")),
                    )
                ).alias("m")
            )
            .select(
                F.col("m.measure").alias("measure"),
                F.lit(None).cast("long").alias("part"),
                F.col("m.first").cast("long").alias("value"),
            )
        )
    combined = functools.reduce(lambda a, b: a.unionByName(b), parts)
    return combined.select(F.lit(name).alias("table"), "measure", "part", "value")


def _orphans(table: _Table) -> DataFrame | None:
    """The rows whose owner key is no id of the owner table (None: not checked)."""
    owner = table.owner
    inp = table.input
    if owner is None:
        return None
    link, owner_key = inp.table.owner_key, owner.input.table.key
    if link is None or owner_key is None or link not in set(inp.casts) - inp.unusable:
        return None
    if owner_key not in set(owner.input.casts) - owner.input.unusable:
        return None
    owned = owner.loaded.text(owner_key, owner.frame)
    ids = owner.frame.select(owned.alias("__tfrules_owner")).dropna()
    ids = ids.hint("shuffle_hash")  # every id of the owner table: too many to broadcast
    links = table.frame.filter(table.loaded.text(link, table.frame).isNotNull())
    return links.join(ids, table.loaded.text(link, links) == ids["__tfrules_owner"], "left_anti")


def measure_partition(task: RowCheckTask, batches: Iterator[pa.RecordBatch]) -> Iterator:
    """On an executor: the partition's rows, and per check how many break
    it and the mark of the first that does."""
    received = [batch for batch in batches if batch.num_rows]
    if not received:
        return
    rows = pl.from_arrow(pa.Table.from_batches(received))
    assert isinstance(rows, pl.DataFrame)
    rows = rows.with_columns(pl.col(n).cast(d) for n, d in task.dtypes.items())
    rows = rows.with_columns(cast.alias(cast_name(name)) for name, cast in task.casts.items())
    part = rows[MARK][0] >> _PLACE_BITS
    found = [pl.len().cast(pl.Int64).alias("rows")]
    for i, check in enumerate(task.checks):
        bad = check.fill_null(False)
        found.append(pl.col(MARK).filter(bad).min().cast(pl.Int64).alias(f"first{i}"))
        found.append(bad.sum().cast(pl.Int64).alias(f"count{i}"))
    if SOURCE in rows.columns:  # a mapped table's rows: each partition holds one source's
        found.append(pl.col(SOURCE).first().cast(pl.Int64).alias("source"))
    summary = rows.select(found).row(0, named=True)
    measures = [(measure, part, value) for measure, value in summary.items()]
    if UNREAD in rows.columns:  # a CSV file's lines that could not be read, by source
        unread = rows.filter(pl.col(UNREAD).is_not_null())
        source = pl.col(SOURCE) if SOURCE in rows.columns else pl.lit(0)
        said = unread.select(
            pl.concat_str(pl.lit("unread:"), UNREAD, pl.lit(":"), pl.col(UNREAD_DETAIL)).alias(
                "measure"
            ),
            source.cast(pl.Int64).alias("part"),
            pl.col(UNREAD_AT).alias("value"),
        )
        measures += said.rows()
    long = pl.DataFrame(
        measures, schema={"measure": pl.String, "part": pl.Int64, "value": pl.Int64}, orient="row"
    )
    yield from (
        long.to_arrow(compat_level=pl.CompatLevel.oldest())
        .cast(pa.schema([("measure", pa.string()), ("part", pa.int64()), ("value", pa.int64())]))
        .to_batches()
    )


def _measure_all(tables: list[_Table], problems: list[DataProblem]) -> dict[str, list[Measure]]:
    """Every table's measures by table, in one job; if Spark cannot read
    some table, table by table, each table it cannot read a problem."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    if not tables:
        return {}
    failures = (PySparkException, Py4JJavaError)
    try:
        rows = functools.reduce(
            lambda a, b: a.unionByName(b), [_measures(t) for t in tables]
        ).collect()
    except failures:
        rows = []
        for table in tables:
            try:
                rows += _measures(table).collect()
            except failures as error:
                problems.append(_unreadable(table.input, error))
    measures: dict[str, list[Measure]] = {}
    for row in rows:
        measures.setdefault(row["table"], []).append((row["measure"], row["part"], row["value"]))
    return measures


def _unreadable(inp: TableInput, error: Exception) -> DataProblem:
    where = inp.path or f"the {inp.table.name} table"
    message = f"cannot read {where}: {spark_words(error)}"
    return DataProblem(inp.table.name, None, None, None, None, message, inp.origin)


# -- from measures to problems ---------------------------------------------------------------


@attrs.frozen
class _Numbering:
    """Row numbers from marks: the rows in the partitions before each one, in
    all (the table's rows) and of its own source (a mapped table's sources'
    lines or rows; each partition holds rows of one source)."""

    before: dict[int, int]
    before_in_source: dict[int, int]

    @staticmethod
    def of(measures: list[Measure]) -> _Numbering:
        sizes = sorted((p, v or 0) for m, p, v in measures if m == "rows" and p is not None)
        source = {p: v for m, p, v in measures if m == "source" and p is not None}
        before: dict[int, int] = {}
        before_in_source: dict[int, int] = {}
        total = 0
        per_source: dict[int | None, int] = {}
        for part, size in sizes:
            before[part] = total
            total += size
            own = source.get(part)
            before_in_source[part] = per_source.get(own, 0)
            per_source[own] = per_source.get(own, 0) + size
        return _Numbering(before, before_in_source)

    def row(self, mark: int) -> int:
        part = mark >> _PLACE_BITS
        return self.before[part] + (mark - (part << _PLACE_BITS)) + 1

    def in_source(self, mark: int) -> int:
        """The row's place (from 1) among its own source's rows."""
        part = mark >> _PLACE_BITS
        return self.before_in_source[part] + (mark - (part << _PLACE_BITS)) + 1


def _unread(measures: list[Measure]) -> list[tuple[int, int, str]]:
    """A table's CSV lines that could not be read: (source, mark, measure), in order."""
    return sorted(
        (part or 0, value, measure)
        for measure, part, value in measures
        if measure.startswith("unread:") and value is not None
    )


def _unread_problem(table: _Table, measures: list[Measure]) -> DataProblem:
    """The first line of the table's files that cannot be read, as one machine says it."""
    source, mark, measure = _unread(measures)[0]
    _, reason, detail = measure.split(":")
    lines = table.loaded.csv[source]
    assert lines is not None
    message = lines.message(reason, mark, int(detail))
    inp = table.input
    name = inp.table.name
    if table.loaded.mapped:
        where = inp.places[source].name
        return DataProblem(name, None, None, None, None, f"cannot be read: {message}", where)
    message = f"cannot read {inp.path}: {message}"
    return DataProblem(name, None, None, None, None, message, inp.origin)


def _problems(table: _Table, measures: list[Measure], unread: set[str]) -> list[DataProblem]:
    """The table's problems (only that it cannot be read, if so); rows whose
    owner cannot be read are not checked against it."""
    if _unread(measures):
        return [_unread_problem(table, measures)]
    numbering = _Numbering.of(measures)
    totals: dict[str, int] = {}
    firsts: dict[str, int] = {}
    for measure, _, value in measures:
        if value is None or measure in ("rows", "source"):
            continue
        if measure.startswith("first") or measure == "orphan_first":
            firsts[measure] = min(firsts.get(measure, value), value)
        else:
            totals[measure] = totals.get(measure, 0) + value
    if table.owner is not None and table.owner.input.table.name in unread:
        totals.pop("orphans", None)
    failed = [
        (check, firsts[f"first{i}"], totals[f"count{i}"])
        for i, check in enumerate(table.checks)
        if totals.get(f"count{i}")
    ]
    wanted = [mark for _, mark, _ in failed]
    if totals.get("orphans"):
        wanted.append(firsts["orphan_first"])
    rows = _fetch(table, wanted, numbering)
    problems = [
        located_problem(table.input, check.column, rows[mark], count, *check.describe(rows[mark]))
        for check, mark, count in failed
    ]
    if table.key is not None and totals.get("repeats"):
        problems.append(_repeated(table, totals["repeats"], numbering))
    if totals.get("orphans"):
        problems.append(_orphaned(table, rows[firsts["orphan_first"]], totals["orphans"]))
    return problems


def _fetch(table: _Table, marks: Sequence[int], numbering: _Numbering) -> dict[int, dict]:
    """The rows with these marks, each usable column cast as the loader casts,
    with their row numbers, by mark."""
    if not marks:
        return {}
    F = _spark()
    found = pl.from_arrow(to_arrow(table.frame.filter(F.col(MARK).isin(list(marks)))))
    assert isinstance(found, pl.DataFrame)
    inp = table.input
    found = found.with_columns(pl.col(n).cast(d) for n, d in inp.raw.collect_schema().items())
    usable = [name for name in inp.casts if name not in inp.unusable]
    found = found.with_columns(inp.casts[name].alias(cast_name(name)) for name in usable)
    rows = {}
    for row in found.iter_rows(named=True):
        mark = row[MARK]
        located = {**row, ROW: numbering.row(mark)}
        if row.get(SOURCE) is not None:  # a mapped table: the line or row of its own file
            place = inp.places[row[SOURCE]]
            located[LINE] = place.first_row + numbering.in_source(mark) - 1
        rows[mark] = located
    return rows


def _repeated(table: _Table, extra: int, numbering: _Numbering) -> DataProblem:
    F = _spark()
    assert table.key is not None
    frame = table.frame
    ids = table.loaded.text(table.key, frame)
    repeated = (
        frame.filter(ids.isNotNull())
        .groupBy(ids.alias("id"))
        .agg(F.count("*").alias("n"), F.min(MARK).alias("first"))
        .filter(F.col("n") > 1)
        .orderBy("first")
        .limit(1)
        .collect()[0]
    )
    value, first = repeated["id"], repeated["first"]
    second = (
        frame.filter((ids == F.lit(value)) & (F.col(MARK) != F.lit(first)))
        .agg(F.min(MARK).alias("mark"))
        .collect()[0]["mark"]
    )
    rows = _fetch(table, [first, second], numbering)
    row = rows[first]
    message = duplicate_message(value, table.key, duplicate_where(table.input, row, rows[second]))
    return located_problem(table.input, table.key, {**row, table.key: value}, extra, value, message)


def _orphaned(table: _Table, row: dict[str, Any], count: int) -> DataProblem:
    link = table.input.table.owner_key
    assert link is not None and table.owner is not None
    value = row[cast_name(link)]
    message = orphan_message(table.owner.input, value)
    return located_problem(table.input, link, row, count, value, message)
