"""Opening one source of a mapped table: a CSV file (any delimiter, a BOM,
UTF-8 or Windows-1252), a Parquet file, a sheet of an Excel workbook or a
database table or query.

Each is opened lazily where its format allows (CSV and Parquet are scanned;
a sheet is read whole, as a workbook has no partial reader) with its headings
as the file has them, spaces at their ends dropped, and a way to number its
rows as a person would find them: the line of a CSV file, the row of a sheet.
Excel cells are read as text, so a column that mixes dates typed as text and
real date cells reads the same way (the real ones come as `2013-01-15
00:00:00`, which every date column accepts).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs
import polars as pl

from tfrules.data.csv_files import (
    CsvProblem,
    as_utf8,
    codec_of,
    duplicate_message,
    duplicates,
    guess_delimiter,
    read_header,
)
from tfrules.data.database import DatabaseProblem, read_database
from tfrules.diagnostics import did_you_mean
from tfrules.model.mapping import CSV_SUFFIXES, EXCEL_SUFFIXES, SourceSpec


class SourceProblem(Exception):
    """A source cannot be opened: `where` names it (a file, or a sheet of one) and
    the message says why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


@attrs.frozen
class OpenSource:
    """A source ready to read: its frame, its headings, and how its rows are numbered.

    Row `i` (from 0) of `frame` is `row_word` `first_row + i` of the source.
    """

    name: str
    frame: pl.LazyFrame
    headings: tuple[str, ...]
    row_word: str
    first_row: int
    spec: SourceSpec
    #: The file read (None for a database table or query).
    path: Path | None = None
    #: A CSV file's delimiter, Python codec and heading row, as it was read.
    csv: tuple[str, str, int] | None = None


def open_file(path: Path, name: str, spec: SourceSpec) -> OpenSource:
    """Open a data file named by a mapping (`name` is how messages show it)."""
    return attrs.evolve(_open_file(path, name, spec), path=path)


def _open_file(path: Path, name: str, spec: SourceSpec) -> OpenSource:
    suffix = path.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            return _csv(path, name, spec)
        if suffix in EXCEL_SUFFIXES:
            return open_excel(path, name, spec)
        frame = pl.scan_parquet(path)
        headings = tuple(frame.collect_schema().names())
    except (pl.exceptions.PolarsError, OSError) as error:
        raise SourceProblem(name, f"cannot be read: {_first_line(error)}") from error
    return OpenSource(name, frame, headings, "row", 1, spec)


def open_database(spec: SourceSpec, connections: Mapping[str, str], wanted: set[str]) -> OpenSource:
    """Read a database table or query (only the columns in `wanted` that it has)."""
    name = spec.describe()
    try:
        frame = read_database(spec, connections, wanted)
    except DatabaseProblem as problem:
        raise SourceProblem(name, f"cannot be read: {problem}") from None
    return OpenSource(name, frame.lazy(), tuple(frame.columns), "row", 1, spec)


def _csv(path: Path, name: str, spec: SourceSpec) -> OpenSource:
    encoding = spec.encoding or "utf-8"
    try:
        delimiter = spec.delimiter or guess_delimiter(path, encoding)
        headings = read_header(path, delimiter, encoding, spec.header_row)
    except CsvProblem as problem:
        raise SourceProblem(name, str(problem)) from None
    for found in duplicates(headings):
        raise SourceProblem(name, duplicate_message(found))
    readable = as_utf8(path, encoding)
    frame = pl.scan_csv(
        readable,
        separator=delimiter,
        skip_rows=spec.header_row - 1,
        infer_schema=False,
        truncate_ragged_lines=False,
    )
    names = frame.collect_schema().names()
    if len(names) == len(headings):
        frame = frame.rename(dict(zip(names, headings, strict=True)))
    csv = (delimiter, codec_of(encoding) or "utf-8-sig", spec.header_row)
    return OpenSource(name, frame, tuple(headings), "line", spec.header_row + 1, spec, csv=csv)


def open_excel(path: Path | bytes, name: str, spec: SourceSpec) -> OpenSource:
    """The sheet of a workbook (a file, or its bytes) that `spec` names, read whole, as text."""
    import fastexcel  # imported here: only workbooks need it

    try:
        workbook = fastexcel.read_excel(path if isinstance(path, bytes) else str(path))
    except Exception as error:  # fastexcel raises its own exception kinds
        raise SourceProblem(name, "it is not a readable Excel workbook") from error
    sheets = list(workbook.sheet_names)
    sheet = _sheet(sheets, spec.sheet)
    if sheet is None:
        hint = did_you_mean(str(spec.sheet), sheets)
        listed = ", ".join(f'"{s}"' for s in sheets)
        said = f"; {hint}" if hint else f" (its sheets: {listed})"
        raise SourceProblem(name, f'the workbook has no sheet "{spec.sheet}"{said}')
    assert sheet is not None
    header = spec.header_row - 1
    top = workbook.load_sheet(sheet, header_row=None, n_rows=spec.header_row, dtypes="string")
    first = top.to_polars()
    headings = [
        "" if value is None else str(value).strip()
        for value in (first.row(header) if first.height > header else ())
    ]
    where = f'{name}, sheet "{sheet}"'
    for found in duplicates(headings):
        raise SourceProblem(where, duplicate_message(found))
    data = workbook.load_sheet(sheet, header_row=header, dtypes="string").to_polars()
    if len(data.columns) == len(headings):
        data = data.rename(dict(zip(data.columns, headings, strict=True)))
    return OpenSource(where, data.lazy(), tuple(data.columns), "row", spec.header_row + 1, spec)


def _sheet(sheets: list[str], wanted: str | None) -> str | None:
    """The sheet a mapping names (capitals and spaces at the ends aside), or the first."""
    if wanted is None:
        return sheets[0] if sheets else None
    if wanted in sheets:
        return wanted
    folded = {s.strip().lower(): s for s in sheets}
    return folded.get(wanted.strip().lower())


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
