"""Bad data is refused by the Spark engine with the single-machine messages,
before anything is evaluated or written."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

import tfrules
from tfrules.data.errors import DataError
from tfrules.run.spark.loading import spark_dataset


def _edit(folder: Path, table: str, change: object) -> None:
    path = folder / f"{table}.parquet"
    frame = pl.read_parquet(path)
    change(frame).write_parquet(path)  # type: ignore[operator]


def _nth(n: int, value: object, column: str) -> pl.Expr:
    return (
        pl.when(pl.int_range(pl.len()) == n)
        .then(pl.lit(value))
        .otherwise(pl.col(column))
        .alias(column)
    )


@pytest.fixture(scope="module")
def broken(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic data with a problem of every kind the validator finds."""
    folder = tmp_path_factory.mktemp("broken")
    shutil.copytree(synthetic, folder, dirs_exist_ok=True)
    # an id used twice, and a council code with spaces round it
    _edit(folder, "households", lambda f: pl.concat([f, f.slice(7, 1)]))
    _edit(folder, "persons", lambda f: f.with_columns(_nth(4, "H-NOWHERE", "household_id")))
    _edit(
        folder,
        "persons",
        lambda f: f.with_columns(_nth(9, dt.date(1700, 1, 1), "date_of_birth")),
    )
    _edit(folder, "offences", lambda f: f.with_columns(_nth(2, "P-NOBODY", "person_id")))
    _edit(folder, "offences", lambda f: f.with_columns(_nth(5, None, "offence_date")))
    _edit(
        folder,
        "school_terms",
        lambda f: f.with_columns(_nth(3, 10_000, "sessions_unauthorised_absence")),
    )
    _edit(folder, "school_terms", lambda f: f.with_columns(_nth(6, -1, "fixed_exclusions")))
    _edit(folder, "asb", lambda f: f.with_columns(_nth(1, "not a kind", "kind")))
    return folder


def test_same_messages_as_on_one_machine(spark: object, broken: Path) -> None:
    phase1 = tfrules.load("national.phase1")
    with pytest.raises(DataError) as on_one_machine:
        tfrules.load_data(phase1, broken)
    with pytest.raises(DataError) as in_spark:
        spark_dataset([phase1], str(broken))
    assert len(on_one_machine.value.problems) >= 7
    assert str(in_spark.value) == str(on_one_machine.value)


def test_nothing_written_from_bad_data(spark: object, broken: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.parquet"
    with pytest.raises(DataError):
        tfrules.write_results(
            tfrules.load("national.phase1"), str(broken), "2014-01-01", out, engine="spark"
        )
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_absent_and_unreadable_tables(spark: object, synthetic: Path, tmp_path: Path) -> None:
    phase1 = tfrules.load("national.phase1")
    data = tmp_path / "data"
    shutil.copytree(synthetic, data)
    (data / "persons.parquet").unlink()
    (data / "asb.parquet").write_text("not Parquet")
    with pytest.raises(DataError) as found:
        spark_dataset([phase1], str(data))
    text = str(found.value)
    assert (
        f"the persons table is required but there is no persons.parquet or persons.csv in {data}"
        in text
    )
    assert f"cannot read {data}/asb.parquet: it is not a readable Parquet file" in text
