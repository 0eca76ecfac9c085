"""The data of a Spark run: the canonical tables as Spark frames.

A location is either a path Spark reads (local, `hdfs://`, `s3a://`,
`abfss://`, `dbfs:/`) holding one Parquet file or folder per table
(`households.parquet`, `persons.parquet`, ...), or `catalog:DATABASE` for
tables of the Spark catalog named after the tables (`DATABASE.households`);
a notebook may also give a mapping of table names to Spark frames.

Loading reads only schemas. Each table's columns are described exactly as
the single-machine loader describes them (`tfrules.data.load`), from the
Arrow types Spark will hand the executors: the same casts, the same
problems with missing or unusable columns. `tfrules.run.spark.validate`
then checks the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import polars as pl

from tfrules.check.usage import required_columns
from tfrules.data.errors import DataError, DataProblem
from tfrules.data.load import (
    SourcePlace,
    TableInput,
    _empty_input,
    _table_input,
    needed_columns,
)
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Schema, Table
from tfrules.run.spark.errors import SparkRunError, spark_words

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: A location naming a database of the Spark catalog: `catalog:DATABASE`.
CATALOG_PREFIX = "catalog:"


@attrs.frozen
class SparkTable:
    """One table: how its columns read (`input`, whose `raw` frame is empty
    and only carries the dtypes) and its rows (None for an absent table that
    counts as empty, such as the claims ledger)."""

    input: TableInput
    frame: DataFrame | None


@attrs.frozen
class SparkData:
    """A loaded (not yet validated) data set whose rows stay in Spark."""

    tables: dict[str, SparkTable]
    missing_tables: frozenset[str]
    schema: Schema
    source_description: str

    #: Spark reads canonical tables: no folder inventory, no council's mapping
    inventory: None = None
    mapping: None = None

    @property
    def inputs(self) -> dict[str, TableInput]:
        return {name: table.input for name, table in self.tables.items()}

    def provenance(self) -> dict[str, tuple[SourcePlace, ...]]:
        """No table is read through a mapping, so none has sources to list."""
        return {}

    def households(self) -> DataFrame:
        frame = self.tables[self.schema.households.name].frame
        assert frame is not None  # a core table is never absent
        return frame


def polars_schema(frame: DataFrame) -> pl.Schema:
    """The Polars dtypes of the Arrow batches Spark makes of `frame`."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return pl.from_arrow(to_arrow_schema(frame.schema).empty_table()).schema


def required_by(rulesets: Sequence[CheckedRuleset]) -> dict[str, set[str]]:
    """The columns each table must have for any of the rulesets."""
    required: dict[str, set[str]] = {}
    for each in rulesets:
        for table, columns in required_columns(each).items():
            required.setdefault(table, set()).update(columns)
    return required


def load_spark_data(
    spark: SparkSession,
    rulesets: Sequence[CheckedRuleset],
    source: str | Mapping[str, DataFrame],
) -> SparkData:
    """The tables the rulesets read, from a location or a mapping of Spark
    frames; raises DataError for a core table that is absent or unreadable."""
    schema = rulesets[0].schema
    required = required_by(rulesets)
    finder = _finder(spark, source)
    tables: dict[str, SparkTable] = {}
    missing: set[str] = set()
    fatal: list[DataProblem] = []
    for table in schema.tables:
        if table.optional and table.name not in required:
            continue
        names = required.get(table.name, set())
        try:
            found = finder.find(table)
        except _Unreadable as failed:
            fatal.append(failed.problem)
            continue
        if found is None:
            if not table.optional:
                fatal.append(_problem(table, finder.absent_message(table)))
            elif table.empty_when_missing:
                tables[table.name] = SparkTable(_empty_input(table, names), None)
            else:
                missing.add(table.name)
            continue
        frame, origin, path = found
        tables[table.name] = _spark_table(table, frame, origin, path, names)
    if fatal:
        raise DataError(fatal, finder.description)
    return SparkData(tables, frozenset(missing), schema, finder.description)


