"""Writing a folder of outputs all or nothing: every file is written into a
staging folder beside the output folder, then each is moved into place with an
atomic rename, so a run that fails leaves the output folder as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputError(Exception):
    """The output folder cannot be written (not a folder, not writable)."""


@contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Yield a staging folder; on success move what it holds into `out`."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part"))
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {exc.strerror or exc}") from None
    try:
        yield staging
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                target = out / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    except OSError as exc:
        raise OutputError(
            f"cannot write into {out}: {exc.strerror or exc} ({exc.filename})"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
