"""The Spark engine (in local mode) gives exactly the single-machine
engine's rows: every table, tables missing, several dates, the councils'
local rulesets, results written as one file and as a folder of parts."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import tfrules
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.run.spark import sink
from tfrules.run.spark.loading import spark_dataset

DATES = ("2013-01-15", "2014-06-30", "2015-03-31")


def _same(spark_rows: pl.DataFrame, polars_rows: pl.DataFrame) -> None:
    key = "household_id"
    assert spark_rows.height == polars_rows.height > 0
    assert_frame_equal(spark_rows, polars_rows.sort(key))


@pytest.fixture(scope="module")
def phase1() -> tfrules.CheckedRuleset:  # type: ignore[name-defined]
    return tfrules.load("national.phase1")


@pytest.fixture(scope="module")
def in_spark(spark: object, synthetic: Path, phase1: object) -> object:
    """The synthetic data loaded into Spark and checked there, for the
    national rulesets and the councils' local ones."""
    local = tfrules.load_locals(phase1, [bundled_rulesets_dir() / "local"])
    return spark_dataset([phase1, *local], str(synthetic))


def test_every_table_at_several_dates(in_spark: object, synthetic: Path, phase1: object) -> None:
    on_one_machine = tfrules.load_data(phase1, synthetic)
    assert not in_spark.missing_tables
    for day in DATES[:2]:
        found = tfrules.evaluate(phase1, in_spark, day, engine="spark")
        _same(found, tfrules.evaluate(phase1, on_one_machine, day))


def test_tables_missing(spark: object, synthetic: Path, phase1: object, tmp_path: Path) -> None:
    """Facts from a table not supplied are unknown, on Spark as on one machine."""
    data = tmp_path / "data"
    shutil.copytree(synthetic, data)
    for table in ("offences", "school_terms", "work_referrals"):
        (data / f"{table}.parquet").unlink()
    in_spark = spark_dataset([phase1], str(data))
    assert in_spark.missing_tables == {"offences", "school_terms", "work_referrals"}
    found = tfrules.evaluate(phase1, in_spark, DATES[1], engine="spark", reasons=True)
    expected = tfrules.evaluate(phase1, data, DATES[1], reasons=True)
    assert expected["identified"].null_count() > 0  # the missing tables matter
    _same(found, expected)


def test_councils_local_rulesets(spark: object, synthetic: Path) -> None:
    """Each council's households by its own local ruleset (and ruleset_applied)."""
    phase2 = tfrules.load("national.phase2")
    local = tfrules.load_locals(phase2, [bundled_rulesets_dir() / "local"])
    in_spark = spark_dataset([phase2, *local], str(synthetic))
    found = tfrules.evaluate(phase2, in_spark, DATES[2], local=local, engine="spark")
    expected = tfrules.evaluate(phase2, synthetic, DATES[2], local=local)
    assert found["ruleset_applied"].n_unique() > 1
    _same(found, expected)


def test_written_as_one_file(
    in_spark: object, spark: object, synthetic: Path, phase1: object, tmp_path: Path
) -> None:
    local = tfrules.load_locals(phase1, [bundled_rulesets_dir() / "local"])
    out = tmp_path / "results.parquet"
    written = tfrules.write_results(phase1, in_spark, DATES[0], out, local=local, engine="spark")
    expected = tmp_path / "expected.parquet"
    tfrules.write_results(phase1, synthetic, DATES[0], expected, local=local)
    assert out.is_file()
    assert_frame_equal(pl.read_parquet(out), pl.read_parquet(expected))
    assert written.columns == pl.read_parquet_schema(expected)
    assert written.without_local  # councils with no local ruleset, counted by Spark
    assert (
        written.without_local
        == tfrules.write_results(
            phase1, synthetic, DATES[0], tmp_path / "again.parquet", local=local
        ).without_local
    )


def test_written_as_a_folder_of_parts(
    in_spark: object,
    synthetic: Path,
    phase1: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sink, "SINGLE_FILE_ROWS", 10)
    out = tmp_path / "results.parquet"
    written = tfrules.write_results(phase1, in_spark, DATES[1], out, engine="spark")
    assert out.is_dir()
    assert sorted({p.suffix for p in out.iterdir()}) == [".parquet"]
    expected = tfrules.evaluate(phase1, synthetic, DATES[1])
    assert_frame_equal(written.scan().collect(), expected.sort("household_id"))


def test_tables_of_the_spark_catalog(spark, synthetic: Path, phase1: object) -> None:
    spark.sql("CREATE DATABASE IF NOT EXISTS families")
    for path in synthetic.glob("*.parquet"):
        spark.catalog.createTable(f"families.{path.stem}", path=str(path), source="parquet")
    found = tfrules.evaluate(phase1, "catalog:families", DATES[0], engine="spark")
    _same(found, tfrules.evaluate(phase1, synthetic, DATES[0]))
