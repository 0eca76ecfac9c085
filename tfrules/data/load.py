"""Load a data set (a directory of Parquet/CSV files, or Polars frames) lazily.

Loading reads only file headers and Parquet metadata. Every column is cast to
its canonical Polars dtype by an expression that yields null where a value does
not convert (`tfrules.data.casts`), so that `tfrules.data.validate` can report
the raw value. Call `validate` before computing anything from a `Dataset`:
loading alone does not look at the rows. CSV files are read as text; an empty
CSV field is null.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import attrs
import polars as pl

from tfrules.data.casts import EXPECTED, canonical_dtype, cast_expr, too_large
from tfrules.data.csv_files import CsvProblem, duplicate_message, duplicates, read_header
from tfrules.data.errors import DataError, DataProblem
from tfrules.data.inputs import SourcePlace, TableInput, needed_columns
from tfrules.data.inventory import Inventory, list_files, take_inventory
from tfrules.data.mapped import MappedLoadFailed, mapped_input
from tfrules.model.mapping import CheckedMapping
from tfrules.model.schema import Column, Level, Schema, Table

Source = str | os.PathLike[str] | Mapping[str, pl.DataFrame | pl.LazyFrame]


@attrs.frozen
class Dataset:
    """A loaded (not yet validated) data set.

    `frames` holds each supplied table, cast to canonical dtypes, with only the
    columns needed. A table in `missing_tables` was not supplied: every fact
    drawn from it is unknown. An absent table marked `empty_when_missing` (the
    claims ledger) is not missing: it is in `frames` with no rows.
    """

    frames: dict[str, pl.LazyFrame]
    missing_tables: frozenset[str]
    schema: Schema
    source_description: str
    inputs: dict[str, TableInput] = attrs.field(factory=dict, repr=False, eq=False)
    #: For a folder: which files feed which table, and which feed none.
    inventory: Inventory | None = attrs.field(default=None, repr=False, eq=False)
    #: The mapping the folder was read through, if any.
    mapping: CheckedMapping | None = attrs.field(default=None, repr=False, eq=False)

    def provenance(self) -> dict[str, tuple[SourcePlace, ...]]:
        """The sources of each table read through a mapping, with who supplied them."""
        return {name: inp.places for name, inp in self.inputs.items() if inp.places}


def load_dataset(
    source: Source,
    schema: Schema,
    required: Mapping[str, set[str]] | None = None,
    *,
    mapping: CheckedMapping | None = None,
    connections: Mapping[str, str] | None = None,
) -> Dataset:
    """Load the tables of `schema` from a directory or a mapping of frames.

    `required` maps table name to the columns a ruleset uses; only those, the
    table's key and its owner key must be present. When given, optional tables
    it does not name are not loaded. When None, every column of every table is
    required. A `mapping` says where, in a directory, tables and columns that
    are not named as in the schema come from; `connections` gives the address
    of each database it names. Raises `DataError` for problems that stop
    loading (a core table missing, an unreadable file, both a CSV and a Parquet
    file for one table); everything else is reported by `validate`.
    """
    _check_required(schema, required)
    if isinstance(source, Mapping):
        if mapping is not None:
            raise ValueError("a mapping reads a folder of data files, not frames")
        description = "frames given in Python"
        finder: _DirectoryFinder | _FrameFinder = _FrameFinder(source)
    else:
        directory = Path(source)
        description = str(directory)
        if not directory.is_dir():
            message = f"{directory} is not a directory of data files (or does not exist)"
            problem = DataProblem("", None, None, None, str(directory), message, description)
            raise DataError([problem], description)
        finder = _DirectoryFinder(directory, schema, mapping, connections or {})

    inputs: dict[str, TableInput] = {}
    missing: set[str] = set()
    fatal: list[DataProblem] = []
    for table in schema.tables:
        core = not table.optional
        if required is not None and not core and table.name not in required:
            continue
        names = None if required is None else required.get(table.name, set())
        try:
            mapped = finder.mapped(table, names) if isinstance(finder, _DirectoryFinder) else None
            if mapped is not None:
                inputs[table.name] = mapped
                continue
            found = finder.find(table)
        except _LoadFailed as failed:
            fatal.append(failed.problem)
            continue
        except MappedLoadFailed as failed:
            fatal.extend(failed.problems)
            continue
        if found is None:
            if core:
                fatal.append(_table_problem(table, finder.absent_message(table)))
            elif table.empty_when_missing:
                inputs[table.name] = _empty_input(table, names)
            else:
                missing.add(table.name)
            continue
        lf, origin, path = found
        inputs[table.name] = _table_input(table, lf, origin, path, names)
    if fatal:
        raise DataError(fatal, description)
    frames = {name: inp.frame() for name, inp in inputs.items()}
    inventory = finder.inventory() if isinstance(finder, _DirectoryFinder) else None
    return Dataset(frames, frozenset(missing), schema, description, inputs, inventory, mapping)


def inputs_from_frames(schema: Schema, frames: Mapping[str, pl.LazyFrame]) -> dict[str, TableInput]:
    """Inputs for a `Dataset` built by hand from frames: each frame's schema columns."""
    inputs = {}
    for table in schema.tables:
        if table.name in frames:
            lf = frames[table.name].lazy()
            names = set(lf.collect_schema().names()) & set(table.column_names)
            inputs[table.name] = _table_input(table, lf, f"table {table.name}", None, names)
    return inputs


