"""national.phase2 at the edges of its pinned numbers.

The 12-month window of crime, custody, domestic abuse and health on its
first day and the day before; 10% absence (authorised and unauthorised)
exactly and just under; 3 fixed exclusions and 2; a child until the 18th
birthday; the social-care statuses that count; Universal Credit as an
out-of-work benefit; £500 of rent arrears and a penny less on the latest
record; 2 of the 6 problems and 1; 26 and 13 weeks of employment; the
£1,000 and £800 payments.
"""

from __future__ import annotations

import datetime as dt

from ruleset_harness import DAY, D, Families, birthday, evaluate_both, expect, gbp, shipped

PHASE2 = "national.phase2"
AS_OF = D(2016, 1, 15)  # the last 12 months: 2015-01-16 .. 2016-01-15
FIRST_DAY = D(2015, 1, 16)
#: The last 3 terms at AS_OF: spring and summer of 2014/15, autumn of 2015/16.
WINDOW_TERMS = ((2014, "spring"), (2014, "summer"), (2015, "autumn"))
ADULT = D(1980, 5, 1)
CHILD = D(2006, 1, 1)


def one_member(families: Families, household: str, born: dt.date = ADULT) -> str:
    person = f"{household}p"
    families.household(household).member(person, household, born)
    return person


def test_crime_in_the_last_12_months() -> None:
    families = Families()
    edges = {"first_day": (FIRST_DAY, True), "day_before": (FIRST_DAY - DAY, False)}
    for name, (day, _) in edges.items():
        person = one_member(families, f"offence_{name}", CHILD)  # any age counts
        families.event("offences", person, offence_date=day, proven=True)
        person = one_member(families, f"incident_{name}")  # any kind counts
        families.event("asb", person, recorded_on=day, kind="incident")
        person = one_member(families, f"custody_ended_{name}")
        families.event("custody", person, start_date=D(2014, 6, 1), end_date=day)
    person = one_member(families, "custody_from_today")
    families.event("custody", person, start_date=AS_OF)
    person = one_member(families, "custody_from_tomorrow")
    families.event("custody", person, start_date=AS_OF + DAY)
    person = one_member(families, "not_proven")
    families.event("offences", person, offence_date=D(2015, 6, 1), proven=False)
    rows = evaluate_both(shipped(PHASE2), families, AS_OF, ["crime"])
    expected = {
        f"{kind}_{name}": value
        for kind in ("offence", "incident", "custody_ended")
        for name, (_, value) in edges.items()
    }
    expected |= {"custody_from_today": True, "custody_from_tomorrow": False, "not_proven": False}
    expect(rows, "crime", expected)


def absence(possible: tuple[int, int, int], missed: tuple[int, int, int]) -> list[dict]:
    """Rows for the last 3 terms, each term's absences split between authorised
    and unauthorised (phase 2 counts both)."""
    return [
        {
            "academic_year": year,
            "term": term,
            "sessions_possible": p,
            "sessions_authorised_absence": m // 2,
            "sessions_unauthorised_absence": m - m // 2,
        }
        for (year, term), p, m in zip(WINDOW_TERMS, possible, missed, strict=True)
    ]


def test_school_at_10_percent_absence_and_3_exclusions() -> None:
    clean = absence((100, 100, 100), (0, 0, 0))
    cases = {
        "absence_10": (absence((100, 100, 100), (10, 10, 10)), True),  # 30 of 300
        "absence_under_10": (absence((100, 100, 100), (10, 10, 9)), False),
        # 10% of 301 is 30.1: 31 is over it, 30 under
        "absence_over_10_of_301": (absence((101, 100, 100), (11, 10, 10)), True),
        "absence_under_10_of_301": (absence((101, 100, 100), (10, 10, 10)), False),
        "exclusions_3": ([{**row, "fixed_exclusions": 1} for row in clean], True),
        "exclusions_2": ([*clean[:2], {**clean[2], "fixed_exclusions": 2}], False),
        "two_terms": (clean[1:], None),
    }
    families = Families()
    for household, (terms, _) in cases.items():
        person = one_member(families, household, CHILD)
        for row in terms:
            families.event("school_terms", person, **row)
    rows = evaluate_both(shipped(PHASE2), families, AS_OF, ["school"])
    expect(rows, "school", {h: value for h, (_, value) in cases.items()})


