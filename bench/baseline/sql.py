"""Hand-written DuckDB SQL implementation of phase 1: the second baseline.

The same computation as ``phase1.py`` (identification at as_of and at attachment,
results, payments; docs/programme-rules.md and docs/data-model.md), written as one
SQL query of common table expressions for DuckDB. Three-valued logic is SQL's own:
unknown is NULL, and SQL's AND, OR and NOT are Kleene's. Aggregates that Polars
computes ignoring nulls (``any``, ``sum``) are ``bool_or`` and ``sum`` here,
wrapped in ``coalesce`` where a group of only nulls must give false or 0.

Plan shape, as in the Polars baseline: persons joined once to their household's
``attached_on`` (its windows and term index per distinct date); each event table
joined to persons, filtered to its windows at c (as_of) and at a (attached_on) in
one pass and aggregated to households (through persons where a person's facts
combine); the household parts left-joined onto ``households`` and resolved.

``phase1_sql`` builds the query text; ``phase1_relation`` runs it on a DuckDB
connection where the tables are views; ``connect_parquet`` and ``connect_frames``
make such a connection from a folder of Parquet files or from Polars frames.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

from .phase1 import EVENT_TABLES, OUTPUT_COLUMNS, Params, _Ctx

__all__ = ["connect_frames", "connect_parquet", "phase1_relation", "phase1_sql"]

TABLES: tuple[str, ...] = ("households", "persons", *EVENT_TABLES)
MONEY = "DECIMAL(38, 2)"


def _d(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def _strings(values: Collection[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _money(value: Decimal | int) -> str:
    return f"CAST({Decimal(value)} AS {MONEY})"


def _age(dob: str, day: str) -> str:
    """Completed years from ``dob`` to ``day``: (month, day) compared as 100 * m + d."""
    return (
        f"(year({day}) - year({dob}) - CAST(100 * month({day}) + day({day}) "
        f"< 100 * month({dob}) + day({dob}) AS BIGINT))"
    )


def _months_before(day: str, months: int) -> str:
    """``day`` minus ``months`` calendar months, clamped to the month's end (as DuckDB does)."""
    return f"CAST({day} - INTERVAL {months} MONTH AS DATE)"


def _easter(y: str) -> str:
    """Gregorian Easter Sunday of year ``y`` (anonymous algorithm, integer arithmetic)."""
    a, b, c = f"({y} % 19)", f"({y} // 100)", f"({y} % 100)"
    d, e = f"({b} // 4)", f"({b} % 4)"
    g = f"(({b} - ({b} + 8) // 25 + 1) // 3)"
    h = f"((19 * {a} + {b} - {d} - {g} + 15) % 30)"
    ell = f"((32 + 2 * {e} + 2 * ({c} // 4) - {h} - {c} % 4) % 7)"
    m = f"(({a} + 11 * {h} + 22 * {ell}) // 451)"
    n = f"({h} + {ell} - 7 * {m} + 114)"
    return (
        f"make_date(CAST({y} AS BIGINT), CAST({n} // 31 AS BIGINT), CAST({n} % 31 + 1 AS BIGINT))"
    )


def _term_index(day: str) -> str:
    """Index of the school term containing ``day``: 3 * academic_year + (0, 1, 2)."""
    y = f"CAST(year({day}) AS BIGINT)"
    return (
        f"CASE WHEN month({day}) >= 8 THEN 3 * {y} "
        f"WHEN {day} <= {_easter(y)} THEN 3 * ({y} - 1) + 1 "
        f"ELSE 3 * ({y} - 1) + 2 END"
    )


def _by_financial_year(fy: str, table: Mapping[int, Decimal]) -> str:
    """Amount for financial year ``fy`` from ``table``; other years (or none): £0."""
    arms = " ".join(f"WHEN {year} THEN {_money(amount)}" for year, amount in table.items())
    return f"CAST(CASE {fy} {arms} ELSE {_money(0)} END AS {MONEY})"


