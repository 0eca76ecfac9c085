"""`tfrules report` and `tfrules demo`: the programme dashboard per council."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.cli.main import app
from tfrules.data.synth import generate_to_dir
from tfrules.report.dashboard import TOTAL, build_dashboard, to_markdown

RUNNER = CliRunner()
AS_OF = "2015-03-31"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    generate_to_dir(3_000, 7, folder)
    return folder


@pytest.fixture(scope="module")
def report(data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("report")
    local = bundled_rulesets_dir() / "local"
    result = RUNNER.invoke(
        app,
        ["report", "--data", str(data), "--as-of", AS_OF, "--local", str(local), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def test_report_writes_results_and_dashboard(report: tuple[Path, str]) -> None:
    out, _ = report
    for name in (
        "phase1.parquet",
        "phase2.parquet",
        "dwp.parquet",
        "savings.parquet",
        "dashboard.csv",
        "dashboard.md",
    ):
        assert (out / name).exists(), name


def test_every_household_once_in_every_programme(report: tuple[Path, str], data: Path) -> None:
    out, _ = report
    households = pl.read_parquet(data / "households.parquet")["household_id"].sort()
    for name in ("phase1", "phase2", "dwp"):
        result = pl.read_parquet(out / f"{name}.parquet")
        assert result["household_id"].to_list() == households.to_list(), name


def test_dashboard_figures_match_the_results(report: tuple[Path, str]) -> None:
    out, _ = report
    rows = {row["council"]: row for row in csv.DictReader((out / "dashboard.csv").open())}
    phase1 = pl.read_parquet(out / "phase1.parquet")
    assert int(rows[TOTAL]["households"]) == phase1.height
    assert int(rows[TOTAL]["identified"]) == int(phase1["identified"].sum())
    assert int(rows[TOTAL]["unknown"]) == phase1["identified"].null_count()
    assert int(rows[TOTAL]["turned around"]) == int(phase1["turned_around"].sum())
    leeds = phase1.filter(pl.col("la_code") == "E08000035")
    assert int(rows["Leeds (E08000035)"]["attached"]) == int(leeds["attached"].sum())
    total_fees = phase1["attachment_fee"].sum()
    assert rows[TOTAL]["P1 attachment fees"].replace(",", "") == f"{total_fees:.2f}"


def test_dashboard_cost_savings_match_the_results(report: tuple[Path, str]) -> None:
    out, output = report
    rows = {row["council"]: row for row in csv.DictReader((out / "dashboard.csv").open())}
    savings = pl.read_parquet(out / "savings.parquet")
    counted = savings.filter(pl.col("counted"))
    assert int(rows[TOTAL]["families attached"]) == int(savings["attached"].sum())
    assert int(rows[TOTAL]["families counted"]) == counted.height > 0
    assert rows[TOTAL]["gross saving"] == f"{counted['gross_saving'].sum():.2f}"
    assert rows[TOTAL]["net saving"] == ""  # no deadweight set: unknown, not £0
    assert "Cost savings" in output and "Gross savings by agency" in output
    assert "sets no deadweight" in output


def test_each_council_had_its_local_ruleset(report: tuple[Path, str]) -> None:
    out, _ = report
    phase1 = pl.read_parquet(out / "phase1.parquet")
    applied = dict(phase1.group_by("la_code").agg(pl.col("ruleset_applied").first()).iter_rows())
    assert applied["E08000035"] == "local.leeds.phase1"
    assert applied["E10000012"] == "local.essex.phase1"
    assert applied["E08000003"] == "national.phase1"  # Manchester has no local ruleset
    manchester = phase1.filter(pl.col("la_code") == "E08000003")
    assert manchester["local"].null_count() == manchester.height


def test_report_prints_the_dashboard(report: tuple[Path, str]) -> None:
    _, output = report
    assert "Programme dashboard, as of 2015-03-31" in output
    assert "Leeds" in output and "Leeds: E08000035" in output and TOTAL in output
    assert "Payments due" in output


def test_markdown_has_a_table_per_section(report: tuple[Path, str]) -> None:
    out, _ = report
    text = (out / "dashboard.md").read_text()
    assert text.startswith("# Programme dashboard")
    assert "## Phase 1" in text and "## Payments due" in text
    assert "| council | households |" in text


def test_dashboard_counts_overlap_with_dwp() -> None:
    phase1 = pl.LazyFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "la_code": ["E08000035"] * 3,
            "identified": [True, True, None],
            "attached": [True, False, True],
        }
    )
    dwp = pl.LazyFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "la_code": ["E08000035"] * 3,
            "eligible": [True, False, True],
            "attached": [True, True, True],
        }
    )
    board = build_dashboard(
        {"phase1": phase1, "dwp": dwp}, {"phase1": "p", "dwp": "d"}, ("health",)
    )
    total = board.table.filter(pl.col("council") == TOTAL).row(0, named=True)
    assert total["eligible for both"] == 1  # H1 only: H3's identification is unknown
    assert total["attached to both"] == 2
    assert total["unknown"] == 1
    assert "tables not supplied (facts drawn from them are unknown): health" in to_markdown(board)


def test_demo_runs_with_no_arguments_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = RUNNER.invoke(app, ["demo", "--households", "2000"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "tfrules-demo-output"
    assert (out / "dashboard.md").exists() and (out / "data" / "households.parquet").exists()
    assert (out / "dashboard.html").exists()
    assert "The dashboard as a web page (open it in a browser):" in result.output
    assert "dashboard.html" in result.output
    assert "demo finished" in result.output
    again = RUNNER.invoke(app, ["demo", "--households", "2000"])  # the data is reused
    assert again.exit_code == 0 and "generating" not in again.output
