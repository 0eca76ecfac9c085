"""Where a Spark run's data is: a folder of this machine, or elsewhere.

Kept apart, and light (the command line asks before it loads anything)."""

from __future__ import annotations

import re

#: A location with a scheme (s3a://, abfss://, dbfs:/), or of the Spark catalog.
_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def is_local_folder(data: str) -> bool:
    """True for a location that names a folder of this machine."""
    return not _REMOTE.match(data) or data.startswith("file:")
