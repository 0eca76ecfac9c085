"""tfrules: a declarative rules language and compiler for Troubled Families outcome criteria.

The Python API (see `tfrules.api`):

    import tfrules
    report = tfrules.check_files(["rules/"])           # every diagnostic of every file
    rules = tfrules.load("local.leeds.phase1")
    result = tfrules.evaluate(rules, "data/", as_of="2013-01-15")
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = (
    "CouncilError",
    "DataError",
    "DiffError",
    "OutputError",
    "RulesError",
    "RulesWarning",
    "RunResult",
    "check_files",
    "compile_plan",
    "diff",
    "evaluate",
    "explain",
    "household",
    "load",
    "load_data",
    "load_locals",
    "load_mapping",
    "mapping_for",
    "write_results",
)


def __getattr__(name: str) -> Any:
    """The API, imported on first use so that `import tfrules` stays light."""
    if name in _API:
        from tfrules import api

        # `tfrules.check` is the checker's package, so the function is check_files here
        return getattr(api, "check" if name == "check_files" else name)
    raise AttributeError(f"module 'tfrules' has no attribute {name!r}")


__all__ = ["__version__", *_API]
