"""The Spark session a run uses.

In a notebook or under `spark-submit` there is already an active session,
and the engine uses it as it is. Otherwise `spark_session` starts one, on the
cluster at `master` or in local mode (`local[*]`: every core of this
machine); a local session runs its Python workers with this very
interpreter, so they import the same tfrules and Polars.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from tfrules.run.spark.errors import INSTALL_HINT, SparkRunError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: The master of a session started here when none is given.
DEFAULT_MASTER = "local[*]"


def require_pyspark() -> None:
    """Raise SparkRunError, saying what to install, when pyspark is absent."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkRunError(f"the Spark engine needs pyspark: {INSTALL_HINT}") from None


def java_available() -> bool:
    """True when a Java runtime can be found (JAVA_HOME or `java` on the PATH)."""
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return True
    return shutil.which("java") is not None


def active_session() -> SparkSession | None:
    """The session already running in this process (a notebook's), if any."""
    require_pyspark()
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()


def spark_session(
    master: str | None = None, config: Mapping[str, str] | None = None
) -> SparkSession:
    """The active session (when `master` is None or is its master), or a new
    one on `master` (local mode by default) with the Spark settings `config`."""
    current = active_session()
    if current is not None and (master is None or current.sparkContext.master == master):
        return current
    if current is not None:
        raise SparkRunError(
            f"a Spark session on {current.sparkContext.master} is already running here; "
            f"it cannot also run on {master}"
        )
    chosen = master or DEFAULT_MASTER
    if chosen.startswith("local") and not java_available():
        raise SparkRunError(
            "Spark needs a Java runtime (17 or later) and none was found: install one "
            "(for example Debian's openjdk-17-jre-headless) or set JAVA_HOME"
        )
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(chosen)
        .appName("tfrules")
        # dates are days, never instants: no time zone may shift them
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
    )
    if chosen.startswith("local"):
        # local workers are started by pyspark from PYSPARK_PYTHON: this interpreter
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            # local mode runs everything in the driver's JVM: Spark's 1 GB is too little
            .config("spark.driver.memory", "4g")
        )
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as error:  # the JVM did not start: Java missing or broken
        raise SparkRunError(f"Spark could not start on {chosen}: {error}") from error
