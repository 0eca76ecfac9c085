"""An independent, approximate phase-1 identification in plain Polars.

Used only to calibrate and check the synthetic generator (it is not the
project's compiler): crime_asb, education and work at a date ``d`` as
docs/programme-rules.md defines them, education three-valued (null = unknown).
"""

from __future__ import annotations

import calendar
from datetime import date

import polars as pl

FORMAL_ASB = ("asbo", "injunction", "acceptable_behaviour_contract", "housing_intervention")
OUT_OF_WORK = ("JSA", "ESA", "IB", "IS", "CA", "SDA")
TERM_CODE = {"autumn": 0, "spring": 1, "summer": 2}


def minus_months(d: date, months: int) -> date:
    """``d`` less calendar months, clamped to the month's end (2012-02-29 - 12 = 2011-02-28)."""
    total = d.year * 12 + d.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def easter_sunday(year: int) -> date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    day = (h + l_ - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


def term_index(d: date) -> int:
    """DfE absence calendar: autumn Aug-Dec (year Y), spring Jan-Easter Sunday and
    summer Easter Monday-Jul (academic year Y-1)."""
    if d.month >= 8:
        return 3 * d.year
    if d <= easter_sunday(d.year):
        return 3 * (d.year - 1) + 1
    return 3 * (d.year - 1) + 2


def age_expr(dob: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Completed years comparing (month, day): a 29 February birthday completes on 1 March."""
    before = (on.dt.month() < dob.dt.month()) | (
        (on.dt.month() == dob.dt.month()) & (on.dt.day() < dob.dt.day())
    )
    return on.dt.year().cast(pl.Int64) - dob.dt.year().cast(pl.Int64) - before.cast(pl.Int64)


def _any_by_household(persons: pl.DataFrame, person_flags: pl.DataFrame, name: str) -> pl.DataFrame:
    return (
        person_flags.join(persons.select("person_id", "household_id"), on="person_id")
        .group_by("household_id")
        .agg(pl.lit(True).alias(name))
    )


def phase1_criteria(tables: dict[str, pl.DataFrame], d: date) -> pl.DataFrame:
    """household_id, crime_asb, work (bool) and education (bool or null) at ``d``."""
    households = tables["households"].select("household_id")
    persons = tables["persons"]
    lo = minus_months(d, 12)
    dl = pl.lit(d)

    offending = (
        tables["offences"]
        .join(persons, on="person_id")
        .filter(
            pl.col("proven"),
            pl.col("offence_date") > lo,
            pl.col("offence_date") <= d,
            age_expr(pl.col("date_of_birth"), pl.col("offence_date")) < 18,
        )
        .select("person_id")
    )
    formal = (
        tables["asb"]
        .filter(
            pl.col("kind").is_in(FORMAL_ASB), pl.col("recorded_on") > lo, pl.col("recorded_on") <= d
        )
        .select("person_id")
    )
    crime = _any_by_household(persons, pl.concat([offending, formal]), "crime_asb")

    claims = (
        tables["benefit_claims"]
        .join(persons, on="person_id")
        .filter(
            pl.col("benefit").is_in(OUT_OF_WORK),
            pl.col("start_date") <= d,
            pl.col("end_date").is_null() | (pl.col("end_date") >= d),
            age_expr(pl.col("date_of_birth"), dl) >= 18,
        )
        .select("person_id")
    )
    work = _any_by_household(persons, claims, "work")

    t = term_index(d)
    window = (t - 3, t - 2, t - 1)
    rows = (
        tables["school_terms"]
        .with_columns(
            (
                3 * pl.col("academic_year")
                + pl.col("term").replace_strict(TERM_CODE, return_dtype=pl.Int64)
            ).alias("t")
        )
        .filter(pl.col("t").is_in(window))
        .group_by("person_id")
        .agg(
            pl.col("t").n_unique().alias("terms"),
            pl.col("permanently_excluded").any().alias("perm"),
            pl.col("fixed_exclusions").sum().alias("fixed"),
            pl.col("alternative_provision").any().alias("ap"),
            (~pl.col("on_roll")).any().alias("off_roll"),
            pl.col("sessions_unauthorised_absence").sum().alias("unauth"),
            pl.col("sessions_possible").sum().alias("possible"),
        )
    )
    pupils = persons.filter(age_expr(pl.col("date_of_birth"), dl).is_between(5, 15)).join(
        rows, on="person_id", how="left"
    )
    fact = (
        pl.col("perm").fill_null(False)
        | (pl.col("fixed").fill_null(0) >= 3)
        | pl.col("ap").fill_null(False)
        | pl.col("off_roll").fill_null(False)
        | (
            (pl.col("possible").fill_null(0) > 0)
            & (20 * pl.col("unauth").fill_null(0) >= 3 * pl.col("possible").fill_null(0))
        )
    )
    child = pupils.select(
        "household_id",
        pl.when(fact)
        .then(True)
        .when(pl.col("terms").fill_null(0) < 3)
        .then(None)
        .otherwise(False)
        .alias("education"),
    )
    education = child.group_by("household_id").agg(
        pl.when(pl.col("education").any())
        .then(True)
        .when(pl.col("education").is_null().any())
        .then(None)
        .otherwise(False)
        .alias("education")
    )
    return (
        households.join(crime, on="household_id", how="left")
        .join(education, on="household_id", how="left")
        .join(work, on="household_id", how="left")
        .with_columns(
            pl.col("crime_asb").fill_null(False),
            pl.col("work").fill_null(False),
            # No school-age child: "some child ..." is false.
            pl.when(pl.col("household_id").is_in(child["household_id"].implode()))
            .then(pl.col("education"))
            .otherwise(False)
            .alias("education"),
        )
        .sort("household_id")
    )


def shares(criteria: pl.DataFrame) -> dict[str, float]:
    """Shares of households with each criterion true, at least two true, all three true
    (unknown education counts as not met), and with education unknown."""
    met = pl.sum_horizontal(
        pl.col("crime_asb").cast(pl.Int64),
        pl.col("education").fill_null(False).cast(pl.Int64),
        pl.col("work").cast(pl.Int64),
    )
    out = criteria.select(
        pl.col("crime_asb").mean().alias("crime_asb"),
        pl.col("education").fill_null(False).mean().alias("education"),
        pl.col("work").mean().alias("work"),
        (met >= 2).mean().alias("two_or_more"),
        (met == 3).mean().alias("all_three"),
        pl.col("education").is_null().mean().alias("education_unknown"),
    )
    return {k: float(v) for k, v in out.row(0, named=True).items()}
