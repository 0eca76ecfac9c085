"""The data of a Spark run: the canonical tables as Spark frames.

A location is either a path Spark reads (local, `hdfs://`, `s3a://`,
`abfss://`, `dbfs:/`) holding one Parquet file or folder, or one CSV file,
per table (`households.parquet`, `persons.csv`, ...), or `catalog:DATABASE`
for tables of the Spark catalog named after the tables (`DATABASE.households`);
a notebook may also give a mapping of table names to Spark frames. At a path,
a council's mapping may say where each table's rows come from instead
(`tfrules.run.spark.mapped`).

Loading reads only schemas and the first bytes of CSV files. Each table's
columns are described exactly as the single-machine loader describes them
(`tfrules.data.load`), from the Arrow types Spark will hand the executors:
the same casts, the same problems with missing or unusable columns. Each
table's frame holds its columns under the names its description gives them
(the schema's, or for a mapped table its shown values, canonical values and
flags). `tfrules.run.spark.validate` then checks the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import polars as pl

from tfrules.check.usage import required_columns
from tfrules.data.errors import DataError, DataProblem
from tfrules.data.inputs import SourcePlace, TableInput, needed_columns
from tfrules.data.inventory import Inventory
from tfrules.data.load import _empty_input, _table_input
from tfrules.data.mapped import MappedLoadFailed, value_name
from tfrules.model.mapping import CheckedMapping
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Schema, Table
from tfrules.run.spark.dtypes import polars_schema
from tfrules.run.spark.finders import (
    CATALOG_PREFIX,
    FoundCsv,
    FoundFrame,
    PathFinder,
    Unreadable,
    finder_of,
    table_problem,
)
from tfrules.run.spark.mapped import mapped_table
from tfrules.run.spark.read_frames import CsvLines, csv_lines, read_csv
from tfrules.run.spark.reading import CsvShape

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = ["CATALOG_PREFIX", "SparkData", "SparkTable", "load_spark_data", "polars_schema"]


@attrs.frozen
class SparkTable:
    """One table: how its columns read (`input`, whose `raw` frame is empty
    and only carries the dtypes) and its rows (None for an absent table that
    counts as empty, such as the claims ledger), under the names of `input.raw`."""

    input: TableInput
    frame: DataFrame | None
    #: read through a mapping: each column's canonical value is in its own column
    mapped: bool = False
    #: each source's lines, for a source that is a CSV file (by source)
    csv: tuple[CsvLines | None, ...] = ()

    def text(self, column: str, frame: DataFrame | None = None) -> Column:
        """An id or code column as text, as the loader reads it (of `frame`, a
        frame made from the table's, if given)."""
        rows = frame if frame is not None else self.frame
        assert rows is not None
        name = value_name(column) if self.mapped else column
        return rows[f"`{name}`"].cast("string")

    def evaluated(self) -> tuple[TableInput, list[str]]:
        """The input the executors rebuild the table from, and the columns of
        `frame` it reads (a mapped table's canonical values alone)."""
        inp = self.input
        raw = inp.raw.collect_schema()
        if not self.mapped:
            return inp, list(raw.names())
        names = [value_name(c.name) for c in inp.columns]
        shipped = attrs.evolve(
            inp,
            raw=pl.LazyFrame(schema={n: raw[n] for n in names}),
            too_large={},
            places=(),
            evaluation=None,
            problems=(),
            missing=(),
        )
        return shipped, names


@attrs.frozen
class SparkData:
    """A loaded (not yet validated) data set whose rows stay in Spark."""

    tables: dict[str, SparkTable]
    missing_tables: frozenset[str]
    schema: Schema
    source_description: str
    #: For a path: which files feed which table, and which feed none.
    inventory: Inventory | None = None
    #: The council's mapping the tables were read through, if any.
    mapping: CheckedMapping | None = None

    @property
    def inputs(self) -> dict[str, TableInput]:
        return {name: table.input for name, table in self.tables.items()}

    def provenance(self) -> dict[str, tuple[SourcePlace, ...]]:
        """The sources of each table read through a mapping, with who supplied them."""
        return {name: t.input.places for name, t in self.tables.items() if t.input.places}

    def households(self) -> DataFrame:
        frame = self.tables[self.schema.households.name].frame
        assert frame is not None  # a core table is never absent
        return frame


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
    mapping: CheckedMapping | None = None,
) -> SparkData:
    """The tables the rulesets read, from a location or a mapping of Spark
    frames (at a location, through the council's `mapping` if given); raises
    DataError for a core table that is absent or unreadable."""
    return load_tables(spark, rulesets[0].schema, required_by(rulesets), source, mapping)


def load_tables(
    spark: SparkSession,
    schema: Schema,
    required: Mapping[str, set[str]],
    source: str | Mapping[str, DataFrame],
    mapping: CheckedMapping | None = None,
) -> SparkData:
    """`load_spark_data` for the columns `required` of each table."""
    finder = finder_of(spark, source, schema, mapping)
    tables: dict[str, SparkTable] = {}
    missing: set[str] = set()
    fatal: list[DataProblem] = []
    for table in schema.tables:
        if table.optional and table.name not in required:
            continue
        names = set(required.get(table.name, set()))
        mapped = mapping.table(table.name) if mapping is not None else None
        try:
            if mapped is not None and mapped.sources:
                assert isinstance(finder, PathFinder)
                read = mapped_table(finder.place, table, mapped, names)
                tables[table.name] = SparkTable(read.input, read.frame, True, read.csv)
                continue
            found = finder.find(table)
        except Unreadable as failed:
            fatal.append(failed.problem)
            continue
        except MappedLoadFailed as failed:
            fatal.extend(failed.problems)
            continue
        if found is None:
            if not table.optional:
                fatal.append(table_problem(table, finder.absent_message(table)))
            elif table.empty_when_missing:
                tables[table.name] = SparkTable(_empty_input(table, names), None)
            else:
                missing.add(table.name)
            continue
        tables[table.name] = _spark_table(spark, table, found, names)
    if fatal:
        raise DataError(fatal, finder.description)
    return SparkData(
        tables, frozenset(missing), schema, finder.description, finder.inventory, mapping
    )


def _spark_table(
    spark: SparkSession, table: Table, found: FoundFrame | FoundCsv, names: set[str]
) -> SparkTable:
    """A canonical table: its needed columns present, under the schema's names."""
    if isinstance(found, FoundCsv):
        dtypes = pl.Schema(dict.fromkeys(found.headings, pl.String()))
    else:
        dtypes = polars_schema(found.frame)
    described = _table_input(table, pl.LazyFrame(schema=dtypes), found.origin, found.path, names)
    present = [
        (c.source_name or c.name, c.name)
        for c in needed_columns(table, names)
        if (c.source_name or c.name) in dtypes
    ]
    if isinstance(found, FoundCsv):
        shape = CsvShape(found.headings, ",", "utf-8-sig")
        lines = csv_lines(spark, found.uri, shape)
        columns = tuple(pl.col(heading).alias(name) for heading, name in present)
        return SparkTable(described, read_csv(lines, 1, columns), csv=(lines,))
    frame = found.frame
    renamed = frame.select(*[frame[f"`{heading}`"].alias(name) for heading, name in present])
    return SparkTable(described, renamed)
