"""The claim return over synthetic data: the new rows add up to payment_due,
running again after appending them claims nothing twice, the reasons a family
cannot claim yet name the missing data, and the audit sample is reproducible."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from tfrules import api
from tfrules.claims import SchemeError, make_claims
from tfrules.claims.audit_sample import SampleSize, draw_sample
from tfrules.claims.claim_return import CLAIMED, NOT_YET, OVERCLAIMED, load_claims_data
from tfrules.claims.reasons import NO_LOCAL, missing_text

DAY = dt.date(2015, 3, 31)


@pytest.fixture(scope="module")
def claim(synthetic: Path, phase1, phase1_locals):
    dataset = load_claims_data([phase1, *phase1_locals], synthetic)
    return make_claims(phase1, dataset, DAY, local=phase1_locals)


def test_new_rows_add_up_exactly_to_payment_due(claim) -> None:
    assert claim.ledger.columns == ["household_id", "claimed_on", "claim", "amount"]
    assert claim.ledger.height > 0
    per_household = claim.ledger.group_by("household_id").agg(pl.col("amount").sum())
    due = claim.results.select("household_id", "payment_due").join(
        per_household, on="household_id", how="left"
    )
    assert (due["payment_due"] == due["amount"].fill_null(0)).all()
    assert claim.ledger["amount"].sum() == claim.results["payment_due"].sum()
    assert set(claim.ledger["claimed_on"].to_list()) == {DAY}
    assert set(claim.ledger["claim"]) <= {"attachment", "results", "progress_to_work", "employment"}


def test_claiming_again_after_appending_the_rows_claims_nothing(
    claim, synthetic: Path, tmp_path: Path, phase1, phase1_locals
) -> None:
    data = tmp_path / "data"
    shutil.copytree(synthetic, data)
    ledger = pl.read_parquet(data / "claims.parquet")
    appended = pl.concat([ledger, claim.ledger.select(ledger.columns).cast(ledger.schema)])
    appended.write_parquet(data / "claims.parquet")
    again = make_claims(
        phase1, load_claims_data([phase1, *phase1_locals], data), DAY, local=phase1_locals
    )
    assert again.ledger.height == 0
    assert again.results["payment_due"].sum() == 0
    # what was already owed back is still owed back, no more and no less
    before = claim.lines.filter(pl.col("status") == OVERCLAIMED)["amount"].sum()
    after = again.lines.filter(pl.col("status") == OVERCLAIMED)["amount"].sum()
    assert before == after


def test_every_claimed_family_is_in_a_council_return(claim) -> None:
    claimed = claim.lines.filter(pl.col("status") == CLAIMED)
    assert claimed["amount"].sum() == claim.ledger["amount"].sum()
    assert claimed.height == claim.ledger.height
    assert set(claim.summary["la_code"]) == set(claim.councils)


def test_a_family_without_local_rules_is_unknown_for_that_reason(claim) -> None:
    manchester = claim.for_council("E08000003")  # no local ruleset is shipped for it
    unknown = manchester.filter(
        (pl.col("status") == NOT_YET) & pl.col("reason").str.starts_with("unknown")
    )
    assert unknown.height > 0
    assert unknown["detail"].str.contains(NO_LOCAL).any()
    leeds = claim.for_council("E08000035")
    assert not leeds["detail"].fill_null("").str.contains(NO_LOCAL).any()


def test_a_table_not_supplied_is_named(synthetic: Path, tmp_path: Path, phase1, phase1_locals):
    data = tmp_path / "data"
    shutil.copytree(synthetic, data)
    (data / "employment_spells.parquet").unlink()
    dataset = load_claims_data([phase1, *phase1_locals], data)
    assert "employment_spells" in dataset.missing_tables
    claim = make_claims(phase1, dataset, DAY, local=phase1_locals)
    employment = claim.lines.filter(
        (pl.col("claim") == "employment")
        & (pl.col("status") == NOT_YET)
        & pl.col("reason").str.starts_with("unknown")
    )
    # an adult on out-of-work benefits at attachment, whose jobs are not known
    assert employment.height > 0
    assert employment["detail"].str.contains(missing_text("employment_spells")).all()
    assert claim.ledger["amount"].sum() == claim.results["payment_due"].sum()


def test_the_audit_sample_is_seeded_and_stratified(claim) -> None:
    first = draw_sample(claim, SampleSize(share=0.02), seed=7)
    again = draw_sample(claim, SampleSize(share=0.02), seed=7)
    other = draw_sample(claim, SampleSize(count=1), seed=8)
    assert first.equals(again)
    strata = claim.lines.filter(pl.col("status") == CLAIMED).select("la_code", "claim").unique()
    assert first.select("la_code", "claim").unique().height == strata.height
    assert other.height == strata.height  # one of each council's kinds
    everything = draw_sample(claim, SampleSize(share=1.0), seed=7)
    assert everything.height == claim.ledger.height


def test_phase2_claims_only_families_attached_from_april_2015(synthetic: Path) -> None:
    phase2 = api.load("national.phase2")
    dataset = load_claims_data([phase2], synthetic)
    claim = make_claims(phase2, dataset, dt.date(2016, 6, 30))
    attached_on = pl.read_parquet(synthetic / "households.parquet").select(
        "household_id", "attached_on"
    )
    rows = claim.ledger.join(attached_on, on="household_id")
    assert (rows["attached_on"] >= dt.date(2015, 4, 1)).all()
    assert set(rows["claim"]) <= {"attachment", "results"}
    assert claim.ledger["amount"].sum() == claim.results["payment_due"].sum()


def test_a_ruleset_with_no_claims_is_refused(synthetic: Path) -> None:
    dwp = api.load("national.dwp_fmp")
    with pytest.raises(SchemeError, match="no claims"):
        make_claims(dwp, load_claims_data([dwp], synthetic), DAY)