def _pay(condition: str, amount: str) -> str:
    """``amount`` where ``condition`` is true; unknown or false pays £0."""
    return f"CASE WHEN coalesce({condition}, false) THEN {amount} ELSE {_money(0)} END"


def _unknown_if(population: str, empty: str) -> str:
    """A fact from a table not supplied: unknown where someone it is about exists."""
    return f"CASE WHEN {population} THEN NULL ELSE {empty} END"


def _joined(supplied: bool, column: str, population: str, empty: str) -> str:
    """A household fact from one event table, left-joined on (see phase1._joined)."""
    return f"coalesce({column}, {empty})" if supplied else _unknown_if(population, empty)


def _identified(crime: str, edu: str, work: str, local: str) -> str:
    """Pinned reading 1: all three national criteria, or two of them and local."""
    two = f"(({crime} AND {edu}) OR ({crime} AND {work}) OR ({edu} AND {work}))"
    return f"(({crime} AND {edu} AND {work}) OR ({two} AND {local}))"


def _window(x: str, after: str, upto: str) -> str:
    """``after < x <= upto`` (a "last N months at d" window)."""
    return f"({x} > {after} AND {x} <= {upto})"


# ----------------------------------------------------------------- the CTEs


def _persons(ctx: _Ctx) -> str:
    p, c = ctx.p, _d(ctx.as_of)
    local_months = p.local_window_months
    return f"""
anchors AS (
    SELECT attached_on,
        {_months_before("attached_on", p.identification_window_months)} AS a_12m,
        {_months_before("attached_on", local_months)} AS a_local,
        {_months_before("attached_on", p.results_window_months)} AS a_6m,
        {_term_index("attached_on")} AS t_a
    FROM (SELECT DISTINCT attached_on FROM households WHERE attached_on IS NOT NULL)
),
aged AS (
    SELECT p.person_id, p.household_id, p.date_of_birth, h.attached_on,
        n.a_12m, n.a_local, n.a_6m, n.t_a,
        {_age("p.date_of_birth", c)} AS age_c,
        {_age("p.date_of_birth", "h.attached_on")} AS age_a
    FROM persons p
    JOIN households h ON p.household_id = h.household_id
    LEFT JOIN anchors n ON h.attached_on = n.attached_on
),
people AS (
    SELECT *,
        age_c >= {p.adult_age} AS adult_c,
        age_c BETWEEN {p.school_age_min} AND {p.school_age_max} AS school_c,
        coalesce(age_a >= {p.adult_age}, false) AS adult_a,
        coalesce(age_a BETWEEN {p.school_age_min} AND {p.school_age_max}, false) AS school_a
    FROM aged
),
population AS (
    SELECT household_id, count(*) AS n_members,
        coalesce(bool_or(adult_c), false) AS pop_adult_c,
        coalesce(bool_or(adult_a), false) AS pop_adult_a,
        sum(CASE WHEN school_c THEN 1 ELSE 0 END) AS pop_school_c,
        sum(CASE WHEN school_a THEN 1 ELSE 0 END) AS pop_school_a
    FROM people GROUP BY household_id
)"""


def _benefits(ctx: _Ctx) -> str:
    p, c = ctx.p, _d(ctx.as_of)
    return f"""
benefit_rows AS (
    SELECT * FROM (
        SELECT b.person_id, b.benefit, x.household_id, x.adult_c, x.adult_a,
            b.start_date <= {c} AND (b.end_date IS NULL OR b.end_date >= {c}) AS active_c,
            coalesce(b.start_date <= x.attached_on
                AND (b.end_date IS NULL OR b.end_date >= x.attached_on), false) AS active_a
        FROM benefit_claims b JOIN people x ON b.person_id = x.person_id
        WHERE b.benefit IN ({_strings(p.out_of_work_benefits)}) AND (x.adult_c OR x.adult_a)
    ) WHERE active_c OR active_a
),
work_part AS (
    SELECT household_id,
        coalesce(bool_or(adult_c AND active_c), false) AS work_c,
        coalesce(bool_or(adult_a AND active_a), false) AS work_a
    FROM benefit_rows GROUP BY household_id
),
claimants AS (
    SELECT person_id, household_id, bool_or(benefit = {_strings([p.jsa_benefit])}) AS jsa_a
    FROM benefit_rows WHERE adult_c AND active_a GROUP BY person_id, household_id
)"""


