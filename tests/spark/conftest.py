"""One Spark session in local mode for every Spark test, and small synthetic
data sets on disk (Parquet, as Spark reads them).

Without pyspark or Java the tests are skipped with the reason on this
machine, and fail in CI (.ci/run installs both and sets TFRULES_CI), so
they are never skipped silently where they must run."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tfrules.data.synth import generate, write_dataset

# the command-line tests' helpers (running tfrules in-process)
CLI_TESTS = Path(__file__).resolve().parents[1] / "cli"
if str(CLI_TESTS) not in sys.path:
    sys.path.insert(0, str(CLI_TESTS))

HOUSEHOLDS = 300
SEED = 15


def _unavailable(reason: str) -> None:
    if os.environ.get("TFRULES_CI"):
        pytest.fail(f"the Spark tests cannot run: {reason}")
    pytest.skip(f"the Spark tests need {reason}")


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _unavailable("pyspark (pip install '.[test,spark]')")
    from tfrules.run.spark.session import java_available, spark_session

    if not java_available():
        _unavailable("a Java runtime (Debian's openjdk-17-jre-headless, or JAVA_HOME)")
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = spark_session(
        "local[2]",
        {
            "spark.sql.warehouse.dir": warehouse.as_uri(),
            "spark.default.parallelism": "2",
            "spark.sql.shuffle.partitions": "2",
        },
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table of the data model, for a few hundred households."""
    folder = tmp_path_factory.mktemp("synthetic")
    write_dataset(generate(HOUSEHOLDS, seed=SEED), folder, format="parquet")
    return folder
