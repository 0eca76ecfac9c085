"""national.phase1 results and payments at the edges of their pinned numbers.

The 60% ASB and 33% youth-offending reductions exactly and just short (as
fractions, pinned 9), the 6-month result window on its first day and the day
before, 26 and 13 weeks of employment less a day and exactly, 15% absence and
3 fixed exclusions since attachment, the financial years of attachment on
31 March and 1 April, the £4,000 cap and what was already claimed.
"""

from __future__ import annotations

import datetime as dt

from ruleset_harness import DAY, D, Families, birthday, evaluate_both, expect, gbp, shipped

import tfrules

PHASE1 = "national.phase1"
ATTACHED = D(2012, 6, 1)
CLAIM_DATE = D(2013, 1, 15)
ADULT = D(1980, 5, 1)
YOUTH = D(1996, 3, 1)  # 16 at attachment, 16 at the claim date
LOCAL = {"local": True}


def family(families: Families, household: str, attached: dt.date | None = ATTACHED) -> str:
    """An attached household of one adult; the adult's id."""
    person = f"{household}A"
    families.household(household, attached).member(person, household, ADULT)
    return person


# ---------------------------------------------------------------- crime and ASB


def test_asb_down_60_percent_exactly_and_just_short() -> None:
    # Records at attachment: ASBOs on 2012-05-01 (inside the 6 months before
    # 2012-06-01, and a formal kind, so crime_asb held then). Records since:
    # incidents on 2012-12-01, inside the 6 months before 2013-01-15.
    # 60% down is asb(c) <= 2/5 x asb(a).
    cases = {
        (5, 2): True,  # 60% down
        (5, 3): False,  # 40% down
        (10, 4): True,  # 60% down
        (10, 5): False,  # 50% down: short of 60%
        (100, 40): True,  # 60% down
        (100, 41): False,  # 59% down
        (1, 0): True,
        (1, 1): False,
    }
    families = Families()
    for (then, now), _ in cases.items():
        person = family(families, f"asb_{then}_{now}")
        families.events("asb", person, then, recorded_on=D(2012, 5, 1), kind="asbo")
        families.events("asb", person, now, recorded_on=D(2012, 12, 1), kind="incident")
    rows = evaluate_both(shipped(PHASE1), families, CLAIM_DATE, ["crime_asb_result"])
    expect(rows, "crime_asb_result", {f"asb_{a}_{c}": v for (a, c), v in cases.items()})


def test_youth_offending_down_33_percent_exactly_and_just_short() -> None:
    # 33% down is offences(c) <= 67/100 x offences(a), compared exactly.
    cases = {
        (100, 67): True,  # 33% down
        (100, 68): False,  # 32% down
        (3, 2): True,  # 2 <= 2.01
        (3, 3): False,
        (0, 0): True,  # crime_asb did not hold at attachment: neutral
    }
    families = Families()
    for (then, now), _ in cases.items():
        household = f"off_{then}_{now}"
        family(families, household)
        youth = f"{household}Y"
        families.member(youth, household, YOUTH)
        families.events("offences", youth, then, offence_date=D(2012, 5, 1))
        families.events("offences", youth, now, offence_date=D(2012, 12, 1))
    rows = evaluate_both(shipped(PHASE1), families, CLAIM_DATE, ["crime_asb_result"])
    expect(rows, "crime_asb_result", {f"off_{a}_{c}": v for (a, c), v in cases.items()})


