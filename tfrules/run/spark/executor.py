"""What runs on an executor: one partition's buckets of households, from
Spark's Arrow batches to the plan's rows.

The partition holds every row of its households in every table (the tables
side by side in one frame, `tfrules.run.spark.buckets`). Its rows are split
back into the tables, read exactly as the single-machine loader reads them
(the casts of `tfrules.data.load`), and the single-machine engine's plan runs
over them. The task travels pickled inside the function Spark ships, and is
unpickled only once Polars and tfrules are known to be importable, so that an
executor without them says what to install instead of failing to unpickle.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable, Iterator, Mapping

import attrs
import polars as pl
import pyarrow as pa

from tfrules.data.load import Dataset, TableInput
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.engines import Job, PolarsEngine
from tfrules.run.spark.errors import INSTALL_HINT

#: The column of the side-by-side frame naming each row's table.
TABLE = "__tfrules_table"
#: The column holding each row's bucket.
BUCKET = "__tfrules_bucket"
#: Between a table's name and a column's in the side-by-side frame.
SEPARATOR = "__"

#: How the message of an executor without Polars or tfrules begins.
EXECUTOR_MARK = "a Spark executor cannot import"
EXECUTOR_HINT = (
    EXECUTOR_MARK + " {missing}: the executors need Polars and tfrules, as the "
    "driver has them (" + INSTALL_HINT + " in the Python environment the executors run: "
    "ship one with spark-submit --archives, or install tfrules as a cluster library; "
    "see docs/spark.md)"
)


def side_name(table: str, column: str) -> str:
    """The name of a table's column in the side-by-side frame."""
    return f"{table}{SEPARATOR}{column}"


@attrs.frozen
class BucketTask:
    """Everything an executor needs to evaluate its households."""

    ruleset: CheckedRuleset
    local: tuple[CheckedRuleset, ...]
    as_of: dt.date
    rules: tuple[str, ...] | None
    reasons: bool
    #: each loaded table, its `raw` frame empty (it carries the dtypes)
    inputs: Mapping[str, TableInput]
    #: the tables whose rows come through Spark (the others are empty)
    shipped: frozenset[str]
    missing: frozenset[str]
    #: the output's columns as Arrow types, as Spark expects them
    output: pa.Schema | None = None


def results(task: BucketTask, raw: Mapping[str, pl.LazyFrame]) -> pl.DataFrame:
    """The plan's rows over the raw tables given (each under its schema column names)."""
    frames = {}
    for name, described in task.inputs.items():
        frame = raw.get(name, described.raw)
        frames[name] = attrs.evolve(described, raw=frame).frame()
    dataset = Dataset(frames, task.missing, task.ruleset.schema, "a bucket of households")
    job = Job(task.ruleset, dataset, task.as_of, task.rules, task.local, 0, task.reasons)
    return PolarsEngine().plan(job).collect()


def output_schema(task: BucketTask) -> pl.Schema:
    """The plan's columns and dtypes (from the plan over no rows)."""
    return results(task, {}).schema


def run_partition(task: BucketTask, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The results of the households whose rows are in `batches`."""
    received = [batch for batch in batches if batch.num_rows]
    if not received:
        return
    arrow = pa.Table.from_batches(received)
    rows = pl.from_arrow(arrow)
    assert isinstance(rows, pl.DataFrame)
    raw: dict[str, pl.LazyFrame] = {}
    for name in task.shipped:
        described = task.inputs[name]
        dtypes = described.raw.collect_schema()
        mine = rows.filter(pl.col(TABLE) == name).select(
            pl.col(side_name(name, column)).cast(dtype).alias(column)
            for column, dtype in dtypes.items()
        )
        raw[name] = mine.lazy()
    found = results(task, raw)
    table = found.to_arrow(compat_level=pl.CompatLevel.oldest())
    if task.output is not None:
        table = table.cast(task.output)
    yield from table.to_batches()


def partition_function(
    task: object, run: str = f"{__name__}:run_partition"
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function `mapInArrow` runs on each partition: `run` (`module:function`)
    over the task and the partition's batches.

    It is made here, inside a function, so that Spark's pickler ships it by
    value, with the task as bytes: its body names nothing but builtins, so
    unpickling it needs no tfrules, and an executor without Polars or
    tfrules says what to install."""
    payload = pickle.dumps(task)
    hint = EXECUTOR_HINT
    module_name, function_name = run.split(":")

    def on_partition(batches: Iterator) -> Iterator:
        import importlib

        try:
            importlib.import_module("polars")
            module = importlib.import_module(module_name)
        except ImportError as error:
            missing = getattr(error, "name", None) or str(error)
            raise RuntimeError(hint.format(missing=missing)) from error
        yield from getattr(module, function_name)(pickle.loads(payload), batches)

    return on_partition
