"""Pausing Python's cycle collector while rules are parsed and checked.

Parsing and checking make tens of thousands of small objects and no cycles;
the collections those allocations set off scan every object alive, and took
as long as the parsing itself in a large file. The collector runs again as
usual afterwards.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