def test_children_need_help_until_the_18th_birthday() -> None:
    cases = {
        "child_in_need": ("child_in_need", birthday(AS_OF, -10), True),
        "protection_plan": ("child_protection_plan", birthday(AS_OF, -10), True),
        "looked_after": ("looked_after", birthday(AS_OF, -10), False),
        "day_before_eighteenth": ("child_in_need", birthday(AS_OF, -18) + DAY, True),
        "eighteenth_birthday": ("child_in_need", birthday(AS_OF, -18), False),
    }
    families = Families()
    for household, (status, born, _) in cases.items():
        person = one_member(families, household, born)
        families.event("social_care", person, status=status, start_date=D(2015, 6, 1))
    spans = {
        "starts_today": (AS_OF, None, True),
        "starts_tomorrow": (AS_OF + DAY, None, False),
        "ends_today": (D(2015, 6, 1), AS_OF, True),
        "ended_yesterday": (D(2015, 6, 1), AS_OF - DAY, False),
    }
    for household, (start, end, _) in spans.items():
        person = one_member(families, household, CHILD)
        families.event(
            "social_care", person, status="child_in_need", start_date=start, end_date=end
        )
    rows = evaluate_both(shipped(PHASE2), families, AS_OF, ["children_need_help"])
    expected = {h: v for h, (_, _, v) in cases.items()} | {h: v for h, (_, _, v) in spans.items()}
    expect(rows, "children_need_help", expected)


def test_worklessness_benefits_and_rent_arrears_of_500_pounds() -> None:
    families = Families()
    benefits = {b: True for b in ("JSA", "ESA", "IB", "IS", "CA", "SDA", "UC")} | {"HB": False}
    for benefit in benefits:
        person = one_member(families, benefit)
        families.event("benefit_claims", person, benefit=benefit, start_date=D(2015, 1, 1))
    person = one_member(families, "uc_in_work")
    families.event("benefit_claims", person, benefit="UC", start_date=D(2015, 1, 1))
    families.event("employment_spells", person, start_date=D(2015, 6, 1))
    person = one_member(families, "uc_job_ended_yesterday")
    families.event("benefit_claims", person, benefit="UC", start_date=D(2015, 1, 1))
    families.event("employment_spells", person, start_date=D(2015, 6, 1), end_date=AS_OF - DAY)
    person = one_member(families, "uc_eighteen_tomorrow", birthday(AS_OF, -18) + DAY)
    families.event("benefit_claims", person, benefit="UC", start_date=D(2015, 1, 1))
    housing = {
        "arrears_500": ([(D(2015, 12, 1), "500.00", False)], True),
        "arrears_499_99": ([(D(2015, 12, 1), "499.99", False)], False),
        "arrears_500_today": ([(AS_OF, "500", False)], True),
        "latest_is_clear": ([(D(2015, 6, 1), "800", False), (D(2015, 12, 1), "0", False)], False),
        "latest_after_the_date": (
            [(D(2015, 6, 1), "0", False), (AS_OF + DAY, "900", False)],
            False,
        ),
        "eviction_notice": ([(D(2015, 12, 1), "0", True)], True),
    }
    for household, (records, _) in housing.items():
        one_member(families, household)
        for day, arrears, notice in records:
            families.event(
                "housing", household, recorded_on=day, rent_arrears=gbp(arrears),
                eviction_notice=notice,
            )  # fmt: skip
    rows = evaluate_both(shipped(PHASE2), families, AS_OF, ["worklessness"])
    expected = benefits | {h: v for h, (_, v) in housing.items()}
    expected |= {"uc_in_work": False, "uc_job_ended_yesterday": True, "uc_eighteen_tomorrow": False}
    expect(rows, "worklessness", expected)


