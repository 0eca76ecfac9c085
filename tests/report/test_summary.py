"""The summary `tfrules eval` prints: an unknown amount is counted apart,
never added in as £0."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from tfrules import api
from tfrules.report.summary import summarise


def test_unknown_amounts_are_counted_apart_from_the_total():
    calculator = api.load("national.cost_savings")
    result = pl.LazyFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "la_code": ["E08000035", "E08000035", "E10000012"],
            "gross_saving": pl.Series(
                [Decimal("100.00"), None, Decimal("-40.50")], dtype=pl.Decimal(38, 2)
            ),
        }
    )
    summary = summarise(result, calculator, ["gross_saving"])
    rows = {row["group"]: row for row in summary.money.iter_rows(named=True)}
    assert rows["all councils"]["total"] == Decimal("59.50")
    assert rows["all councils"]["unknown"] == 1
    assert rows["E08000035"]["total"] == Decimal("100.00")
    assert rows["E08000035"]["unknown"] == 1
    assert rows["E10000012"]["unknown"] == 0
