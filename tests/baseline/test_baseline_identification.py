"""Phase 1 identification at as_of: crime_asb, education, work, local, identified.

Unless stated otherwise as_of = 2013-01-15, so "the last 12 months" is
(2012-01-15, 2013-01-15] and, Easter 2013 being 31 March, as_of lies in the
spring term of academic year 2012 (index 6037): "the last 3 terms" are
spring 2011 (6034), summer 2011 (6035) and autumn 2012 (6036), written
(academic_year, term) below.
"""

from __future__ import annotations

from datetime import date

import pytest

from .builders import clean_terms, dataset, one, run, term

AS_OF = date(2013, 1, 15)
ADULT = ("A", "H1", date(1980, 5, 1))
CHILD = ("C", "H1", date(2001, 3, 2))  # 11 at as_of: school age
LAST3 = ((2011, "spring"), (2011, "summer"), (2012, "autumn"))


# --------------------------------------------------------------------- crime_asb


def test_crime_proven_offence_under_18_in_window() -> None:
    # C (11) has a proven offence on 2012-10-01, inside the 12-month window.
    f = dataset([("H1", None)], [ADULT, CHILD], offences=[("C", date(2012, 10, 1), True)])
    assert one(f, AS_OF)["crime_asb"] is True


def test_crime_unproven_offence_does_not_count() -> None:
    f = dataset([("H1", None)], [ADULT, CHILD], offences=[("C", date(2012, 10, 1), False)])
    assert one(f, AS_OF)["crime_asb"] is False


@pytest.mark.parametrize(
    ("offence_date", "expected"),
    [
        # Born 1995-01-10: 17 on 2013-01-09 (under 18: counts) ...
        (date(2013, 1, 9), True),
        # ... 18 on 2013-01-10, the birthday itself (not under 18).
        (date(2013, 1, 10), False),
    ],
)
def test_crime_under_18_is_age_at_offence_date(offence_date: date, expected: bool) -> None:
    f = dataset(
        [("H1", None)],
        [("Y", "H1", date(1995, 1, 10))],
        offences=[("Y", offence_date, True)],
    )
    assert one(f, AS_OF)["crime_asb"] is expected


@pytest.mark.parametrize(
    ("as_of", "offence_date", "expected"),
    [
        # d - 12 months of 2013-02-28 is 2012-02-28: exactly 12 months before is out ...
        (date(2013, 2, 28), date(2012, 2, 28), False),
        # ... the next day is in.
        (date(2013, 2, 28), date(2012, 2, 29), True),
        # d - 12 months of 2012-02-29 is 2011-02-28 (clamped): out; 2011-03-01 in.
        (date(2012, 2, 29), date(2011, 2, 28), False),
        (date(2012, 2, 29), date(2011, 3, 1), True),
        # The reference date itself is in; the day after is not.
        (date(2013, 2, 28), date(2013, 2, 28), True),
        (date(2013, 2, 28), date(2013, 3, 1), False),
    ],
)
def test_crime_twelve_month_window_boundaries(
    as_of: date, offence_date: date, expected: bool
) -> None:
    f = dataset([("H1", None)], [ADULT, CHILD], offences=[("C", offence_date, True)])
    assert one(f, as_of)["crime_asb"] is expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # Identification counts only the formal kinds (pinned reading 13).
        ("asbo", True),
        ("injunction", True),
        ("acceptable_behaviour_contract", True),
        ("housing_intervention", True),
        ("incident", False),
    ],
)
def test_crime_asb_kinds(kind: str, expected: bool) -> None:
    # The adult's record counts too: "some member", any age.
    f = dataset([("H1", None)], [ADULT], asb=[("A", date(2012, 6, 1), kind)])
    assert one(f, AS_OF)["crime_asb"] is expected


