"""The data contract's invariants, and the generator's own plausibility promises."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from tfrules.data.synth import generate

from .invariants import violations
from .phase1 import age_expr

FIRST, LAST = date(2010, 1, 1), date(2016, 12, 31)


def test_contract_invariants_hold(tables: dict[str, pl.DataFrame]) -> None:
    assert violations(tables) == []


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_invariants_hold_for_other_seeds_and_councils(seed: int) -> None:
    assert violations(generate(1_500, seed=seed, la_codes=("E08000035", "E06000001"))) == []


def test_invariant_checker_catches_breakage(small_tables: dict[str, pl.DataFrame]) -> None:
    broken = dict(small_tables)
    broken["school_terms"] = small_tables["school_terms"].with_columns(
        pl.col("sessions_possible") - 400
    )
    broken["asb"] = small_tables["asb"].with_columns(pl.lit("riot").alias("kind"))
    found = violations(broken)
    assert any("absences > sessions" in p for p in found)
    assert any("negative count" in p for p in found)
    assert any("asb.kind" in p for p in found)


def test_household_sizes_and_ages(tables: dict[str, pl.DataFrame]) -> None:
    persons = tables["persons"]
    sizes = persons.group_by("household_id").len()["len"]
    assert sizes.min() == 1 and sizes.max() == 8
    assert persons["household_id"].n_unique() == tables["households"].height
    at = date(2012, 4, 1)
    ages = persons.select(age_expr(pl.col("date_of_birth"), pl.lit(at)).alias("age"))["age"]
    assert ages.max() <= 90
    # Children of every age, some born after the programme started.
    children = ages.filter(ages < 18)
    assert set(range(0, 18)) <= set(children.to_list())
    assert (persons["date_of_birth"] > at).any()
    # Some turn 18 during the event window; some were born on 29 February.
    turning = persons.filter(pl.col("date_of_birth").dt.offset_by("18y").is_between(FIRST, LAST))
    assert turning.height > 0
    leap = persons.filter(
        (pl.col("date_of_birth").dt.month() == 2) & (pl.col("date_of_birth").dt.day() == 29)
    )
    assert leap.height > 0


def test_event_dates_in_window(tables: dict[str, pl.DataFrame]) -> None:
    for name, column in (
        ("offences", "offence_date"),
        ("asb", "recorded_on"),
        ("police_incidents", "incident_date"),
        ("health", "recorded_on"),
        ("housing", "recorded_on"),
        ("work_referrals", "referred_on"),
        ("claims", "claimed_on"),
    ):
        dates = tables[name][column]
        assert dates.min() >= FIRST and dates.max() <= LAST, name
    for name in ("benefit_claims", "employment_spells", "social_care", "custody"):
        frame = tables[name]
        assert frame["start_date"].max() <= LAST, name
        # Spans overlap the window: open, or ending inside it.
        assert frame.filter(pl.col("end_date") < FIRST).height == 0, name
        assert frame.filter(pl.col("end_date") > LAST).height == 0, name
        assert frame["end_date"].null_count() > 0, name


def test_nobody_acts_before_birth(tables: dict[str, pl.DataFrame]) -> None:
    persons = tables["persons"]
    for name, column, min_age in (
        ("offences", "offence_date", 10),
        ("asb", "recorded_on", 10),
        ("police_incidents", "incident_date", 0),
        ("social_care", "start_date", 0),
        ("benefit_claims", "start_date", 18),
        ("health", "recorded_on", 13),
    ):
        joined = tables[name].join(persons, on="person_id")
        ages = joined.select(age_expr(pl.col("date_of_birth"), pl.col(column)).alias("a"))["a"]
        if name == "health":  # new-mother records are on the parent
            assert ages.min() >= 13, name
        else:
            assert ages.min() >= min_age, name


def test_social_care_ends_by_eighteen(tables: dict[str, pl.DataFrame]) -> None:
    joined = tables["social_care"].join(tables["persons"], on="person_id")
    assert (
        joined.filter(pl.col("end_date") >= pl.col("date_of_birth").dt.offset_by("18y")).height == 0
    )


def test_attachment_and_claims_ledger(tables: dict[str, pl.DataFrame]) -> None:
    households = tables["households"]
    attached = households.filter(pl.col("attached_on").is_not_null())
    share = attached.height / households.height
    assert 0.03 < share < 0.15
    assert attached["attached_on"].min() >= date(2012, 4, 1)
    assert attached["attached_on"].max() <= date(2015, 3, 31)
    # All three phase-1 financial years are represented.
    fy = attached.select(
        (
            pl.col("attached_on").dt.year() - (pl.col("attached_on").dt.month() < 4).cast(pl.Int32)
        ).alias("fy")
    )["fy"]
    assert set(fy.unique().to_list()) == {2012, 2013, 2014}

    claims = tables["claims"].join(households, on="household_id", how="left")
    assert claims["attached_on"].null_count() == 0, "claims only for attached households"
    assert (claims["claimed_on"] > claims["attached_on"]).all()
    totals = claims.group_by("household_id").agg(pl.col("amount").sum())["amount"]
    assert totals.max() <= Decimal("4000.00")
    assert set(claims["claim"].unique().to_list()) == {
        "attachment",
        "results",
        "progress_to_work",
        "employment",
    }
    fees = claims.filter(pl.col("claim") == "attachment")["amount"].unique().sort().to_list()
    assert fees == [Decimal("1600.00"), Decimal("2400.00"), Decimal("3200.00")]


def test_category_mix(tables: dict[str, pl.DataFrame]) -> None:
    """Every allowed value occurs, and the common ones dominate."""
    asb = tables["asb"]["kind"].value_counts(normalize=True)
    incident = asb.filter(pl.col("kind") == "incident")["proportion"][0]
    assert incident > 0.5
    proven = tables["offences"]["proven"].mean()
    assert 0.6 < proven < 0.95
    benefits = tables["benefit_claims"]
    uc = benefits.filter(pl.col("benefit") == "UC")
    assert uc.height > 0 and uc["start_date"].min() >= date(2014, 1, 1)
    ib = benefits.filter(pl.col("benefit") == "IB")
    assert ib["start_date"].max() < date(2008, 10, 27)
    assert benefits["end_date"].null_count() / benefits.height > 0.2
    referrals = tables["work_referrals"]
    assert set(referrals["programme"].unique()) == {"work_programme", "esf_families"}
    assert referrals.filter(pl.col("programme") == "work_programme")["referred_on"].min() >= date(
        2011, 6, 1
    )
