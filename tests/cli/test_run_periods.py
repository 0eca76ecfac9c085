"""`tfrules eval` and `explain` say plainly when the run date lies outside the
period the programme ran in (phase 2 before April 2015, DWP FMP after March
2015), and say nothing inside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import expect_exit, run

from tfrules.data.synth import generate_to_dir


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    generate_to_dir(200, 3, folder)
    return folder


@pytest.mark.parametrize(
    ("ruleset", "as_of", "words"),
    [
        ("national.phase2", "2014-06-30", "national.phase2 ran from 2015-04-01 to 2020-03-31"),
        ("national.dwp_fmp", "2016-01-15", "the run date 2016-01-15 is after it ended"),
        (
            "local.leeds.phase1",
            "2012-03-31",
            "local.leeds.phase1 ran from 2012-04-01 to 2015-03-31",
        ),
    ],
)
def test_eval_warns_outside_the_period(
    data: Path, tmp_path: Path, ruleset: str, as_of: str, words: str
) -> None:
    out = tmp_path / "out.parquet"
    result = expect_exit(
        run("eval", ruleset, "--data", data, "--as-of", as_of, "--out", out, "--quiet"), 0
    )
    flat = " ".join(result.stderr.split())
    assert "Warning:" in flat and words in flat, flat
    assert out.exists()  # the figures are still computed


def test_eval_inside_the_period_says_nothing(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    result = expect_exit(
        run("eval", "national.phase2", "--data", data, "--as-of", "2015-04-01", "--out", out), 0
    )
    assert "Warning" not in result.output


def test_explain_warns_outside_the_period(data: Path) -> None:
    import polars as pl

    household = pl.read_parquet(data / "households.parquet")["household_id"][0]
    result = expect_exit(
        run("explain", "national.phase2", "--data", data, "--as-of", "2014-06-30",
            "--household", household, "--rules", "identified"),
        0,
    )  # fmt: skip
    assert "before it began" in " ".join(result.stderr.split())