def test_crime_missing_offences_table() -> None:
    # Offences not supplied: the offence fact is unknown for each member, so
    # crime_asb is unknown unless an asbo makes it true; a household without
    # members is false (pinned reading 12).
    f = dataset(
        [("H1", None), ("H2", None), ("H3", None)],
        [ADULT, ("B", "H2", date(1980, 1, 1))],
        missing=["offences"],
        asb=[("B", date(2012, 6, 1), "asbo")],
    )
    rows = run(f, AS_OF)
    assert rows["H1"]["crime_asb"] is None
    assert rows["H2"]["crime_asb"] is True
    assert rows["H3"]["crime_asb"] is False


# --------------------------------------------------------------------- education


def _education(rows: list[tuple], as_of: date = AS_OF, child=CHILD) -> bool | None:
    f = dataset([("H1", None)], [ADULT, child], school_terms=rows)
    return one(f, as_of)["education"]


def test_education_clean_three_terms_is_false() -> None:
    assert _education(clean_terms("C", *LAST3)) is False


def test_education_permanent_exclusion_in_one_term_is_true() -> None:
    # A single term row with a fact true is enough: fewer than 3 terms only
    # makes the child unknown when no fact is true.
    assert _education([term("C", 2012, "autumn", perm=True)]) is True


def test_education_fewer_than_three_terms_is_unknown() -> None:
    assert _education(clean_terms("C", *LAST3[:2])) is None


def test_education_duplicate_term_rows_count_once() -> None:
    # Three rows but only two distinct terms (pinned reading 6): unknown.
    rows = [*clean_terms("C", *LAST3[:2]), term("C", 2011, "summer")]
    assert _education(rows) is None


def test_education_no_rows_is_unknown() -> None:
    assert _education([]) is None


@pytest.mark.parametrize(
    ("unauth", "expected"),
    [
        # 300 sessions possible over 3 terms. 45 = exactly 15%: 20*45 = 900 >= 3*300.
        (45, True),
        # 44 is 14.67%: 880 < 900.
        (44, False),
    ],
)
def test_education_absence_exactly_15_percent(unauth: int, expected: bool) -> None:
    rows = [
        term("C", 2011, "spring", unauth=unauth),
        term("C", 2011, "summer"),
        term("C", 2012, "autumn"),
    ]
    assert _education(rows) is expected


def test_education_absence_is_summed_over_terms() -> None:
    # 30% in one term but 30/300 = 10% over the window: not >= 15%.
    rows = [
        term("C", 2011, "spring", unauth=30),
        term("C", 2011, "summer"),
        term("C", 2012, "autumn"),
    ]
    assert _education(rows) is False


def test_education_absence_needs_sessions_possible() -> None:
    # 0 sessions possible: absence cannot be >= 15% (pinned reading 7) -> false.
    rows = [term("C", ay, t, possible=0) for ay, t in LAST3]
    assert _education(rows) is False


def test_education_fixed_exclusions_summed() -> None:
    # 1 + 2 = 3 fixed exclusions in total over the window -> true; 1 + 1 = 2 -> false.
    three = [
        term("C", 2011, "spring", fixed=1),
        term("C", 2011, "summer", fixed=2),
        term("C", 2012, "autumn"),
    ]
    two = [
        term("C", 2011, "spring", fixed=1),
        term("C", 2011, "summer", fixed=1),
        term("C", 2012, "autumn"),
    ]
    assert _education(three) is True
    assert _education(two) is False


@pytest.mark.parametrize("fact", ["alt", "not_on_roll"])
def test_education_alternative_provision_and_not_on_roll(fact: str) -> None:
    flag = {"alt": True} if fact == "alt" else {"on_roll": False}
    assert _education([term("C", 2011, "summer", **flag)]) is True