def owner_table(schema: Schema, table: Table) -> Table | None:
    """The table whose rows `table`'s rows belong to (None for households).

    `Table.owner` may name the owner table or its level (`household`, `person`);
    without it, persons belong to households and events to whichever core
    table's key is their owner key.
    """
    if table.level is Level.HOUSEHOLD:
        return None
    if table.owner is not None:
        named = schema.table(table.owner)
        if named is not None:
            return named
        if table.owner == Level.HOUSEHOLD.label:
            return schema.households
        if table.owner == Level.PERSON.label:
            return schema.persons
    if table.level is Level.PERSON:
        return schema.households
    for core in (schema.persons, schema.households):
        if table.owner_key is not None and table.owner_key == core.key:
            return core
    return None


def row_key_column(table: Table) -> str | None:
    """The id shown to locate a row: the table's key, else its owner's."""
    return table.key or table.owner_key


class _LoadFailed(Exception):
    def __init__(self, problem: DataProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _table_problem(table: Table, message: str, source: str | None = None) -> DataProblem:
    return DataProblem(table.name, None, None, None, None, message, source=source)


class _DirectoryFinder:
    def __init__(
        self,
        directory: Path,
        schema: Schema,
        mapping: CheckedMapping | None = None,
        connections: Mapping[str, str] | None = None,
    ) -> None:
        self.directory = directory
        self.schema = schema
        self.mapping = mapping
        self.connections = connections or {}
        self._files: list[str] | None = None
        self._inventory: Inventory | None = None

    def inventory(self) -> Inventory:
        if self._inventory is None:
            self._inventory = take_inventory(self.directory, self.schema, self.mapping)
        return self._inventory

    def mapped(self, table: Table, names: set[str] | None) -> TableInput | None:
        """The table read through the mapping, when the mapping gives its sources."""
        found = self.mapping.table(table.name) if self.mapping is not None else None
        if found is None or not found.sources:
            return None
        if self._files is None:
            self._files = list_files(self.directory)
        return mapped_input(table, found, names, self.directory, self._files, self.connections)

    def absent_message(self, table: Table) -> str:
        message = (
            f"the {table.name} table is required but there is no {table.name}.parquet "
            f"or {table.name}.csv in {self.directory}"
        )
        others = [u.path for u in self.inventory().unmatched]
        if others:
            shown = ", ".join(others[:6]) + (", …" if len(others) > 6 else "")
            message += (
                f"; files there that feed no table: {shown}. A mapping says which file is "
                "which (tfrules data init writes a first one)"
            )
        return message

    def find(self, table: Table) -> tuple[pl.LazyFrame, str, str | None] | None:
        parquet = self.directory / f"{table.name}.parquet"
        csv = self.directory / f"{table.name}.csv"
        if parquet.is_file() and csv.is_file():
            message = (
                f"both {parquet.name} and {csv.name} are in {self.directory}; "
                "keep only one so it is clear which to use"
            )
            raise _LoadFailed(_table_problem(table, message, parquet.name))
        if parquet.is_file():
            lf = _scan(table, parquet, "Parquet", pl.scan_parquet)
            return lf, parquet.name, str(parquet)
        if csv.is_file():
            _check_csv_header(table, csv)
            lf = _scan(table, csv, "UTF-8 CSV", partial(pl.scan_csv, infer_schema=False))
            return lf, csv.name, str(csv)
        return None


def _check_csv_header(table: Table, path: Path) -> None:
    """Stop at a header that is not UTF-8 or repeats a heading (Polars would
    rename the second one and carry on without it)."""
    try:
        headings = read_header(path)
    except CsvProblem as problem:
        message = f"cannot read {path}: {problem}"
        raise _LoadFailed(_table_problem(table, message, path.name)) from None
    except OSError as error:
        message = f"cannot read {path}: {error.strerror or error}"
        raise _LoadFailed(_table_problem(table, message, path.name)) from None
    for found in duplicates(headings):
        problem = DataProblem(
            table.name, found.heading, None, None, None, duplicate_message(found), path.name
        )
        raise _LoadFailed(problem)


def _scan(
    table: Table, path: Path, kind: str, scan: Callable[[Path], pl.LazyFrame]
) -> pl.LazyFrame:
    try:
        lf = scan(path)
        lf.collect_schema()  # reads the Parquet footer or the CSV header
    except (pl.exceptions.PolarsError, OSError) as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        message = f"cannot read {path}: it is not a readable {kind} file ({detail})"
        raise _LoadFailed(_table_problem(table, message, path.name)) from error
    return lf


class _FrameFinder:
    def __init__(self, frames: Mapping[str, pl.DataFrame | pl.LazyFrame]) -> None:
        self.frames = frames

    def absent_message(self, table: Table) -> str:
        return f"the {table.name} table is required but no frame named {table.name!r} was given"

    def find(self, table: Table) -> tuple[pl.LazyFrame, str, str | None] | None:
        frame = self.frames.get(table.name)
        if frame is None:
            return None
        if not isinstance(frame, pl.DataFrame | pl.LazyFrame):
            message = f"the {table.name} table must be a Polars DataFrame or LazyFrame"
            raise _LoadFailed(_table_problem(table, message))
        return frame.lazy(), f"table {table.name}", None


def _table_input(
    table: Table, lf: pl.LazyFrame, origin: str, path: str | None, names: set[str] | None
) -> TableInput:
    present = lf.collect_schema()
    selected: list[pl.Expr] = []
    casts: dict[str, pl.Expr] = {}
    large: dict[str, pl.Expr] = {}
    missing: list[str] = []
    problems: list[DataProblem] = []
    columns = needed_columns(table, names)
    for column in columns:
        file_name = column.source_name or column.name
        if file_name not in present:
            missing.append(column.name)
            problems.append(_missing_problem(table, column, origin, path))
            continue
        dtype = present[file_name]
        selected.append(pl.col(file_name).alias(column.name))
        cast = cast_expr(column.name, dtype, column.type)
        if cast is None:
            expected = EXPECTED[column.type.kind]
            message = f"the column holds {dtype} values, which cannot be read as {expected}"
            problems.append(
                DataProblem(table.name, column.name, None, None, str(dtype), message, origin)
            )
            cast = pl.lit(None, dtype=canonical_dtype(column.type))
        casts[column.name] = cast
        check = too_large(pl.col(column.name), dtype, column.type.kind)
        if check is not None:
            large[column.name] = check
    return TableInput(
        table,
        origin,
        columns,
        lf.select(selected),
        casts,
        tuple(missing),
        tuple(problems),
        path,
        too_large=large,
    )


def _missing_problem(table: Table, column: Column, origin: str, path: str | None) -> DataProblem:
    where = "file" if path is not None else "table"
    if column.name == table.key:
        why = f"it is the {table.name} table's id"
    elif column.name == table.owner_key:
        why = "it links each row to its owner"
    else:
        why = "the rules use it"
    named = column.name if column.source_name is None else f"{column.source_name} ({column.name})"
    message = f"the {where} has no column {named}, but {why}"
    return DataProblem(table.name, column.name, None, None, None, message, origin)


def _empty_input(table: Table, names: set[str] | None) -> TableInput:
    columns = needed_columns(table, names)
    lf = pl.LazyFrame(schema={c.name: canonical_dtype(c.type) for c in columns})
    casts = {c.name: pl.col(c.name) for c in columns}
    return TableInput(table, f"{table.name} (not supplied: empty)", columns, lf, casts)


def _check_required(schema: Schema, required: Mapping[str, set[str]] | None) -> None:
    """Reject a `required` naming tables or columns the schema lacks (a caller's bug)."""
    if required is None:
        return
    for name, columns in required.items():
        table = schema.table(name)
        if table is None:
            raise ValueError(f"required names unknown table {name!r}")
        unknown = set(columns) - set(table.column_names)
        if unknown:
            raise ValueError(f"required names unknown columns of {name}: {sorted(unknown)}")
