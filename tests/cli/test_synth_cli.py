"""`tfrules synth`: deterministic synthetic data that the loader accepts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from cli_support import expect_exit, run

from tfrules import api
from tfrules.data.load import load_dataset
from tfrules.data.synth import TABLE_NAMES
from tfrules.data.validate import validate

HOUSEHOLDS = 300
CODES = ["E08000035", "E10000008"]


def _synth(out: Path, *args: object) -> None:
    result = run("synth", "-n", HOUSEHOLDS, "--out", out, *args)
    expect_exit(result, 0)
    assert f"wrote {HOUSEHOLDS:,} households" in result.stdout


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path):
    codes = ",".join(CODES)
    _synth(tmp_path / "a", "--seed", 4, "--la-codes", codes)
    _synth(tmp_path / "b", "--seed", 4, "--la-codes", codes)
    _synth(tmp_path / "c", "--seed", 5, "--la-codes", codes)
    first, second, other = (_files(tmp_path / n) for n in "abc")
    assert sorted(first) == sorted(f"{t}.parquet" for t in TABLE_NAMES)
    assert first == second
    assert first["persons.parquet"] != other["persons.parquet"]


def test_parquet_output_validates_and_honours_la_codes(tmp_path):
    out = tmp_path / "data"
    _synth(out, "--seed", 9, "--la-codes", ",".join(CODES))
    schema = api.load("national.phase1").schema
    dataset = load_dataset(out, schema)  # every column of every table required
    validate(dataset)
    households = dataset.frames["households"].collect()
    assert households.height == HOUSEHOLDS
    assert sorted(households["la_code"].unique().to_list()) == CODES


def test_csv_output_validates(tmp_path):
    out = tmp_path / "data"
    _synth(out, "--seed", 9, "--format", "csv", "--la-codes", CODES[0])
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLE_NAMES)
    rules = api.load("national.phase1")
    dataset = api.load_data(rules, out)  # validated
    households = dataset.frames["households"].collect()
    assert households.height == HOUSEHOLDS
    assert households["la_code"].unique().to_list() == [CODES[0]]
    # the same households as the Parquet files of the same seed
    _synth(tmp_path / "pq", "--seed", 9, "--la-codes", CODES[0])
    parquet = pl.read_parquet(tmp_path / "pq" / "households.parquet")
    assert households["household_id"].to_list() == parquet["household_id"].to_list()


def test_bad_options_are_usage_errors(tmp_path):
    for args in (["--format", "xlsx"], ["--la-codes", " , "], ["-n", "-1"]):
        out = tmp_path / "x"
        result = run("synth", "--out", out, *args)
        expect_exit(result, 2)
        assert "tfrules synth" in result.stderr
        assert not out.exists()
