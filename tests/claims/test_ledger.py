"""Turning payment_due into ledger rows: each kind's shortfall met in order, the
rows adding up to payment_due, what the cap or an overpayment holds back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from tfrules.claims.ledger import LedgerError, allocate, claimed_by_kind, ledger_rows
from tfrules.claims.schemes import PHASE1

DAY = dt.date(2015, 3, 31)
M = pl.Decimal(38, 2)


def _results(rows: list[dict]) -> pl.DataFrame:
    columns = ["attachment_fee", "education_crime_payment", "progress_payment"]
    columns += ["employment_payment", "already_claimed", "payment_due"]
    frame = pl.DataFrame(rows)
    return frame.with_columns(pl.col(c).cast(M) for c in columns)


def _household(hid, fee, edu, progress, job, claimed, due):
    return {
        "household_id": hid,
        "attached": True,
        "attachment_fee": Decimal(fee),
        "education_crime_payment": Decimal(edu),
        "progress_payment": Decimal(progress),
        "employment_payment": Decimal(job),
        "already_claimed": Decimal(claimed),
        "payment_due": Decimal(due),
    }


def _claims(rows: list[tuple]) -> pl.LazyFrame:
    return pl.LazyFrame(
        rows,
        schema={"household_id": pl.String, "claimed_on": pl.Date, "claim": pl.String, "amount": M},
        orient="row",
    )


def test_shortfalls_are_claimed_by_kind_and_add_up_to_payment_due() -> None:
    results = _results(
        [
            # nothing claimed yet: fee and both results
            _household("H1", 3200, 700, 100, 0, 0, 4000),
            # fee claimed before; now employment pays instead of the £700 claimed as results:
            # £800 short on employment, but only £100 is still due (the £700 counts)
            _household("H2", 3200, 0, 0, 800, 3900, 100),
            # the cap: £2,400 + £2,400 = £4,800, capped at £4,000
            _household("H3", 2400, 0, 0, 2400, 0, 4000),
            # claimed more than is due: nothing to pay, £700 overclaimed
            _household("H4", 0, 0, 0, 0, 700, 0),
        ]
    )
    claims = _claims(
        [
            ("H2", dt.date(2013, 1, 1), "attachment", Decimal(3200)),
            ("H2", dt.date(2014, 1, 1), "results", Decimal(700)),
            ("H4", dt.date(2014, 1, 1), "attachment", Decimal(700)),
            ("H4", dt.date(2016, 1, 1), "attachment", Decimal(9)),  # after the claim date
        ]
    )
    claimed = claimed_by_kind(claims, PHASE1, DAY, "household_id")
    done = allocate(results, claimed, PHASE1, "household_id", Decimal(4000))
    rows = {
        (r["household_id"], r["claim"]): r["amount"]
        for r in ledger_rows(done, PHASE1, "household_id", DAY).iter_rows(named=True)
    }
    assert rows == {
        ("H1", "attachment"): Decimal(3200),
        ("H1", "results"): Decimal(700),
        ("H1", "progress_to_work"): Decimal(100),
        ("H2", "employment"): Decimal(100),
        ("H3", "attachment"): Decimal(2400),
        ("H3", "employment"): Decimal(1600),
    }
    by = {r["household_id"]: r for r in done.iter_rows(named=True)}
    assert by["H2"]["held_back"] == Decimal(700)
    assert by["H3"]["held_back"] == Decimal(800)
    assert by["H3"]["claim:all"] == Decimal(4000)
    assert by["H4"]["overclaimed"] == Decimal(700)
    assert sum(rows.values()) == results["payment_due"].sum()


def test_a_ledger_that_disagrees_with_already_claimed_is_an_error() -> None:
    results = _results([_household("H1", 3200, 0, 0, 0, 100, 3100)])
    claimed = claimed_by_kind(_claims([]), PHASE1, DAY, "household_id")
    with pytest.raises(LedgerError, match="already_claimed"):
        allocate(results, claimed, PHASE1, "household_id", Decimal(4000))
