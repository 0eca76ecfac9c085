"""Helpers shared by the checker tests: write rule files to a folder and check it."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from pathlib import Path

from tfrules.check import CheckReport, check_paths
from tfrules.diagnostics import Diagnostic

#: The first lines of a council's ruleset built on the national one (rules start on line 4).
LOCAL_HEADER = 'ruleset local.test "Test"\n    extends national.phase1\n\n'


def tfr(text: str) -> str:
    """A rule file written indented in a test, with the indentation and the
    leading newline removed."""
    return textwrap.dedent(text).lstrip("\n")


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def check_files(folder: Path, files: Mapping[str, str | bytes]) -> CheckReport:
    """Write `files` into `folder` and check the folder, as `tfrules check FOLDER` does."""
    write_files(folder, files)
    return check_paths([folder])


def check_local(folder: Path, rules: str) -> CheckReport:
    """Check `rules` as the body of a council ruleset that extends national.phase1."""
    return check_files(folder, {"local.tfr": LOCAL_HEADER + tfr(rules)})


def where(diagnostic: Diagnostic) -> tuple[str, str, int, int]:
    """A diagnostic's code, file name (without folders), line and column."""
    span = diagnostic.span
    return (diagnostic.code, Path(span.file).name, span.line, span.column)


def summary(report: CheckReport) -> list[str]:
    """Every diagnostic of a report on one line each, for assertion messages."""
    return [
        f"{Path(d.span.file).name}:{d.span.line}:{d.span.column}: "
        f"{d.severity.value}[{d.code}] {d.message} (hint: {d.hint})"
        for d in report.diagnostics
    ]


SOURCE_ROOT = Path(__file__).resolve().parents[2] / "tfrules"


def codes_in_source() -> set[str]:
    """Every diagnostic code written in tfrules' own source (`"E101"`, `"W001"`)."""
    found: set[str] = set()
    for path in SOURCE_ROOT.rglob("*.py"):
        found.update(re.findall(r"\"([EW]\d{3})\"", path.read_text(encoding="utf-8")))
    return found
