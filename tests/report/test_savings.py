"""The cost savings figures of the dashboard (tfrules/report/savings.py):
sums over the families counted, unknown never read as £0, exact ratios."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from tfrules import api
from tfrules.report.dashboard import TOTAL, build_dashboard, cell, money_text, to_markdown
from tfrules.report.savings import AGENCIES, add_savings, build_savings, unset_unit_costs

LEEDS, ESSEX = "E08000035", "E10000012"
MONEY = pl.Decimal(38, 2)


def _results(net: list[str | None]) -> pl.LazyFrame:
    """Four households: H1 and H2 counted in Leeds, H3 attached but not counted
    in Leeds, H4 never attached in Essex."""
    gross = ["1000.00", "-250.50", None, None]
    columns: dict[str, pl.Series] = {
        "household_id": pl.Series(["H1", "H2", "H3", "H4"]),
        "la_code": pl.Series([LEEDS, LEEDS, LEEDS, ESSEX]),
        "attached": pl.Series([True, True, True, False]),
        "counted": pl.Series([True, True, False, False]),
        "gross_saving": pl.Series([_d(v) for v in gross], dtype=MONEY),
        "net_saving": pl.Series([_d(v) for v in net], dtype=MONEY),
        "intervention_cost": pl.Series([_d("500.00")] * 3 + [_d("0.00")], dtype=MONEY),
    }
    for agency, _ in AGENCIES:
        share = gross if agency == "police_justice" else ["0.00", "0.00", None, None]
        columns[f"{agency}_gross_saving"] = pl.Series([_d(v) for v in share], dtype=MONEY)
        nets = net if agency == "police_justice" else [None if net[0] is None else "0.00"] * 2
        columns[f"{agency}_net_saving"] = pl.Series(
            [_d(v) for v in [*nets[:2], None, None]], dtype=MONEY
        )
    return pl.DataFrame(columns).lazy()


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _row(table: pl.DataFrame, council: str) -> dict[str, object]:
    return table.filter(pl.col("council") == council).row(0, named=True)


@pytest.fixture(scope="module")
def calculator():
    return api.load("national.cost_savings")


def test_sums_are_over_the_families_counted(calculator):
    savings = build_savings(_results(["600.00", "-150.30", None, None]), calculator)
    leeds = _row(savings.table, "Leeds (E08000035)")
    assert leeds["families attached"] == 3
    assert leeds["families counted"] == 2
    assert leeds["not counted"] == 1
    assert leeds["gross saving"] == Decimal("749.50")
    assert leeds["net saving"] == Decimal("449.70")
    assert leeds["intervention cost"] == Decimal("1000.00")  # H3's is not counted
    assert leeds["police and justice gross"] == Decimal("749.50")
    assert leeds["gross per £1"] == Decimal("0.75")  # 749.50 / 1,000
    assert leeds["net per £1"] == Decimal("0.45")  # 449.70 / 1,000, to the penny
    total = _row(savings.table, TOTAL)
    assert total["families attached"] == 3 and total["families counted"] == 2
    assert savings.table["council"].to_list()[-1] == TOTAL


def test_an_unknown_net_saving_is_never_summed_as_zero(calculator):
    savings = build_savings(_results([None, None, None, None]), calculator)
    leeds = _row(savings.table, "Leeds (E08000035)")
    assert leeds["gross saving"] == Decimal("749.50")
    assert leeds["net saving"] is None
    assert leeds["net per £1"] is None
    assert leeds["police and justice net"] is None
    assert any("sets no deadweight" in note for note in savings.notes)


def test_a_council_with_no_family_counted_has_saved_nothing_yet(calculator):
    savings = build_savings(_results(["600.00", "-150.30", None, None]), calculator)
    essex = _row(savings.table, "Essex (E10000012)")
    assert essex["families attached"] == 0 and essex["families counted"] == 0
    assert essex["gross saving"] == Decimal(0)
    assert essex["gross per £1"] is None  # no intervention to divide by


def test_notes_name_the_unit_costs_a_council_must_set(calculator):
    unset = unset_unit_costs(calculator)
    assert "asb_incident_cost" in unset and "deadweight" in unset
    assert "custody_week_cost" not in unset and "comparison_window" not in unset
    what_if = api.load("national.cost_savings", params=["deadweight=30%", "asb_incident_cost=£90"])
    assert "deadweight" not in unset_unit_costs(what_if)
    assert "asb_incident_cost" not in unset_unit_costs(what_if)
    notes = build_savings(_results([None] * 4), what_if).notes
    assert not any("sets no deadweight" in note for note in notes)


def test_the_dashboard_gets_the_savings_sections(calculator):
    phase1 = pl.LazyFrame(
        {
            "household_id": ["H1", "H2", "H3", "H4"],
            "la_code": [LEEDS, LEEDS, LEEDS, ESSEX],
            "identified": [True, False, None, True],
        }
    )
    board = build_dashboard({"phase1": phase1}, {"phase1": "national.phase1"})
    board = add_savings(board, build_savings(_results([None] * 4), calculator))
    assert "Cost savings" in board.sections and "Gross savings by agency" in board.sections
    leeds = _row(board.table, "Leeds (E08000035)")
    assert leeds["identified"] == 1 and leeds["families counted"] == 2
    assert cell(board, "net saving", leeds["net saving"]) == "unknown"
    assert cell(board, "gross saving", leeds["gross saving"]) == "£749.50"
    text = to_markdown(board)
    assert "## Cost savings" in text and "| unknown |" in text
    assert "sets no deadweight, so net savings are unknown" in text


def test_amounts_below_zero_read_as_amounts():
    assert money_text(Decimal("-18916.40")) == "-£18,916.40"
    assert money_text(Decimal("-750")) == "-£750"
    assert money_text(Decimal("1447200")) == "£1,447,200"
