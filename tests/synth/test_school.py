"""school_terms: the DfE calendar, plausible counts, and real gaps."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from tfrules.data.synth.calendar import term_index_of, terms_between

from .phase1 import term_index

TERM_CODE = {"autumn": 0, "spring": 1, "summer": 2}


def _with_index(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        (
            3 * pl.col("academic_year")
            + pl.col("term").replace_strict(TERM_CODE, return_dtype=pl.Int64)
        ).alias("t")
    )


def test_term_calendar_agrees_with_independent_helper() -> None:
    d = date(2009, 7, 1)
    while d < date(2018, 1, 1):
        assert term_index_of(d) == term_index(d), d
        d += timedelta(days=3)


def test_terms_cover_the_window_and_sessions_total_380() -> None:
    terms = terms_between(date(2010, 1, 1), date(2016, 12, 31))
    assert terms[0].first == date(2010, 1, 1) and terms[-1].last == date(2016, 12, 31)
    assert [t.index for t in terms] == list(range(terms[0].index, terms[-1].index + 1))
    for year in range(2010, 2016):
        total = sum(t.sessions for t in terms if t.academic_year == year)
        assert total == 380, year
    # Easter moves sessions between spring and summer.
    spring = {t.academic_year: t.sessions for t in terms if t.name == "spring"}
    assert len(set(spring.values())) > 1


def test_one_row_per_pupil_and_term(tables: dict[str, pl.DataFrame]) -> None:
    st = tables["school_terms"]
    assert st.select("person_id", "academic_year", "term").is_duplicated().sum() == 0
    assert st["academic_year"].min() == 2009 and st["academic_year"].max() == 2016


def test_rows_only_from_reception_to_year_11(tables: dict[str, pl.DataFrame]) -> None:
    st = tables["school_terms"].join(tables["persons"], on="person_id")
    age_31_aug = st.select(
        (
            pl.col("academic_year")
            - pl.col("date_of_birth").dt.year()
            - (pl.col("date_of_birth").dt.month() >= 9).cast(pl.Int64)
        ).alias("age")
    )["age"]
    assert age_31_aug.min() == 4 and age_31_aug.max() == 15


def test_plausible_counts(tables: dict[str, pl.DataFrame]) -> None:
    st = tables["school_terms"]
    possible = st.filter(pl.col("on_roll"))["sessions_possible"]
    assert 110 <= possible.median() <= 145
    assert st["on_roll"].mean() > 0.99
    assert (st["fixed_exclusions"] == 0).mean() > 0.95
    assert 0 < st["permanently_excluded"].mean() < 0.002
    assert 0 < st["alternative_provision"].mean() < 0.02
    rate = st["sessions_unauthorised_absence"].sum() / st["sessions_possible"].sum()
    assert 0.02 < rate < 0.12
    # Absence is driven by need, so it is very unequal: the median pupil-term is low.
    per_row = (
        st.filter(pl.col("sessions_possible") > 0)
        .select((pl.col("sessions_unauthorised_absence") / pl.col("sessions_possible")).median())
        .item()
    )
    assert per_row < rate


def test_permanent_exclusion_starts_alternative_provision(
    tables: dict[str, pl.DataFrame],
) -> None:
    st = tables["school_terms"]
    assert st.filter(pl.col("permanently_excluded") & ~pl.col("alternative_provision")).height == 0


def test_gaps_in_returns(tables: dict[str, pl.DataFrame]) -> None:
    """Some pupils miss a run of terms inside their school career; some have no
    rows at all although they were of school age."""
    st = _with_index(tables["school_terms"])
    spans = st.group_by("person_id").agg(
        pl.col("t").min().alias("lo"), pl.col("t").max().alias("hi"), pl.len().alias("n")
    )
    holes = spans.filter(pl.col("hi") - pl.col("lo") + 1 > pl.col("n"))
    assert 0.01 < holes.height / spans.height < 0.10

    persons = tables["persons"]
    school_age_2013 = persons.filter(
        pl.col("date_of_birth").is_between(date(2002, 1, 1), date(2006, 12, 31))
    )
    absent = school_age_2013.filter(~pl.col("person_id").is_in(st["person_id"].unique().implode()))
    share = absent.height / school_age_2013.height
    assert 0.003 < share < 0.03
