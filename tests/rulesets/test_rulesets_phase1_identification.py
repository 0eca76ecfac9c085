"""national.phase1 identification at the edges of its pinned numbers.

Each pinned number or threshold (programme-rules.md) gets families on both
sides of its boundary: the 12-month window on its first day and the day
before, youth offences the day before and on the 18th birthday, each formal
ASB kind, school age on the 5th and 16th birthdays, 15% absence exactly and
just under (and exactly, where 15% of the sessions is not a whole number),
3 fixed exclusions and 2, the last 3 terms and the terms either side, 3
distinct terms and 2, each out-of-work benefit, a claim active on its first
and last day, and adults on the 18th birthday (29 February births too).
"""

from __future__ import annotations

import datetime as dt

from ruleset_harness import DAY, D, Families, birthday, evaluate_both, expect, shipped

PHASE1 = "national.phase1"
AS_OF = D(2013, 1, 15)  # spring term of 2012/13
#: The last 3 terms at AS_OF: spring and summer of 2011/12, autumn of 2012/13.
WINDOW_TERMS = ((2011, "spring"), (2011, "summer"), (2012, "autumn"))
YOUTH = D(1996, 3, 1)  # 16 at AS_OF
ADULT = D(1980, 5, 1)


def one_member(families: Families, household: str, born: dt.date = ADULT) -> str:
    person = f"{household}p"
    families.household(household).member(person, household, born)
    return person


# ---------------------------------------------------------------- crime and ASB


def test_crime_asb_window_is_12_months_to_the_day() -> None:
    # At 2013-01-15 the last 12 months are 2012-01-16 .. 2013-01-15.
    families = Families()
    offences = {
        "first_day": (D(2012, 1, 16), True),
        "day_before": (D(2012, 1, 15), False),
        "run_date": (AS_OF, True),
        "day_after": (AS_OF + DAY, False),
    }
    for name, (day, _) in offences.items():
        person = one_member(families, f"off_{name}", YOUTH)
        families.event("offences", person, offence_date=day, proven=True)
        person = one_member(families, f"asb_{name}")
        families.event("asb", person, recorded_on=day, kind="asbo")
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["crime_asb"])
    expect(rows, "crime_asb", {f"off_{n}": v for n, (_, v) in offences.items()})
    expect(rows, "crime_asb", {f"asb_{n}": v for n, (_, v) in offences.items()})


def test_crime_asb_window_at_month_ends_and_29_february() -> None:
    # 12 months before 2012-02-29 is 2011-02-28: the window starts on 1 March;
    # 12 months before 2013-02-28 is 2012-02-28: 29 February 2012 is inside;
    # 12 months before 2013-03-31 is 2012-03-31: the window starts on 1 April.
    cases = {
        D(2012, 2, 29): {D(2011, 2, 28): False, D(2011, 3, 1): True},
        D(2013, 2, 28): {D(2012, 2, 28): False, D(2012, 2, 29): True},
        D(2013, 3, 31): {D(2012, 3, 31): False, D(2012, 4, 1): True},
    }
    for as_of, days in cases.items():
        families = Families()
        for day in days:
            person = one_member(families, f"H{day}")
            families.event("asb", person, recorded_on=day, kind="injunction")
        rows = evaluate_both(shipped(PHASE1), families, as_of, ["crime_asb"])
        expect(rows, "crime_asb", {f"H{day}": value for day, value in days.items()})


def test_youth_offence_is_one_committed_before_the_18th_birthday() -> None:
    families = Families()
    born = D(1994, 9, 1)  # 18 on 2012-09-01, inside the window
    for name, day in {"day_before": D(2012, 8, 31), "birthday": D(2012, 9, 1)}.items():
        person = one_member(families, name, born)
        families.event("offences", person, offence_date=day)
    # born on 29 February 1996: 18 on 1 March 2014, so still 17 on 28 February
    leap = D(1996, 2, 29)
    for name, day in {"leap_28_feb": D(2014, 2, 28), "leap_1_mar": D(2014, 3, 1)}.items():
        person = one_member(families, name, leap)
        families.event("offences", person, offence_date=day)
    rows = evaluate_both(shipped(PHASE1), families, D(2014, 6, 1), ["crime_asb"])
    expect(rows, "crime_asb", {"leap_28_feb": True, "leap_1_mar": False})
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["crime_asb"])
    expect(rows, "crime_asb", {"day_before": True, "birthday": False})


def test_only_the_formal_asb_kinds_count_for_identification() -> None:
    kinds = {
        "asbo": True,
        "injunction": True,
        "acceptable_behaviour_contract": True,
        "housing_intervention": True,
        "incident": False,
    }
    families = Families()
    for kind in kinds:
        person = one_member(families, kind)
        families.event("asb", person, recorded_on=D(2012, 12, 1), kind=kind)
    person = one_member(families, "unproven", YOUTH)
    families.event("offences", person, offence_date=D(2012, 12, 1), proven=False)
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["crime_asb"])
    expect(rows, "crime_asb", {**kinds, "unproven": False})


