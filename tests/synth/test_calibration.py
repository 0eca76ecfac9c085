"""Phase-1 identification shares land where docs/synthetic-data.md says.

At N=20,000 (seed 2012) the generator was calibrated to about 14% of households
meeting at least two of the three national criteria and about 3% all three;
the ranges below leave room for sampling noise and small rate changes while
still catching a generator that has drifted.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from .phase1 import age_expr, minus_months, phase1_criteria, shares, term_index

#: Documented ranges (docs/synthetic-data.md, "Calibration").
RANGES = {
    "two_or_more": (0.10, 0.25),
    "all_three": (0.01, 0.06),
    "crime_asb": (0.06, 0.25),
    "education": (0.08, 0.30),
    "work": (0.30, 0.60),
    "education_unknown": (0.02, 0.15),
}


@pytest.mark.parametrize("as_of", [date(2013, 1, 15), date(2014, 1, 15)])
def test_phase1_shares_in_documented_range(tables: dict[str, pl.DataFrame], as_of: date) -> None:
    observed = shares(phase1_criteria(tables, as_of))
    for name, (low, high) in RANGES.items():
        assert low <= observed[name] <= high, (name, observed[name], as_of)


def test_problems_are_correlated(tables: dict[str, pl.DataFrame]) -> None:
    """Latent need makes one problem predict another: the share meeting all three
    exceeds what independent criteria with the same margins would give."""
    observed = shares(phase1_criteria(tables, date(2013, 1, 15)))
    independent = observed["crime_asb"] * observed["education"] * observed["work"]
    assert observed["all_three"] > 2 * independent


def test_attached_households_mostly_identified(tables: dict[str, pl.DataFrame]) -> None:
    """Households attached around a date mostly meet two criteria at that date."""
    as_of = date(2013, 6, 1)
    attached = tables["households"].filter(
        (pl.col("attached_on") - pl.lit(as_of)).dt.total_days().abs() <= 45
    )["household_id"]
    criteria = phase1_criteria(tables, as_of).filter(
        pl.col("household_id").is_in(attached.implode())
    )
    met = criteria.select(
        pl.sum_horizontal(
            pl.col("crime_asb").cast(pl.Int64),
            pl.col("education").fill_null(False).cast(pl.Int64),
            pl.col("work").cast(pl.Int64),
        ).alias("m")
    )["m"]
    assert (met >= 2).mean() > 0.4
    overall = shares(phase1_criteria(tables, as_of))["two_or_more"]
    assert (met >= 2).mean() > 2 * overall


# --- the helper itself, on hand-made data ---------------------------------------


def test_helper_calendar() -> None:
    assert minus_months(date(2013, 2, 28), 12) == date(2012, 2, 28)
    assert minus_months(date(2012, 2, 29), 12) == date(2011, 2, 28)
    assert term_index(date(2013, 1, 15)) == 3 * 2012 + 1
    assert term_index(date(2013, 3, 31)) == 3 * 2012 + 1  # Easter Sunday 2013
    assert term_index(date(2013, 4, 1)) == 3 * 2012 + 2
    assert term_index(date(2013, 9, 1)) == 3 * 2013
    born = pl.DataFrame({"d": [date(2000, 2, 29)]})
    ages = born.select(
        age_expr(pl.col("d"), pl.lit(date(2018, 2, 28))).alias("a"),
        age_expr(pl.col("d"), pl.lit(date(2018, 3, 1))).alias("b"),
    ).row(0)
    assert ages == (17, 18)


def _tiny(rows: list[tuple[int, str, int, int]]) -> dict[str, pl.DataFrame]:
    from tfrules.data.synth.schema import empty_frame

    tables = {
        name: empty_frame(name) for name in ("offences", "asb", "benefit_claims", "school_terms")
    }
    tables["households"] = pl.DataFrame(
        {"household_id": ["H1"], "la_code": ["E08000035"], "attached_on": [None]},
        schema={"household_id": pl.String, "la_code": pl.String, "attached_on": pl.Date},
    )
    tables["persons"] = pl.DataFrame(
        {"person_id": ["P1"], "household_id": ["H1"], "date_of_birth": [date(2000, 5, 1)]}
    )
    tables["school_terms"] = pl.DataFrame(
        {
            "person_id": ["P1"] * len(rows),
            "academic_year": [r[0] for r in rows],
            "term": [r[1] for r in rows],
            "sessions_possible": [r[2] for r in rows],
            "sessions_authorised_absence": [0] * len(rows),
            "sessions_unauthorised_absence": [r[3] for r in rows],
            "fixed_exclusions": [0] * len(rows),
            "permanently_excluded": [False] * len(rows),
            "alternative_provision": [False] * len(rows),
            "on_roll": [True] * len(rows),
        },
        schema=tables["school_terms"].schema,
    )
    return tables


def test_helper_education_threshold_and_unknown() -> None:
    d = date(2013, 1, 15)  # spring of 2012/13; last 3 terms: spring 2011, summer 2011, autumn 2012
    terms = [(2011, "spring", 120, 0), (2011, "summer", 120, 0), (2012, "autumn", 140, 0)]
    at_15 = [*terms[:2], (2012, "autumn", 140, 57)]  # 57 / 380 = 15%
    just_under = [*terms[:2], (2012, "autumn", 140, 56)]
    assert phase1_criteria(_tiny(at_15), d)["education"][0] is True
    assert phase1_criteria(_tiny(just_under), d)["education"][0] is False
    assert phase1_criteria(_tiny(terms[:2]), d)["education"][0] is None
    # autumn 2011 is outside the window, however bad it was.
    assert phase1_criteria(_tiny([(2011, "autumn", 140, 140), *terms]), d)["education"][0] is False


def test_a_results_cohort_has_the_share_attached_asked_for() -> None:
    """`tfrules synth --attached 0.75`: three households in four attached, on dates
    spread over the programme's years, and claims for many of them."""
    import dataclasses
    import datetime as dt

    from tfrules.data.synth import DEFAULT_RATES, generate

    rates = dataclasses.replace(DEFAULT_RATES, attached_share=0.75)
    tables = generate(4_000, seed=9, rates=rates)
    attached = tables["households"]["attached_on"].drop_nulls()
    assert abs(attached.len() / 4_000 - 0.75) < 0.03
    assert attached.min() >= dt.date(2012, 4, 1) and attached.max() <= dt.date(2015, 3, 31)
    years = attached.dt.year().unique().to_list()
    assert set(years) >= {2012, 2013, 2014, 2015}
    assert tables["claims"].height > 1_000