def _spells(ctx: _Ctx) -> str:
    p, c = ctx.p, _d(ctx.as_of)
    short, long = 7 * p.other_benefit_weeks, 7 * p.jsa_weeks
    return f"""
spells AS (
    SELECT person_id, household_id,
        bool_or(length_days >= {short}) AS spell_short,
        bool_or(length_days >= {long}) AS spell_long
    FROM (
        SELECT s.person_id, x.household_id,
            CASE WHEN s.end_date IS NULL OR s.end_date > {c} THEN {c} ELSE s.end_date END
                - s.start_date AS length_days
        FROM employment_spells s JOIN people x ON s.person_id = x.person_id
        WHERE x.adult_c AND x.attached_on IS NOT NULL AND s.start_date >= x.attached_on
    ) WHERE length_days >= {min(short, long)}
    GROUP BY person_id, household_id
)"""


def _employment(has_claims: bool, has_spells: bool) -> tuple[str | None, str]:
    """The employment part's CTE (if any) and the expression resolving it."""
    if has_claims and has_spells:
        cte = """
employment_part AS (
    SELECT c.household_id, count(*) AS emp_hit
    FROM claimants c JOIN spells s ON c.person_id = s.person_id
    WHERE (c.jsa_a AND s.spell_long) OR (NOT c.jsa_a AND s.spell_short)
    GROUP BY c.household_id
)"""
        return cte, "emp_hit IS NOT NULL"
    if has_claims or has_spells:
        known = "claimants" if has_claims else "spells"
        cte = f"""
employment_part AS (
    SELECT household_id, count(*) AS emp_maybe FROM {known} GROUP BY household_id
)"""
        return cte, _unknown_if("emp_maybe IS NOT NULL", "false")
    return None, _unknown_if("has_adult_c", "false")


def _education(ctx: _Ctx) -> str:
    p, t_c, k = ctx.p, ctx.t_c, ctx.p.terms_window

    def totals(w: str) -> str:
        inside = f"in_{w}"
        sums = ",\n        ".join(
            f"coalesce(sum(CASE WHEN {inside} THEN {col} ELSE 0 END), 0) AS {name}_{w}"
            for col, name in (
                ("fixed_exclusions", "fixed"),
                ("sessions_possible", "possible"),
                ("sessions_unauthorised_absence", "unauth"),
            )
        )
        return (
            f"count(DISTINCT CASE WHEN {inside} THEN pos_{w} END) AS terms_{w},\n        {sums},"
            f"\n        coalesce(bool_or({inside} AND flag), false) AS flag_{w}"
        )

    def absence(w: str) -> str:
        return (
            f"(possible_{w} > 0 AND {p.absence_den} * unauth_{w} >= {p.absence_num} * possible_{w})"
        )

    def child_education(w: str) -> str:
        fact = f"flag_{w} OR fixed_{w} >= {p.fixed_exclusions_threshold} OR {absence(w)}"
        return f"CASE WHEN {fact} THEN true WHEN terms_{w} < {k} THEN NULL ELSE false END"

    requirement = (
        f"CASE WHEN terms_c < {k} THEN NULL "
        f"ELSE fixed_c < {p.fixed_exclusions_threshold} AND NOT {absence('c')} END"
    )
    return f"""
term_rows AS (
    SELECT * FROM (
        SELECT person_id, household_id, school_c, school_a, fixed_exclusions,
            sessions_possible, sessions_unauthorised_absence, flag, pos_c, pos_a,
            pos_c BETWEEN 0 AND {k - 1} AS in_c,
            coalesce(pos_a BETWEEN 0 AND {k - 1}, false) AS in_a
        FROM (
            SELECT t.person_id, x.household_id, x.school_c, x.school_a,
                t.fixed_exclusions, t.sessions_possible, t.sessions_unauthorised_absence,
                t.permanently_excluded OR t.alternative_provision OR NOT t.on_roll AS flag,
                ti - {t_c - k} AS pos_c, ti - (x.t_a - {k}) AS pos_a
            FROM (
                SELECT *, 3 * CAST(academic_year AS BIGINT) + CASE term
                    WHEN 'autumn' THEN 0 WHEN 'spring' THEN 1 WHEN 'summer' THEN 2 END AS ti
                FROM school_terms
            ) t JOIN people x ON t.person_id = x.person_id
            WHERE x.school_c OR x.school_a
        )
    ) WHERE in_c OR in_a
),
children AS (
    SELECT person_id, household_id, school_c, school_a,
        {totals("c")},
        {totals("a")}
    FROM term_rows GROUP BY person_id, household_id, school_c, school_a
),
child_facts AS (
    SELECT household_id, school_c, school_a,
        {child_education("c")} AS edu_c,
        {child_education("a")} AS edu_a,
        {requirement} AS req_c
    FROM children
),
education_part AS (
    SELECT household_id,
        coalesce(bool_or(school_c AND edu_c), false) AS edu_true_c,
        sum(CASE WHEN school_c AND NOT edu_c THEN 1 ELSE 0 END) AS edu_n_false_c,
        coalesce(bool_or(school_a AND edu_a), false) AS edu_true_a,
        sum(CASE WHEN school_a AND NOT edu_a THEN 1 ELSE 0 END) AS edu_n_false_a,
        coalesce(bool_or(school_c AND NOT req_c), false) AS req_false_c,
        sum(CASE WHEN school_c AND req_c THEN 1 ELSE 0 END) AS req_n_true_c
    FROM child_facts GROUP BY household_id
)"""


