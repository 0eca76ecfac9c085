"""national.dwp_fmp at the edges of its pinned numbers.

Two adult claimants exactly 16 years apart and a day less (29 February
births too), adults from the 18th birthday, the qualifying benefits, a
referral on or before the date, and 26 and 13 weeks of employment after the
first referral (a job starting on the referral day does not count).
"""

from __future__ import annotations

import datetime as dt

from ruleset_harness import DAY, D, Families, birthday, evaluate_both, expect, shipped

DWP = "national.dwp_fmp"
AS_OF = D(2014, 1, 15)
REFERRED = D(2013, 6, 1)


def two_generations(families: Families, household: str, older: dt.date, younger: dt.date) -> None:
    """Two members claiming JSA and a third adult in work: eligible only as two
    generations claiming."""
    families.household(household)
    for person, born in (("G", older), ("P", younger)):
        families.member(f"{household}{person}", household, born)
        families.event(
            "benefit_claims", f"{household}{person}", benefit="JSA", start_date=D(2013, 1, 1)
        )
    families.member(f"{household}W", household, D(1985, 5, 1))
    families.event("employment_spells", f"{household}W", start_date=D(2012, 1, 1))


def test_two_generations_claiming_at_least_16_years_apart() -> None:
    cases = {
        "exactly_16_years": (D(1960, 3, 1), D(1976, 3, 1), True),
        "16_years_less_a_day": (D(1960, 3, 2), D(1976, 3, 1), False),
        "30_years": (D(1950, 5, 1), D(1980, 5, 1), True),
        # born on 29 February 1960: 16 years later is 29 February 1976
        "leap_exactly_16_years": (D(1960, 2, 29), D(1976, 2, 29), True),
        "leap_16_years_less_a_day": (D(1960, 2, 29), D(1976, 2, 28), False),
        # the younger claimant 18 today is an adult; 18 tomorrow is not, and
        # then one adult claims while another works
        "younger_18_today": (D(1970, 1, 1), birthday(AS_OF, -18), True),
        "younger_18_tomorrow": (D(1970, 1, 1), birthday(AS_OF, -18) + DAY, False),
    }
    families = Families()
    for household, (older, younger, _) in cases.items():
        two_generations(families, household, older, younger)
    rows = evaluate_both(shipped(DWP), families, AS_OF, ["eligible"])
    expect(rows, "eligible", {h: value for h, (_, _, value) in cases.items()})


def test_qualifying_benefits_and_no_one_in_work() -> None:
    benefits = {b: True for b in ("JSA", "ESA", "IB", "IS", "CA", "SDA", "UC")} | {"HB": False}
    families = Families()
    for benefit in benefits:
        families.household(benefit).member(f"{benefit}A", benefit, D(1980, 5, 1))
        families.event("benefit_claims", f"{benefit}A", benefit=benefit, start_date=D(2013, 1, 1))
    jobs = {"job_ended_yesterday": (AS_OF - DAY, True), "job_ends_today": (AS_OF, False)}
    for household, (end, _) in jobs.items():
        families.household(household).member(f"{household}A", household, D(1980, 5, 1))
        families.event("benefit_claims", f"{household}A", benefit="ESA", start_date=D(2013, 1, 1))
        families.event("employment_spells", f"{household}A", start_date=D(2012, 1, 1), end_date=end)
    rows = evaluate_both(shipped(DWP), families, AS_OF, ["eligible"])
    expect(rows, "eligible", benefits | {h: v for h, (_, v) in jobs.items()})


def test_attached_by_a_referral_on_or_before_the_date() -> None:
    cases = {
        "referred_today": (AS_OF, "esf_families", True),
        "referred_tomorrow": (AS_OF + DAY, "esf_families", False),
        "work_programme": (D(2013, 6, 1), "work_programme", False),
    }
    families = Families()
    for household, (day, programme, _) in cases.items():
        families.household(household).member(f"{household}A", household, D(1980, 5, 1))
        families.event("work_referrals", f"{household}A", referred_on=day, programme=programme)
    rows = evaluate_both(shipped(DWP), families, AS_OF, ["attached"])
    expect(rows, "attached", {h: value for h, (_, _, value) in cases.items()})


def test_job_outcome_after_26_weeks_on_jsa_and_13_on_other_benefits() -> None:
    # Referred on 2013-06-01. At 2014-01-15 a job from 2013-07-17 has lasted
    # 182 days (26 weeks), from 2013-10-16 91 days (13 weeks).
    cases = {
        "jsa_26_weeks": ("JSA", D(2013, 7, 17), True),
        "jsa_26_weeks_less_a_day": ("JSA", D(2013, 7, 18), False),
        "esa_13_weeks": ("ESA", D(2013, 10, 16), True),
        "esa_13_weeks_less_a_day": ("ESA", D(2013, 10, 17), False),
        "uc_13_weeks": ("UC", D(2013, 10, 16), True),
        "started_the_day_after_referral": ("ESA", REFERRED + DAY, True),
        "started_on_the_referral_day": ("ESA", REFERRED, False),
    }
    families = Families()
    for household, (benefit, start, _) in cases.items():
        person = f"{household}A"
        families.household(household).member(person, household, D(1980, 5, 1))
        families.event("work_referrals", person, referred_on=REFERRED, programme="esf_families")
        families.event("benefit_claims", person, benefit=benefit, start_date=D(2013, 1, 1))
        families.event("employment_spells", person, start_date=start)
    rows = evaluate_both(shipped(DWP), families, AS_OF, ["job_outcome"])
    expect(rows, "job_outcome", {h: value for h, (_, _, value) in cases.items()})