def test_education_rows_outside_window_ignored() -> None:
    # The current term (spring 2012) and autumn 2011 (4 terms back) are outside.
    rows = [
        *clean_terms("C", *LAST3),
        term("C", 2012, "spring", perm=True),
        term("C", 2011, "autumn", perm=True),
    ]
    assert _education(rows) is False


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Easter Sunday 2013 (31 March) is still spring 2012 (6037): the window is
        # spring 2011, summer 2011, autumn 2012 and holds the bad spring 2011 row.
        (date(2013, 3, 31), True),
        # Easter Monday starts summer 2012 (6038): window summer 2011, autumn 2012,
        # spring 2012, all clean -> false.
        (date(2013, 4, 1), False),
    ],
)
def test_education_easter_sunday_vs_monday(as_of: date, expected: bool) -> None:
    rows = [
        term("C", 2011, "spring", perm=True),
        *clean_terms("C", (2011, "summer"), (2012, "autumn"), (2012, "spring")),
    ]
    assert _education(rows, as_of) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # 31 July 2013 is summer 2012 (6038): window summer 2011 (bad), autumn 2012,
        # spring 2012 -> true.
        (date(2013, 7, 31), True),
        # 1 August 2013 is autumn 2013 (6039): window autumn 2012, spring 2012,
        # summer 2012, all clean -> false.
        (date(2013, 8, 1), False),
    ],
)
def test_education_31_july_vs_1_august(as_of: date, expected: bool) -> None:
    rows = [
        term("C", 2011, "summer", perm=True),
        *clean_terms("C", (2012, "autumn"), (2012, "spring"), (2012, "summer")),
    ]
    assert _education(rows, as_of) is expected


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        # 15 at as_of (16 on 2013-01-16): school age, excluded -> true.
        (date(1997, 1, 16), True),
        # 16 on as_of itself: no longer school age -> false.
        (date(1997, 1, 15), False),
        # 5 on as_of: school age.
        (date(2008, 1, 15), True),
        # 4 (5 tomorrow): not school age.
        (date(2008, 1, 16), False),
    ],
)
def test_education_school_age_boundaries(dob: date, expected: bool) -> None:
    rows = [term("C", 2012, "autumn", perm=True)]
    assert _education(rows, child=("C", "H1", dob)) is expected


def test_education_one_unknown_child_one_false_child_is_unknown() -> None:
    f = dataset(
        [("H1", None)],
        [ADULT, CHILD, ("D", "H1", date(2003, 1, 1))],
        school_terms=clean_terms("C", *LAST3) + clean_terms("D", *LAST3[:1]),
    )
    # C false, D unknown (1 term) -> "some child" is unknown.
    assert one(f, AS_OF)["education"] is None


def test_education_missing_table() -> None:
    # school_terms not supplied: unknown for a household with a school-age child,
    # false for one without (pinned reading 12).
    f = dataset(
        [("H1", None), ("H2", None)],
        [ADULT, CHILD, ("B", "H2", date(1980, 1, 1))],
        missing=["school_terms"],
    )
    rows = run(f, AS_OF)
    assert rows["H1"]["education"] is None
    assert rows["H2"]["education"] is False


# -------------------------------------------------------------------------- work


@pytest.mark.parametrize(
    ("benefit", "start", "end", "expected"),
    [
        ("JSA", date(2012, 1, 1), None, True),
        # A claim ending on the reference date is still active on it.
        ("ESA", date(2012, 1, 1), AS_OF, True),
        ("ESA", date(2012, 1, 1), date(2013, 1, 14), False),
        # A claim starting on the reference date is active; the day after is not.
        ("IS", AS_OF, None, True),
        ("IS", date(2013, 1, 16), None, False),
        # Housing benefit and UC are not phase 1 out-of-work benefits.
        ("HB", date(2012, 1, 1), None, False),
        ("UC", date(2012, 1, 1), None, False),
        ("IB", date(2012, 1, 1), None, True),
        ("CA", date(2012, 1, 1), None, True),
        ("SDA", date(2012, 1, 1), None, True),
    ],
)
def test_work_active_claims(benefit: str, start: date, end: date | None, expected: bool) -> None:
    f = dataset([("H1", None)], [ADULT], benefit_claims=[("A", benefit, start, end)])
    assert one(f, AS_OF)["work"] is expected