def test_result_window_is_6_months_to_the_day() -> None:
    # 6 months before the claim date 2013-01-15 is 2012-07-15: an incident that
    # day is outside the window, one on 2012-07-16 inside (one ASBO at
    # attachment, so one incident since is not 60% down).
    # 6 months before attachment (2012-06-01) is 2011-12-01: two ASBOs on
    # 2011-12-02 and one on 2012-05-01 make 3 at attachment, and one incident
    # since is 2/5 x 3 or less; the same two ASBOs on 2011-12-01 leave 1.
    families = Families()
    for day, name in ((D(2012, 7, 15), "since_day_before"), (D(2012, 7, 16), "since_first_day")):
        person = family(families, name)
        families.event("asb", person, recorded_on=D(2012, 5, 1), kind="asbo")
        families.event("asb", person, recorded_on=day, kind="incident")
    for day, name in ((D(2011, 12, 1), "then_day_before"), (D(2011, 12, 2), "then_first_day")):
        person = family(families, name)
        families.events("asb", person, 2, recorded_on=day, kind="asbo")
        families.event("asb", person, recorded_on=D(2012, 5, 1), kind="asbo")
        families.event("asb", person, recorded_on=D(2012, 12, 1), kind="incident")
    rows = evaluate_both(shipped(PHASE1), families, CLAIM_DATE, ["asb_recent", "crime_asb_result"])
    expect(rows, "asb_recent", {"since_day_before": 0, "since_first_day": 1})
    expect(
        rows,
        "crime_asb_result",
        {
            "since_day_before": True,
            "since_first_day": False,
            "then_day_before": False,
            "then_first_day": True,
        },
    )


# ---------------------------------------------------------------- education


def test_education_result_at_15_percent_and_3_exclusions() -> None:
    # Claim date 2013-07-15 (summer term of 2012/13): the last 3 terms are
    # summer 2011/12, autumn and spring 2012/13. Education held at attachment
    # (3 fixed exclusions in spring 2011/12). The result needs absence under
    # 15% and fewer than 3 fixed exclusions since.
    now = ((2011, "summer"), (2012, "autumn"), (2012, "spring"))
    unauthorised, exclusions = "sessions_unauthorised_absence", "fixed_exclusions"
    cases = {
        "absence_15": ((unauthorised, (15, 15, 15)), False),  # 45 of 300
        "absence_under_15": ((unauthorised, (15, 15, 14)), True),  # 44 of 300
        "exclusions_3": ((exclusions, (1, 1, 1)), False),
        "exclusions_2": ((exclusions, (1, 1, 0)), True),
        "two_terms": ((exclusions, (0, 0)), None),  # pinned 8: unknown
    }
    families = Families()
    for household, ((column, values), _) in cases.items():
        child = f"{household}C"
        families.household(household, ATTACHED).member(child, household, D(2003, 1, 1))
        families.event(
            "school_terms", child, academic_year=2011, term="spring", sessions_possible=100,
            fixed_exclusions=3,
        )  # fmt: skip
        for (year, term), value in zip(now, values, strict=False):
            families.event(
                "school_terms", child, academic_year=year, term=term, sessions_possible=100,
                **{column: value},
            )  # fmt: skip
    rows = evaluate_both(shipped(PHASE1), families, D(2013, 7, 15), ["education_result"])
    expect(rows, "education_result", {h: value for h, (_, value) in cases.items()})


# ---------------------------------------------------------------- employment


def test_26_weeks_after_jsa_and_13_after_other_benefits() -> None:
    # At 2013-01-15, a job that started 182 days before (2012-07-17) has lasted
    # 26 weeks; one started a day later has not. 13 weeks is 91 days.
    cases = {
        "jsa_26_weeks": ("JSA", D(2012, 7, 17), None, True),
        "jsa_26_weeks_less_a_day": ("JSA", D(2012, 7, 18), None, False),
        "esa_13_weeks": ("ESA", D(2012, 10, 16), None, True),
        "esa_13_weeks_less_a_day": ("ESA", D(2012, 10, 17), None, False),
        # a job that has ended: its own length
        "jsa_ended_at_26_weeks": ("JSA", ATTACHED, ATTACHED + 182 * DAY, True),
        "jsa_ended_a_day_short": ("JSA", ATTACHED, ATTACHED + 181 * DAY, False),
        # a job must start on or after attachment (pinned 14)
        "started_on_attachment": ("ESA", ATTACHED, None, True),
        "started_the_day_before": ("ESA", ATTACHED - DAY, None, False),
    }
    families = Families()
    for household, (benefit, start, end, _) in cases.items():
        person = family(families, household)
        families.event("benefit_claims", person, benefit=benefit, start_date=D(2011, 1, 1))
        families.event("employment_spells", person, start_date=start, end_date=end)
    # JSA beside another benefit at attachment: 26 weeks are needed (pinned 14)
    person = family(families, "jsa_and_esa_13_weeks")
    for benefit in ("JSA", "ESA"):
        families.event("benefit_claims", person, benefit=benefit, start_date=D(2011, 1, 1))
    families.event("employment_spells", person, start_date=D(2012, 10, 16))
    rows = evaluate_both(shipped(PHASE1), families, CLAIM_DATE, ["employment_result"])
    expected = {h: value for h, (_, _, _, value) in cases.items()}
    expect(rows, "employment_result", expected | {"jsa_and_esa_13_weeks": False})


