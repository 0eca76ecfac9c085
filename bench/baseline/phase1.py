"""Hand-written lazy Polars implementation of phase 1 (identification, results, payments).

This is the performance baseline for the rules compiler and a second, independent
oracle for the phase 1 rule files. It follows programme-rules.md ("Phase 1" and the
pinned readings) and data-model.md (three-valued logic, missing tables) directly,
without going through the rules language.

Plan shape (one entity level per stage, no nested windows, no Python UDFs):

1. ``persons`` joined to their household's anchor date ``attached_on`` (and the
   anchor's term index), with ages at ``as_of`` and at ``attached_on``.
2. Person-level facts that need a per-person combination (benefit claims,
   employment spells, school terms): events joined to (1), filtered to their
   windows, ``group_by(person_id)``; then persons ``group_by(household_id)``.
3. Household-level facts that are plain "some member"/"count" facts (offences,
   ASB, work referrals, police incidents, claims): events joined to (1) and
   aggregated straight to ``household_id``.
4. Everything left-joined onto ``households``; missing tables and households
   without members resolved; criteria, results and payments computed.

Windows around the per-household anchor are evaluated by joining events to the
anchor and filtering, in the same pass as the windows at ``as_of``.
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

__all__ = ["DETAIL_COLUMNS", "OUTPUT_COLUMNS", "Params", "phase1"]

MONEY = pl.Decimal(38, 2)


class Params:
    """Named phase 1 parameters (programme-rules.md); no literal is buried in a rule."""

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
    jsa_weeks = 26
    other_benefit_weeks = 13
    out_of_work_benefits: ClassVar[tuple[str, ...]] = ("JSA", "ESA", "IB", "IS", "CA", "SDA")
    formal_asb_kinds: ClassVar[tuple[str, ...]] = (
        "asbo",
        "injunction",
        "acceptable_behaviour_contract",
        "housing_intervention",
    )
    #: The Leeds local criterion used by the benchmark.
    local_police_category = "burglary"
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
    "identified",
    "education_result",
    "crime_asb_result",
    "employment_result",
    "progress_to_work",
    "turned_around",
    "attachment_fee",
    "results_payment",
    "payment_due",
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
    """``after < x <= upto`` (a "last N months/weeks at d" window)."""
    return (x > after) & (x <= upto)


def _missing(population: str, empty: bool | int, dtype: pl.DataType) -> pl.Expr:
    """A fact drawn from a table not supplied (pinned reading 12).

    Unknown where the household has someone the fact is about (``population``
    true), and the empty-data value (``empty``: false, or a count of 0) otherwise.
    """
    return pl.when(pl.col(population)).then(pl.lit(None, dtype)).otherwise(pl.lit(empty, dtype))


def _event_fact(
    supplied: bool, column: str, population: str, empty: bool | int, dtype: pl.DataType
) -> pl.Expr:
    """A household fact aggregated from an event table and left-joined on.

    Supplied table: a household with no matching events got a null from the
    join, which means "no such events" (``empty``). Table not supplied: see
    ``_missing``.
    """
    if supplied:
        return pl.col(column).fill_null(pl.lit(empty, dtype))
    return _missing(population, empty, dtype)


def _child_education(w: str, p: type[Params]) -> pl.Expr:
    """Per-child ``education`` fact over the term window ``w`` ("c" or "a").

    True if any of the facts holds over the window's rows; otherwise unknown
    with fewer than 3 distinct terms in the window, else false.
    """
    fact = (
        pl.col(f"perm_{w}")
        | (pl.col(f"fixed_{w}") >= p.fixed_exclusions_threshold)
        | pl.col(f"alt_{w}")
        | pl.col(f"off_roll_{w}")
        | _absence_high(w, p)
    )
    return (
        pl.when(fact)
        .then(pl.lit(True))
        .when(pl.col(f"terms_{w}") < p.terms_window)
        .then(pl.lit(None, pl.Boolean))
        .otherwise(pl.lit(False))
    )


def _absence_high(w: str, p: type[Params]) -> pl.Expr:
    """Unauthorised absence >= 15% of sessions possible, exactly, with possible > 0."""
    possible = pl.col(f"possible_{w}")
    return (possible > 0) & (p.absence_den * pl.col(f"unauth_{w}") >= p.absence_num * possible)


def _child_requirement_c(p: type[Params]) -> pl.Expr:
    """Per-child education_result requirement at c (pinned readings 7 and 8).

    Unknown with fewer than 3 distinct terms in the last 3 terms at c, whatever
    the rows show; else fewer than 3 fixed exclusions and absence not >= 15%.
    """
    ok = (pl.col("fixed_c") < p.fixed_exclusions_threshold) & ~_absence_high("c", p)
    return pl.when(pl.col("terms_c") < p.terms_window).then(pl.lit(None, pl.Boolean)).otherwise(ok)


# ------------------------------------------------------------------------ the plan


def phase1(
    frames: Mapping[str, pl.LazyFrame],
    as_of: date,
    *,
    detail: bool = False,
    params: type[Params] = Params,
) -> pl.LazyFrame:
    """Phase 1 identification at ``as_of``, results at ``as_of`` and payments.

    ``frames`` maps table names (data-model.md) to lazy frames in the canonical
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
    p = params
    has = {
        name: name in frames
        for name in (
            "school_terms",
            "offences",
            "asb",
            "benefit_claims",
            "employment_spells",
            "work_referrals",
            "police_incidents",
            "claims",
        )
    }

    # Scalar reference-date quantities, computed once while building the plan.
    c = pl.lit(as_of, pl.Date)
    c_12m = _scalar(months_before(c, p.identification_window_months))
    c_local = _scalar(months_before(c, p.local_window_months))
    c_6m = _scalar(months_before(c, p.results_window_months))
    t_c = term_index_py(as_of)

    a = pl.col("attached_on")
    households = frames["households"].select("household_id", "la_code", "attached_on")
    anchors = households.select(
        "household_id",
        "attached_on",
        a_12m=months_before(a, p.identification_window_months),
        a_6m=months_before(a, p.results_window_months),
        t_a=term_index(a),
    )

    # Stage 1: persons with their household's anchor and ages.
    dob = pl.col("date_of_birth")
    persons = (
        frames["persons"]
        .select("person_id", "household_id", "date_of_birth")
        .join(anchors, on="household_id", how="inner")
        .with_columns(age_c=age_years(dob, c), age_a=age_years(dob, a))
        .with_columns(
            adult_c=pl.col("age_c") >= p.adult_age,
            school_c=pl.col("age_c").is_between(p.school_age_min, p.school_age_max),
            adult_a=(pl.col("age_a") >= p.adult_age).fill_null(False),
            school_a=pl.col("age_a")
            .is_between(p.school_age_min, p.school_age_max)
            .fill_null(False),
        )
    )

    # Stage 2a: benefit claims -> persons.
    person_facts = persons.select(
        "person_id", "household_id", "adult_c", "school_c", "adult_a", "school_a"
    )
    if has["benefit_claims"]:
        start, end = pl.col("start_date"), pl.col("end_date")
        claims_p = (
            frames["benefit_claims"]
            .select("person_id", "benefit", "start_date", "end_date")
            .filter(pl.col("benefit").is_in(p.out_of_work_benefits))
            .join(persons.select("person_id", "attached_on"), on="person_id", how="inner")
            .with_columns(
                active_c=(start <= c) & (end.is_null() | (end >= c)),
                active_a=((start <= a) & (end.is_null() | (end >= a))).fill_null(False),
            )
            .filter(pl.col("active_c") | pl.col("active_a"))
            .group_by("person_id")
            .agg(
                oow_c=pl.col("active_c").any(),
                oow_a=pl.col("active_a").any(),
                jsa_a=(pl.col("active_a") & (pl.col("benefit") == "JSA")).any(),
            )
        )
        person_facts = person_facts.join(claims_p, on="person_id", how="left").with_columns(
            pl.col("oow_c", "oow_a", "jsa_a").fill_null(False)
        )
    else:
        person_facts = person_facts.with_columns(
            oow_c=pl.lit(None, pl.Boolean),
            oow_a=pl.lit(None, pl.Boolean),
            jsa_a=pl.lit(None, pl.Boolean),
        )

    # Stage 2b: employment spells starting on or after a -> persons.
    if has["employment_spells"]:
        start, end = pl.col("start_date"), pl.col("end_date")
        lasted_to = pl.when(end.is_null() | (end > c)).then(c).otherwise(end)
        spells_p = (
            frames["employment_spells"]
            .select("person_id", "start_date", "end_date")
            .join(persons.select("person_id", "attached_on"), on="person_id", how="inner")
            .filter(start >= a)
            .with_columns(length_days=(lasted_to - start).dt.total_days())
            .group_by("person_id")
            .agg(
                spell_short=(pl.col("length_days") >= 7 * p.other_benefit_weeks).any(),
                spell_long=(pl.col("length_days") >= 7 * p.jsa_weeks).any(),
            )
        )
        person_facts = person_facts.join(spells_p, on="person_id", how="left").with_columns(
            pl.col("spell_short", "spell_long").fill_null(False)
        )
    else:
        person_facts = person_facts.with_columns(
            spell_short=pl.lit(None, pl.Boolean), spell_long=pl.lit(None, pl.Boolean)
        )

    # Stage 2c: school terms in the last 3 terms at c and at a -> children.
    if has["school_terms"]:
        ti = pl.col("ti")
        terms_p = (
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
                persons.filter(pl.col("school_c") | pl.col("school_a")).select("person_id", "t_a"),
                on="person_id",
                how="inner",
            )
            .with_columns(ti=row_term_index(pl.col("academic_year"), pl.col("term")))
            .with_columns(
                in_c=ti.is_between(t_c - p.terms_window, t_c - 1),
                in_a=ti.is_between(pl.col("t_a") - p.terms_window, pl.col("t_a") - 1).fill_null(
                    False
                ),
            )
            .filter(pl.col("in_c") | pl.col("in_a"))
            .group_by("person_id")
            .agg(*(agg for w in ("c", "a") for agg in _term_aggregates(w)))
        )
        person_facts = person_facts.join(terms_p, on="person_id", how="left").with_columns(
            pl.col(
                "terms_c",
                "fixed_c",
                "possible_c",
                "unauth_c",
                "terms_a",
                "fixed_a",
                "possible_a",
                "unauth_a",
            ).fill_null(0),
            pl.col("perm_c", "alt_c", "off_roll_c", "perm_a", "alt_a", "off_roll_a").fill_null(
                False
            ),
        )
        child_c, child_a, req_c = (
            _child_education("c", p),
            _child_education("a", p),
            _child_requirement_c(p),
        )
    else:
        child_c = child_a = req_c = pl.lit(None, pl.Boolean)

    # Person-level facts; Kleene `&` makes them false for persons outside the
    # population (a non-adult, a child not of school age) whatever the data says.
    jsa, long_, short = pl.col("jsa_a"), pl.col("spell_long"), pl.col("spell_short")
    person_facts = person_facts.with_columns(
        work_p_c=pl.col("adult_c") & pl.col("oow_c"),
        work_p_a=pl.col("adult_a") & pl.col("oow_a"),
        employment_p=pl.col("adult_c") & pl.col("oow_a") & ((jsa & long_) | (~jsa & short)),
        edu_p_c=pl.col("school_c") & child_c,
        edu_p_a=pl.col("school_a") & child_a,
        edu_req_p_c=~pl.col("school_c") | req_c,
    )

    # Stage 3: persons -> households (Kleene any / every).
    person_hh = person_facts.group_by("household_id").agg(
        n_members=pl.len(),
        has_adult_c=pl.col("adult_c").any(),
        work_c=pl.col("work_p_c").any(ignore_nulls=False),
        work_a=pl.col("work_p_a").any(ignore_nulls=False),
        employment=pl.col("employment_p").any(ignore_nulls=False),
        edu_c=pl.col("edu_p_c").any(ignore_nulls=False),
        edu_a=pl.col("edu_p_a").any(ignore_nulls=False),
        edu_req_c=pl.col("edu_req_p_c").all(ignore_nulls=False),
    )

    # Stage 2d/3: events that are plain "some member" / counts -> households.
    hh_parts: list[pl.LazyFrame] = [person_hh]
    member_cols = persons.select("person_id", "household_id", "attached_on", "a_12m", "a_6m")
    if has["offences"]:
        x = pl.col("offence_date")
        offences_hh = (
            frames["offences"]
            .select("person_id", "offence_date", "proven")
            .filter(pl.col("proven"))
            .join(
                persons.select(
                    "person_id", "household_id", "date_of_birth", "attached_on", "a_12m", "a_6m"
                ),
                on="person_id",
                how="inner",
            )
            .filter(age_years(dob, x) < p.adult_age)
            .with_columns(
                in12_c=_between(x, c_12m, as_of),
                in6_c=_between(x, c_6m, as_of),
                in12_a=_between(x, pl.col("a_12m"), a).fill_null(False),
                in6_a=_between(x, pl.col("a_6m"), a).fill_null(False),
            )
            .filter(pl.col("in12_c") | pl.col("in12_a"))
            .group_by("household_id")
            .agg(
                off_12m_c=pl.col("in12_c").any(),
                off_12m_a=pl.col("in12_a").any(),
                offences_6m_c=pl.col("in6_c").sum().cast(pl.Int64),
                offences_6m_a=pl.col("in6_a").sum().cast(pl.Int64),
            )
        )
        hh_parts.append(offences_hh)
    if has["asb"]:
        x = pl.col("recorded_on")
        formal = pl.col("kind").is_in(p.formal_asb_kinds)
        asb_hh = (
            frames["asb"]
            .select("person_id", "recorded_on", "kind")
            .join(member_cols, on="person_id", how="inner")
            .with_columns(
                in12_c=_between(x, c_12m, as_of),
                in6_c=_between(x, c_6m, as_of),
                in12_a=_between(x, pl.col("a_12m"), a).fill_null(False),
                in6_a=_between(x, pl.col("a_6m"), a).fill_null(False),
            )
            .filter(pl.col("in12_c") | pl.col("in12_a"))
            .group_by("household_id")
            .agg(
                formal_12m_c=(formal & pl.col("in12_c")).any(),
                formal_12m_a=(formal & pl.col("in12_a")).any(),
                asb_6m_c=pl.col("in6_c").sum().cast(pl.Int64),
                asb_6m_a=pl.col("in6_a").sum().cast(pl.Int64),
            )
        )
        hh_parts.append(asb_hh)
    if has["work_referrals"]:
        x = pl.col("referred_on")
        referrals_hh = (
            frames["work_referrals"]
            .select("person_id", "referred_on")
            .filter(_between(x, c_6m, as_of))
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
        hh_parts.append(referrals_hh)
    if has["police_incidents"]:
        x = pl.col("incident_date")
        police_hh = (
            frames["police_incidents"]
            .select("person_id", "incident_date", "category")
            .filter((pl.col("category") == p.local_police_category) & _between(x, c_local, as_of))
            .join(persons.select("person_id", "household_id"), on="person_id", how="inner")
            .group_by("household_id")
            .agg(local_hits=pl.len())
        )
        hh_parts.append(police_hh)
    if has["claims"]:
        claimed_hh = (
            frames["claims"]
            .select("household_id", "claimed_on", "amount")
            .filter(pl.col("claimed_on") <= as_of)
            .group_by("household_id")
            .agg(already_claimed=pl.col("amount").sum().cast(MONEY))
        )
        hh_parts.append(claimed_hh)

    out = households
    for part in hh_parts:
        out = out.join(part, on="household_id", how="left")

    # Stage 4: resolve households without members and tables not supplied.
    has_member = pl.col("n_members").is_not_null()
    B, I64 = pl.Boolean, pl.Int64
    out = out.with_columns(
        has_member=has_member,
        has_adult_c=pl.col("has_adult_c").fill_null(False),
        **{
            name: pl.when(has_member).then(pl.col(name)).otherwise(pl.lit(empty, B))
            for name, empty in (
                ("work_c", False),
                ("work_a", False),
                ("employment", False),
                ("edu_c", False),
                ("edu_a", False),
                ("edu_req_c", True),
            )
        },
    ).with_columns(
        off_12m_c=_event_fact(has["offences"], "off_12m_c", "has_member", False, B),
        off_12m_a=_event_fact(has["offences"], "off_12m_a", "has_member", False, B),
        offences_6m_c=_event_fact(has["offences"], "offences_6m_c", "has_member", 0, I64),
        offences_6m_a=_event_fact(has["offences"], "offences_6m_a", "has_member", 0, I64),
        formal_12m_c=_event_fact(has["asb"], "formal_12m_c", "has_member", False, B),
        formal_12m_a=_event_fact(has["asb"], "formal_12m_a", "has_member", False, B),
        asb_6m_c=_event_fact(has["asb"], "asb_6m_c", "has_member", 0, I64),
        asb_6m_a=_event_fact(has["asb"], "asb_6m_a", "has_member", 0, I64),
        ptw=(
            pl.col("ptw_hits").is_not_null()
            if has["work_referrals"]
            else _missing("has_adult_c", False, B)
        ),
        local=(
            pl.col("local_hits").is_not_null()
            if has["police_incidents"]
            else _missing("has_member", False, B)
        ),
        already_claimed=(
            pl.col("already_claimed").fill_null(_money(0)) if has["claims"] else _money(0)
        ),
    )

    # Criteria at as_of and at attached_on (local: one value, pinned reading 1).
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
            pl.col("local"),
        ),
    )

    # Results at c (null for households not attached).
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
    out = out.with_columns(
        attachment_fee=_pay(
            attached & pl.col("identified_at_a"), _by_financial_year(fy, p.attachment_fee)
        ),
        results_payment=pl.when(pl.col("employment_result").fill_null(False))
        .then(_by_financial_year(fy, p.results_employment))
        .otherwise(education_crime_paid + progress_paid),
    ).with_columns(
        payment_due=pl.when(attached)
        .then(
            pl.max_horizontal(
                pl.min_horizontal(
                    pl.col("attachment_fee") + pl.col("results_payment"),
                    _money(p.payment_cap),
                )
                - pl.col("already_claimed"),
                _money(0),
            )
        )
        .otherwise(_money(0)),
    )

    columns = OUTPUT_COLUMNS + (DETAIL_COLUMNS if detail else ())
    return out.select(columns).sort("household_id")


def _term_aggregates(w: str) -> list[pl.Expr]:
    """Per-child aggregates over the rows of term window ``w`` ("c" or "a")."""
    inside = pl.col(f"in_{w}")

    def over(col: pl.Expr) -> pl.Expr:
        return col.filter(inside)

    return [
        over(pl.col("ti")).n_unique().cast(pl.Int64).alias(f"terms_{w}"),
        over(pl.col("fixed_exclusions")).sum().cast(pl.Int64).alias(f"fixed_{w}"),
        over(pl.col("sessions_possible")).sum().cast(pl.Int64).alias(f"possible_{w}"),
        over(pl.col("sessions_unauthorised_absence")).sum().cast(pl.Int64).alias(f"unauth_{w}"),
        over(pl.col("permanently_excluded")).any().alias(f"perm_{w}"),
        over(pl.col("alternative_provision")).any().alias(f"alt_{w}"),
        over(~pl.col("on_roll")).any().alias(f"off_roll_{w}"),
    ]
