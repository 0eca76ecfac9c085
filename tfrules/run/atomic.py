"""Every file tfrules writes is written here: into a temporary folder beside
its target first, then renamed into place, so a failure (a full disk, a
read-only folder, an interrupt) never leaves a half-written file, and an
existing file is never truncated.

The temporary folders are hidden (`.NAME.XXXX.part`) and registered while
they exist, so that an interrupted command can remove them
(`discard_pending`) even while a worker is still writing into one. A file is
written inside its own folder rather than as a temporary file: a Polars sink
can still open its file just after its query has failed, and it cannot create
one in a folder that is gone.

A set of files that belongs together (a report, a synthetic data set) is
written into one temporary folder and moved into place only when every file
is complete (`staged_folder`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

#: Polars reports operating-system failures inside its own errors, as "(os error 28)".
_OS_ERROR = re.compile(r"\(os error (\d+)\)")
_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}

_pending: set[Path] = set()
_committed: list[Path] = []
_discarded = False
#: held while a file or set is moved into place, and while pending folders are discarded
_lock = threading.RLock()


class OutputError(Exception):
    """An output that cannot be written: an ordinary condition (a read-only
    folder, a full disk, a name that is too long), said in plain words."""


def reason(exc: BaseException) -> str:
    """The operating system's words for why a file operation failed."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    found = _OS_ERROR.search(str(exc))
    if found:
        return os.strerror(int(found[1]))
    return str(exc)


def is_os_failure(exc: BaseException) -> bool:
    """True for a failure of the file system, raised directly or inside a Polars error."""
    return isinstance(exc, OSError) or bool(_OS_ERROR.search(str(exc)))


def _register(folder: Path) -> None:
    with _lock:
        if _discarded:  # an interrupt came first: this folder must not outlive it
            shutil.rmtree(folder, ignore_errors=True)
            raise OutputError("interrupted")
        _pending.add(folder)


def _remove(folder: Path) -> None:
    """Remove a temporary folder, again if a late writer recreated something in it."""
    for _ in range(20):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            break
        time.sleep(0.05)
    with _lock:
        _pending.discard(folder)


def discard_pending() -> list[Path]:
    """After an interrupt: remove every temporary folder still in use (a move
    into place under way is let finish first), make any later one fail, and
    return the outputs already moved into place."""
    global _discarded
    with _lock:
        _discarded = True
        for folder in list(_pending):
            _remove(folder)
        return list(_committed)


def pending() -> list[Path]:
    """The temporary folders in use now (for tests)."""
    with _lock:
        return sorted(_pending)


def _commit(move: Callable[[], None], target: Path) -> None:
    """Move an output into place, unless an interrupt has discarded it.

    In the main thread the interrupt signals are held back meanwhile (their
    handlers run in the main thread, between two renames otherwise); a
    worker's move is waited for by `discard_pending`, through the lock."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    try:
        with _lock:
            if _discarded:
                raise OutputError("interrupted")
            move()
            _committed.append(target)
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)


@contextlib.contextmanager
def temporary_folder(target: Path) -> Iterator[Path]:
    """A new hidden folder beside `target` (whose missing parent folders are
    created), removed afterwards whatever happens."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # a short prefix: the target's own name may be as long as a name can be
        name = target.name[:40]
        folder = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{name}.", suffix=".part"))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {reason(exc)}") from None
    _register(folder)
    try:
        yield folder
    finally:
        _remove(folder)


def write_file(target: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Write `target` by calling `write(path)` on a temporary path beside it,
    then rename it into place; returns the target.

    Raises OutputError when the file system refuses (the target is left as it
    was); any other failure of `write` is raised as it is.
    """
    target = Path(target)
    with temporary_folder(target) as folder:
        temporary = folder / target.name
        try:
            write(temporary)
            _commit(lambda: os.replace(temporary, target), target)
        except Exception as exc:
            if is_os_failure(exc):
                raise OutputError(f"cannot write {target}: {reason(exc)}") from None
            raise
    return target


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write text (UTF-8) atomically."""
    return write_file(target, lambda path: path.write_text(text, encoding="utf-8"))


def replace_text(target: str | os.PathLike[str], text: str) -> Path:
    """Rewrite an existing file (a rule file) atomically, keeping its
    permissions; a link is followed, so the link stays a link."""
    real = Path(target).resolve()

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")
        shutil.copymode(real, path)

    return write_file(real, write)


@contextlib.contextmanager
def staged_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary folder to write a set of files into; when the block ends
    without an error, the files are moved into `folder` (created if needed),
    and otherwise none of them is."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: it is a file, not a folder")
    with temporary_folder(folder) as stage:
        try:
            yield stage
        except Exception as exc:
            if is_os_failure(exc):
                raise OutputError(f"cannot write into {folder}: {reason(exc)}") from None
            raise
        _move_into(stage, folder)


def _move_into(stage: Path, folder: Path) -> None:
    """Move the files of `stage` into `folder` as one step: an interrupt
    waits for the move (see `discard_pending`), so the set arrives whole."""

    def move() -> None:
        if not folder.exists():
            os.rename(stage, folder)
            return
        for name in sorted(p.name for p in stage.iterdir()):
            source, target = stage / name, folder / name
            if source.is_dir() and target.is_dir():
                # a folder of the set replaces the one there whole; the old one
                # goes into the stage, which is removed afterwards
                os.rename(target, stage / f".{name}.replaced")
            os.replace(source, target)

    try:
        _commit(move, folder)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {reason(exc)}") from None