def test_employment_result_counts_adults_at_the_claim_date() -> None:
    # Pinned 4: a member who was 17 at attachment and is 18 on the claim date
    # counts; one who turns 18 the day after does not.
    families = Families()
    for household, born in (
        ("eighteen_today", birthday(CLAIM_DATE, -18)),
        ("eighteen_tomorrow", birthday(CLAIM_DATE, -18) + DAY),
    ):
        person = f"{household}Y"
        families.household(household, ATTACHED).member(person, household, born)
        families.event("benefit_claims", person, benefit="ESA", start_date=D(2012, 1, 1))
        families.event("employment_spells", person, start_date=D(2012, 7, 1))
    rows = evaluate_both(shipped(PHASE1), families, CLAIM_DATE, ["employment_result"])
    expect(rows, "employment_result", {"eighteen_today": True, "eighteen_tomorrow": False})


def test_progress_to_work_since_attachment_and_in_the_last_6_months() -> None:
    cases = {
        "first_day_of_window": (ATTACHED, D(2012, 7, 16), True),
        "day_before_window": (ATTACHED, D(2012, 7, 15), False),
        "on_attachment": (D(2012, 10, 1), D(2012, 10, 1), True),
        "day_before_attachment": (D(2012, 10, 1), D(2012, 9, 30), False),
        "on_claim_date": (ATTACHED, CLAIM_DATE, True),
        "after_claim_date": (ATTACHED, CLAIM_DATE + DAY, False),
    }
    families = Families()
    for household, (attached, referred, _) in cases.items():
        person = family(families, household, attached)
        families.event("work_referrals", person, referred_on=referred, programme="esf_families")
    rows = evaluate_both(shipped(PHASE1), families, CLAIM_DATE, ["progress_to_work"])
    expect(rows, "progress_to_work", {h: value for h, (_, _, value) in cases.items()})


# ---------------------------------------------------------------- payments


def identified_family(families: Families, household: str, attached: dt.date, job: bool) -> None:
    """Identified at attachment (an ASBO a month before, JSA, local true); with
    `job`, in work from the day after attachment, else referred to the Work
    Programme on 2015-12-01 with no ASB since (education and crime/ASB results)."""
    person = family(families, household, attached)
    families.event("asb", person, recorded_on=attached - 30 * DAY, kind="asbo")
    families.event("benefit_claims", person, benefit="JSA", start_date=D(2010, 1, 1))
    if job:
        families.event("employment_spells", person, start_date=attached + DAY)
    else:
        families.event(
            "work_referrals", person, referred_on=D(2015, 12, 1), programme="work_programme"
        )


#: Attachment date: (financial year, attachment fee, education + crime/ASB, employment)
FINANCIAL_YEAR_EDGES = {
    D(2012, 3, 31): (2011, 0, 0, 0),
    D(2012, 4, 1): (2012, 3200, 700, 800),
    D(2013, 3, 31): (2012, 3200, 700, 800),
    D(2013, 4, 1): (2013, 2400, 1500, 1600),
    D(2014, 3, 31): (2013, 2400, 1500, 1600),
    D(2014, 4, 1): (2014, 1600, 2300, 2400),
    D(2015, 3, 31): (2014, 1600, 2300, 2400),
    D(2015, 4, 1): (2015, 0, 0, 0),
}


