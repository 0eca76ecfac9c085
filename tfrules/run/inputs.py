"""Data files that cannot be read at all, found before the data is loaded.

A file that the file system refuses (no permission, a folder or a broken link
where a table's file should be) is an ordinary condition said in plain words
(exit 2); a file that opens but holds bad content is a data error, reported
by validation (exit 1).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from tfrules.run.atomic import reason
from tfrules.run.outputs import data_files


class InputError(Exception):
    """A data folder or file the file system will not let tfrules read."""


def check_readable(folder: Path, tables: Iterable[str]) -> None:
    """Raise InputError for the first table file under `folder` that exists
    but cannot be read (missing files are the loader's business)."""
    try:
        os.listdir(folder)
    except OSError as exc:
        raise InputError(f"cannot read the data folder {folder}: {reason(exc)}") from None
    for path in data_files(folder, tables):
        if not os.path.lexists(path):
            continue
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            if path.is_symlink():
                target = os.readlink(path)
                raise InputError(
                    f"cannot read {path}: it is a link to {target}, which cannot be found"
                ) from None
            raise InputError(f"cannot read {path}: {reason(exc)}") from None
        if stat.S_ISDIR(mode):
            raise InputError(f"cannot read {path}: it is a folder, not a data file")
        if not stat.S_ISREG(mode):
            raise InputError(f"cannot read {path}: it is not a regular file")
        try:
            with path.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            raise InputError(f"cannot read {path}: {reason(exc)}") from None
