"""What runs on an executor to read a source's rows: a CSV file's lines parsed
by Polars, and a mapping's readings (the Polars expressions of
`tfrules.data.readings`) applied to them, batch by batch.

A CSV file reaches the executors as its lines (Spark's text source, each
line's bytes as they are in the file, with a mark of its place: Spark splits
a file only between lines). Each partition's lines are joined back into
text, decoded from the file's encoding in one block, and parsed by the same
Polars CSV reader the single-machine engine uses, so that quotes, empty
values and blank lines read the same. A partition that Polars cannot parse
(a line with a field too many, bytes that are not text in the encoding) is
located there, line by line, only after the failure, as on one machine
(`tfrules.data.csv_locate`); the partition then gives one row saying so
(`UNREAD`), which the validator turns into the problem. A value in quotes
that runs over several lines is read as on one machine, unless it runs
across two of Spark's parts of a large file: Spark splits a file between
lines, not between records, so such a value cannot be put together again,
and the file is refused, naming the line the value begins on.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import attrs
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from tfrules.data.csv_locate import first_ragged_record
from tfrules.data.inputs import SOURCE
from tfrules.data.mapped import with_stages

#: A CSV file's lines, as the executors receive them: the place of each, and its bytes.
LINE_MARK = "__tfrules_line_mark"
LINE_BYTES = "__tfrules_line_bytes"
#: On the row of a partition that could not be read: why ("ragged", "undecodable" or
#: "spans": a value in quotes runs on into the next partition) ...
UNREAD = "__tfrules_unread"
#: ... the mark of the line at fault ...
UNREAD_AT = "__tfrules_unread_at"
#: ... and its fields (ragged), or its first undecodable byte, as 256 * place + value.
UNREAD_DETAIL = "__tfrules_unread_detail"
UNREAD_COLUMNS = {UNREAD: pl.String(), UNREAD_AT: pl.Int64(), UNREAD_DETAIL: pl.Int64()}


@attrs.frozen
class CsvShape:
    """How a CSV file's lines are parsed."""

    headings: tuple[str, ...]
    delimiter: str
    #: the Python codec of the file's encoding
    codec: str
    #: whether Spark reads the file in several parts
    split: bool = True


@attrs.frozen
class ReadTask:
    """What an executor needs to read one source's rows."""

    #: the output columns, as expressions over the source's columns
    columns: tuple[pl.Expr, ...]
    #: the source's columns and the dtypes the expressions read them as
    dtypes: pl.Schema
    #: for a CSV file: how its lines parse (the partition holds lines)
    csv: CsvShape | None = None
    #: the source's place among its table's sources (the `SOURCE` column), if it has one
    source: int | None = None
    #: the output's columns as Arrow types, as Spark expects them
    output: pa.Schema | None = None
    #: helper columns the output columns read, added stage by stage first
    #: (`tfrules.data.mapped.with_stages`: a mapping's labels)
    stages: tuple[tuple[pl.Expr, ...], ...] = ()


def output_dtypes(task: ReadTask) -> pl.Schema:
    """The dtypes of a task's output (from its expressions over no rows)."""
    return _shaped(task, pl.DataFrame(schema=task.dtypes)).schema


def _shaped(task: ReadTask, frame: pl.DataFrame) -> pl.DataFrame:
    out = with_stages(frame, task.stages).select(*task.columns)
    if task.source is not None:
        out = out.with_columns(pl.lit(task.source, dtype=pl.Int32).alias(SOURCE))
    if task.csv is not None:
        out = out.with_columns(pl.lit(None, dtype=d).alias(n) for n, d in UNREAD_COLUMNS.items())
    return out


