"""Where a CSV file that Polars could not read first goes wrong.

Polars says that a file has "more fields than defined" or "invalid utf-8"
but not where. Once a read has failed, this reads the file again, line by
line, to name the first line that is not UTF-8 text or whose number of
fields differs from the heading's, so the council can open its file at
that line. It runs only after a failure, never on data that reads.
"""

from __future__ import annotations

import csv
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
                    number,
                    f"line {number} is not UTF-8 text (byte {error.start + 1} of the line, "
                    f"0x{raw[error.start]:02x}): save the file as UTF-8 CSV, or say its "
                    "encoding in a data mapping",
                )
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
                return BrokenLine(
                    line,
                    f"line {line} has {len(fields)} fields where the heading has "
                    f"{len(heading)}: a missing or extra '{delimiter}', or a value with a "
                    f"'{delimiter}' in it that is not in double quotes",
                )
    return None