def test_domestic_abuse_and_health_in_the_last_12_months() -> None:
    families = Families()
    for name, day in (("first_day", FIRST_DAY), ("day_before", FIRST_DAY - DAY), ("today", AS_OF)):
        person = one_member(families, f"abuse_{name}")
        families.event("police_incidents", person, incident_date=day, category="domestic_abuse")
        person = one_member(families, f"health_{name}")
        families.event("health", person, recorded_on=day, condition="mental_health")
    person = one_member(families, "violence")
    families.event("police_incidents", person, incident_date=D(2015, 6, 1), category="violence")
    rows = evaluate_both(shipped(PHASE2), families, AS_OF, ["domestic_abuse", "health"])
    expect(
        rows,
        "domestic_abuse",
        {
            "abuse_first_day": True,
            "abuse_day_before": False,
            "abuse_today": True,
            "violence": False,
        },
    )
    expect(
        rows, "health", {"health_first_day": True, "health_day_before": False, "health_today": True}
    )


def test_identified_with_two_of_the_six_problems() -> None:
    day = D(2015, 6, 1)
    facts = {
        "crime": ("asb", {"recorded_on": day, "kind": "incident"}),
        "health": ("health", {"recorded_on": day, "condition": "substance_misuse"}),
        "abuse": ("police_incidents", {"incident_date": day, "category": "domestic_abuse"}),
    }
    cases = {
        "crime_and_health": (("crime", "health"), True),
        "health_and_abuse": (("health", "abuse"), True),
        "crime_only": (("crime",), False),
        "none": ((), False),
    }
    families = Families()
    for household, (problems, _) in cases.items():
        person = one_member(families, household)
        for problem in problems:
            table, row = facts[problem]
            families.event(table, person, **row)
    rows = evaluate_both(shipped(PHASE2), families, AS_OF, ["identified"])
    expect(rows, "identified", {h: value for h, (_, value) in cases.items()})


def test_continuous_employment_and_payments() -> None:
    # Attached on 2015-06-01 with crime (an ASB incident) and health at
    # attachment: identified then. At 2016-01-15 a job must have lasted 26
    # weeks (182 days, from 2015-07-17) after JSA, 13 weeks (91 days, from
    # 2015-10-16) after another benefit, Universal Credit included.
    attached = D(2015, 6, 1)
    cases = {
        "jsa_26_weeks": ("JSA", D(2015, 7, 17), True),
        "jsa_26_weeks_less_a_day": ("JSA", D(2015, 7, 18), False),
        "uc_13_weeks": ("UC", D(2015, 10, 16), True),
        "uc_13_weeks_less_a_day": ("UC", D(2015, 10, 17), False),
        "uc_job_before_attachment": ("UC", attached - DAY, False),
    }
    families = Families()
    for household, (benefit, start, _) in cases.items():
        person = f"{household}A"
        families.household(household, attached).member(person, household, ADULT)
        families.event("asb", person, recorded_on=D(2015, 5, 1), kind="incident")
        families.event("health", person, recorded_on=D(2015, 5, 1), condition="mental_health")
        families.event("benefit_claims", person, benefit=benefit, start_date=D(2015, 1, 1))
        families.event("employment_spells", person, start_date=start)
    families.household("never_attached").member("never_attachedA", "never_attached", ADULT)
    families.event("benefit_claims", "never_attachedA", benefit="UC", start_date=D(2015, 1, 1))
    families.event("employment_spells", "never_attachedA", start_date=D(2015, 6, 1))
    rules = [
        "identified_at_attachment",
        "continuous_employment",
        "attachment_fee",
        "results_payment",
    ]
    rows = evaluate_both(shipped(PHASE2), families, AS_OF, rules)
    expected = {h: v for h, (_, _, v) in cases.items()}
    expect(rows, "identified_at_attachment", dict.fromkeys(cases, True))
    expect(rows, "continuous_employment", expected | {"never_attached": None})
    expect(rows, "attachment_fee", dict.fromkeys(cases, gbp(1000)) | {"never_attached": gbp(0)})
    expect(
        rows,
        "results_payment",
        {h: gbp(800 if v else 0) for h, v in expected.items()} | {"never_attached": gbp(0)},
    )
