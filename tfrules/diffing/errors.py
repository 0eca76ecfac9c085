"""The error of a diff that cannot be made."""

from __future__ import annotations


class DiffError(ValueError):
    """Two versions that cannot be compared (they read different data), or a
    revision that cannot be read; the message says why in plain words."""
