"""`tfrules report`: overclaims per council, councils without a local ruleset,
a run date per programme with warnings outside a programme's period, and the
results per household as CSV or Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tfrules.cli.main import app
from tfrules.data.synth import generate_to_dir
from tfrules.report.dashboard import TOTAL, build_dashboard, to_csv, to_markdown
from tfrules.report.run_dates import RunDateError, parse_run_dates

RUNNER = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
LEEDS_ONLY = """\
ruleset local.testshire.phase1 "Test: a local criterion for Leeds"
    extends national.phase1
    applies to E08000035, E08000025

criterion local "A member with a proven offence in the last 12 months"
    = any member has offences where proven, in the last 12 months
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    generate_to_dir(1_500, 11, folder)
    return folder


@pytest.fixture(scope="module")
def report(data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Phase 2 at a date before it began; Leeds alone has a local ruleset
    (phase 1), which also names Birmingham, a council with no household in the
    data; the results as CSV."""
    out = tmp_path_factory.mktemp("report")
    rules = tmp_path_factory.mktemp("rules")
    (rules / "leeds.tfr").write_text(LEEDS_ONLY, encoding="utf-8")
    result = RUNNER.invoke(
        app,
        [
            "report", "--data", str(data), "--as-of", "2015-03-31",
            "--as-of", "phase2=2014-06-30", "--local", str(rules), "--out", str(out),
            "--format", "csv",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out, result.output


def _dashboard_rows(out: Path) -> dict[str, dict[str, str]]:
    return {row["council"]: row for row in csv.DictReader((out / "dashboard.csv").open())}


def test_results_per_household_as_csv(report: tuple[Path, str], data: Path) -> None:
    out, _ = report
    assert not list(out.glob("*.parquet"))
    households = pl.read_parquet(data / "households.parquet").height
    for programme in ("phase1", "phase2", "dwp"):
        frame = pl.read_csv(out / f"{programme}.csv", infer_schema=False)
        assert frame.height == households, programme


def test_overclaims_per_council_match_the_results(report: tuple[Path, str]) -> None:
    out, output = report
    rows = _dashboard_rows(out)
    phase1 = pl.read_csv(out / "phase1.csv", schema_overrides={"overclaimed": pl.Decimal(38, 2)})
    over = phase1.filter(pl.col("overclaimed") > 0)
    assert over.height > 0, "the synthetic ledger has overclaims"
    assert int(rows[TOTAL]["P1 families overclaimed"]) == over.height
    assert rows[TOTAL]["P1 overclaimed"] == f"{over['overclaimed'].sum():.2f}"
    leeds = over.filter(pl.col("la_code") == "E08000035")
    assert int(rows["Leeds (E08000035)"]["P1 families overclaimed"]) == leeds.height
    # headings wrap between words on the terminal, so they are read apart
    assert "Overclaims" in output and "overclaimed" in output
    assert "## Overclaims" in (out / "dashboard.md").read_text()


def test_councils_without_a_local_ruleset_are_named(report: tuple[Path, str]) -> None:
    out, output = report
    rows = _dashboard_rows(out)
    assert rows["Leeds (E08000035)"]["P1 local ruleset"] == "local.testshire.phase1"
    assert rows["Manchester (E08000003)"]["P1 local ruleset"] == "none"
    assert rows["Essex (E10000012)"]["P2 local ruleset"] == "none"
    assert rows[TOTAL]["P1 local ruleset"] == "1 of 6 councils"
    assert rows[TOTAL]["P2 local ruleset"] == "0 of 6 councils"
    assert "FMP local ruleset" not in rows[TOTAL]  # DWP's rules leave nothing to councils
    markdown = (out / "dashboard.md").read_text()
    for text in (output, markdown):
        flat = " ".join(text.split())
        assert "national.phase1: no local ruleset for 5 council(s)" in flat
        assert "Manchester (E08000003)" in flat and "Devon (E10000008)" in flat


def test_a_local_ruleset_for_a_council_with_no_households_is_warned_about(
    report: tuple[Path, str],
) -> None:
    out, output = report
    expected = (
        "local.testshire.phase1 applies to Birmingham (E08000025), but no household in "
        "the data has the council code E08000025"
    )
    assert expected in " ".join(output.split())
    assert expected in " ".join((out / "dashboard.md").read_text().split())


def test_a_run_date_outside_a_programme_is_warned_about(report: tuple[Path, str]) -> None:
    out, output = report
    flat = " ".join(output.split())
    assert "Warning: national.phase2 ran from 2015-04-01 to 2020-03-31" in flat
    assert "the run date 2014-06-30 is before it began" in flat
    assert "national.phase1 ran from" not in flat  # 2015-03-31 is its last day
    markdown = (out / "dashboard.md").read_text()
    assert "**Warning:** national.phase2 ran from 2015-04-01" in markdown
    assert "- phase2: `national.phase2`, as of 2014-06-30" in markdown
    rows = _dashboard_rows(out)
    assert rows[TOTAL]["P2 as of"] == "2014-06-30 (outside the programme's period)"
    assert rows[TOTAL]["P1 as of"] == "2015-03-31"


def test_each_programme_is_run_at_its_own_date(report: tuple[Path, str], data: Path) -> None:
    out, _ = report
    from tfrules import api

    rules = api.load("national.dwp_fmp")
    dataset = api.load_data(rules, data)
    expected = api.evaluate(rules, dataset, as_of="2015-03-31", rules=["eligible"])
    got = pl.read_csv(out / "dwp.csv", columns=["household_id", "eligible"])
    assert got["eligible"].to_list() == expected.sort("household_id")["eligible"].to_list()
    phase2 = api.load("national.phase2")
    dataset2 = api.load_data(phase2, data)
    expected2 = api.evaluate(phase2, dataset2, as_of="2014-06-30", rules=["identified"])
    got2 = pl.read_csv(out / "phase2.csv", columns=["household_id", "identified"])
    assert got2["identified"].to_list() == expected2.sort("household_id")["identified"].to_list()


def test_results_as_an_excel_workbook(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "xlsx"
    result = RUNNER.invoke(
        app,
        ["report", "--data", str(data), "--as-of", "2015-03-31", "--out", str(out),
         "--format", "xlsx"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "dashboard.csv", "dashboard.md", "dwp.xlsx", "phase1.xlsx", "phase2.xlsx",
        "savings.xlsx",
    ]  # fmt: skip
    workbook = pl.read_excel(out / "phase1.xlsx", sheet_name="results")
    households = pl.read_parquet(data / "households.parquet").height
    assert workbook.height == households
    assert {"identified", "local_at_attachment", "payment_due", "overclaimed"} <= set(
        workbook.columns
    )


def test_bad_run_dates_are_usage_errors(data: Path, tmp_path: Path) -> None:
    for args, words in (
        (["--as-of", "phase3=2015-03-31", "--as-of", "2015-03-31"], "no programme 'phase3'"),
        (["--as-of", "phase2=2015-13-01"], "not a date"),
        (["--as-of", "phase2=2016-03-31"], "no run date for phase1"),
        (["--as-of", "2015-03-31", "--as-of", "2016-03-31"], "two dates"),
    ):
        result = RUNNER.invoke(
            app, ["report", "--data", str(data), "--out", str(tmp_path / "x"), *args]
        )
        assert result.exit_code == 2, result.output
        assert words in result.output, result.output
        assert "Traceback" not in result.output


def test_parse_run_dates() -> None:
    programmes = ("phase1", "phase2", "dwp")
    day, later = dt.date(2015, 3, 31), dt.date(2016, 3, 31)
    assert parse_run_dates(["2015-03-31"], programmes) == dict.fromkeys(programmes, day)
    assert parse_run_dates(["phase2=2016-03-31", "2015-03-31"], programmes) == {
        "phase1": day, "phase2": later, "dwp": day,
    }  # fmt: skip
    every = ["phase1=2015-03-31", "phase2=2016-03-31", "dwp=2015-03-31"]
    assert parse_run_dates(every, programmes)["phase2"] == later
    with pytest.raises(RunDateError, match="two dates"):
        parse_run_dates(["phase2=2016-03-31", "phase2=2016-04-01", "2015-03-31"], programmes)


def test_dashboard_without_run_data_keeps_its_old_shape() -> None:
    """Built from results alone (no dates, no local rulesets asked for), the
    dashboard has no warning and no local section; its CSV is the table."""
    phase1 = pl.LazyFrame(
        {
            "household_id": ["H1", "H2"],
            "la_code": ["E08000035"] * 2,
            "identified": [True, False],
            "overclaimed": pl.Series([1.5, 0.0]).cast(pl.Decimal(38, 2)),
        }
    )
    board = build_dashboard({"phase1": phase1}, {"phase1": "national.phase1"})
    assert "Local rulesets" not in board.sections and not board.warnings
    text = to_csv(board)
    header = next(csv.reader(io.StringIO(text)))
    assert header == [
        "council", "households", "identified", "unknown", "P1 families overclaimed",
        "P1 overclaimed",
    ]  # fmt: skip
    assert "Warning" not in to_markdown(board)
