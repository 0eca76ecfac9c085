"""What can stop a Spark run that is not a mistake in the rules or the data."""

from __future__ import annotations

import re

INSTALL_HINT = "pip install 'tfrules[spark]'"


class SparkRunError(Exception):
    """A Spark run that cannot go ahead (no pyspark, no Java, a location that
    cannot be read, executors without tfrules), said in plain words: an
    ordinary condition, not a bug."""


#: The last line of a Python traceback: the exception and its message.
_RAISED = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?(\w*(?:Error|Exception)): (.+)$")


def spark_words(error: BaseException) -> str:
    """The first line of Spark's own words for a failure (a Java failure's
    message, not the call that met it); for a failure in an executor's Python,
    the message of the Python exception."""
    java = getattr(error, "java_exception", None)
    text = str(java.getMessage() if java is not None else error).strip()
    if not text:
        return type(error).__name__
    if "Traceback (most recent call last)" in text:
        raised = [m.group(2) for m in map(_RAISED.match, text.splitlines()) if m]
        if raised:
            return raised[-1].strip()
    return text.splitlines()[0]
