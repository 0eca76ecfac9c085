"""A table read through a mapping: its sources opened, renamed, read and stacked.

Each source gives, per needed column, the value as the source has it (shown
in errors), the canonical value (`tfrules.data.readings`), and whether an
amount is too large, with the source's number and each row's line or sheet row
beside them: the validator locates every problem in the council's own file.
The frame the rules run on is built from the same expressions without those
locating columns, so that Polars can still push filters and column choices
down into each source's scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import attrs
import polars as pl

from tfrules.data.errors import DataProblem
from tfrules.data.inputs import LINE, SOURCE, SourcePlace, TableInput, needed_columns
from tfrules.data.inventory import matches
from tfrules.data.readings import Reading, read_column
from tfrules.data.sources import OpenSource, SourceProblem, open_database, open_file
from tfrules.diagnostics import did_you_mean
from tfrules.model.mapping import ColumnSource, TableMapping
from tfrules.model.schema import Column, Table
from tfrules.semantics.dtypes import dtype as canonical_dtype


class MappedLoadFailed(Exception):
    """A source of a mapped table cannot be opened at all."""

    def __init__(self, problems: list[DataProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def value_name(column: str) -> str:
    return f"__tfrules_value_{column}"


def large_name(column: str) -> str:
    return f"__tfrules_large_{column}"


@attrs.frozen
class Readings:
    """How every needed column reads from each source of a mapped table.

    Per source (in the order of `sources`): the columns as the source shows
    them (each under its column's name) with their too-large flags
    (`large_name`), and the canonical values (`value_name`). A source that
    lacks a heading is a problem, and its column reads as unknown."""

    shown: list[list[pl.Expr]]
    values: list[list[pl.Expr]]
    #: per source, the helper columns its readings need, stage by stage
    #: (`with_stages`): the shown and canonical values read them
    stages: list[list[list[pl.Expr]]]
    problems: list[DataProblem]
    expected: dict[str, str]
    headings: dict[tuple[int, str], str]
    large_columns: set[str]


def read_sources(
    table: Table, mapping: TableMapping, columns: tuple[Column, ...], sources: list[OpenSource]
) -> Readings:
    """The readings of `columns` from each opened source (only the sources'
    headings and dtypes are looked at, not their rows)."""
    found = Readings([], [], [], [], {}, {}, set())
    for index, source in enumerate(sources):
        source_shown, source_values = [], []
        stages: list[list[pl.Expr]] = []
        kinds = source.frame.collect_schema()
        for column in columns:
            read = _column_reading(table, column, mapping.columns.get(column.name), source, kinds)
            if isinstance(read, DataProblem):
                found.problems.append(read)
                reading = _absent(column)
            else:
                reading, heading = read
                if heading != column.name:
                    found.headings[(index, column.name)] = heading
            found.expected.setdefault(column.name, reading.expected)
            source_shown.append(reading.shown.alias(column.name))
            large = reading.too_large if reading.too_large is not None else pl.lit(False)
            if reading.too_large is not None:
                found.large_columns.add(column.name)
            source_values.append(reading.value.alias(value_name(column.name)))
            source_shown.append(large.alias(large_name(column.name)))
            for level, helpers in enumerate(reading.stages):
                if level == len(stages):
                    stages.append([])
                stages[level].extend(helpers)
        found.shown.append(source_shown)
        found.values.append(source_values)
        found.stages.append(stages)
    return found


def mapped_input(
    table: Table,
    mapping: TableMapping,
    names: set[str] | None,
    folder: Path,
    files: list[str],
    connections: Mapping[str, str],
) -> TableInput:
    """The `TableInput` of a table whose rows come from the mapping's sources."""
    columns = needed_columns(table, names)
    sources = _open_sources(table, mapping, columns, folder, files, connections)
    readings = read_sources(table, mapping, columns, sources)
    frames = [
        with_stages(source.frame, stages)
        for source, stages in zip(sources, readings.stages, strict=True)
    ]
    raw = _stack_for_validation(sources, frames, readings.shown, readings.values)
    parts = [
        frame.select([v.alias(c.name) for v, c in zip(vals, columns, strict=True)])
        for frame, vals in zip(frames, readings.values, strict=True)
    ]
    evaluation = parts[0] if len(parts) == 1 else pl.concat(parts, how="vertical")
    return mapped_table_input(table, mapping, columns, sources, readings, raw, evaluation)


def mapped_table_input(
    table: Table,
    mapping: TableMapping,
    columns: tuple[Column, ...],
    sources: list[OpenSource],
    readings: Readings,
    raw: pl.LazyFrame,
    evaluation: pl.LazyFrame | None,
) -> TableInput:
    """A mapped table's input: `raw` holds, per column, the value as shown, its
    canonical value and its too-large flag (and, when it locates its rows
    itself, the source and line of each); `evaluation` the canonical values
    alone, under the columns' names (None: built from `raw`)."""
    problems = readings.problems
    return TableInput(
        table,
        " + ".join(s.name for s in sources),
        columns,
        raw,
        {c.name: pl.col(value_name(c.name)) for c in columns},
        tuple(dict.fromkeys(p.column for p in problems if p.column)),
        tuple(problems),
        None,
        too_large={name: pl.col(large_name(name)) for name in readings.large_columns},
        expected=readings.expected,
        headings=readings.headings,
        places=tuple(
            SourcePlace(
                s.name,
                s.row_word,
                s.first_row,
                s.spec.supplied_by,
                s.spec.extracted,
                str(s.path) if s.path is not None else None,
                s.csv,
            )
            for s in sources
        ),
        evaluation=evaluation,
        labelled=frozenset(name for name, c in mapping.columns.items() if c.labels),
    )


def _open_sources(
    table: Table,
    mapping: TableMapping,
    columns: tuple[Column, ...],
    folder: Path,
    files: list[str],
    connections: Mapping[str, str],
) -> list[OpenSource]:
    opened: list[OpenSource] = []
    failed: list[DataProblem] = []
    for spec in mapping.sources:
        try:
            if not spec.is_file:
                wanted = headings_wanted(mapping, columns)
                opened.append(open_database(spec, connections, wanted))
                continue
            found = matches(spec.target, files)
            if not found:
                failed.append(no_file(table, spec.target, folder, files))
            for path in found:
                opened.append(open_file(folder / path, path, spec))
        except SourceProblem as problem:
            failed.append(
                DataProblem(table.name, None, None, None, None, str(problem), problem.where)
            )
    if failed:
        raise MappedLoadFailed(failed)
    return opened


def headings_wanted(mapping: TableMapping, columns: tuple[Column, ...]) -> set[str]:
    wanted: set[str] = set()
    for column in columns:
        source = mapping.columns.get(column.name)
        wanted |= set(source.headings_read) if source is not None else {column.name}
    return wanted


def no_file(table: Table, pattern: str, folder: Path | str, files: list[str]) -> DataProblem:
    hint = did_you_mean(pattern, files)
    message = f'no file in {folder} is named "{pattern}", which the mapping gives for {table.name}'
    return DataProblem(table.name, None, None, None, None, message + (f"; {hint}" if hint else ""))


def _column_reading(
    table: Table,
    column: Column,
    source: ColumnSource | None,
    opened: OpenSource,
    kinds: pl.Schema,
) -> tuple[Reading, str] | DataProblem:
    """The reading of one canonical column from one source, and the heading it is
    read from; or the problem that the source lacks that heading."""
    present = set(opened.headings) & set(kinds.names())
    if source is not None and source.pieces:
        lacking = [h for h in source.headings_read if h not in present]
        if lacking:
            return _missing(table, column, lacking, opened)
        raw = _derived(source)
        heading = " + ".join(f'"{p.text}"' if p.column else repr(p.text) for p in source.pieces)
        return read_column(raw, pl.String, column, source), heading
    wanted = source.headings if source is not None and source.headings else (column.name,)
    heading = next((h for h in wanted if h in present), None)
    if heading is None:
        return _missing(table, column, list(wanted), opened)
    return read_column(pl.col(heading), kinds[heading], column, source), heading


def _derived(source: ColumnSource) -> pl.Expr:
    parts: list[pl.Expr] = []
    for piece in source.pieces:
        if not piece.column:
            parts.append(pl.lit(piece.text, dtype=pl.String))
            continue
        text = pl.col(piece.text).cast(pl.String).str.strip_chars()
        if piece.cut is not None and piece.separator:
            split = text.str.splitn(piece.separator, 2)
            text = split.struct.field("field_0" if piece.cut == "before" else "field_1")
        parts.append(text)
    return pl.concat_str(parts)


def _missing(table: Table, column: Column, wanted: list[str], opened: OpenSource) -> DataProblem:
    quoted = " or ".join(f'"{h}"' for h in wanted)
    hints = [did_you_mean(h, opened.headings) for h in wanted]
    hint = next((h for h in hints if h), None)
    message = f"the file has no column headed {quoted} for {column.name}"
    if column.name == table.key:
        message += f", the {table.name} table's id"
    message += f"; {hint}" if hint else f" (its headings: {', '.join(opened.headings[:12])})"
    return DataProblem(table.name, column.name, None, None, None, message, opened.name)


def _absent(column: Column) -> Reading:
    null = pl.lit(None, dtype=canonical_dtype(column.type))
    return Reading(null, pl.lit(None, dtype=pl.String), None, "")


Frame = TypeVar("Frame", pl.LazyFrame, pl.DataFrame)


def with_stages(frame: Frame, stages: Iterable[Iterable[pl.Expr]]) -> Frame:
    """`frame` with the helper columns its readings need, one stage after another.

    Each helper is bound to a column of its own (common sub-expressions are not
    reliably computed once otherwise); the final selections drop them, and a
    helper no selection reads is pruned from the plan."""
    for helpers in stages:
        frame = frame.with_columns(helpers)
    return frame


def _stack_for_validation(
    sources: list[OpenSource],
    frames: list[pl.LazyFrame],
    shown: list[list[pl.Expr]],
    values: list[list[pl.Expr]],
) -> pl.LazyFrame:
    """Every source's shown values, canonical values and locating columns, stacked
    (`frames`: the sources' frames with their readings' helper columns).

    A column whose sources hold it in different dtypes is shown as text in all.
    A single source needs no locating columns: its lines follow the rows."""
    if len(sources) == 1:
        return frames[0].select(*shown[0], *values[0])
    parts = []
    for index, (source, frame) in enumerate(zip(sources, frames, strict=True)):
        numbered = frame.with_row_index(LINE, offset=source.first_row)
        parts.append(
            numbered.select(
                *shown[index],
                *values[index],
                pl.lit(index, dtype=pl.UInt32).alias(SOURCE),
                pl.col(LINE),
            )
        )
    if len(parts) > 1:
        differing = differing_columns([part.collect_schema() for part in parts])
        if differing:
            parts = [
                part.with_columns(pl.col(name).cast(pl.String) for name in differing)
                for part in parts
            ]
    return pl.concat(parts, how="vertical")


def differing_columns(kinds: list[pl.Schema]) -> set[str]:
    """The shown columns whose sources hold them in different dtypes (shown as
    text in all, so that the sources stack)."""
    return {
        name
        for name in kinds[0].names()
        if len({str(k.get(name)) for k in kinds}) > 1 and not name.startswith("__tfrules")
    }
