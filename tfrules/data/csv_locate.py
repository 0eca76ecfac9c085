"""Where a CSV file that Polars could not read first goes wrong.

Polars says that a file has "more fields than defined" or "invalid utf-8"
but not where. Once a read has failed, this reads the file again, line by
line, to name the first line that is not UTF-8 text or whose number of
fields differs from the heading's, so the council can open its file at
that line. It runs only after a failure, never on data that reads.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs


@attrs.frozen
class BrokenLine:
    #: the line of the file, the heading being line 1
    line: int
    message: str


def first_broken_line(
    path: Path, delimiter: str = ",", *, encoding: str = "utf-8-sig", header_row: int = 1
) -> BrokenLine | None:
    """The first line that is not UTF-8 text or has the wrong number of
    fields, or None when neither is found (the failure was something else).
    A file in another `encoding` (a mapping says so) is read in it; the
    heading is on line `header_row` (a mapping may put a title above it)."""
    try:
        if encoding in ("utf-8", "utf-8-sig"):
            undecodable = _first_undecodable(path)
            if undecodable is not None:
                return undecodable
        return _first_ragged(path, delimiter, encoding, header_row)
    except (OSError, UnicodeDecodeError):
        return None


def _first_undecodable(path: Path) -> BrokenLine | None:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                return BrokenLine(
                    number, undecodable_message(number, error.start, raw[error.start])
                )
    return None


def undecodable_message(line: int, start: int, byte: int) -> str:
    """What to say of line `line`, whose byte `start` (from 0), `byte`, is not UTF-8."""
    return (
        f"line {line} is not UTF-8 text (byte {start + 1} of the line, "
        f"0x{byte:02x}): save the file as UTF-8 CSV, or say its "
        "encoding in a data mapping"
    )


def ragged_message(line: int, fields: int, heading: int, delimiter: str) -> str:
    """What to say of line `line`, with `fields` fields where the heading has `heading`."""
    return (
        f"line {line} has {fields} fields where the heading has "
        f"{heading}: a missing or extra '{delimiter}', or a value with a "
        f"'{delimiter}' in it that is not in double quotes"
    )


def first_ragged_record(text: str, delimiter: str, heading: int) -> tuple[int, int] | None:
    """In `text` (lines of a CSV file after its heading), the line (from 1) on
    which the first record with other than `heading` fields ends, and its
    number of fields; None if every record has `heading` fields."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for fields in reader:
        if fields and len(fields) != heading:
            return reader.line_num, len(fields)
    return None


def _first_ragged(
    path: Path, delimiter: str, encoding: str = "utf-8-sig", header_row: int = 1
) -> BrokenLine | None:
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        for _ in range(header_row - 1):  # a title above the heading
            next(reader, None)
        heading = next(reader, None)
        if heading is None:
            return None
        for fields in reader:
            if fields and len(fields) != len(heading):
                line = reader.line_num
                return BrokenLine(line, ragged_message(line, len(fields), len(heading), delimiter))
    return None
