"""Writing a data set to a directory: one file per table, as the loader expects.

``write_dataset`` writes frames already in memory. ``generate_to_dir``
generates and appends a chunk of households at a time, so ten million
households reach disk without ever being in memory together: Parquet through
one ``pyarrow.parquet.ParquetWriter`` per table (a row group per chunk), CSV
by appending headerless chunks. Both write through ``tfrules.run.atomic``:
the tables of a generated set appear together once all are complete, and an
interrupted or failed run leaves the folder as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Literal

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from tfrules.data.synth.areas import DEFAULT_LA_CODES
from tfrules.data.synth.generator import (
    BLOCK_SIZE,
    DEFAULT_RATES,
    concat_blocks,
    iter_blocks,
    make_plan,
)
from tfrules.data.synth.rates import Rates
from tfrules.data.synth.schema import TABLE_NAMES, empty_frame
from tfrules.run.atomic import staged_folder, write_file

Format = Literal["parquet", "csv"]

#: Default households per chunk in ``generate_to_dir`` (a whole number of blocks).
CHUNK_SIZE = 250_000


def _check_format(format: str) -> Format:
    if format not in ("parquet", "csv"):
        raise ValueError(f"format must be 'parquet' or 'csv', got {format!r}")
    return format  # type: ignore[return-value]


def write_dataset(
    tables: Mapping[str, pl.DataFrame],
    out_dir: str | os.PathLike[str],
    format: Format = "parquet",
) -> dict[str, Path]:
    """Write each frame to ``out_dir/<table>.<format>``; returns the paths.

    CSV has ISO dates, money as plain decimals (``1234.50``), booleans as
    ``true``/``false`` and nulls as empty fields.
    """
    fmt = _check_format(format)
    out = Path(out_dir)
    paths: dict[str, Path] = {}
    for name, frame in tables.items():
        write = frame.write_parquet if fmt == "parquet" else frame.write_csv
        paths[name] = write_file(out / f"{name}.{fmt}", write)
    return paths


class _ChunkSink:
    """Appends chunks of one table to ``<name>.<format>`` in a staging folder."""

    def __init__(self, out: Path, name: str, fmt: Format) -> None:
        self.path = out / f"{name}.{fmt}"
        self.fmt = fmt
        self.rows = 0
        self._parquet: pq.ParquetWriter | None = None
        self._csv: IO[bytes] | None = None

    def write(self, frame: pl.DataFrame) -> None:
        if self.fmt == "parquet":
            arrow: pa.Table = frame.to_arrow()
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, arrow.schema, compression="zstd")
            self._parquet.write_table(arrow)
        else:
            first = self._csv is None
            if self._csv is None:
                self._csv = open(self.path, "wb")  # noqa: SIM115 - closed in close()
            frame.write_csv(self._csv, include_header=first)
        self.rows += frame.height

    def close(self) -> None:
        for handle in (self._parquet, self._csv):
            if handle is not None:
                handle.close()


def generate_to_dir(
    households: int,
    seed: int,
    out_dir: str | os.PathLike[str],
    la_codes: Sequence[str] = DEFAULT_LA_CODES,
    *,
    format: Format = "parquet",
    chunk_size: int = CHUNK_SIZE,
    start: date = date(2012, 4, 1),
    end: date = date(2015, 3, 31),
    events_from: date = date(2010, 1, 1),
    events_to: date = date(2016, 12, 31),
    rates: Rates = DEFAULT_RATES,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate ``households`` households a chunk at a time into ``out_dir``.

    ``on_progress(done, total)`` is called after each chunk with the number of
    households written so far.

    ``chunk_size`` is rounded up to a whole number of blocks (``BLOCK_SIZE``);
    the data are identical to ``generate`` with the same arguments whatever
    the chunk size. Returns the number of rows written per table.
    """
    fmt = _check_format(format)
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be > 0, got {chunk_size}")
    plan = make_plan(
        households,
        seed,
        la_codes,
        start=start,
        end=end,
        events_from=events_from,
        events_to=events_to,
        rates=rates,
    )
    blocks_per_chunk = -(-chunk_size // BLOCK_SIZE)
    with staged_folder(Path(out_dir)) as stage:
        sinks = {name: _ChunkSink(stage, name, fmt) for name in TABLE_NAMES}
        try:
            if plan.blocks == 0:
                for name, sink in sinks.items():
                    sink.write(empty_frame(name))
            for first in range(0, plan.blocks, blocks_per_chunk):
                chunk = concat_blocks(list(iter_blocks(plan, first, first + blocks_per_chunk)))
                for name, sink in sinks.items():
                    sink.write(chunk[name])
                del chunk
                if on_progress is not None:
                    done = min((first + blocks_per_chunk) * BLOCK_SIZE, households)
                    on_progress(done, households)
        finally:
            for sink in sinks.values():
                sink.close()
    return {name: sink.rows for name, sink in sinks.items()}
