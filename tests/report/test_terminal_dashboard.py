"""The printed dashboard reads at 80 columns and wider: no heading or name is cut."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from rich.console import Console

from tfrules.report.dashboard import COUNTS, MONEY, TOTAL, build_dashboard
from tfrules.report.terminal import dashboard_tables, short_council

COUNCILS = ["E09000002", "E08000021", "E08000035", "E10000008", "E08000003", "E99999999"]


def _dashboard():
    households = [f"H{i}" for i in range(60)]
    councils = [COUNCILS[i % len(COUNCILS)] for i in range(60)]
    flags = [i % 3 == 0 for i in range(60)]
    money = [Decimal("1234567.50") if i % 7 == 0 else Decimal(0) for i in range(60)]
    phase1 = pl.LazyFrame(
        {
            "household_id": households,
            "la_code": councils,
            **{
                rule: flags
                for rule in (
                    "identified",
                    "attached",
                    "turned_around",
                    "education_result",
                    "crime_asb_result",
                    "employment_result",
                    "progress_to_work",
                )
            },
            **{
                rule: pl.Series(money, dtype=pl.Decimal(38, 2))
                for rule in ("attachment_fee", "results_payment", "payment_due", "overclaimed")
            },
        }
    )
    phase2 = pl.LazyFrame(
        {
            "household_id": households,
            "la_code": councils,
            "identified": flags,
            "attached": flags,
            "significant_progress": flags,
            "attachment_fee": pl.Series(money, dtype=pl.Decimal(38, 2)),
            "results_payment": pl.Series(money, dtype=pl.Decimal(38, 2)),
            "payment_due": pl.Series(money, dtype=pl.Decimal(38, 2)),
        }
    )
    dwp = pl.LazyFrame(
        {
            "household_id": households,
            "la_code": councils,
            "eligible": flags,
            "attached": flags,
            "job_outcome": flags,
        }
    )
    return build_dashboard({"phase1": phase1, "phase2": phase2, "dwp": dwp}, {})


@pytest.mark.parametrize("width", [80, 120])
def test_dashboard_reads_at_this_width(width: int) -> None:
    dashboard = _dashboard()
    terminal = Console(width=width, record=True, color_system=None)
    for renderable in dashboard_tables(dashboard, width):
        terminal.print(renderable)
    text = terminal.export_text()
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    assert "…" not in text
    words = set(text.split())
    for _, heading, _, _ in [*COUNTS, *MONEY]:
        for word in heading.split():
            assert word in words, (heading, word)
    for name in ("Barking and Dagenham", "Newcastle upon Tyne", "Leeds", "Devon", TOTAL):
        assert any(name in line for line in lines), name
    assert "E99999999" in words  # a council with no known name keeps its code
    assert "£1,234,567.50" in text  # amounts are whole, never cut


def test_wide_terminal_needs_fewer_tables() -> None:
    dashboard = _dashboard()
    assert len(dashboard_tables(dashboard, 200)) < len(dashboard_tables(dashboard, 60))


def test_short_council_names() -> None:
    assert short_council("Leeds (E08000035)") == "Leeds"
    assert short_council("E99999999") == "E99999999"
    assert short_council(TOTAL) == TOTAL