def test_payments_by_financial_year_of_attachment_on_31_march_and_1_april() -> None:
    families = Families()
    for attached in FINANCIAL_YEAR_EDGES:
        identified_family(families, f"job_{attached}", attached, job=True)
        identified_family(families, f"results_{attached}", attached, job=False)
    rules = ["identified_at_attachment", "attachment_fee", "results_payment", "payment_due"]
    rows = evaluate_both(shipped(PHASE1), families, D(2016, 1, 15), rules, fixed=LOCAL)
    progress = 100
    for attached, (_, fee, edu_crime, employment) in FINANCIAL_YEAR_EDGES.items():
        paid = progress if fee else 0
        job, results = f"job_{attached}", f"results_{attached}"
        expect(rows, "identified_at_attachment", {job: True, results: True})
        expect(rows, "attachment_fee", {job: gbp(fee), results: gbp(fee)})
        expect(rows, "results_payment", {job: gbp(employment), results: gbp(edu_crime + paid)})
        expect(
            rows,
            "payment_due",
            {job: gbp(fee + employment), results: gbp(fee + edu_crime + paid)},
        )


def test_payment_due_is_capped_at_4000_pounds_less_what_was_claimed() -> None:
    # Attached in financial year 2012 with a job: £3,200 + £800 = £4,000, the cap.
    as_of = D(2013, 6, 1)
    claimed = {
        "nothing": [],
        "less_a_penny": [(D(2012, 7, 1), "3999.99")],
        "all_of_it": [(D(2012, 7, 1), "3200"), (as_of, "800")],  # on the run date: counts
        "after_the_run_date": [(D(2012, 7, 1), "3200"), (as_of + DAY, "800")],
        "more_than_due": [(D(2012, 7, 1), "4000.01")],
    }
    families = Families()
    for household, claims in claimed.items():
        identified_family(families, household, ATTACHED, job=True)
        for day, amount in claims:
            families.event("claims", household, claimed_on=day, claim="results", amount=gbp(amount))
    rules = ["attachment_fee", "results_payment", "already_claimed", "payment_due"]
    ruleset = shipped(PHASE1)
    rows = evaluate_both(ruleset, families, as_of, rules, fixed=LOCAL)
    expect(rows, "attachment_fee", dict.fromkeys(claimed, gbp(3200)))
    expect(rows, "results_payment", dict.fromkeys(claimed, gbp(800)))
    expect(
        rows,
        "already_claimed",
        {
            "nothing": gbp(0),
            "less_a_penny": gbp("3999.99"),
            "all_of_it": gbp(4000),
            "after_the_run_date": gbp(3200),
            "more_than_due": gbp("4000.01"),
        },
    )
    expect(
        rows,
        "payment_due",
        {
            "nothing": gbp(4000),
            "less_a_penny": gbp("0.01"),
            "all_of_it": gbp(0),
            "after_the_run_date": gbp(800),
            "more_than_due": gbp(0),
        },
    )
    # A cap a penny under the £4,000 due shows that it applies.
    lower = tfrules.load(PHASE1, params=["payment_cap=£3,999.99"])
    rows = evaluate_both(lower, families, as_of, ["payment_due"], fixed=LOCAL)
    expect(rows, "payment_due", {"nothing": gbp("3999.99"), "less_a_penny": gbp(0)})


def test_no_payment_for_a_family_never_attached() -> None:
    families = Families()
    identified_family(families, "attached", ATTACHED, job=True)
    person = family(families, "never", None)
    families.event("asb", person, recorded_on=D(2012, 5, 1), kind="asbo")
    families.event("benefit_claims", person, benefit="JSA", start_date=D(2010, 1, 1))
    families.event("employment_spells", person, start_date=D(2012, 6, 2))
    rows = evaluate_both(
        shipped(PHASE1), families, CLAIM_DATE, ["turned_around", "payment_due"], fixed=LOCAL
    )
    expect(rows, "turned_around", {"attached": True, "never": None})
    expect(rows, "payment_due", {"attached": gbp(4000), "never": gbp(0)})
