"""Hand-written lazy Polars implementation of phase 1 (identification, results, payments).

This is the performance baseline for the rules compiler and a second, independent
oracle for the phase 1 rule files. It follows docs/programme-rules.md ("Phase 1" and the
pinned readings) and docs/data-model.md (three-valued logic, missing tables) directly,
without going through the rules language.

Plan shape (one entity level per stage, no nested windows, no Python UDFs):

1. ``persons`` joined to their household's anchor date ``attached_on`` (the
   anchor's windows and term index are computed once per distinct date), with
   ages and adult / school-age flags at ``as_of`` (c) and at ``attached_on`` (a);
   per household, the numbers of members, adults and school-age children.
2. Each event table joined to (1) on ``person_id`` and filtered to its windows
   at c and at a in one pass, then aggregated: straight to ``household_id``
   for "some member" facts and counts (offences, ASB, benefit claims for
   ``work``, referrals, police incidents, claims); through ``person_id`` first
   where a person's facts combine (school terms per child, claims and spells
   per adult for ``employment_result``).
3. All household parts left-joined onto ``households``; households without
   members and tables not supplied resolved (three-valued); criteria, results
   and payments computed; sorted by ``household_id``.

Children without school_terms rows never appear in stage 2, so "some child"
and "every child" are resolved from counts: e.g. ``education`` is false only
when every school-age child is known false.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import ClassVar

import polars as pl

from .calendar import (
    age_years,
    financial_year,
    months_before,
    row_term_index,
    term_index,
    term_index_py,
)

__all__ = ["DETAIL_COLUMNS", "EVENT_TABLES", "OUTPUT_COLUMNS", "Params", "phase1"]

MONEY = pl.Decimal(38, 2)


class Params:
    """Named phase 1 parameters (docs/programme-rules.md); no literal is buried in a rule."""

    adult_age = 18
    school_age_min = 5
    school_age_max = 15
    identification_window_months = 12
    results_window_months = 6
    terms_window = 3
    #: Absence threshold 15% as an exact fraction: 20 * unauthorised >= 3 * possible.
    absence_num, absence_den = 3, 20
    fixed_exclusions_threshold = 3
    #: ASB reduction 60%: asb(c) <= 2/5 asb(a).
    asb_keep_num, asb_keep_den = 2, 5
    #: Offence reduction 33%: offences(c) <= 67/100 offences(a).
    offence_keep_num, offence_keep_den = 67, 100
    #: Employment: 26 weeks if a claim active at a was JSA, else 13 weeks.
    jsa_benefit = "JSA"
    jsa_weeks = 26
    other_benefit_weeks = 13
    out_of_work_benefits: ClassVar[tuple[str, ...]] = ("JSA", "ESA", "IB", "IS", "CA", "SDA")
    formal_asb_kinds: ClassVar[tuple[str, ...]] = (
        "asbo",
        "injunction",
        "acceptable_behaviour_contract",
        "housing_intervention",
    )
    #: The Leeds local criterion used by the benchmark; None makes ``local`` false
    #: for every household (bench/local_false.tfr), so nothing is read for it.
    local_police_category: str | None = "burglary"
    local_window_months = 12
    attachment_fee: ClassVar[Mapping[int, Decimal]] = {
        2012: Decimal("3200"),
        2013: Decimal("2400"),
        2014: Decimal("1600"),
    }
    results_education_crime: ClassVar[Mapping[int, Decimal]] = {
        2012: Decimal("700"),
        2013: Decimal("1500"),
        2014: Decimal("2300"),
    }
    results_progress_to_work: ClassVar[Mapping[int, Decimal]] = {
        2012: Decimal("100"),
        2013: Decimal("100"),
        2014: Decimal("100"),
    }
    results_employment: ClassVar[Mapping[int, Decimal]] = {
        2012: Decimal("800"),
        2013: Decimal("1600"),
        2014: Decimal("2400"),
    }
    payment_cap = Decimal("4000")


OUTPUT_COLUMNS: tuple[str, ...] = (
    "household_id",
    "la_code",
    "crime_asb",
    "education",
    "work",
    "local",
    "local_at_attachment",
    "identified",
    "education_result",
    "crime_asb_result",
    "employment_result",
    "progress_to_work",
    "turned_around",
    "attachment_fee",
    "results_payment",
    "payment_due",
    "overclaimed",
)

#: Intermediate household columns kept by ``phase1(..., detail=True)``.
DETAIL_COLUMNS: tuple[str, ...] = (
    "attached",
    "crime_asb_at_a",
    "education_at_a",
    "work_at_a",
    "identified_at_a",
    "asb_6m_c",
    "asb_6m_a",
    "offences_6m_c",
    "offences_6m_a",
    "already_claimed",
)


# --------------------------------------------------------------------------- helpers


def _money(value: Decimal | int) -> pl.Expr:
    return pl.lit(Decimal(value), MONEY)


def _by_financial_year(fy: pl.Expr, table: Mapping[int, Decimal]) -> pl.Expr:
    """Amount for the financial year ``fy`` from ``table`` (other years: £0)."""
    expr: pl.Expr | pl.When | pl.Then | None = None
    for year, amount in table.items():
        expr = (pl.when(fy == year) if expr is None else expr.when(fy == year)).then(_money(amount))
    return _money(0) if expr is None else expr.otherwise(_money(0))


def _pay(condition: pl.Expr, amount: pl.Expr) -> pl.Expr:
    """``amount`` where ``condition`` is true; unknown or false pays £0."""
    return pl.when(condition.fill_null(False)).then(amount).otherwise(_money(0))


def _at_least_2_of(a: pl.Expr, b: pl.Expr, c: pl.Expr) -> pl.Expr:
    """Kleene "at least 2 of [a, b, c]": true if 2 true, false if 2 false, else unknown."""
    return (a & b) | (a & c) | (b & c)


def _identified(crime: pl.Expr, edu: pl.Expr, work: pl.Expr, local: pl.Expr) -> pl.Expr:
    """Pinned reading 1: all three national criteria, or 2 of them and ``local``."""
    return (crime & edu & work) | (_at_least_2_of(crime, edu, work) & local)


def _scalar(expr: pl.Expr) -> date:
    """Evaluate a literal-only date expression once, at plan-building time."""
    return pl.select(expr).item()


def _between(x: pl.Expr, after: pl.Expr | date, upto: pl.Expr | date) -> pl.Expr:
    """``after < x <= upto`` (a "last N months at d" window)."""
    return (x > after) & (x <= upto)


def _unknown_if(population: pl.Expr | str, empty: bool | int, dtype: pl.DataType) -> pl.Expr:
    """A fact drawn from a table not supplied (pinned reading 12).

    Unknown where the household has someone the fact is about (``population``
    true), and the empty-data value (``empty``: false, or a count of 0) otherwise.
    """
    population = pl.col(population) if isinstance(population, str) else population
    return pl.when(population).then(pl.lit(None, dtype)).otherwise(pl.lit(empty, dtype))


def _joined(
    supplied: bool, column: str, population: str, empty: bool | int, dtype: pl.DataType
) -> pl.Expr:
    """A household fact aggregated from one event table and left-joined on.

    Supplied table: a household without matching events got a null from the
    join, which means "no such events" (``empty``). Not supplied: unknown for
    households with someone in ``population``.
    """
    if supplied:
        return pl.col(column).fill_null(pl.lit(empty, dtype))
    return _unknown_if(population, empty, dtype)


def _kleene_any_children(any_true: str, n_false: str, n_children: str) -> pl.Expr:
    """Kleene "some child": from per-child facts of the children with rows.

    True if some child is true; false if every child is known false (children
    without rows are unknown, so they never count as false); else unknown.
    """
    return (
        pl.when(pl.col(any_true))
        .then(pl.lit(True))
        .when(pl.col(n_false) == pl.col(n_children))
        .then(pl.lit(False))
        .otherwise(pl.lit(None, pl.Boolean))
    )


def _kleene_every_child(any_false: str, n_true: str, n_children: str) -> pl.Expr:
    """Kleene "every child": false if one is false, true if all are known true."""
    return (
        pl.when(pl.col(any_false))
        .then(pl.lit(False))
        .when(pl.col(n_true) == pl.col(n_children))
        .then(pl.lit(True))
        .otherwise(pl.lit(None, pl.Boolean))
    )


def _absence_high(w: str, p: type[Params]) -> pl.Expr:
    """Unauthorised absence >= 15% of sessions possible, exactly, with possible > 0."""
    possible = pl.col(f"possible_{w}")
    return (possible > 0) & (p.absence_den * pl.col(f"unauth_{w}") >= p.absence_num * possible)


def _child_education(w: str, p: type[Params]) -> pl.Expr:
    """A child's ``education`` fact over the last 3 terms at ``w`` ("c" or "a").

    True if one of the facts holds over the window's rows; otherwise unknown
    with fewer than 3 distinct terms in the window, else false.
    """
    fact = (
        pl.col(f"flag_{w}")  # permanently excluded, alternative provision, not on roll
        | (pl.col(f"fixed_{w}") >= p.fixed_exclusions_threshold)
        | _absence_high(w, p)
    )
    return (
        pl.when(fact)
        .then(pl.lit(True))
        .when(pl.col(f"terms_{w}") < p.terms_window)
        .then(pl.lit(None, pl.Boolean))
        .otherwise(pl.lit(False))
    )


def _child_requirement_c(p: type[Params]) -> pl.Expr:
    """A child's education_result requirement at c (pinned readings 7 and 8).

    Unknown with fewer than 3 distinct terms in the last 3 terms at c, whatever
    the rows show; else fewer than 3 fixed exclusions and absence not >= 15%.
    """
    ok = (pl.col("fixed_c") < p.fixed_exclusions_threshold) & ~_absence_high("c", p)
    return pl.when(pl.col("terms_c") < p.terms_window).then(pl.lit(None, pl.Boolean)).otherwise(ok)


def _term_aggregates(w: str, p: type[Params]) -> list[pl.Expr]:
    """Per-child aggregates over the school_terms rows in term window ``w`` ("c" or "a").

    ``pos_w`` is a row's position in the window (0 .. terms_window - 1 inside
    it), so the number of distinct terms is the number of positions present.
    Permanent exclusion, alternative provision and not on roll only ever count
    together ("any of them"), so they are aggregated as one flag.
    """
    inside, pos = pl.col(f"in_{w}"), pl.col(f"pos_{w}")

    def total(col: str) -> pl.Expr:
        return pl.when(inside).then(pl.col(col)).otherwise(0).sum().cast(pl.Int64)

    flag = pl.col("permanently_excluded") | pl.col("alternative_provision") | ~pl.col("on_roll")
    return [
        pl.sum_horizontal((pos == k).any().cast(pl.Int64) for k in range(p.terms_window)).alias(
            f"terms_{w}"
        ),
        total("fixed_exclusions").alias(f"fixed_{w}"),
        total("sessions_possible").alias(f"possible_{w}"),
        total("sessions_unauthorised_absence").alias(f"unauth_{w}"),
        (inside & flag).any().alias(f"flag_{w}"),
    ]


# ------------------------------------------------------------------ plan stages


class _Ctx:
    """What every stage needs: the parameters and the scalar reference quantities."""

    def __init__(self, as_of: date, p: type[Params]) -> None:
        self.p = p
        self.as_of = as_of
        c = pl.lit(as_of, pl.Date)
        self.c = c
        self.c_12m = _scalar(months_before(c, p.identification_window_months))
        self.c_local = _scalar(months_before(c, p.local_window_months))
        self.c_6m = _scalar(months_before(c, p.results_window_months))
        self.t_c = term_index_py(as_of)


def _persons(frames: Mapping[str, pl.LazyFrame], ctx: _Ctx) -> pl.LazyFrame:
    """Persons with their household's anchor date, its windows and ages at c and a.

    The anchor's derived values (month windows, term index with its Easter
    computation) are computed once per distinct attached_on date and joined back.
    """
    p, a = ctx.p, pl.col("attached_on")
    households = frames["households"].select("household_id", "attached_on")
    anchor_dates = (
        households.select("attached_on")
        .unique()
        .drop_nulls()
        .with_columns(
            a_12m=months_before(a, p.identification_window_months),
            a_local=months_before(a, p.local_window_months),
            a_6m=months_before(a, p.results_window_months),
            t_a=term_index(a),
        )
    )
    dob = pl.col("date_of_birth")
    return (
        frames["persons"]
        .select("person_id", "household_id", "date_of_birth")
        .join(households, on="household_id", how="inner")
        .join(anchor_dates, on="attached_on", how="left")
        .with_columns(age_c=age_years(dob, ctx.c), age_a=age_years(dob, a))
        .with_columns(
            adult_c=pl.col("age_c") >= p.adult_age,
            school_c=pl.col("age_c").is_between(p.school_age_min, p.school_age_max),
            adult_a=(pl.col("age_a") >= p.adult_age).fill_null(False),
            school_a=pl.col("age_a")
            .is_between(p.school_age_min, p.school_age_max)
            .fill_null(False),
        )
    )


def _population(persons: pl.LazyFrame) -> pl.LazyFrame:
    """Per household: how many members, adults and school-age children at c and a."""
    return persons.group_by("household_id").agg(
        n_members=pl.len().cast(pl.Int64),
        has_adult_c=pl.col("adult_c").any(),
        has_adult_a=pl.col("adult_a").any(),
        n_school_c=pl.col("school_c").sum().cast(pl.Int64),
        n_school_a=pl.col("school_a").sum().cast(pl.Int64),
    )


def _benefit_rows(
    frames: Mapping[str, pl.LazyFrame], persons: pl.LazyFrame, ctx: _Ctx
) -> pl.LazyFrame:
    """Out-of-work benefit claims of adults (at c or at a) active at c or at a."""
    p, c, a = ctx.p, ctx.c, pl.col("attached_on")
    start, end = pl.col("start_date"), pl.col("end_date")
    return (
        frames["benefit_claims"]
        .select("person_id", "benefit", "start_date", "end_date")
        .filter(pl.col("benefit").is_in(p.out_of_work_benefits))
        .join(
            persons.filter(pl.col("adult_c") | pl.col("adult_a")).select(
                "person_id", "household_id", "attached_on", "adult_c", "adult_a"
            ),
            on="person_id",
            how="inner",
        )
        .with_columns(
            active_c=(start <= c) & (end.is_null() | (end >= c)),
            active_a=((start <= a) & (end.is_null() | (end >= a))).fill_null(False),
        )
        .filter(pl.col("active_c") | pl.col("active_a"))
    )


def _work(benefit_rows: pl.LazyFrame) -> pl.LazyFrame:
    """``work`` at c and at a: some adult (at that date) with an active claim then."""
    return benefit_rows.group_by("household_id").agg(
        work_c=(pl.col("adult_c") & pl.col("active_c")).any(),
        work_a=(pl.col("adult_a") & pl.col("active_a")).any(),
    )


def _claimants_at_a(benefit_rows: pl.LazyFrame, p: type[Params]) -> pl.LazyFrame:
    """Adults at c with an out-of-work claim active at a, and whether one was JSA."""
    return (
        benefit_rows.filter(pl.col("adult_c") & pl.col("active_a"))
        .group_by("person_id")
        .agg(
            pl.col("household_id").first(),
            jsa_a=(pl.col("benefit") == p.jsa_benefit).any(),
        )
    )


def _qualifying_spells(
    frames: Mapping[str, pl.LazyFrame], persons: pl.LazyFrame, ctx: _Ctx
) -> pl.LazyFrame:
    """Per adult (at c): has a spell starting on or after a lasting 13 / 26 weeks by c.

    Only spells that reach the shorter of the two lengths are kept, so a person
    listed has ``spell_short`` or ``spell_long`` (or both) true.
    """
    p, c, a = ctx.p, ctx.c, pl.col("attached_on")
    start, end = pl.col("start_date"), pl.col("end_date")
    lasted_to = pl.when(end.is_null() | (end > c)).then(c).otherwise(end)
    short_days, long_days = 7 * p.other_benefit_weeks, 7 * p.jsa_weeks
    return (
        frames["employment_spells"]
        .select("person_id", "start_date", "end_date")
        .join(
            persons.filter(pl.col("adult_c") & a.is_not_null()).select(
                "person_id", "household_id", "attached_on"
            ),
            on="person_id",
            how="inner",
        )
        .filter(start >= a)
        .with_columns(length_days=(lasted_to - start).dt.total_days())
        .filter(pl.col("length_days") >= min(short_days, long_days))
        .group_by("person_id")
        .agg(
            pl.col("household_id").first(),
            spell_short=(pl.col("length_days") >= short_days).any(),
            spell_long=(pl.col("length_days") >= long_days).any(),
        )
    )


def _employment(
    claimants: pl.LazyFrame | None, spells: pl.LazyFrame | None
) -> tuple[pl.LazyFrame | None, pl.Expr]:
    """``employment_result`` before masking: a household frame and its resolving expression.

    Per adult at c: had a claim at a, and a spell from a lasting 26 weeks if a
    claim at a was JSA, else 13 weeks. With one of the two tables not supplied,
    the person's value is unknown where the other table could make it true
    (a claimant at a, or a qualifying spell), else false.
    """
    if claimants is not None and spells is not None:
        jsa = pl.col("jsa_a")
        hits = (
            claimants.join(spells.drop("household_id"), on="person_id", how="inner")
            .filter((jsa & pl.col("spell_long")) | (~jsa & pl.col("spell_short")))
            .group_by("household_id")
            .agg(emp_hit=pl.len())
        )
        return hits, pl.col("emp_hit").is_not_null()
    if claimants is not None or spells is not None:
        known = claimants if claimants is not None else spells
        maybe = known.group_by("household_id").agg(emp_maybe=pl.len())
        return maybe, _unknown_if(pl.col("emp_maybe").is_not_null(), False, pl.Boolean)
    return None, _unknown_if("has_adult_c", False, pl.Boolean)


def _education(
    frames: Mapping[str, pl.LazyFrame], persons: pl.LazyFrame, ctx: _Ctx
) -> pl.LazyFrame:
    """Per household, from the children with school_terms rows in either window.

    For ``education`` at c and at a: whether some school-age child is true, and
    how many are known false; for the requirement at c: whether one is false
    and how many are known true. Children without rows are unknown; the
    household-level resolution compares these counts with the numbers of
    school-age children.
    """
    p, t_c = ctx.p, ctx.t_c
    ti, school_c, school_a = pl.col("ti"), pl.col("school_c"), pl.col("school_a")
    edu_c, edu_a, req_c = (
        _child_education("c", p),
        _child_education("a", p),
        _child_requirement_c(p),
    )
    return (
        frames["school_terms"]
        .select(
            "person_id",
            "academic_year",
            "term",
            "sessions_possible",
            "sessions_unauthorised_absence",
            "fixed_exclusions",
            "permanently_excluded",
            "alternative_provision",
            "on_roll",
        )
        .join(
            persons.filter(school_c | school_a).select(
                "person_id", "household_id", "school_c", "school_a", "t_a"
            ),
            on="person_id",
            how="inner",
        )
        .with_columns(ti=row_term_index(pl.col("academic_year"), pl.col("term")))
        .with_columns(
            pos_c=ti - (t_c - p.terms_window),
            pos_a=ti - (pl.col("t_a") - p.terms_window),
        )
        .with_columns(
            in_c=pl.col("pos_c").is_between(0, p.terms_window - 1),
            in_a=pl.col("pos_a").is_between(0, p.terms_window - 1).fill_null(False),
        )
        .filter(pl.col("in_c") | pl.col("in_a"))
        .group_by("person_id")
        .agg(
            pl.col("household_id", "school_c", "school_a").first(),
            *_term_aggregates("c", p),
            *_term_aggregates("a", p),
        )
        .group_by("household_id")
        .agg(
            edu_true_c=(school_c & edu_c).any(),
            edu_n_false_c=(school_c & ~edu_c).fill_null(False).sum().cast(pl.Int64),
            edu_true_a=(school_a & edu_a).any(),
            edu_n_false_a=(school_a & ~edu_a).fill_null(False).sum().cast(pl.Int64),
            req_false_c=(school_c & ~req_c).any(),
            req_n_true_c=(school_c & req_c).fill_null(False).sum().cast(pl.Int64),
        )
    )


def _windowed_counts(
    events: pl.LazyFrame, date_col: str, persons: pl.LazyFrame, ctx: _Ctx, extra: list[str]
) -> pl.LazyFrame:
    """Events joined to their person's household and anchor, with window flags.

    ``in12_*``: in the last 12 months at c / at a; ``in6_*``: last 6 months.
    Rows in neither 12-month window are dropped (the 6-month windows lie inside).
    """
    x, a = pl.col(date_col), pl.col("attached_on")
    return (
        events.join(
            persons.select("person_id", "household_id", "attached_on", "a_12m", "a_6m", *extra),
            on="person_id",
            how="inner",
        )
        .with_columns(
            in12_c=_between(x, ctx.c_12m, ctx.as_of),
            in6_c=_between(x, ctx.c_6m, ctx.as_of),
            in12_a=_between(x, pl.col("a_12m"), a).fill_null(False),
            in6_a=_between(x, pl.col("a_6m"), a).fill_null(False),
        )
        .filter(pl.col("in12_c") | pl.col("in12_a"))
    )


def _offences(frames: Mapping[str, pl.LazyFrame], persons: pl.LazyFrame, ctx: _Ctx) -> pl.LazyFrame:
    """Proven offences committed under 18: any in 12 months, counts in 6 months, at c and a."""
    rows = frames["offences"].select("person_id", "offence_date", "proven").filter("proven")
    return (
        _windowed_counts(rows, "offence_date", persons, ctx, ["date_of_birth"])
        .filter(age_years(pl.col("date_of_birth"), pl.col("offence_date")) < ctx.p.adult_age)
        .group_by("household_id")
        .agg(
            off_12m_c=pl.col("in12_c").any(),
            off_12m_a=pl.col("in12_a").any(),
            offences_6m_c=pl.col("in6_c").sum().cast(pl.Int64),
            offences_6m_a=pl.col("in6_a").sum().cast(pl.Int64),
        )
    )


def _asb(frames: Mapping[str, pl.LazyFrame], persons: pl.LazyFrame, ctx: _Ctx) -> pl.LazyFrame:
    """Formal ASB in 12 months (identification); all ASB counted in 6 months (results)."""
    formal = pl.col("kind").is_in(ctx.p.formal_asb_kinds)
    rows = frames["asb"].select("person_id", "recorded_on", "kind")
    return (
        _windowed_counts(rows, "recorded_on", persons, ctx, [])
        .group_by("household_id")
        .agg(
            formal_12m_c=(formal & pl.col("in12_c")).any(),
            formal_12m_a=(formal & pl.col("in12_a")).any(),
            asb_6m_c=pl.col("in6_c").sum().cast(pl.Int64),
            asb_6m_a=pl.col("in6_a").sum().cast(pl.Int64),
        )
    )


def _referrals(
    frames: Mapping[str, pl.LazyFrame], persons: pl.LazyFrame, ctx: _Ctx
) -> pl.LazyFrame:
    """An adult (at c) referred on or after a and in the last 6 months at c."""
    x, a = pl.col("referred_on"), pl.col("attached_on")
    return (
        frames["work_referrals"]
        .select("person_id", "referred_on")
        .filter(_between(x, ctx.c_6m, ctx.as_of))
        .join(
            persons.filter(pl.col("adult_c") & a.is_not_null()).select(
                "person_id", "household_id", "attached_on"
            ),
            on="person_id",
            how="inner",
        )
        .filter(x >= a)
        .group_by("household_id")
        .agg(ptw_hits=pl.len())
    )


def _police(frames: Mapping[str, pl.LazyFrame], persons: pl.LazyFrame, ctx: _Ctx) -> pl.LazyFrame:
    """The Leeds local rule: a member's burglary incident in the last 12 months,
    at c and at a (pinned reading 1, revised: local is evaluated at each date)."""
    p, x, a = ctx.p, pl.col("incident_date"), pl.col("attached_on")
    return (
        frames["police_incidents"]
        .select("person_id", "incident_date", "category")
        .filter(pl.col("category") == p.local_police_category)
        .join(
            persons.select("person_id", "household_id", "attached_on", "a_local"),
            on="person_id",
            how="inner",
        )
        .with_columns(
            local_c=_between(x, ctx.c_local, ctx.as_of),
            local_a=_between(x, pl.col("a_local"), a).fill_null(False),
        )
        .group_by("household_id")
        .agg(local_hits=pl.col("local_c").any(), local_hits_a=pl.col("local_a").any())
    )


def _claimed(frames: Mapping[str, pl.LazyFrame], ctx: _Ctx) -> pl.LazyFrame:
    """Amount already claimed per household: claims with claimed_on <= as_of."""
    return (
        frames["claims"]
        .select("household_id", "claimed_on", "amount")
        .filter(pl.col("claimed_on") <= ctx.as_of)
        .group_by("household_id")
        .agg(already_claimed=pl.col("amount").sum().cast(MONEY))
    )


# ------------------------------------------------------------------------ the plan

EVENT_TABLES: tuple[str, ...] = (
    "school_terms",
    "offences",
    "asb",
    "benefit_claims",
    "employment_spells",
    "work_referrals",
    "police_incidents",
    "claims",
)


def phase1(
    frames: Mapping[str, pl.LazyFrame],
    as_of: date,
    *,
    detail: bool = False,
    params: type[Params] = Params,
) -> pl.LazyFrame:
    """Phase 1 identification at ``as_of``, results at ``as_of`` and payments.

    ``frames`` maps table names (docs/data-model.md) to lazy frames in the canonical
    dtypes; ``households`` and ``persons`` are required, every event table is
    optional (a table not supplied makes the facts drawn from it unknown for the
    members they are about; a missing ``claims`` table means nothing claimed).

    Returns one row per household, sorted by ``household_id``, with the columns
    of ``OUTPUT_COLUMNS`` (criteria and results nullable Boolean, payments
    ``Decimal(38, 2)``, never null). ``detail=True`` also keeps the intermediate
    columns of ``DETAIL_COLUMNS`` (the criteria at attached_on, the ASB and
    offence counts, the amount already claimed). ``params`` may be a subclass
    of ``Params`` overriding some of the named parameters (what-if runs).
    """
    for required in ("households", "persons"):
        if required not in frames:
            raise KeyError(f"phase1 needs the {required!r} table")
    has = {name: name in frames for name in EVENT_TABLES}
    ctx = _Ctx(as_of, params)
    p = params

    # Stage 1: persons with anchors and ages; population counts per household.
    # Every event branch reads it: cache it explicitly (the optimiser's own
    # common-subplan elimination misses the differently projected copies).
    persons = _persons(frames, ctx).cache()
    parts: list[pl.LazyFrame] = [_population(persons)]

    # Stage 2: events -> (persons ->) households, one table (or pair) at a time.
    claimants = spells = None
    if has["benefit_claims"]:
        benefit_rows = _benefit_rows(frames, persons, ctx)
        parts.append(_work(benefit_rows))
        claimants = _claimants_at_a(benefit_rows, p)
    if has["employment_spells"]:
        spells = _qualifying_spells(frames, persons, ctx)
    employment_part, employment = _employment(claimants, spells)
    if employment_part is not None:
        parts.append(employment_part)
    if has["school_terms"]:
        parts.append(_education(frames, persons, ctx))
    if has["offences"]:
        parts.append(_offences(frames, persons, ctx))
    if has["asb"]:
        parts.append(_asb(frames, persons, ctx))
    if has["work_referrals"]:
        parts.append(_referrals(frames, persons, ctx))
    local_rule = p.local_police_category is not None
    if local_rule and has["police_incidents"]:
        parts.append(_police(frames, persons, ctx))
    if has["claims"]:
        parts.append(_claimed(frames, ctx))

    out = frames["households"].select("household_id", "la_code", "attached_on")
    for part in parts:
        out = out.join(part, on="household_id", how="left")

    # Stage 3: resolve households without members / events and tables not supplied.
    B, I64 = pl.Boolean, pl.Int64
    out = out.with_columns(
        has_member=pl.col("n_members").fill_null(0) > 0,
        has_adult_c=pl.col("has_adult_c").fill_null(False),
        has_adult_a=pl.col("has_adult_a").fill_null(False),
        n_school_c=pl.col("n_school_c").fill_null(0),
        n_school_a=pl.col("n_school_a").fill_null(0),
        **{
            # school_terms not supplied reads like an empty table: every
            # school-age child is then unknown, as the data model requires.
            name: (
                pl.col(name).fill_null(pl.lit(empty, dtype))
                if has["school_terms"]
                else pl.lit(empty, dtype)
            )
            for name, empty, dtype in (
                ("edu_true_c", False, B),
                ("edu_n_false_c", 0, I64),
                ("edu_true_a", False, B),
                ("edu_n_false_a", 0, I64),
                ("req_false_c", False, B),
                ("req_n_true_c", 0, I64),
            )
        },
    ).with_columns(
        work_c=_joined(has["benefit_claims"], "work_c", "has_adult_c", False, B),
        work_a=_joined(has["benefit_claims"], "work_a", "has_adult_a", False, B),
        employment=employment,
        edu_c=_kleene_any_children("edu_true_c", "edu_n_false_c", "n_school_c"),
        edu_a=_kleene_any_children("edu_true_a", "edu_n_false_a", "n_school_a"),
        edu_req_c=_kleene_every_child("req_false_c", "req_n_true_c", "n_school_c"),
        off_12m_c=_joined(has["offences"], "off_12m_c", "has_member", False, B),
        off_12m_a=_joined(has["offences"], "off_12m_a", "has_member", False, B),
        offences_6m_c=_joined(has["offences"], "offences_6m_c", "has_member", 0, I64),
        offences_6m_a=_joined(has["offences"], "offences_6m_a", "has_member", 0, I64),
        formal_12m_c=_joined(has["asb"], "formal_12m_c", "has_member", False, B),
        formal_12m_a=_joined(has["asb"], "formal_12m_a", "has_member", False, B),
        asb_6m_c=_joined(has["asb"], "asb_6m_c", "has_member", 0, I64),
        asb_6m_a=_joined(has["asb"], "asb_6m_a", "has_member", 0, I64),
        ptw=(
            pl.col("ptw_hits").is_not_null()
            if has["work_referrals"]
            else _unknown_if("has_adult_c", False, B)
        ),
        local=(
            _joined(has["police_incidents"], "local_hits", "has_member", False, B)
            if local_rule
            else pl.lit(False)
        ),
        local_at_a=(
            _joined(has["police_incidents"], "local_hits_a", "has_member", False, B)
            if local_rule
            else pl.lit(False)
        ),
        already_claimed=(
            pl.col("already_claimed").fill_null(_money(0)) if has["claims"] else _money(0)
        ),
    )

    # Criteria at as_of and at attached_on (local too: pinned reading 1, revised).
    a = pl.col("attached_on")
    out = out.with_columns(
        crime_asb=pl.col("off_12m_c") | pl.col("formal_12m_c"),
        education=pl.col("edu_c"),
        work=pl.col("work_c"),
        crime_asb_at_a=pl.col("off_12m_a") | pl.col("formal_12m_a"),
        education_at_a=pl.col("edu_a"),
        work_at_a=pl.col("work_a"),
        attached=a.is_not_null(),
    ).with_columns(
        identified=_identified(
            pl.col("crime_asb"), pl.col("education"), pl.col("work"), pl.col("local")
        ),
        identified_at_a=_identified(
            pl.col("crime_asb_at_a"),
            pl.col("education_at_a"),
            pl.col("work_at_a"),
            pl.col("local_at_a"),
        ),
    )

    # Results at c (null for households not attached; pinned 2: neutral results).
    attached = pl.col("attached")
    asb_ok = p.asb_keep_den * pl.col("asb_6m_c") <= p.asb_keep_num * pl.col("asb_6m_a")
    off_ok = p.offence_keep_den * pl.col("offences_6m_c") <= p.offence_keep_num * pl.col(
        "offences_6m_a"
    )
    out = out.with_columns(
        education_result=pl.when(attached).then(~pl.col("education_at_a") | pl.col("edu_req_c")),
        crime_asb_result=pl.when(attached).then(~pl.col("crime_asb_at_a") | (asb_ok & off_ok)),
        employment_result=pl.when(attached).then(pl.col("employment")),
        progress_to_work=pl.when(attached).then(pl.col("ptw")),
        identified_at_a=pl.when(attached).then(pl.col("identified_at_a")),
        local_at_attachment=pl.when(attached).then(pl.col("local_at_a")),
    ).with_columns(
        turned_around=pl.when(attached).then(
            pl.col("identified_at_a")
            & (
                (pl.col("education_result") & pl.col("crime_asb_result"))
                | pl.col("employment_result")
            )
        ),
    )

    # Payments by the financial year of attached_on; unknown pays nothing.
    fy = financial_year(a)
    education_crime_paid = _pay(
        pl.col("identified_at_a") & pl.col("education_result") & pl.col("crime_asb_result"),
        _by_financial_year(fy, p.results_education_crime),
    )
    progress_paid = _pay(
        pl.col("progress_to_work"), _by_financial_year(fy, p.results_progress_to_work)
    )
    out = (
        out.with_columns(
            attachment_fee=_pay(
                attached & pl.col("identified_at_a"), _by_financial_year(fy, p.attachment_fee)
            ),
            results_payment=pl.when(pl.col("employment_result").fill_null(False))
            .then(_by_financial_year(fy, p.results_employment))
            .otherwise(education_crime_paid + progress_paid),
        )
        .with_columns(
            capped=pl.min_horizontal(
                pl.col("attachment_fee") + pl.col("results_payment"), _money(p.payment_cap)
            ),
        )
        .with_columns(
            payment_due=pl.when(attached)
            .then(pl.max_horizontal(pl.col("capped") - pl.col("already_claimed"), _money(0)))
            .otherwise(_money(0)),
            # What was claimed beyond what is now due: never hidden by the floor at £0.
            overclaimed=pl.max_horizontal(pl.col("already_claimed") - pl.col("capped"), _money(0)),
        )
    )

    columns = OUTPUT_COLUMNS + (DETAIL_COLUMNS if detail else ())
    return out.select(columns).sort("household_id")
