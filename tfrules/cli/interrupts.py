"""Interrupts (Ctrl-C, SIGTERM) end a command cleanly: the temporary files of
the outputs being written are removed, one plain line says so, and the exit
code is 130 (SIGINT) or 143 (SIGTERM); never a Python traceback.

Python runs signal handlers in the main thread only, between two steps of
Python code, so a handler would wait for a long Polars query to finish. Long
work is therefore run in a worker thread (`in_worker`) while the main thread
waits, ready to act on a signal at once.

This module is imported before anything heavy, so keep its imports light.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import NoReturn, TypeVar

T = TypeVar("T")

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A signal asked the command to stop (a BaseException, so that nothing
    meant for errors catches it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def install() -> None:
    """Turn SIGINT and SIGTERM into `Interrupted` in the main thread (a
    signal ignored from the start, as for a background job, stays ignored)."""
    for signum in SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise)


def in_worker(work: Callable[[], T]) -> T:
    """`work()`, run in a worker thread while the main thread waits; its
    result is returned and its exception raised here."""
    if threading.current_thread() is not threading.main_thread():
        return work()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread as it is
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="tfrules-worker", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def exit_interrupted(exc: BaseException) -> NoReturn:
    """Remove what was being written, say so, and end the process at once
    (a worker may still be busy inside Polars)."""
    from tfrules.run.atomic import discard_pending

    written = discard_pending()
    if written:
        names = ", ".join(str(p) for p in written)
        message = f"interrupted: only {names} had been written; nothing else was"
    else:
        message = "interrupted: nothing written"
    code = exc.exit_code if isinstance(exc, Interrupted) else 128 + signal.SIGINT
    try:
        sys.stdout.flush()
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        # the last word: a worker cut short must not print after it
        silent = os.open(os.devnull, os.O_WRONLY)
        os.dup2(silent, 1)
        os.dup2(silent, 2)
    finally:
        os._exit(code)