def _windowed(table: str, date_col: str, where: str, ctx: _Ctx, extra: str = "") -> str:
    """Rows of ``table`` with their household and 12- and 6-month window flags at c and a."""
    c, x = _d(ctx.as_of), f"e.{date_col}"
    return f"""
    SELECT * FROM (
        SELECT e.*, p.household_id{extra},
            {_window(x, _d(ctx.c_12m), c)} AS in12_c,
            {_window(x, _d(ctx.c_6m), c)} AS in6_c,
            coalesce({_window(x, "p.a_12m", "p.attached_on")}, false) AS in12_a,
            coalesce({_window(x, "p.a_6m", "p.attached_on")}, false) AS in6_a
        FROM {table} e JOIN people p ON e.person_id = p.person_id
        WHERE {where}
    ) WHERE in12_c OR in12_a"""


def _offences(ctx: _Ctx) -> str:
    rows = _windowed("offences", "offence_date", "e.proven", ctx, ", p.date_of_birth")
    return f"""
offences_part AS (
    SELECT household_id,
        coalesce(bool_or(in12_c), false) AS off_12m_c,
        coalesce(bool_or(in12_a), false) AS off_12m_a,
        sum(CASE WHEN in6_c THEN 1 ELSE 0 END) AS off_6m_c,
        sum(CASE WHEN in6_a THEN 1 ELSE 0 END) AS off_6m_a
    FROM ({rows}
    ) WHERE {_age("date_of_birth", "offence_date")} < {ctx.p.adult_age}
    GROUP BY household_id
)"""


def _asb(ctx: _Ctx) -> str:
    formal = f"kind IN ({_strings(ctx.p.formal_asb_kinds)})"
    return f"""
asb_part AS (
    SELECT household_id,
        coalesce(bool_or({formal} AND in12_c), false) AS formal_12m_c,
        coalesce(bool_or({formal} AND in12_a), false) AS formal_12m_a,
        sum(CASE WHEN in6_c THEN 1 ELSE 0 END) AS asb_count_c,
        sum(CASE WHEN in6_a THEN 1 ELSE 0 END) AS asb_count_a
    FROM ({_windowed("asb", "recorded_on", "true", ctx)}
    ) GROUP BY household_id
)"""


