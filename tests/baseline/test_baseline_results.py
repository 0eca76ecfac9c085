"""Phase 1 results at the claim date c = as_of for a household attached on a.

The standard family (``family``) is attached on a = 2012-06-01 and claimed for
at c = 2013-06-15.

- Terms: a is in summer 2011 (index 6035, Easter 2012 = 8 April), so the last
  3 terms at a are summer 2010, autumn 2011, spring 2011. c is in summer 2012
  (6038, Easter 2013 = 31 March): the last 3 terms at c are summer 2011,
  autumn 2012, spring 2012.
- 6-month windows: at a (2011-12-01, 2012-06-01], at c (2012-12-15, 2013-06-15].
- A (adult, born 1980) claims JSA from 2011-01-01, still claiming: work at a.
- C (born 2000-01-01, 12 at a, 13 at c) was permanently excluded in spring 2011
  (education at a), has a proven offence on 2012-04-01 (crime_asb at a), and is
  clean with 3 terms in the window at c (education requirement met).

So identified at a is true and, by default, education_result and
crime_asb_result are true (0 offences at c <= 67/100 x 1 at a; 0 ASB <= 0).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from .builders import clean_terms, dataset, one, term

A = date(2012, 6, 1)
C = date(2013, 6, 15)
ADULT = ("A", "H1", date(1980, 1, 1))
CHILD = ("C", "H1", date(2000, 1, 1))
WINDOW_C = ((2011, "summer"), (2012, "autumn"), (2012, "spring"))


TERMS_A = [
    term("C", 2011, "spring", perm=True),
    *clean_terms("C", (2010, "summer"), (2011, "autumn")),
]
CLEAN_A = clean_terms("C", (2010, "summer"), (2011, "autumn"), (2011, "spring"))


def family(
    *,
    terms_a: list[tuple] = TERMS_A,
    terms_c: list[tuple] | None = None,
    offences: list[tuple] | None = None,
    claims: list[tuple] | None = None,
    persons: list[tuple] | None = None,
    attached_on: date | None = A,
    missing: tuple[str, ...] = (),
    **extra: list[tuple],
) -> dict[str, Any]:
    """The standard family, with some of its default rows replaced.

    ``terms_a``/``terms_c`` are C's school_terms rows in the windows at a and
    at c; ``offences`` and ``claims`` replace the default offence and JSA
    claim; ``extra`` gives the rows of the other event tables.
    """
    events: dict[str, list[tuple]] = {
        "school_terms": [*terms_a, *(clean_terms("C", *WINDOW_C) if terms_c is None else terms_c)],
        "offences": [("C", date(2012, 4, 1), True)] if offences is None else offences,
        "benefit_claims": [("A", "JSA", date(2011, 1, 1), None)] if claims is None else claims,
        **extra,
    }
    for name in missing:
        events.pop(name, None)
    return dataset(
        [("H1", attached_on)],
        [ADULT, CHILD] if persons is None else persons,
        missing=missing,
        **events,
    )


def test_standard_family() -> None:
    row = one(family(), C)
    assert row["crime_asb_at_a"] is True
    assert row["education_at_a"] is True
    assert row["work_at_a"] is True
    assert row["identified_at_a"] is True
    assert row["education_result"] is True
    assert row["crime_asb_result"] is True
    # No employment spell, no referral.
    assert row["employment_result"] is False
    assert row["progress_to_work"] is False
    # identified at a and (education_result and crime_asb_result).
    assert row["turned_around"] is True


def test_not_attached_results_are_null() -> None:
    row = one(family(attached_on=None), C)
    for col in (
        "education_result",
        "crime_asb_result",
        "employment_result",
        "progress_to_work",
        "turned_around",
    ):
        assert row[col] is None, col


# -------------------------------------------------------------- education_result


@pytest.mark.parametrize(
    ("terms_c", "expected"),
    [
        # 3 fixed exclusions over the last 3 terms at c -> requirement fails.
        ([term("C", 2011, "summer", fixed=3), *clean_terms("C", *WINDOW_C[1:])], False),
        ([term("C", 2011, "summer", fixed=2), *clean_terms("C", *WINDOW_C[1:])], True),
        # Exactly 15% unauthorised (45 of 300): not "< 15%" -> fails.
        ([term("C", 2011, "summer", unauth=45), *clean_terms("C", *WINDOW_C[1:])], False),
        # 44 of 300 (14.67%) -> met.
        ([term("C", 2011, "summer", unauth=44), *clean_terms("C", *WINDOW_C[1:])], True),
        # No sessions possible: ">= 15%" is false, so "< 15%" is true (pinned 7).
        ([term("C", ay, t, possible=0) for ay, t in WINDOW_C], True),
        # Only 2 distinct terms at c: unknown whatever the rows show (pinned 8) ...
        (clean_terms("C", *WINDOW_C[:2]), None),
        # ... even when those rows already break the requirement.
        ([term("C", 2011, "summer", fixed=5), term("C", 2012, "autumn")], None),
        # Permanent exclusion / alternative provision are not part of the
        # requirement at c (only fixed exclusions and absence are).
        ([term("C", 2011, "summer", perm=True), *clean_terms("C", *WINDOW_C[1:])], True),
    ],
)
def test_education_result_requirement(terms_c: list[tuple], expected: bool | None) -> None:
    assert one(family(terms_c=terms_c), C)["education_result"] is expected


def test_education_result_neutral_when_education_false_at_a() -> None:
    # C clean over 3 terms at a (education false at a); 5 fixed exclusions at c
    # break the requirement, but the result is neutral: (not false) or false = true.
    terms_c = [term("C", 2011, "summer", fixed=5), *clean_terms("C", *WINDOW_C[1:])]
    row = one(family(terms_a=CLEAN_A, terms_c=terms_c), C)
    assert row["education_at_a"] is False
    assert row["education_result"] is True


@pytest.mark.parametrize(
    ("terms_c", "expected"),
    [
        # Education unknown at a (2 terms at a, both clean). Pinned 2: with the
        # requirement true at c both branches are true -> true ...
        (clean_terms("C", *WINDOW_C), True),
        # ... with the requirement false -> (not unknown) or false = unknown.
        ([term("C", 2011, "summer", fixed=3), *clean_terms("C", *WINDOW_C[1:])], None),
    ],
)
def test_education_result_if_then_else_with_unknown_condition(
    terms_c: list[tuple], expected: bool | None
) -> None:
    row = one(family(terms_a=CLEAN_A[:2], terms_c=terms_c), C)
    assert row["education_at_a"] is None
    assert row["education_result"] is expected


def test_education_result_no_school_age_child_at_c() -> None:
    # C born 1997-01-01: 15 at a (school age, excluded -> education at a), 16 at c.
    # No school-age child at c -> every(...) over no children is true.
    row = one(family(persons=[ADULT, ("C", "H1", date(1997, 1, 1))], terms_c=[]), C)
    assert row["education_at_a"] is True
    assert row["education_result"] is True


def test_education_result_unknown_at_a() -> None:
    # school_terms not supplied: education at a unknown, requirement at c unknown
    # (C is school age at c) -> (not unknown) or unknown = unknown.
    row = one(family(missing=("school_terms",)), C)
    assert row["education_at_a"] is None
    assert row["education_result"] is None


# -------------------------------------------------------------- crime_asb_result


def _asb(n: int, on: date, kind: str = "incident") -> list[tuple]:
    return [("A", on, kind)] * n


@pytest.mark.parametrize(
    ("at_a", "at_c", "expected"),
    [
        # 60% reduction met exactly: 2 <= 2/5 x 5 (10 <= 10).
        (5, 2, True),
        (5, 3, False),
        # 0 then 0 passes.
        (0, 0, True),
        (1, 1, False),
    ],
)
def test_crime_asb_result_asb_reduction(at_a: int, at_c: int, expected: bool) -> None:
    # Results count every ASB kind (pinned 13): incidents in both windows.
    # crime_asb at a comes from C's offence; offences at c: 0 <= 67/100 x 1.
    f = family(asb=_asb(at_a, date(2012, 3, 1)) + _asb(at_c, date(2013, 3, 1)))
    row = one(f, C)
    assert (row["asb_6m_a"], row["asb_6m_c"]) == (at_a, at_c)
    assert row["crime_asb_result"] is expected


@pytest.mark.parametrize(
    ("at_a", "at_c", "expected"),
    [
        # 33% reduction: 2 <= 67/100 x 3 = 2.01 (200 <= 201) passes ...
        (3, 2, True),
        # ... 1 <= 0.67 fails; 3 then 3 fails.
        (1, 1, False),
        (3, 3, False),
    ],
)
def test_crime_asb_result_offence_reduction(at_a: int, at_c: int, expected: bool) -> None:
    # C's offences: at_a in (2011-12-01, 2012-06-01] and at_c in
    # (2012-12-15, 2013-06-15]; all proven, C (12-13) under 18.
    extra_a = [("C", date(2012, 5, 1), True)] * at_a
    extra_c = [("C", date(2013, 2, 1), True)] * at_c
    row = one(family(offences=extra_a + extra_c), C)
    assert (row["offences_6m_a"], row["offences_6m_c"]) == (at_a, at_c)
    assert row["crime_asb_result"] is expected


def test_crime_asb_result_counts_only_proven_under_18() -> None:
    # A (adult) offends at c and C has an unproven offence at c: neither counts,
    # so offences 1 at a, 0 at c -> passes.
    extra = [
        ("C", date(2012, 4, 1), True),
        ("A", date(2013, 2, 1), True),
        ("C", date(2013, 2, 1), False),
    ]
    row = one(family(offences=extra), C)
    assert (row["offences_6m_a"], row["offences_6m_c"]) == (1, 0)
    assert row["crime_asb_result"] is True


def test_crime_asb_result_neutral_when_not_crime_at_a() -> None:
    # The only offence is at c (2013-02-01): crime_asb false at a; the counts
    # (1 at c, 0 at a) fail the requirement, but the result is neutral: true.
    row = one(family(offences=[("C", date(2013, 2, 1), True)]), C)
    assert row["crime_asb_at_a"] is False
    assert (row["offences_6m_a"], row["offences_6m_c"]) == (0, 1)
    assert row["crime_asb_result"] is True


def test_crime_asb_result_missing_asb_table() -> None:
    # asb not supplied: crime_asb at a is still true (the offence), but the ASB
    # counts are unknown -> requirement unknown -> result unknown.
    row = one(family(missing=("asb",)), C)
    assert row["crime_asb_at_a"] is True
    assert row["crime_asb_result"] is None


# ------------------------------------------------------------- employment_result


def _employment(claims: list[tuple], spells: list[tuple], as_of: date = C) -> bool | None:
    return one(family(claims=claims, employment_spells=spells), as_of)["employment_result"]


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        # JSA at a -> 26 weeks = 182 days. 2012-06-01 .. 2012-11-30 is 182 days.
        (date(2012, 11, 30), True),
        (date(2012, 11, 29), False),
    ],
)
def test_employment_jsa_26_weeks(end: date, expected: bool) -> None:
    claims = [("A", "JSA", date(2011, 1, 1), None)]
    assert _employment(claims, [("A", A, end)]) is expected


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        # Not JSA -> 13 weeks = 91 days. 2012-06-01 .. 2012-08-31 is 91 days.
        (date(2012, 8, 31), True),
        (date(2012, 8, 30), False),
    ],
)
def test_employment_other_benefit_13_weeks(end: date, expected: bool) -> None:
    claims = [("A", "ESA", date(2011, 1, 1), None)]
    assert _employment(claims, [("A", A, end)]) is expected


def test_employment_any_jsa_claim_at_a_needs_26_weeks() -> None:
    # ESA and JSA both active at a: 26 weeks needed; a 91-day spell is not enough.
    claims = [("A", "ESA", date(2011, 1, 1), None), ("A", "JSA", date(2012, 1, 1), None)]
    assert _employment(claims, [("A", A, date(2012, 8, 31))]) is False


def test_employment_jsa_ended_before_a_does_not_set_26_weeks() -> None:
    # JSA ended 2012-05-31 (not active at a); ESA active at a -> 13 weeks.
    claims = [
        ("A", "JSA", date(2011, 1, 1), date(2012, 5, 31)),
        ("A", "ESA", date(2012, 5, 31), None),
    ]
    assert _employment(claims, [("A", A, date(2012, 8, 31))]) is True


def test_employment_claim_ending_on_a_is_active_at_a() -> None:
    claims = [("A", "ESA", date(2011, 1, 1), A)]
    assert _employment(claims, [("A", A, date(2012, 8, 31))]) is True


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Ongoing spell from a, measured to c: 182 days needed (JSA).
        (date(2012, 11, 30), True),
        (date(2012, 11, 29), False),
    ],
)
def test_employment_ongoing_spell_measured_to_c(as_of: date, expected: bool) -> None:
    claims = [("A", "JSA", date(2011, 1, 1), None)]
    assert _employment(claims, [("A", A, None)], as_of) is expected


def test_employment_spell_ending_after_c_is_cut_at_c() -> None:
    # Spell 2013-01-01 .. 2014-01-01, c = 2013-06-15: 165 days by c < 182 (JSA).
    claims = [("A", "JSA", date(2011, 1, 1), None)]
    assert _employment(claims, [("A", date(2013, 1, 1), date(2014, 1, 1))]) is False


def test_employment_spell_before_a_does_not_count() -> None:
    # Started the day before a (pinned 14), however long.
    claims = [("A", "JSA", date(2011, 1, 1), None)]
    assert _employment(claims, [("A", date(2012, 5, 31), None)]) is False


def test_employment_needs_claim_at_a() -> None:
    # Claim started after a: no claim active at a.
    claims = [("A", "JSA", date(2012, 6, 2), None)]
    assert _employment(claims, [("A", A, None)]) is False


def test_employment_adult_at_c_child_at_a() -> None:
    # Y born 1994-09-01: 17 at a, 18 at c. "Some adult" is adult at c (pinned 4),
    # Y had JSA at a, and a spell from a lasting 379 days by c (>= 182) -> true.
    f = family(
        persons=[ADULT, CHILD, ("Y", "H1", date(1994, 9, 1))],
        claims=[("Y", "JSA", date(2012, 1, 1), None)],
        employment_spells=[("Y", A, None)],
    )
    assert one(f, C)["employment_result"] is True


def test_employment_child_at_c_does_not_count() -> None:
    # Z born 1996-01-01: 17 at c, not an adult at the claim date -> false.
    f = family(
        persons=[ADULT, CHILD, ("Z", "H1", date(1996, 1, 1))],
        claims=[("Z", "JSA", date(2012, 1, 1), None)],
        employment_spells=[("Z", A, None)],
    )
    assert one(f, C)["employment_result"] is False


@pytest.mark.parametrize(
    ("missing", "spells", "expected"),
    [
        # employment_spells not supplied: A had a claim at a -> unknown.
        ("employment_spells", None, None),
        # benefit_claims not supplied, no spell from a: adult and unknown and
        # false -> false.
        ("benefit_claims", [], False),
        # benefit_claims not supplied, a spell of 379 days from a: whether A had
        # a claim at a is unknown -> unknown.
        ("benefit_claims", [("A", A, None)], None),
        # ... a 100-day spell: unknown claim, unknown whether JSA (26 or 13
        # weeks): (unknown and false) or (unknown and true) -> unknown.
        ("benefit_claims", [("A", A, date(2012, 9, 9))], None),
    ],
)
def test_employment_missing_tables(
    missing: str, spells: list[tuple] | None, expected: bool | None
) -> None:
    extra = {} if spells is None else {"employment_spells": spells}
    f = family(missing=(missing,), **extra)
    assert one(f, C)["employment_result"] is expected


# --------------------------------------------------------------- progress_to_work


@pytest.mark.parametrize(
    ("who", "referred_on", "expected"),
    [
        ("A", date(2013, 3, 1), True),
        # Before a: does not count.
        ("A", date(2012, 5, 31), False),
        # Exactly 6 months before c (2012-12-15): outside the window.
        ("A", date(2012, 12, 15), False),
        ("A", date(2012, 12, 16), True),
        # After c: not yet.
        ("A", date(2013, 6, 16), False),
        # By a child (C, 13): not an adult.
        ("C", date(2013, 3, 1), False),
    ],
)
def test_progress_to_work(who: str, referred_on: date, expected: bool) -> None:
    f = family(work_referrals=[(who, referred_on, "work_programme")])
    assert one(f, C)["progress_to_work"] is expected


def test_progress_to_work_referral_on_a_and_either_programme() -> None:
    # c = 2012-09-01: window (2012-03-01, 2012-09-01]; referral on a (2012-06-01)
    # to esf_families counts (pinned 14: either programme).
    f = family(work_referrals=[("A", A, "esf_families")])
    assert one(f, date(2012, 9, 1))["progress_to_work"] is True


def test_progress_to_work_missing_table() -> None:
    assert one(family(missing=("work_referrals",)), C)["progress_to_work"] is None
    # Only children: false.
    f = family(missing=("work_referrals",), persons=[CHILD])
    assert one(f, C)["progress_to_work"] is False


# ------------------------------------------------------------------ turned_around


def test_turned_around_by_employment_alone() -> None:
    # Education requirement fails at c (5 fixed exclusions), but A has a spell
    # from a lasting 379 days by c (JSA: 182 needed) -> employment_result true.
    terms_c = [term("C", 2011, "summer", fixed=5), *clean_terms("C", *WINDOW_C[1:])]
    row = one(family(terms_c=terms_c, employment_spells=[("A", A, None)]), C)
    assert row["education_result"] is False
    assert row["employment_result"] is True
    assert row["turned_around"] is True


def test_turned_around_false_when_not_identified_at_a() -> None:
    # No offence and no exclusion at a: only work at a (1 of 3) -> not identified
    # at a, so employment alone does not turn the family around.
    f = family(terms_a=CLEAN_A, offences=[], employment_spells=[("A", A, None)])
    row = one(f, C)
    assert row["identified_at_a"] is False
    assert row["employment_result"] is True
    assert row["turned_around"] is False


def test_local_at_as_of_does_not_identify_at_a() -> None:
    # Pinned reading 1 (revised): identification at a takes local at a. C's
    # window at a is clean, so two national criteria hold at a (offence, JSA). A
    # burglary on 2013-05-01 (within 12 months of c, not of a) makes local true
    # at as_of only: not identified at a.
    f = family(terms_a=CLEAN_A, police_incidents=[("A", date(2013, 5, 1), "burglary")])
    row = one(f, C)
    assert (row["crime_asb_at_a"], row["education_at_a"], row["work_at_a"]) == (True, False, True)
    assert (row["local"], row["local_at_attachment"]) == (True, False)
    assert row["identified_at_a"] is False


def test_local_at_a_identifies_at_a() -> None:
    # A burglary on 2012-05-01 is within 12 months of a but not of c: local (at
    # as_of) is false, local at a true, so the family was identified at a.
    f = family(terms_a=CLEAN_A, police_incidents=[("A", date(2012, 5, 1), "burglary")])
    row = one(f, C)
    assert (row["local"], row["local_at_attachment"]) == (False, True)
    assert row["identified_at_a"] is True


def test_local_at_attachment_unknown_when_not_attached() -> None:
    f = family(attached_on=None, police_incidents=[("A", date(2013, 5, 1), "burglary")])
    row = one(f, C)
    assert (row["local"], row["local_at_attachment"]) == (True, None)


def test_attached_after_as_of_still_has_results() -> None:
    # Pinned 11: attached_on after as_of is still attached. a = 2013-07-01 > c:
    # a is in summer 2012, so the window at a is summer 2011, autumn 2012,
    # spring 2012 (C clean there) -> education false at a; the 2012-04-01 offence
    # is not within 12 months of a -> crime false; JSA -> work true. Not
    # identified at a; both neutral results true; no spell or referral.
    row = one(family(attached_on=date(2013, 7, 1)), C)
    assert (row["crime_asb_at_a"], row["education_at_a"], row["work_at_a"]) == (False, False, True)
    assert row["identified_at_a"] is False
    assert (row["education_result"], row["crime_asb_result"]) == (True, True)
    assert (row["employment_result"], row["progress_to_work"]) == (False, False)
    assert row["turned_around"] is False
