"""write_dataset and generate_to_dir: one file per table, lossless round trips."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from tfrules.data.synth import BLOCK_SIZE, TABLES, generate_to_dir, write_dataset

from .conftest import TWO_BLOCKS, TWO_BLOCKS_SEED


def _read(path: Path, table: str, fmt: str) -> pl.DataFrame:
    if fmt == "parquet":
        return pl.read_parquet(path)
    return pl.read_csv(path, schema=TABLES[table])


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_round_trip(small_tables: dict[str, pl.DataFrame], tmp_path: Path, fmt: str) -> None:
    paths = write_dataset(small_tables, tmp_path, format=fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.{fmt}" for t in TABLES)
    for name, frame in small_tables.items():
        assert_frame_equal(_read(paths[name], name, fmt), frame)


def test_csv_text_format(small_tables: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    write_dataset(small_tables, tmp_path, format="csv")
    claims = (tmp_path / "claims.csv").read_text().splitlines()
    assert claims[0] == "household_id,claimed_on,claim,amount"
    fields = claims[1].split(",")
    assert len(fields[1]) == 10 and fields[1][4] == "-"  # ISO date
    assert re.fullmatch(r"\d+\.\d\d", fields[3])  # plain decimal, pence exact
    housing = (tmp_path / "housing.csv").read_text().splitlines()[1:]
    assert {line.rsplit(",", 1)[1] for line in housing} <= {"true", "false"}
    assert all(re.fullmatch(r"\d+\.\d\d", line.split(",")[2]) for line in housing)
    households = (tmp_path / "households.csv").read_text().splitlines()
    assert any(line.endswith(",") for line in households[1:])  # null attached_on is empty


def test_bad_format(small_tables: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_dataset(small_tables, tmp_path, format="xlsx")  # type: ignore[arg-type]


def test_chunked_generation_equals_generate(
    two_blocks: dict[str, pl.DataFrame], tmp_path: Path
) -> None:
    """Chunks of whole blocks reproduce generate() exactly, rows and totals."""
    counts = generate_to_dir(TWO_BLOCKS, TWO_BLOCKS_SEED, tmp_path, chunk_size=BLOCK_SIZE)
    assert counts == {name: frame.height for name, frame in two_blocks.items()}
    assert not list(tmp_path.glob("*.partial"))
    for name, frame in two_blocks.items():
        path = tmp_path / f"{name}.parquet"
        assert pq.ParquetFile(path).metadata.num_row_groups == 2
        assert_frame_equal(pl.read_parquet(path), frame)
    ids = pl.read_parquet(tmp_path / "persons.parquet")["person_id"]
    assert ids.n_unique() == ids.len()


def test_chunked_csv(two_blocks: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    """CSV chunks are appended under a single header and read back intact."""
    counts = generate_to_dir(
        TWO_BLOCKS, TWO_BLOCKS_SEED, tmp_path, format="csv", chunk_size=1
    )  # rounded up to one block
    text = (tmp_path / "households.csv").read_text().splitlines()
    assert text[0] == "household_id,la_code,attached_on"
    assert len(text) == counts["households"] + 1 == TWO_BLOCKS + 1
    for name in ("persons", "claims", "school_terms"):
        back = pl.read_csv(tmp_path / f"{name}.csv", schema=TABLES[name])
        assert_frame_equal(back, two_blocks[name])


def test_chunked_zero_households(tmp_path: Path) -> None:
    counts = generate_to_dir(0, 1, tmp_path)
    assert set(counts.values()) == {0}
    assert pl.read_parquet(tmp_path / "claims.parquet").schema == pl.Schema(TABLES["claims"])