def _spark_table(
    table: Table, frame: DataFrame, origin: str, path: str | None, names: set[str]
) -> SparkTable:
    dtypes = polars_schema(frame)
    empty = pl.LazyFrame(schema=dtypes)
    described = _table_input(table, empty, origin, path, names)
    wanted = [c.source_name or c.name for c in needed_columns(table, names)]
    present = [name for name in wanted if name in dtypes]
    return SparkTable(described, frame.select(*[f"`{name}`" for name in present]))


def _problem(table: Table, message: str, source: str | None = None) -> DataProblem:
    return DataProblem(table.name, None, None, None, None, message, source=source)


class _Unreadable(Exception):
    def __init__(self, problem: DataProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _finder(spark: SparkSession, source: Any) -> _PathFinder | _CatalogFinder | _FrameFinder:
    if isinstance(source, Mapping):
        return _FrameFinder(source)
    if not isinstance(source, str):
        source = str(source)
    if source.startswith(CATALOG_PREFIX):
        return _CatalogFinder(spark, source.removeprefix(CATALOG_PREFIX))
    return _PathFinder(spark, source)


class _PathFinder:
    """`<location>/<table>.parquet`, a file or a folder of Parquet parts."""

    def __init__(self, spark: SparkSession, location: str) -> None:
        self.spark = spark
        self.location = location.rstrip("/") or location
        self.description = location

    def absent_message(self, table: Table) -> str:
        return (
            f"the {table.name} table is required but there is no {table.name}.parquet "
            f"in {self.location}"
        )

    def find(self, table: Table) -> tuple[DataFrame, str, str | None] | None:
        from py4j.protocol import Py4JJavaError
        from pyspark.errors import PySparkException

        name = f"{table.name}.parquet"
        path = f"{self.location}/{name}"
        try:
            frame = self.spark.read.parquet(path)
        except (PySparkException, Py4JJavaError) as error:
            if "PATH_NOT_FOUND" in str(error) or "Path does not exist" in str(error):
                return None
            detail = spark_words(error)
            message = f"cannot read {path}: it is not a readable Parquet file ({detail})"
            raise _Unreadable(_problem(table, message, name)) from error
        return frame, name, path


class _CatalogFinder:
    """`<database>.<table>` in the Spark catalog."""

    def __init__(self, spark: SparkSession, database: str) -> None:
        if not database:
            raise SparkRunError("give a database after catalog: (for example catalog:families)")
        self.spark = spark
        self.database = database
        self.description = f"{CATALOG_PREFIX}{database}"
        try:
            known = spark.catalog.databaseExists(database)
        except Exception as error:
            raise SparkRunError(f"cannot read the Spark catalog: {spark_words(error)}") from error
        if not known:
            raise SparkRunError(f"the Spark catalog has no database {database}")

    def absent_message(self, table: Table) -> str:
        return (
            f"the {table.name} table is required but the database {self.database} "
            f"has no table {table.name}"
        )

    def find(self, table: Table) -> tuple[DataFrame, str, str | None] | None:
        name = f"{self.database}.{table.name}"
        if not self.spark.catalog.tableExists(name):
            return None
        return self.spark.table(name), name, None


class _FrameFinder:
    """Spark frames given in Python, by table name."""

    description = "Spark frames given in Python"

    def __init__(self, frames: Mapping[str, Any]) -> None:
        from pyspark.sql import DataFrame

        for name, frame in frames.items():
            if not isinstance(frame, DataFrame):
                raise TypeError(
                    f"data for the Spark engine maps table names to Spark DataFrames; "
                    f"{name!r} is {type(frame).__name__}"
                )
        self.frames = frames

    def absent_message(self, table: Table) -> str:
        return f"the {table.name} table is required but no frame named {table.name!r} was given"

    def find(self, table: Table) -> tuple[DataFrame, str, str | None] | None:
        frame = self.frames.get(table.name)
        return None if frame is None else (frame, f"table {table.name}", None)
