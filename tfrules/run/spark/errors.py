"""What can stop a Spark run that is not a mistake in the rules or the data."""

from __future__ import annotations

INSTALL_HINT = "pip install 'tfrules[spark]'"


class SparkRunError(Exception):
    """A Spark run that cannot go ahead (no pyspark, no Java, a location that
    cannot be read, executors without tfrules), said in plain words: an
    ordinary condition, not a bug."""


def spark_words(error: BaseException) -> str:
    """The first line of Spark's own words for a failure (a Java failure's
    message, not the call that met it)."""
    java = getattr(error, "java_exception", None)
    text = str(java.getMessage() if java is not None else error).strip()
    return text.splitlines()[0] if text else type(error).__name__