@pytest.mark.parametrize(
    ("dob", "as_of", "expected"),
    [
        # Turning 18 on the reference date: an adult -> true.
        (date(1995, 1, 15), AS_OF, True),
        # 17 (18 tomorrow): a child -> false.
        (date(1995, 1, 16), AS_OF, False),
        # Born 29 Feb 1996: 17 on 28 Feb 2014, 18 on 1 March 2014.
        (date(1996, 2, 29), date(2014, 2, 28), False),
        (date(1996, 2, 29), date(2014, 3, 1), True),
    ],
)
def test_work_adult_boundaries(dob: date, as_of: date, expected: bool) -> None:
    f = dataset(
        [("H1", None)],
        [("Y", "H1", dob)],
        benefit_claims=[("Y", "JSA", date(2012, 1, 1), None)],
    )
    assert one(f, as_of)["work"] is expected


def test_work_missing_table() -> None:
    # benefit_claims not supplied: unknown with an adult, false with only a
    # child, false with no members (pinned reading 12).
    f = dataset(
        [("H1", None), ("H2", None), ("H3", None)],
        [ADULT, ("K", "H2", date(2005, 1, 1))],
        missing=["benefit_claims"],
    )
    rows = run(f, AS_OF)
    assert (rows["H1"]["work"], rows["H2"]["work"], rows["H3"]["work"]) == (None, False, False)


# ------------------------------------------------------------------------- local


@pytest.mark.parametrize(
    ("category", "incident_date", "expected"),
    [
        ("burglary", date(2012, 6, 1), True),
        ("violence", date(2012, 6, 1), False),
        # Exactly 12 months before as_of: outside the window.
        ("burglary", date(2012, 1, 15), False),
        ("burglary", date(2012, 1, 16), True),
    ],
)
def test_local_burglary(category: str, incident_date: date, expected: bool) -> None:
    f = dataset([("H1", None)], [ADULT], police_incidents=[("A", incident_date, category)])
    assert one(f, AS_OF)["local"] is expected


def test_local_missing_table() -> None:
    f = dataset([("H1", None), ("H2", None)], [ADULT], missing=["police_incidents"])
    rows = run(f, AS_OF)
    assert (rows["H1"]["local"], rows["H2"]["local"]) == (None, False)


# -------------------------------------------------------------------- identified


def _identified_case(crime: bool | None, edu: bool | None, work: bool | None, local: bool | None):
    """A household whose four criteria at AS_OF take the given values."""
    missing = []
    events: dict[str, list] = {}
    if crime is None:
        missing.append("offences")
    elif crime:
        events["offences"] = [("C", date(2012, 10, 1), True)]
    if edu is None:
        missing.append("school_terms")
    else:
        events["school_terms"] = [term("C", ay, t, perm=edu and t == "autumn") for ay, t in LAST3]
    if work is None:
        missing.append("benefit_claims")
    elif work:
        events["benefit_claims"] = [("A", "JSA", date(2012, 1, 1), None)]
    if local is None:
        missing.append("police_incidents")
    elif local:
        events["police_incidents"] = [("A", date(2012, 6, 1), "burglary")]
    return dataset([("H1", None)], [ADULT, CHILD], missing=missing, **events)


T, F, N = True, False, None


@pytest.mark.parametrize(
    ("crime", "edu", "work", "local", "expected"),
    [
        (T, T, T, F, T),  # all three national criteria
        (T, T, F, T, T),  # two national + local
        (T, F, T, T, T),
        (F, T, T, T, T),
        (T, T, F, F, F),  # two national without local
        (T, F, F, T, F),  # one national + local
        (T, T, F, N, N),  # two national, local unknown
        (T, T, N, F, N),  # all three unknown via work; 2 + local false
        (T, N, F, T, N),  # at least 2 of [T, N, F] is unknown
        (F, N, F, T, F),  # two false: at least 2 of 3 is false, all three false
        (N, N, N, N, N),
    ],
)
def test_identified_kleene(crime, edu, work, local, expected) -> None:
    row = one(_identified_case(crime, edu, work, local), AS_OF)
    assert (row["crime_asb"], row["education"], row["work"], row["local"]) == (
        crime,
        edu,
        work,
        local,
    )
    assert row["identified"] is expected