def _referrals(ctx: _Ctx) -> str:
    c = _d(ctx.as_of)
    return f"""
referrals_part AS (
    SELECT x.household_id, count(*) AS ptw_hits
    FROM work_referrals r JOIN people x ON r.person_id = x.person_id
    WHERE {_window("r.referred_on", _d(ctx.c_6m), c)} AND x.adult_c
        AND x.attached_on IS NOT NULL AND r.referred_on >= x.attached_on
    GROUP BY x.household_id
)"""


def _police(ctx: _Ctx) -> str:
    c, x = _d(ctx.as_of), "i.incident_date"
    category = _strings([ctx.p.local_police_category])
    return f"""
police_part AS (
    SELECT p.household_id,
        coalesce(bool_or({_window(x, _d(ctx.c_local), c)}), false) AS local_hits,
        coalesce(bool_or({_window(x, "p.a_local", "p.attached_on")}), false) AS local_hits_a
    FROM police_incidents i JOIN people p ON i.person_id = p.person_id
    WHERE i.category = {category}
    GROUP BY p.household_id
)"""


def _claimed(ctx: _Ctx) -> str:
    return f"""
claimed_part AS (
    SELECT household_id, CAST(sum(amount) AS {MONEY}) AS claimed_sum
    FROM claims WHERE claimed_on <= {_d(ctx.as_of)} GROUP BY household_id
)"""


# ------------------------------------------------------------------ the query


