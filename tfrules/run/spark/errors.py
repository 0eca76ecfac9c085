"""What can stop a Spark run that is not a mistake in the rules or the data."""

from __future__ import annotations

INSTALL_HINT = "pip install 'tfrules[spark]'"


class SparkRunError(Exception):
    """A Spark run that cannot go ahead (no pyspark, no Java, a location that
    cannot be read, executors without tfrules), said in plain words: an
    ordinary condition, not a bug."""