# ---------------------------------------------------------------- education


def child_with_terms(families: Families, household: str, born: dt.date, *terms: dict) -> None:
    """A household of one child with the given school_terms rows."""
    person = one_member(families, household, born)
    for row in terms:
        families.event("school_terms", person, **{"sessions_possible": 100, **row})


def window_terms(**rows: object) -> list[dict]:
    """One row for each of the last 3 terms at AS_OF, with the given fields."""
    return [{"academic_year": y, "term": t, **rows} for y, t in WINDOW_TERMS]


def absence(possible: tuple[int, int, int], missed: tuple[int, int, int]) -> list[dict]:
    return [
        {"academic_year": y, "term": t, "sessions_possible": p, "sessions_unauthorised_absence": m}
        for (y, t), p, m in zip(WINDOW_TERMS, possible, missed, strict=True)
    ]


def test_unauthorised_absence_of_15_percent_exactly_and_just_under() -> None:
    families = Families()
    child = D(2003, 1, 1)
    cases = {
        # 45 of 300 is 15% exactly; 44 is under
        "at_15": (absence((100, 100, 100), (15, 15, 15)), True),
        "under_15": (absence((100, 100, 100), (15, 15, 14)), False),
        # 150 of 1,000 and 149
        "at_15_of_1000": (absence((334, 333, 333), (50, 50, 50)), True),
        "under_15_of_1000": (absence((334, 333, 333), (50, 50, 49)), False),
        # 15% of 301 is 45.15: 46 is at or over it, 45 under (pinned 7: exactly)
        "over_15_of_301": (absence((101, 100, 100), (16, 15, 15)), True),
        "under_15_of_301": (absence((101, 100, 100), (15, 15, 15)), False),
        # no sessions possible cannot be 15% absence
        "no_sessions": (absence((0, 0, 0), (0, 0, 0)), False),
    }
    for household, (terms, _) in cases.items():
        child_with_terms(families, household, child, *terms)
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["education"])
    expect(rows, "education", {h: value for h, (_, value) in cases.items()})


def test_three_fixed_exclusions_over_the_last_three_terms() -> None:
    families = Families()
    child = D(2003, 1, 1)
    first, second, third = window_terms()
    before = {"academic_year": 2011, "term": "autumn"}  # the 4th term back
    now = {"academic_year": 2012, "term": "spring"}  # the term AS_OF is in
    clean = [first, second, third]
    cases = {
        "three": (window_terms(fixed_exclusions=1), True),
        "two": ([first, second, {**third, "fixed_exclusions": 2}], False),
        "three_in_one_term": ([{**first, "fixed_exclusions": 3}], True),
        "three_a_term_too_early": ([*clean, {**before, "fixed_exclusions": 3}], False),
        "three_in_the_current_term": ([*clean, {**now, "fixed_exclusions": 3}], False),
        "excluded_a_term_too_early": ([*clean, {**before, "permanently_excluded": True}], False),
        "excluded_in_the_window": ([{**first, "permanently_excluded": True}], True),
        "alternative_provision": ([{**second, "alternative_provision": True}], True),
        "off_roll": ([{**third, "on_roll": False}], True),
    }
    for household, (terms, _) in cases.items():
        child_with_terms(families, household, child, *terms)
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["education"])
    expect(rows, "education", {h: value for h, (_, value) in cases.items()})


def test_three_distinct_terms_are_needed_for_a_definite_answer() -> None:
    families = Families()
    child = D(2003, 1, 1)
    autumn = window_terms()[2]
    cases = {
        "three_terms": (window_terms(), False),
        "two_terms": (window_terms()[1:], None),
        # two rows of one term are one distinct term (pinned 6)
        "two_terms_three_rows": ([*window_terms()[1:], autumn], None),
        # a clean term outside the window does not make up for a missing one
        "two_terms_and_one_outside": (
            [*window_terms()[1:], {"academic_year": 2012, "term": "spring"}],
            None,
        ),
        "no_rows": ([], None),
    }
    for household, (terms, _) in cases.items():
        child_with_terms(families, household, child, *terms)
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["education"])
    expect(rows, "education", {h: value for h, (_, value) in cases.items()})


def test_school_age_from_the_5th_birthday_until_the_16th() -> None:
    # A permanent exclusion in the window: education is true exactly when the
    # child is of school age (5 to 15) on the run date.
    families = Families()
    excluded = {**window_terms()[2], "permanently_excluded": True}
    cases = {
        "fifth_birthday": (birthday(AS_OF, -5), True),
        "day_before_fifth": (birthday(AS_OF, -5) + DAY, False),
        "day_before_sixteenth": (birthday(AS_OF, -16) + DAY, True),
        "sixteenth_birthday": (birthday(AS_OF, -16), False),
    }
    for household, (born, _) in cases.items():
        child_with_terms(families, household, born, excluded)
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["education"])
    expect(rows, "education", {h: value for h, (_, value) in cases.items()})


