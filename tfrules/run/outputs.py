"""Where a run may write, checked before anything is computed.

An output must not be an input of the same run (a data table, or a file
under the data folder with a table's name, which the next run would read as
data), must not be an existing folder when it is a file or an existing file
when it is a folder, and must not lie under a file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tfrules.run.atomic import OutputError, reason

#: The suffixes a data table's file may have (see tfrules.data.load).
DATA_SUFFIXES = (".parquet", ".csv")


def data_files(folder: Path, tables: Iterable[str]) -> list[Path]:
    """Every name under a data folder that a table would be read from."""
    return [folder / f"{table}{suffix}" for table in tables for suffix in DATA_SUFFIXES]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _file_above(path: Path) -> Path | None:
    """The nearest existing parent of `path` that is not a folder, if any."""
    for parent in _real(path).parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def check_output_file(
    out: Path,
    *,
    data: Path | None = None,
    tables: Iterable[str] = (),
    inputs: Iterable[Path] = (),
) -> None:
    """Refuse an output file that would overwrite an input of the run or
    cannot be a file (raises OutputError with the reason)."""
    try:
        _check_file(out, data, tables, inputs)
    except OSError as exc:  # a name too long, a folder that cannot be looked into
        raise OutputError(f"cannot write {out}: {reason(exc)}") from None


def _check_file(
    out: Path, data: Path | None, tables: Iterable[str], inputs: Iterable[Path]
) -> None:
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give the name of a file to write")
    above = _file_above(out)
    if above is not None:
        raise OutputError(f"cannot write {out}: {above} is a file, not a folder")
    target = _real(out)
    for path in inputs:
        if _real(path) == target:
            raise OutputError(
                f"{out} is one of the files this run reads; write the results somewhere else"
            )
    if data is not None:
        for path in data_files(data, tables):
            if _real(path) == target:
                raise OutputError(
                    f"{out} is where the {path.stem} table of {data} is read from; "
                    "write the results somewhere else"
                )


def check_output_folder(
    out: Path,
    *,
    names: Iterable[str],
    data: Path | None = None,
    tables: Iterable[str] = (),
    inputs: Iterable[Path] = (),
) -> None:
    """Refuse an output folder that is a file, or whose files (`names`) would
    overwrite an input of the run."""
    try:
        is_file = out.exists() and not out.is_dir()
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {reason(exc)}") from None
    if is_file:
        raise OutputError(f"{out} is a file; give a folder to write into")
    above = _file_above(out)
    if above is not None:
        raise OutputError(f"cannot write into {out}: {above} is a file, not a folder")
    for name in names:
        check_output_file(out / name, data=data, tables=tables, inputs=inputs)