def phase1_sql(as_of: date, supplied: Collection[str], params: type[Params] = Params) -> str:
    """The phase 1 query at ``as_of`` over the tables named in ``supplied``.

    ``households`` and ``persons`` are required; an event table not in
    ``supplied`` is "not supplied" (the facts drawn from it unknown for the
    members they are about; no ``claims`` means nothing claimed). With
    ``params.local_police_category`` None the local criterion is false.
    """
    for required in ("households", "persons"):
        if required not in supplied:
            raise KeyError(f"phase1 needs the {required!r} table")
    has = {name: name in supplied for name in EVENT_TABLES}
    ctx = _Ctx(as_of, params)
    p = params
    local_rule = p.local_police_category is not None

    ctes = [_persons(ctx)]
    parts = ["population"]
    if has["benefit_claims"]:
        ctes.append(_benefits(ctx))
        parts.append("work_part")
    if has["employment_spells"]:
        ctes.append(_spells(ctx))
    employment_cte, employment = _employment(has["benefit_claims"], has["employment_spells"])
    if employment_cte is not None:
        ctes.append(employment_cte)
        parts.append("employment_part")
    for table, builder, part in (
        ("school_terms", _education, "education_part"),
        ("offences", _offences, "offences_part"),
        ("asb", _asb, "asb_part"),
        ("work_referrals", _referrals, "referrals_part"),
        ("claims", _claimed, "claimed_part"),
    ):
        if has[table]:
            ctes.append(builder(ctx))
            parts.append(part)
    if local_rule and has["police_incidents"]:
        ctes.append(_police(ctx))
        parts.append("police_part")

    joins = "\n    ".join(f"LEFT JOIN {part} USING (household_id)" for part in parts)

    def edu(name: str, empty: str) -> str:
        return f"coalesce({name}, {empty})" if has["school_terms"] else empty

    def joined(table: str, column: str, population: str, empty: str) -> str:
        return _joined(has[table], column, population, empty)

    if local_rule:
        local = joined("police_incidents", "local_hits", "has_member", "false")
        local_a = joined("police_incidents", "local_hits_a", "has_member", "false")
    else:
        local = local_a = "false"
    ptw = "ptw_hits IS NOT NULL" if has["work_referrals"] else _unknown_if("has_adult_c", "false")
    claimed = "coalesce(claimed_sum, " + _money(0) + ")" if has["claims"] else _money(0)
    ctes.append(f"""
resolved AS (
    SELECT household_id, la_code, attached_on,
        coalesce(n_members, 0) > 0 AS has_member,
        coalesce(pop_adult_c, false) AS has_adult_c,
        coalesce(pop_adult_a, false) AS has_adult_a,
        coalesce(pop_school_c, 0) AS n_school_c,
        coalesce(pop_school_a, 0) AS n_school_a,
        {edu("edu_true_c", "false")} AS edu_true_c_,
        {edu("edu_n_false_c", "0")} AS edu_n_false_c_,
        {edu("edu_true_a", "false")} AS edu_true_a_,
        {edu("edu_n_false_a", "0")} AS edu_n_false_a_,
        {edu("req_false_c", "false")} AS req_false_c_,
        {edu("req_n_true_c", "0")} AS req_n_true_c_,
        {"work_c" if has["benefit_claims"] else "NULL"} AS work_c_,
        {"work_a" if has["benefit_claims"] else "NULL"} AS work_a_,
        {"emp_hit" if has["benefit_claims"] and has["employment_spells"] else "NULL"} AS emp_hit,
        {"emp_maybe" if has["benefit_claims"] != has["employment_spells"] else "NULL"} AS emp_maybe,
        {"off_12m_c" if has["offences"] else "NULL"} AS off_12m_c_,
        {"off_12m_a" if has["offences"] else "NULL"} AS off_12m_a_,
        {"off_6m_c" if has["offences"] else "NULL"} AS off_6m_c_,
        {"off_6m_a" if has["offences"] else "NULL"} AS off_6m_a_,
        {"formal_12m_c" if has["asb"] else "NULL"} AS formal_12m_c_,
        {"formal_12m_a" if has["asb"] else "NULL"} AS formal_12m_a_,
        {"asb_count_c" if has["asb"] else "NULL"} AS asb_count_c_,
        {"asb_count_a" if has["asb"] else "NULL"} AS asb_count_a_,
        {"ptw_hits" if has["work_referrals"] else "NULL"} AS ptw_hits,
        {"local_hits" if local_rule and has["police_incidents"] else "NULL"} AS local_hits,
        {"local_hits_a" if local_rule and has["police_incidents"] else "NULL"} AS local_hits_a,
        {"claimed_sum" if has["claims"] else "NULL"} AS claimed_sum
    FROM households
    {joins}
),
facts AS (
    SELECT household_id, la_code, attached_on, attached_on IS NOT NULL AS attached,
        {joined("benefit_claims", "work_c_", "has_adult_c", "false")} AS work_c,
        {joined("benefit_claims", "work_a_", "has_adult_a", "false")} AS work_a,
        {employment} AS employment,
        CASE WHEN edu_true_c_ THEN true WHEN edu_n_false_c_ = n_school_c THEN false END AS edu_c,
        CASE WHEN edu_true_a_ THEN true WHEN edu_n_false_a_ = n_school_a THEN false END AS edu_a,
        CASE WHEN req_false_c_ THEN false WHEN req_n_true_c_ = n_school_c THEN true END
            AS edu_req_c,
        {joined("offences", "off_12m_c_", "has_member", "false")}
            OR {joined("asb", "formal_12m_c_", "has_member", "false")} AS crime_asb,
        {joined("offences", "off_12m_a_", "has_member", "false")}
            OR {joined("asb", "formal_12m_a_", "has_member", "false")} AS crime_asb_at_a,
        {joined("offences", "off_6m_c_", "has_member", "0")} AS off_6m_c,
        {joined("offences", "off_6m_a_", "has_member", "0")} AS off_6m_a,
        {joined("asb", "asb_count_c_", "has_member", "0")} AS asb_6m_c,
        {joined("asb", "asb_count_a_", "has_member", "0")} AS asb_6m_a,
        {ptw} AS ptw,
        {local} AS local_c,
        {local_a} AS local_a,
        {claimed} AS already_claimed
    FROM resolved
),
criteria AS (
    SELECT *,
        {_identified("crime_asb", "edu_c", "work_c", "local_c")} AS identified,
        CASE WHEN attached THEN
            {_identified("crime_asb_at_a", "edu_a", "work_a", "local_a")} END AS identified_at_a,
        CASE WHEN attached THEN NOT edu_a OR edu_req_c END AS education_result,
        CASE WHEN attached THEN NOT crime_asb_at_a OR (
            {p.asb_keep_den} * asb_6m_c <= {p.asb_keep_num} * asb_6m_a
            AND {p.offence_keep_den} * off_6m_c <= {p.offence_keep_num} * off_6m_a) END
            AS crime_asb_result,
        CASE WHEN attached THEN employment END AS employment_result,
        CASE WHEN attached THEN ptw END AS progress_to_work,
        CASE WHEN attached THEN local_a END AS local_at_attachment,
        year(attached_on) - CAST(month(attached_on) < 4 AS BIGINT) AS fy
    FROM facts
),
paid AS (
    SELECT *,
        CASE WHEN attached THEN identified_at_a
            AND ((education_result AND crime_asb_result) OR employment_result) END
            AS turned_around,
        {_pay("attached AND identified_at_a", _by_financial_year("fy", p.attachment_fee))}
            AS attachment_fee,
        CASE WHEN coalesce(employment_result, false)
            THEN {_by_financial_year("fy", p.results_employment)}
            ELSE {
        _pay(
            "identified_at_a AND education_result AND crime_asb_result",
            _by_financial_year("fy", p.results_education_crime),
        )
    }
                + {_pay("progress_to_work", _by_financial_year("fy", p.results_progress_to_work))}
        END AS results_payment
    FROM criteria
),
capped AS (
    SELECT *, least(attachment_fee + results_payment, {_money(p.payment_cap)}) AS cap
    FROM paid
)""")
    outputs = {
        "crime_asb": "crime_asb",
        "education": "edu_c",
        "work": "work_c",
        "local": "local_c",
        "local_at_attachment": "local_at_attachment",
        "identified": "identified",
        "education_result": "education_result",
        "crime_asb_result": "crime_asb_result",
        "employment_result": "employment_result",
        "progress_to_work": "progress_to_work",
        "turned_around": "turned_around",
        "attachment_fee": f"CAST(attachment_fee AS {MONEY})",
        "results_payment": f"CAST(results_payment AS {MONEY})",
        "payment_due": f"CAST(CASE WHEN attached THEN greatest(cap - already_claimed, "
        f"{_money(0)}) ELSE {_money(0)} END AS {MONEY})",
        "overclaimed": f"CAST(greatest(already_claimed - cap, {_money(0)}) AS {MONEY})",
    }
    columns = ",\n    ".join(
        [
            "household_id",
            "la_code",
            *(f"{expr} AS {name}" for name, expr in outputs.items()),
        ]
    )
    assert tuple(["household_id", "la_code", *outputs]) == OUTPUT_COLUMNS
    return "WITH" + ",".join(ctes) + f"\nSELECT\n    {columns}\nFROM capped\nORDER BY household_id"


def phase1_relation(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    supplied: Collection[str],
    params: type[Params] = Params,
) -> duckdb.DuckDBPyRelation:
    """The phase 1 query as a (lazy) DuckDB relation on ``con``."""
    return con.sql(phase1_sql(as_of, supplied, params))


def connect_parquet(
    directory: Path, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    """A connection with a view per ``<table>.parquet`` in ``directory``, and their names."""
    con = con or duckdb.connect()
    supplied = []
    for name in TABLES:
        path = directory / f"{name}.parquet"
        if path.exists():
            quoted = str(path).replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")
            supplied.append(name)
    return con, supplied


def connect_frames(
    frames: Mapping[str, pl.DataFrame | pl.LazyFrame],
) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    """A connection with each of ``frames`` (data-model tables) registered as a view."""
    con = duckdb.connect()
    supplied = []
    for name, frame in frames.items():
        if name in TABLES:
            df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
            con.register(name, df.to_arrow())
            supplied.append(name)
    return con, supplied
