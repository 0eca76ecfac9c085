"""The parts of the Spark engine that need no Spark: dtypes, the message of
an executor without tfrules, the engines listed, the command's options."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest

try:
    import pyspark  # noqa: F401
except ImportError:
    if os.environ.get("TFRULES_CI"):  # CI installs it: never skipped there
        raise
    pytest.skip(
        "the Spark tests need pyspark: pip install '.[test,spark]'", allow_module_level=True
    )

from cli_support import expect_exit, run
from pyspark.sql import types as T

import tfrules
from tfrules.data.synth import generate, write_dataset
from tfrules.run.engines import ENGINES
from tfrules.run.spark.dtypes import polars_dtypes, spark_schema, spark_type
from tfrules.run.spark.engine import executor_failures
from tfrules.run.spark.errors import SparkRunError
from tfrules.run.spark.executor import partition_function


def test_money_stays_exact_and_every_result_type_has_a_spark_type() -> None:
    assert spark_type(pl.Decimal(38, 2)) == T.DecimalType(38, 2)
    assert spark_type(pl.Boolean()) == T.BooleanType()
    assert spark_type(pl.Int64()) == T.LongType()
    assert spark_type(pl.Date()) == T.DateType()
    assert spark_type(pl.String()) == T.StringType()
    schema = pl.Schema({"household_id": pl.String(), "paid": pl.Decimal(38, 2), "n": pl.UInt32()})
    assert [f.name for f in spark_schema(schema).fields] == ["household_id", "paid", "n"]
    assert polars_dtypes(schema)["n"] == pl.Int64()
    with pytest.raises(TypeError, match="no Spark type"):
        spark_type(pl.Object())


def test_an_executor_without_tfrules_says_what_to_install() -> None:
    run = partition_function({"as_of": dt.date(2014, 1, 1)}, "tfrules_not_installed_here:run")
    with pytest.raises(RuntimeError) as found:
        list(run(iter([])))
    text = str(found.value)
    assert "a Spark executor cannot import tfrules_not_installed_here" in text
    assert "pip install 'tfrules[spark]'" in text and "--archives" in text


def test_that_failure_reaches_the_user_as_a_plain_error() -> None:
    with pytest.raises(SparkRunError) as found, executor_failures():
        raise RuntimeError(
            "Job aborted\nTraceback ...\nRuntimeError: a Spark executor cannot import "
            "polars: the executors need Polars\n\tat org.apache.spark..."
        )
    assert str(found.value) == "a Spark executor cannot import polars: the executors need Polars"
    with pytest.raises(ValueError), executor_failures():  # anything else is not hidden
        raise ValueError("a bug")


def test_the_engines() -> None:
    assert list(ENGINES) == ["polars", "spark"]
    assert ENGINES["spark"]().name == "spark"


def test_the_spark_engine_reads_its_own_data(tmp_path: Path) -> None:
    phase1 = tfrules.load("national.phase1")
    write_dataset(generate(5, seed=1), tmp_path)
    loaded = tfrules.load_data(phase1, tmp_path)
    with pytest.raises(TypeError, match=r"not data loaded by tfrules\.load_data"):
        tfrules.evaluate(phase1, loaded, "2014-01-01", engine="spark")


def test_spark_options_need_the_spark_engine(tmp_path: object) -> None:
    result = expect_exit(
        run("eval", "national.phase1", "--data", tmp_path, "--as-of", "2014-01-01",
            "--out", f"{tmp_path}/r.parquet", "--spark-master", "local[2]"),
        2,
    )  # fmt: skip
    assert "--spark-master is for --engine spark" in result.stderr
    result = expect_exit(
        run("eval", "national.phase1", "--data", tmp_path, "--as-of", "2014-01-01",
            "--out", f"{tmp_path}/r.csv", "--engine", "spark"),
        2,
    )  # fmt: skip
    assert "--engine spark writes Parquet" in result.stderr


def test_spark_reads_no_databases(tmp_path: object) -> None:
    result = expect_exit(
        run("eval", "national.phase1", "--data", tmp_path, "--as-of", "2014-01-01",
            "--out", f"{tmp_path}/r.parquet", "--engine", "spark",
            "--database", "housing=postgresql://reader@localhost/housing"),
        2,
    )  # fmt: skip
    assert "--database is for the polars engine: the Spark engine does not read databases" in (
        result.stderr
    )
    with pytest.raises(ValueError, match="the Spark engine does not read databases"):
        tfrules.evaluate(
            tfrules.load("national.phase1"), str(tmp_path), "2014-01-01", engine="spark",
            connections={"housing": "postgresql://reader@localhost/housing"},
        )  # fmt: skip
