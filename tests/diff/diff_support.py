"""Shared by the tests of `tfrules diff`: the golden rules and data, running
the command in-process, and counting transitions the plain way from two
separate evaluations (the oracle the diff is held to)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import polars as pl
from typer.testing import CliRunner, Result

from tfrules.cli.main import app

HERE = Path(__file__).resolve().parent
GOLDEN_DATA = HERE / "data"
BASE_RULES = HERE / "rules" / "base" / "golden.tfr"
NEW_RULES = HERE / "rules" / "new" / "golden.tfr"
GOLDEN_AS_OF = "2014-03-31"


def run(*args: object) -> Result:
    """`tfrules ARGS...` in-process, on a wide terminal."""
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
    return runner.invoke(app, [str(a) for a in args])


def expect_exit(result: Result, code: int) -> Result:
    shown = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}\n{shown}")
    assert result.exit_code == code, f"exit code {result.exit_code}, wanted {code}\n{shown}"
    assert "Traceback" not in result.output, shown
    return result


def _word(value: object) -> str:
    return "unknown" if value is None else ("true" if value else "false")


def plain_transitions(
    before: pl.DataFrame, after: pl.DataFrame, key: str, council: str, rule: str
) -> dict[str, Counter[str]]:
    """For each council (and `all`), how many households moved from one value
    of `rule` to another, counted row by row from two separate evaluations."""
    moved: dict[str, Counter[str]] = {"all": Counter()}
    old = dict(zip(before[key].to_list(), before[rule].to_list(), strict=True))
    places = dict(zip(before[key].to_list(), before[council].to_list(), strict=True))
    for household, value in zip(after[key].to_list(), after[rule].to_list(), strict=True):
        was = old[household]
        if was == value:
            continue
        step = f"{_word(was)}->{_word(value)}"
        moved["all"][step] += 1
        moved.setdefault(places[household], Counter())[step] += 1
    return moved


def plain_totals(frame: pl.DataFrame, council: str, rule: str) -> dict[str, Decimal]:
    """The total of the known amounts of `rule`, per council and `all`, in Decimals."""
    totals: dict[str, Decimal] = {"all": Decimal(0)}
    for place, value in zip(frame[council].to_list(), frame[rule].to_list(), strict=True):
        totals.setdefault(place, Decimal(0))
        if value is not None:
            totals["all"] += Decimal(value)
            totals[place] += Decimal(value)
    return totals