def test_school_age_of_a_child_born_on_29_february() -> None:
    # Born 2008-02-29: 5 on 2013-03-01 (a common year), so not of school age
    # on 2013-02-28. Both dates are in the spring term of 2012/13 (Easter 2013
    # is 31 March), so the window is the same.
    families = Families()
    child_with_terms(
        families, "leap", D(2008, 2, 29), {**window_terms()[0], "permanently_excluded": True}
    )
    for as_of, value in {D(2013, 2, 28): False, D(2013, 3, 1): True}.items():
        rows = evaluate_both(shipped(PHASE1), families, as_of, ["education"])
        expect(rows, "education", {"leap": value})


# ---------------------------------------------------------------- work


def test_each_out_of_work_benefit_and_no_other() -> None:
    benefits = {b: True for b in ("JSA", "ESA", "IB", "IS", "CA", "SDA")}
    benefits |= {"UC": False, "HB": False}  # UC counts only in phase 2
    families = Families()
    for benefit in benefits:
        person = one_member(families, benefit)
        families.event("benefit_claims", person, benefit=benefit, start_date=D(2012, 1, 1))
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["work"])
    expect(rows, "work", benefits)


def test_a_claim_is_active_from_its_first_day_to_its_last() -> None:
    cases = {
        "starts_today": ((AS_OF, None), True),
        "starts_tomorrow": ((AS_OF + DAY, None), False),
        "ends_today": ((D(2012, 1, 1), AS_OF), True),
        "ended_yesterday": ((D(2012, 1, 1), AS_OF - DAY), False),
        "one_day_today": ((AS_OF, AS_OF), True),
    }
    families = Families()
    for household, ((start, end), _) in cases.items():
        person = one_member(families, household)
        families.event("benefit_claims", person, benefit="ESA", start_date=start, end_date=end)
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["work"])
    expect(rows, "work", {h: value for h, (_, value) in cases.items()})


def test_an_adult_from_the_18th_birthday() -> None:
    cases = {
        "eighteenth_birthday": (birthday(AS_OF, -18), True),
        "day_before_eighteenth": (birthday(AS_OF, -18) + DAY, False),
    }
    families = Families()
    for household, (born, _) in cases.items():
        person = one_member(families, household, born)
        families.event("benefit_claims", person, benefit="JSA", start_date=D(2012, 12, 1))
    rows = evaluate_both(shipped(PHASE1), families, AS_OF, ["work"])
    expect(rows, "work", {h: value for h, (_, value) in cases.items()})


def test_an_adult_born_on_29_february() -> None:
    # Born 1996-02-29: 18 on 1 March 2014 (pinned 5), not on 28 February.
    families = Families()
    person = one_member(families, "leap", D(1996, 2, 29))
    families.event("benefit_claims", person, benefit="JSA", start_date=D(2014, 1, 1))
    for as_of, value in {D(2014, 2, 28): False, D(2014, 3, 1): True}.items():
        rows = evaluate_both(shipped(PHASE1), families, as_of, ["work"])
        expect(rows, "work", {"leap": value})


# ---------------------------------------------------------------- identification


def test_identified_needs_all_three_or_two_and_local() -> None:
    families = Families()
    crime = {"asb": {"recorded_on": D(2012, 11, 1), "kind": "asbo"}}
    work = {"benefit_claims": {"benefit": "JSA", "start_date": D(2012, 1, 1)}}
    school = {"school_terms": {**window_terms()[2], "sessions_possible": 100,
                               "permanently_excluded": True}}  # fmt: skip
    cases = {
        "all_three": ({**crime, **work, **school}, True, True),
        "crime_and_work": ({**crime, **work}, False, True),
        "crime_and_school": ({**crime, **school}, False, True),
        "work_and_school": ({**work, **school}, False, True),
        "crime_only": (crime, False, False),
        "none": ({}, False, False),
    }
    for household, (facts, _, _) in cases.items():
        families.household(household)
        families.member(f"{household}A", household, ADULT)
        families.member(f"{household}C", household, D(2003, 1, 1))
        for table, row in facts.items():
            owner = f"{household}C" if table == "school_terms" else f"{household}A"
            families.event(table, owner, **row)
        if "school_terms" not in facts:  # three clean terms: education false, not unknown
            for row in window_terms(sessions_possible=100):
                families.event("school_terms", f"{household}C", **row)
    ruleset = shipped(PHASE1)
    without_local = evaluate_both(ruleset, families, AS_OF, ["identified"], fixed={"local": False})
    expect(without_local, "identified", {h: alone for h, (_, alone, _) in cases.items()})
    with_local = evaluate_both(ruleset, families, AS_OF, ["identified"], fixed={"local": True})
    expect(with_local, "identified", {h: local for h, (_, _, local) in cases.items()})
