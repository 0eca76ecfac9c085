"""A table read through a council's mapping, in Spark.

The mapping is applied as on one machine (`tfrules.data.mapped`): the same
readings (Polars expressions of `tfrules.data.readings`) of the same
sources, found by the same names and patterns, stacked into one table. Only
where the rows are read differs: each source's rows are read by Spark (a
CSV file's lines, a Parquet file; a workbook's sheet is read on the driver,
as a workbook has no partial reader) and the readings run on the executors
(`tfrules.run.spark.reading`). Each source's frame holds, per column, the
value as shown, its canonical value and its too-large flag, with the
source's place among the table's sources; the validator numbers the rows
of each source from Spark's marks, as the lines or rows of the council's
own file.

A database table or query is not read by the Spark engine: the refusal says
what to do instead.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import polars as pl

from tfrules.data.csv_files import (
    CsvProblem,
    codec_of,
    delimiter_of,
    duplicate_message,
    duplicates,
    header_of,
)
from tfrules.data.errors import DataProblem
from tfrules.data.inputs import TableInput, needed_columns
from tfrules.data.inventory import matches
from tfrules.data.mapped import (
    MappedLoadFailed,
    differing_columns,
    mapped_table_input,
    no_file,
    read_sources,
    with_stages,
)
from tfrules.data.sources import OpenSource, SourceProblem, open_excel
from tfrules.model.mapping import CSV_SUFFIXES, EXCEL_SUFFIXES, SourceSpec, TableMapping
from tfrules.model.schema import Table
from tfrules.run.spark.dtypes import polars_schema
from tfrules.run.spark.errors import SparkRunError, spark_words
from tfrules.run.spark.files import Files
from tfrules.run.spark.read_frames import CsvLines, csv_lines, read_csv, read_with, sheet_frame
from tfrules.run.spark.reading import CsvShape, ReadTask

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: Characters Spark's readers take for a pattern in a path.
_GLOB = re.compile(r"[\\\[\]{}*?]")


def _escaped(found: re.Match[str]) -> str:
    return "\\" + found.group(0)


@attrs.frozen
class Place:
    """Where a location's files are: how Spark names them, and whether this
    machine's file system holds them (then they are named as paths, as on one
    machine)."""

    spark: SparkSession
    files: Files
    location: str
    listing: list[str]
    local: bool

    def uri(self, name: str) -> str:
        return f"{self.location.rstrip('/')}/{name}"

    def read_uri(self, name: str) -> str:
        """How Spark's readers name the file: its name's glob characters escaped
        (`Police [North].csv` is a file, not a pattern)."""
        return self.uri(_GLOB.sub(_escaped, name))

    def path(self, name: str) -> Path | None:
        return (
            Path(self.uri(name).removeprefix("file://").removeprefix("file:"))
            if self.local
            else None
        )


@attrs.frozen
class _Opened:
    """A source opened for reading: its headings and dtypes (`source`), and
    how Spark reads its rows: a CSV file's lines, or a frame of its columns."""

    source: OpenSource
    lines: CsvLines | None = None
    frame: DataFrame | None = None


@attrs.frozen
class MappedTable:
    """A mapped table's input, its rows in Spark, and its CSV sources' lines by source."""

    input: TableInput
    frame: DataFrame
    csv: tuple[CsvLines | None, ...]


def mapped_table(
    place: Place, table: Table, mapping: TableMapping, names: set[str] | None
) -> MappedTable:
    """The table read through its mapping; raises MappedLoadFailed for a
    source that cannot be found or opened."""
    columns = needed_columns(table, names)
    opened = _open_all(place, table, mapping)
    sources = [o.source for o in opened]
    readings = read_sources(table, mapping, columns, sources)
    tasks = [
        ReadTask(
            tuple(readings.shown[i] + readings.values[i]),
            o.source.frame.collect_schema(),
            stages=tuple(tuple(helpers) for helpers in readings.stages[i]),
        )
        for i, o in enumerate(opened)
    ]
    kinds = [
        with_stages(pl.DataFrame(schema=t.dtypes), t.stages).select(*t.columns).schema
        for t in tasks
    ]
    differing = differing_columns(kinds) if len(kinds) > 1 else set()
    frames: list[DataFrame] = []
    for index, (each, task) in enumerate(zip(opened, tasks, strict=True)):
        columns_read = tuple(
            e.cast(pl.String) if e.meta.output_name() in differing else e for e in task.columns
        )
        if each.lines is not None:
            header_row = each.source.spec.header_row
            frames.append(read_csv(each.lines, header_row, columns_read, index, task.stages))
        else:
            assert each.frame is not None
            read = _roots(columns_read, task.stages)
            dtypes = pl.Schema({n: d for n, d in task.dtypes.items() if n in read})
            task = attrs.evolve(task, columns=columns_read, dtypes=dtypes, source=index)
            frames.append(read_with(each.frame.select(*[f"`{n}`" for n in dtypes]), task))
    frame = functools.reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), frames)
    dtypes = polars_schema(frame.select(*[f"`{n}`" for n in kinds[0].names()]))
    raw = pl.LazyFrame(schema=dtypes)
    inp = mapped_table_input(table, mapping, columns, sources, readings, raw, None)
    return MappedTable(inp, frame, tuple(o.lines for o in opened))


