"""Shared by the command-line tests: running `tfrules` in-process, small
synthetic data sets, tiny rule files and reading the printed summary tables."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import polars as pl
from typer.testing import CliRunner, Result

from tfrules.cli.main import app
from tfrules.data.synth import generate, write_dataset

AS_OF = "2013-01-15"
LEEDS = "E08000035"
REPO = Path(__file__).resolve().parents[2]
HOUSEHOLDS = 2_000
SEED = 2012

#: A local ruleset for Leeds whose criterion is easy to recompute by hand.
LOCAL_LEEDS = """\
ruleset local.testshire.phase1 "Test: a local criterion for Leeds"
    extends national.phase1
    applies to E08000035

criterion local "A member with a proven offence in the last 12 months"
    = any member has offences where proven, in the last 12 months
"""

#: A second local ruleset for the same council: the two cannot run together.
LOCAL_LEEDS_AGAIN = """\
ruleset local.othershire.phase1 "Test: another local criterion for Leeds"
    extends national.phase1
    applies to E08000035

criterion local "A member with an anti-social behaviour record"
    = any member has asb
"""

#: A ruleset with a mistake in it (a misspelt column on line 6).
BROKEN = """\
ruleset local.broken.phase1 "Test: a mistake"
    extends national.phase1
    applies to E08000035

criterion local "A member with a proven offence"
    = any member has offences where provn

test "never run"
    as of 2013-01-15
    household H1: la_code E08000035
        member A born 1980-05-01
    expect local = true
"""


def run(*args: object, env: Mapping[str, str] | None = None) -> Result:
    """`tfrules ARGS...` in-process; a wide terminal so tables are not folded."""
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", **(env or {})})
    return runner.invoke(app, [str(a) for a in args])


def expect_exit(result: Result, code: int) -> Result:
    """The exit code, and no Python exception escaped the command."""
    shown = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}\n{shown}")
    assert result.exit_code == code, f"exit code {result.exit_code}, wanted {code}\n{shown}"
    assert "Traceback" not in result.output, shown
    return result


def synth_tables(households: int = HOUSEHOLDS, seed: int = SEED) -> dict[str, pl.DataFrame]:
    return generate(households, seed=seed)


def write_tables(tables: Mapping[str, pl.DataFrame], folder: Path, fmt: str = "parquet") -> Path:
    write_dataset(dict(tables), folder, format=fmt)
    return folder


def write_rules(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the box-drawn tables printed by Rich, as lists of cells."""
    rows = []
    for line in text.splitlines():
        if line.startswith("│") and line.endswith("│"):
            rows.append([cell.strip() for cell in line.strip("│").split("│")])
    return rows


def summary_row(text: str, council: str, rule: str) -> list[str]:
    """The cells after council and rule of the summary row for (council, rule)."""
    found = [r[2:] for r in table_rows(text) if council in r[0] and r[1] == rule]
    assert len(found) == 1, f"no single summary row for {council} / {rule} in:\n{text}"
    return found[0]


def number(cell: str) -> int:
    return int(cell.replace(",", ""))


def counts(frame: pl.DataFrame, rule: str) -> list[int]:
    """[true, false, unknown] households for a criterion column."""
    column = frame[rule]
    return [int(column.sum()), int((~column).sum()), column.null_count()]
