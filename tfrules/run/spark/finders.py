"""Where a Spark run finds each canonical table: a file at a path Spark reads,
a table of the Spark catalog, or a Spark frame given in Python.

At a path, a table is `<table>.parquet` (a file, or a folder of Parquet
parts) or `<table>.csv` (read as on one machine: text, with a header line),
as the single-machine loader finds them; a location's files that feed no
table are listed in its inventory, and named when a core table is absent.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import polars as pl

from tfrules.data.csv_files import CsvProblem, duplicate_message, duplicates, header_of
from tfrules.data.errors import DataProblem
from tfrules.data.inventory import MAPPING_NAME, Inventory, inventory_of
from tfrules.model.mapping import CheckedMapping
from tfrules.model.schema import Schema, Table
from tfrules.run.spark.errors import SparkRunError, spark_words
from tfrules.run.spark.files import files_of
from tfrules.run.spark.locations import is_local_folder
from tfrules.run.spark.mapped import Place

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: A location naming a database of the Spark catalog: `catalog:DATABASE`.
CATALOG_PREFIX = "catalog:"


@attrs.frozen
class FoundFrame:
    """A table's rows as a Spark frame of its own columns."""

    frame: DataFrame
    origin: str
    path: str | None


@attrs.frozen
class FoundCsv:
    """A canonical CSV file: its headings (as Polars reads them), to be read by lines."""

    uri: str
    headings: tuple[str, ...]
    origin: str
    path: str


Found = FoundFrame | FoundCsv


def table_problem(table: Table, message: str, source: str | None = None) -> DataProblem:
    return DataProblem(table.name, None, None, None, None, message, source=source)


class Unreadable(Exception):
    def __init__(self, problem: DataProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def finder_of(
    spark: SparkSession, source: Any, schema: Schema, mapping: CheckedMapping | None
) -> PathFinder | CatalogFinder | FrameFinder:
    if isinstance(source, Mapping):
        if mapping is not None:
            raise ValueError("a mapping reads a folder of data files, not frames")
        return FrameFinder(source)
    if not isinstance(source, str):
        source = str(source)
    if source.startswith(CATALOG_PREFIX):
        if mapping is not None:
            raise SparkRunError(
                f"a mapping reads the files of a folder, and {source} is a database of the Spark "
                "catalog: give the folder of the council's files (any path Spark reads), or the "
                "catalog's tables in canonical form without a mapping"
            )
        return CatalogFinder(spark, source.removeprefix(CATALOG_PREFIX))
    return PathFinder(spark, source, schema, mapping)


class PathFinder:
    """`<location>/<table>.parquet` (a file or a folder of Parquet parts) or
    `<location>/<table>.csv`; and, with a mapping, the files it names."""

    def __init__(
        self, spark: SparkSession, location: str, schema: Schema, mapping: CheckedMapping | None
    ) -> None:
        self.spark = spark
        self.location = location.rstrip("/") or location
        self.description = location
        self.files = files_of(spark, self.location)
        self.listing = self.files.list()
        self.inventory: Inventory = inventory_of(self.listing, schema, mapping)
        local = is_local_folder(location)
        self.place = Place(spark, self.files, self.location, self.listing, local)
        if mapping is None and not local and MAPPING_NAME in self.listing:
            raise SparkRunError(
                f"{self.location} has a mapping ({MAPPING_NAME}) beside its data; give a copy "
                "of it on this machine with --mapping (mapping= in Python), so that it is "
                "checked and applied"
            )

    def absent_message(self, table: Table) -> str:
        message = (
            f"the {table.name} table is required but there is no {table.name}.parquet "
            f"or {table.name}.csv in {self.location}"
        )
        others = [u.path for u in self.inventory.unmatched]
        if others:
            shown = ", ".join(others[:6]) + (", …" if len(others) > 6 else "")
            message += (
                f"; files there that feed no table: {shown}. A mapping says which file is "
                "which (tfrules data init writes a first one)"
            )
        return message

    def find(self, table: Table) -> Found | None:
        parquet, csv = f"{table.name}.parquet", f"{table.name}.csv"
        if parquet in self.listing and csv in self.listing:
            message = (
                f"both {parquet} and {csv} are in {self.location}; "
                "keep only one so it is clear which to use"
            )
            raise Unreadable(table_problem(table, message, parquet))
        if csv in self.listing:
            return self._csv(table, csv)
        return self._parquet(table, parquet)

    def _parquet(self, table: Table, name: str) -> FoundFrame | None:
        from py4j.protocol import Py4JJavaError
        from pyspark.errors import PySparkException

        path = self.place.uri(name)
        try:
            frame = self.spark.read.parquet(path)
        except (PySparkException, Py4JJavaError) as error:
            if "PATH_NOT_FOUND" in str(error) or "Path does not exist" in str(error):
                return None
            detail = spark_words(error)
            message = f"cannot read {path}: it is not a readable Parquet file ({detail})"
            raise Unreadable(table_problem(table, message, name)) from error
        return FoundFrame(frame, name, path)

    def _csv(self, table: Table, name: str) -> FoundCsv:
        """A canonical CSV file, its header checked as on one machine."""
        path = self.place.uri(name)
        try:
            head = self.files.head(name)
            headings = header_of(head)
        except CsvProblem as problem:
            raise Unreadable(table_problem(table, f"cannot read {path}: {problem}", name)) from None
        except Exception as error:  # the file system's own failure
            message = f"cannot read {path}: {spark_words(error)}"
            raise Unreadable(table_problem(table, message, name)) from None
        for found in duplicates(headings):
            problem = DataProblem(
                table.name, found.heading, None, None, None, duplicate_message(found), name
            )
            raise Unreadable(problem)
        first = head.split(b"\n", 1)[0] + b"\n"
        columns = pl.read_csv(io.BytesIO(first), n_rows=0, infer_schema=False).columns
        return FoundCsv(path, tuple(columns), name, path)


class CatalogFinder:
    """`<database>.<table>` in the Spark catalog."""

    inventory = None

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

    def find(self, table: Table) -> Found | None:
        name = f"{self.database}.{table.name}"
        if not self.spark.catalog.tableExists(name):
            return None
        return FoundFrame(self.spark.table(name), name, None)


class FrameFinder:
    """Spark frames given in Python, by table name."""

    description = "Spark frames given in Python"
    inventory = None

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

    def find(self, table: Table) -> Found | None:
        frame = self.frames.get(table.name)
        return None if frame is None else FoundFrame(frame, f"table {table.name}", None)
