"""What Polars' CSV reader does not check or cannot do by itself.

Polars renames a repeated heading (`household_id_duplicated_0`) where a
person would want to hear that the file has two columns of that name, reads
only UTF-8, and needs to be told the delimiter. Here the header line is read
with Python's own CSV reader (only the first record of the file), the
delimiter can be guessed from it, and a Windows-1252 file is copied once as
UTF-8 (decoded by the codec in large blocks, never row by row) for Polars to
scan.
"""

from __future__ import annotations

import atexit
import codecs
import csv
import io
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import attrs

from tfrules.model.mapping import ENCODINGS

#: How much of a file is read to find its header line.
HEADER_BYTES = 256 * 1024
#: Delimiters tried when a source does not name its own, most likely first.
DELIMITERS = (",", ";", "\t", "|")
_BLOCK = 4 * 1024 * 1024


class CsvProblem(Exception):
    """The file's header cannot be used; the message says why, in plain words."""


@attrs.frozen
class Duplicate:
    heading: str
    first: int  # column numbers, from 1
    second: int


def read_header(
    path: Path, delimiter: str = ",", encoding: str = "utf-8", header_row: int = 1
) -> list[str]:
    """The headings on line `header_row` of a CSV file (a byte-order mark is dropped)."""
    return header_of(read_head(path), delimiter, encoding, header_row)


def header_of(
    head: bytes, delimiter: str = ",", encoding: str = "utf-8", header_row: int = 1
) -> list[str]:
    """`read_header` of a file's first bytes (`read_head`), wherever they were read."""
    lines = head_text(head, encoding, whole_lines=header_row).splitlines(keepends=True)
    text = lines[header_row - 1] if len(lines) >= header_row else ""
    if not text.strip():
        return []
    record = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    return [heading.strip() for heading in record]


def duplicates(headings: list[str]) -> list[Duplicate]:
    """Each heading that occurs more than once, with its first two positions."""
    counts = Counter(headings)
    found = []
    for heading, count in counts.items():
        if count > 1 and heading:
            first = headings.index(heading)
            second = headings.index(heading, first + 1)
            found.append(Duplicate(heading, first + 1, second + 1))
    return found


def duplicate_message(found: Duplicate) -> str:
    return (
        f"the file has two columns headed {found.heading} (columns {found.first} and "
        f"{found.second}); keep one of them, or give the other a heading of its own"
    )


def guess_delimiter(path: Path, encoding: str = "utf-8") -> str:
    """The delimiter of a CSV file, from its first lines: the candidate that splits
    the header into the most fields the same way on the next lines."""
    return delimiter_of(read_head(path), encoding, path.suffix)


def delimiter_of(head: bytes, encoding: str = "utf-8", suffix: str = ".csv") -> str:
    """`guess_delimiter` from a file's first bytes and its suffix."""
    if suffix.lower() == ".tsv":
        return "\t"
    lines = head_text(head, encoding, whole_lines=6).splitlines()
    if not lines:
        return ","
    best, best_fields = ",", 1
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        fields = len(rows[0]) if rows else 0
        consistent = all(len(row) == fields for row in rows[1:-1] if row)
        if consistent and fields > best_fields:
            best, best_fields = delimiter, fields
    return best


def codec_of(encoding: str) -> str | None:
    """The Python codec of an encoding named in a mapping (None: not supported)."""
    return ENCODINGS.get(encoding.strip().lower())


def as_utf8(path: Path, encoding: str) -> Path:
    """`path` itself if it is read as UTF-8, else a UTF-8 copy of it, made once
    per run in a temporary folder that is removed when the run ends."""
    codec = codec_of(encoding)
    if codec is None or codec == "utf-8-sig":
        return path
    key = (str(path.resolve()), codec, path.stat().st_mtime_ns)
    if key not in _COPIES:
        target = Path(tempfile.mkdtemp(dir=_scratch())) / (path.stem + ".csv")
        decoder = codecs.getincrementaldecoder(codec)()
        with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
            while block := source.read(_BLOCK):
                out.write(decoder.decode(block))
            out.write(decoder.decode(b"", final=True))
        _COPIES[key] = target
    return _COPIES[key]


def check_utf8(path: Path) -> int | None:
    """The line (from 1) of the first byte that is not UTF-8, or None if all is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as source:
        while block := source.read(_BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return line + block.count(b"\n", 0, error.start)
            line += block.count(b"\n")
    return None


_COPIES: dict[tuple[str, str, int], Path] = {}
_SCRATCH: list[Path] = []


def _scratch() -> Path:
    if not _SCRATCH:
        folder = Path(tempfile.mkdtemp(prefix="tfrules-csv-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _SCRATCH.append(folder)
    return _SCRATCH[0]


def read_head(path: Path) -> bytes:
    """The first bytes of a file: enough for its header line (`HEADER_BYTES`)."""
    with path.open("rb") as source:
        return source.read(HEADER_BYTES)


def head_text(head: bytes, encoding: str, whole_lines: int = 1) -> str:
    """The first `whole_lines` lines of a file's first bytes, decoded."""
    codec = codec_of(encoding) or "utf-8-sig"
    end = -1
    for _ in range(whole_lines):
        found = head.find(b"\n", end + 1)
        if found < 0:
            end = len(head) - 1
            break
        end = found
    data = head[: end + 1]
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        hint = (
            " (a file saved by Excel as CSV is often Windows-1252: a mapping can say "
            'encoding "windows-1252" for it)'
            if codec == "utf-8-sig"
            else ""
        )
        where = "its header" if line == 1 else f"line {line}"
        raise CsvProblem(f"{where} is not valid {_label(codec)} text{hint}") from None


def _label(codec: str) -> str:
    return "UTF-8" if codec == "utf-8-sig" else codec
