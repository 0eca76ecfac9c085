"""The web page's figures, computed from small hand-made results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl

from tfrules import api
from tfrules.report import figures
from tfrules.report.web import with_overclaims

M = pl.Decimal(38, 2)


def _phase1() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": ["H1", "H2", "H3", "H4"],
            "la_code": ["E08000035", "E08000035", "E10000008", "E10000008"],
            "identified": [True, None, True, False],
            "attached": [True, False, True, True],
            "turned_around": [True, None, False, None],
            "education_result": [True, None, False, None],
            "crime_asb_result": [True, None, True, None],
            "employment_result": [False, None, False, None],
            "attachment_fee": pl.Series([3200, 0, 2400, 0]).cast(M),
            "education_crime_payment": pl.Series([700, 0, 0, 0]).cast(M),
            "progress_payment": pl.Series([100, 0, 0, 0]).cast(M),
            "employment_payment": pl.Series([0, 0, 0, 0]).cast(M),
            "results_payment": pl.Series([800, 0, 0, 0]).cast(M),
            "already_claimed": pl.Series([3200, 0, 2400, 1600]).cast(M),
            "payment_due": pl.Series([800, 0, 0, 0]).cast(M),
        }
    )


def test_variation_gives_rates_against_the_programme_average() -> None:
    frame = figures.variation(_phase1(), "la_code").frame
    leeds = frame.filter(
        (pl.col("council") == "Leeds") & (pl.col("measure") == "identified (of households)")
    ).row(0, named=True)
    assert (leeds["families"], leeds["out of"], leeds["rate %"]) == (1, 2, 50.0)
    average = frame.filter(
        (pl.col("council") == figures.AVERAGE)
        & (pl.col("measure") == "turned around (of attached)")
    ).row(0, named=True)
    assert (average["families"], average["out of"]) == (1, 3)


def test_funnel_counts_each_stage_per_council() -> None:
    frame = figures.funnel(_phase1(), "la_code").frame
    devon = dict(frame.filter(pl.col("council") == "Devon").select("stage", "families").rows())
    assert devon == {
        "1 identified": 1,
        "2 attached": 2,
        "3 turned around": 0,
        "4 results paid or due": 0,
    }


def test_overclaims_are_worked_out_when_the_rules_do_not_state_them() -> None:
    phase1 = api.load("national.phase1")
    frame = with_overclaims(_phase1(), phase1, dt.date(2015, 3, 31))
    assert frame["overclaimed"].to_list() == [Decimal(0), Decimal(0), Decimal(0), Decimal(1600)]
    money = figures.money({"phase1": frame}, "la_code").frame
    devon = money.filter((pl.col("council") == "Devon") & (pl.col("amount of") == "overclaimed"))
    assert devon["amount"].item() == Decimal(1600)


def test_unknowns_count_families_by_cause() -> None:
    causes = pl.DataFrame(
        {
            "la_code": ["E08000035", "E08000035", "E10000008"],
            "causes": [["school_terms not supplied"], ["no local ruleset for this council"], []],
        }
    )
    frame = figures.unknowns(causes, "la_code").frame
    assert frame.height == 2
    assert set(frame["missing data"]) == {
        "school_terms not supplied",
        "no local ruleset for this council",
    }


def test_by_quarter_stops_at_the_run_date() -> None:
    households = pl.DataFrame(
        {"household_id": ["H1", "H2"], "attached_on": [dt.date(2013, 5, 1), dt.date(2016, 1, 1)]}
    )
    claims = pl.DataFrame(
        {
            "household_id": ["H1", "H1"],
            "claimed_on": [dt.date(2014, 2, 1), dt.date(2016, 2, 1)],
            "claim": ["results", "employment"],
        }
    )
    frame = figures.by_quarter(households, claims, dt.date(2015, 3, 31)).frame
    assert frame.rows() == [("2013 Q2", "attached", 1), ("2014 Q1", "results claimed", 1)]