def read_partition(task: ReadTask, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The source's rows in this partition, read as `task` says."""
    received = [batch for batch in batches if batch.num_rows]
    if not received:
        return
    table = pa.Table.from_batches(received)
    if task.csv is None:
        found = pl.from_arrow(table)
        assert isinstance(found, pl.DataFrame)
        out = _shaped(task, found.cast(dict(task.dtypes)))
    else:
        parsed = _parse(task.csv, table)
        if isinstance(parsed, pl.DataFrame):
            out = _shaped(task, parsed)
        else:  # one row, of its source, saying why and where
            reason, mark, detail = parsed
            out = _shaped(task, pl.DataFrame(schema=task.dtypes).clear(1)).with_columns(
                pl.lit(reason, dtype=pl.String).alias(UNREAD),
                pl.lit(mark, dtype=pl.Int64).alias(UNREAD_AT),
                pl.lit(detail, dtype=pl.Int64).alias(UNREAD_DETAIL),
            )
    arrow = out.to_arrow(compat_level=pl.CompatLevel.oldest())
    if task.output is not None:
        arrow = arrow.cast(task.output)
    yield from arrow.to_batches()


def joined_lines(lines: pa.ChunkedArray | pa.Array) -> bytes:
    """The lines as one text, each followed by a line end (no Python per line)."""
    array = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    array = array.cast(pa.large_binary())
    empty = pa.scalar(b"", pa.large_binary())
    with_ends = pc.binary_join_element_wise(array, empty, pa.scalar(b"\n", pa.large_binary()))
    buffers = with_ends.buffers()
    start = with_ends.offset
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[start : start + len(with_ends) + 1]
    return bytes(memoryview(buffers[2])[offsets[0] : offsets[-1]])  # type: ignore[index]


Unread = tuple[str, int, int]


def _parse(shape: CsvShape, table: pa.Table) -> pl.DataFrame | Unread:
    """The partition's lines parsed as CSV (text columns under the file's
    headings), or why and where they cannot be."""
    marks = table.column(LINE_MARK).to_numpy()
    data = joined_lines(table.column(LINE_BYTES))
    if shape.split and data.count(b'"') % 2:  # a value in quotes runs on into the next part
        return "spans", int(marks[_open_quote_line(data)]), 0
    utf8 = shape.codec in ("utf-8", "utf-8-sig")
    try:
        text = data if utf8 else data.decode(shape.codec).encode("utf-8")
        names = [f"column_{i}" for i in range(len(shape.headings))]
        frame = pl.read_csv(
            io.BytesIO(text),
            has_header=False,
            new_columns=names,
            schema=dict.fromkeys(names, pl.String()),
            separator=shape.delimiter,
            truncate_ragged_lines=False,
            infer_schema=False,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as failure:
        found = _locate(shape, data, marks)
        if found is None:
            raise RuntimeError(str(failure).strip().splitlines()[0]) from None
        return found
    return frame.rename(dict(zip(frame.columns, shape.headings, strict=True)))


def _open_quote_line(data: bytes) -> int:
    """The line (from 0) on which the value in quotes left open at the end begins."""
    codes = np.frombuffer(data, dtype=np.uint8)
    quotes = np.cumsum(codes == ord('"'))
    ends = np.flatnonzero(codes == ord("\n"))
    closed = np.flatnonzero(quotes[ends] % 2 == 0)  # lines ending outside quotes
    return int(closed[-1]) + 1 if closed.size else 0


def _locate(shape: CsvShape, data: bytes, marks: np.ndarray) -> Unread | None:
    """The first line of the partition that is not text in the file's
    encoding, else the first whose number of fields is not the heading's."""
    try:
        text = data.decode(shape.codec)
    except UnicodeDecodeError as error:
        index = data.count(b"\n", 0, error.start)
        begins = data.rfind(b"\n", 0, error.start) + 1
        place = error.start - begins
        return "undecodable", int(marks[index]), place * 256 + data[error.start]
    ragged = first_ragged_record(text, shape.delimiter, len(shape.headings))
    if ragged is None:
        return None
    line, fields = ragged
    return "ragged", int(marks[line - 1]), fields