def _roots(columns: tuple[pl.Expr, ...], stages: tuple[tuple[pl.Expr, ...], ...]) -> set[str]:
    """The source's columns that `columns` read, directly or through the
    helper columns of `stages`."""
    helpers = {e.meta.output_name() for stage in stages for e in stage}
    every = [*columns, *(e for stage in stages for e in stage)]
    return {name for e in every for name in e.meta.root_names()} - helpers


def _open_all(place: Place, table: Table, mapping: TableMapping) -> list[_Opened]:
    opened: list[_Opened] = []
    failed: list[DataProblem] = []
    for spec in mapping.sources:
        if not spec.is_file:
            raise SparkRunError(database_refusal(table, spec))
        found = matches(spec.target, place.listing)
        if not found:
            failed.append(no_file(table, spec.target, place.location, place.listing))
        for name in found:
            try:
                opened.append(_open(place, name, spec))
            except SourceProblem as problem:
                failed.append(
                    DataProblem(table.name, None, None, None, None, str(problem), problem.where)
                )
    if failed:
        raise MappedLoadFailed(failed)
    return opened


def database_refusal(table: Table, spec: SourceSpec) -> str:
    return (
        f"the mapping reads {table.name} from {spec.describe()}, and the Spark engine does not "
        "read databases: copy the table into the Spark catalog (or as Parquet beside the other "
        "files) and map that, or run on one machine (--engine polars)"
    )


def _open(place: Place, name: str, spec: SourceSpec) -> _Opened:
    suffix = Path(name).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _csv(place, name, spec)
    if suffix in EXCEL_SUFFIXES:
        return _sheet(place, name, spec)
    return _parquet(place, name, spec)


def _csv(place: Place, name: str, spec: SourceSpec) -> _Opened:
    encoding = spec.encoding or "utf-8"
    try:
        head = place.files.head(name)
        delimiter = spec.delimiter or delimiter_of(head, encoding, Path(name).suffix)
        headings = header_of(head, delimiter, encoding, spec.header_row)
    except CsvProblem as problem:
        raise SourceProblem(name, str(problem)) from None
    except Exception as error:  # the file system's own failure
        raise SourceProblem(name, f"cannot be read: {spark_words(error)}") from None
    for found in duplicates(headings):
        raise SourceProblem(name, duplicate_message(found))
    codec = codec_of(encoding) or "utf-8-sig"
    shape = CsvShape(tuple(headings), delimiter, codec)
    frame = pl.LazyFrame(schema=dict.fromkeys(headings, pl.String()))
    source = OpenSource(
        name,
        frame,
        tuple(headings),
        "line",
        spec.header_row + 1,
        spec,
        place.path(name),
        (delimiter, codec, spec.header_row),
    )
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    try:
        lines = csv_lines(place.spark, place.read_uri(name), shape)
    except (PySparkException, Py4JJavaError) as error:
        raise SourceProblem(name, f"cannot be read: {spark_words(error)}") from None
    return _Opened(source, lines=lines)


def _parquet(place: Place, name: str, spec: SourceSpec) -> _Opened:
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    try:
        frame = place.spark.read.parquet(place.read_uri(name))
        dtypes = polars_schema(frame)
    except (PySparkException, Py4JJavaError) as error:
        raise SourceProblem(name, f"cannot be read: {spark_words(error)}") from None
    headings = tuple(dtypes.names())
    source = OpenSource(
        name, pl.LazyFrame(schema=dtypes), headings, "row", 1, spec, place.path(name)
    )
    return _Opened(source, frame=frame)


def _sheet(place: Place, name: str, spec: SourceSpec) -> _Opened:
    path = place.path(name)
    try:
        content = path if path is not None else place.files.read(name)
    except Exception as error:  # the file system's own failure
        raise SourceProblem(name, f"cannot be read: {spark_words(error)}") from None
    opened = attrs.evolve(open_excel(content, name, spec), path=path)
    rows = opened.frame.collect()
    frame = sheet_frame(place.spark, rows)
    return _Opened(attrs.evolve(opened, frame=pl.LazyFrame(schema=rows.schema)), frame=frame)
