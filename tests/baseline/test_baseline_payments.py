"""Phase 1 payments: by the financial year of attached_on, capped, less claimed.

Amounts (docs/programme-rules.md): attachment fee 3,200 / 2,400 / 1,600; education +
crime/ASB 700 / 1,500 / 2,300; progress to work 100; employment 800 / 1,600 /
2,400 for financial years 2012 / 2013 / 2014; 0 in other years.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bench.baseline import Params

from .builders import clean_terms, dataset, gbp, one, run, term


def family(
    year: int,
    *,
    offence: bool = True,
    employment: bool = False,
    referral: bool = False,
    missing: tuple[str, ...] = (),
    claims: list[tuple] = (),
) -> tuple[dict[str, Any], date]:
    """The results-test standard family shifted to attachment year ``year``.

    a = {year}-06-01 (summer term of academic year year-1), c = {year+1}-06-15
    (summer of academic year year). C (12 at a) was permanently excluded in
    spring of academic year year-1 (education at a) and, if ``offence``, has a
    proven offence on {year}-04-01 (crime_asb at a); A has claimed JSA since
    {year-1}-01-01 (work at a). C is clean over the 3 terms before c, so
    education_result and crime_asb_result are true. ``employment``: A works
    from a on (379 days by c >= 26 weeks). ``referral``: A is referred on
    {year+1}-03-01 (after a, within 6 months of c).
    """
    a, c = date(year, 6, 1), date(year + 1, 6, 15)
    events: dict[str, list[tuple]] = {
        "school_terms": [
            term("C", year - 1, "spring", perm=True),
            *clean_terms("C", (year - 1, "summer"), (year, "autumn"), (year, "spring")),
        ],
        "offences": [("C", date(year, 4, 1), True)] if offence else [],
        "benefit_claims": [("A", "JSA", date(year - 1, 1, 1), None)],
        "employment_spells": [("A", a, None)] if employment else [],
        "work_referrals": [("A", date(year + 1, 3, 1), "work_programme")] if referral else [],
        "claims": list(claims),
    }
    for name in missing:
        events.pop(name)
    persons = [("A", "H1", date(1980, 1, 1)), ("C", "H1", date(year - 12, 1, 1))]
    return dataset([("H1", a)], persons, missing=missing, **events), c


def _payments(row: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal]:
    return row["attachment_fee"], row["results_payment"], row["payment_due"]


@pytest.mark.parametrize(
    ("year", "fee", "edu_crime", "employment"),
    [
        (2012, 3200, 700, 800),
        (2013, 2400, 1500, 1600),
        (2014, 1600, 2300, 2400),
        (2015, 0, 0, 0),
        (2011, 0, 0, 0),
    ],
)
def test_payments_by_financial_year(year: int, fee: int, edu_crime: int, employment: int) -> None:
    # Turned around by education + crime: fee + edu/crime amount.
    f, c = family(year)
    row = one(f, c)
    assert row["identified_at_a"] is True and row["turned_around"] is True
    assert _payments(row) == (gbp(fee), gbp(edu_crime), gbp(fee + edu_crime))
    # ... plus progress to work (100 in 2012-2014): 4,000 in each of those years.
    f, c = family(year, referral=True)
    ptw = 100 if fee else 0
    assert _payments(one(f, c)) == (
        gbp(fee),
        gbp(edu_crime + ptw),
        gbp(fee + edu_crime + ptw),
    )
    # Employment replaces education + crime and progress to work: fee + employment,
    # exactly the £4,000 cap in 2012-2014.
    f, c = family(year, employment=True, referral=True)
    assert _payments(one(f, c)) == (gbp(fee), gbp(employment), gbp(fee + employment))


@pytest.mark.parametrize(
    ("attached_on", "fee"),
    [
        (date(2012, 3, 31), 0),  # financial year 2011
        (date(2012, 4, 1), 3200),  # 2012
        (date(2013, 3, 31), 3200),  # still 2012
        (date(2013, 4, 1), 2400),  # 2013
        (date(2014, 4, 1), 1600),  # 2014
        (date(2015, 3, 31), 1600),  # still 2014
        (date(2015, 4, 1), 0),  # 2015
    ],
)
def test_attachment_fee_financial_year_boundaries(attached_on: date, fee: int) -> None:
    # Identified at a through crime (C's offence 30 days before a) + work (JSA
    # since 2010) + local at a (a burglary 10 days before a: pinned reading 1,
    # revised, takes local at the attachment date). Education at a and the
    # requirement at c are unknown (no school_terms rows), so the education +
    # crime/ASB amount is not paid and nothing else is: payment_due = the fee.
    f = dataset(
        [("H1", attached_on)],
        [("A", "H1", date(1970, 1, 1)), ("C", "H1", date(2000, 1, 1))],
        offences=[("C", attached_on - timedelta(days=30), True)],
        benefit_claims=[("A", "JSA", date(2010, 1, 1), None)],
        police_incidents=[("A", attached_on - timedelta(days=10), "burglary")],
    )
    row = one(f, date(2015, 6, 1))
    assert row["identified_at_a"] is True
    assert row["education_result"] is None
    assert _payments(row) == (gbp(fee), gbp(0), gbp(fee))


def test_employment_and_progress_amounts_do_not_need_identification() -> None:
    # Pinned 3. No offence: only education and work at a, local false -> not
    # identified at a: no fee, no education + crime/ASB amount.
    f, c = family(2012, offence=False, employment=True)
    row = one(f, c)
    assert row["identified_at_a"] is False
    assert _payments(row) == (gbp(0), gbp(800), gbp(800))
    f, c = family(2012, offence=False, referral=True)
    assert _payments(one(f, c)) == (gbp(0), gbp(100), gbp(100))


def test_unknown_conditions_pay_nothing() -> None:
    # benefit_claims not supplied: work at a unknown; crime and education true,
    # local false -> identified at a = unknown. No fee, no education + crime
    # amount (its condition is unknown). A's spell makes employment_result
    # unknown (claim at a unknown), so the next branch is considered: the
    # referral pays 100.
    f, c = family(2012, employment=True, referral=True, missing=("benefit_claims",))
    row = one(f, c)
    assert row["identified_at_a"] is None
    assert row["employment_result"] is None
    assert row["progress_to_work"] is True
    assert _payments(row) == (gbp(0), gbp(100), gbp(100))


def test_cap_applies_to_fee_plus_results() -> None:
    # With the cap lowered to £3,000: 3,200 + 700 = 3,900 -> 3,000 due; the fee
    # and results columns themselves are not capped.
    class LowCap(Params):
        payment_cap = Decimal("3000")

    f, c = family(2012)
    row = one(f, c, params=LowCap)
    assert _payments(row) == (gbp(3200), gbp(700), gbp(3000))


def test_already_claimed_is_deducted() -> None:
    # 4,000 due before claims (fee 3,200 + 700 + 100). Claimed on or before
    # as_of (2013-06-15): 3,200.00 + 234.56 = 3,434.56 (the claim on as_of counts);
    # the claim the day after and another household's claim do not.
    claims = [
        ("H1", date(2012, 7, 1), "attachment", gbp(3200)),
        ("H1", date(2013, 6, 15), "results", gbp("234.56")),
        ("H1", date(2013, 6, 16), "results", gbp(700)),
        ("H9", date(2012, 7, 1), "attachment", gbp(1000)),
    ]
    f, c = family(2012, referral=True, claims=claims)
    row = one(f, c)
    assert row["already_claimed"] == gbp("3434.56")
    assert _payments(row) == (gbp(3200), gbp(800), gbp("565.44"))


def test_already_claimed_never_below_zero() -> None:
    # 3,900 due, 4,000 already claimed: max(0, 3,900 - 4,000) = 0, and the
    # 100 beyond what is due is overclaimed.
    claims = [("H1", date(2012, 7, 1), "attachment", gbp(4000))]
    f, c = family(2012, claims=claims)
    row = one(f, c)
    assert row["payment_due"] == gbp(0)
    assert row["overclaimed"] == gbp(100)


@pytest.mark.parametrize(
    ("claimed", "due", "over"),
    [
        ("3899.99", "0.01", "0"),  # a penny short of the 3,900 due
        ("3900.00", "0", "0"),  # exactly what is due
        ("3900.01", "0", "0.01"),  # a penny over
        ("0", "3900", "0"),
    ],
)
def test_overclaimed_at_the_boundary(claimed: str, due: str, over: str) -> None:
    # 3,900 due (fee 3,200 + 700): overclaimed = max(0, claimed - 3,900), to the penny.
    claims = [("H1", date(2012, 7, 1), "attachment", gbp(claimed))]
    f, c = family(2012, claims=claims)
    row = one(f, c)
    assert (row["payment_due"], row["overclaimed"]) == (gbp(due), gbp(over))


def test_overclaimed_against_the_cap() -> None:
    # Cap 3,000: 3,200 + 700 is capped at 3,000, so 3,000.50 claimed is 0.50 over.
    class LowCap(Params):
        payment_cap = Decimal("3000")

    claims = [("H1", date(2012, 7, 1), "attachment", gbp("3000.50"))]
    f, c = family(2012, claims=claims)
    row = one(f, c, params=LowCap)
    assert (row["payment_due"], row["overclaimed"]) == (gbp(0), gbp("0.50"))


def test_missing_claims_table_means_nothing_claimed() -> None:
    f, c = family(2012, missing=("claims",))
    row = one(f, c)
    assert row["already_claimed"] == gbp(0)
    assert row["payment_due"] == gbp(3900)


def test_not_attached_pays_nothing() -> None:
    # Identified at as_of, not attached: every payment zero, even with claims.
    f = dataset(
        [("H1", None), ("H2", None)],
        [("A", "H1", date(1980, 1, 1)), ("C", "H1", date(2000, 1, 1))],
        offences=[("C", date(2012, 10, 1), True)],
        benefit_claims=[("A", "JSA", date(2010, 1, 1), None)],
        police_incidents=[("A", date(2012, 10, 1), "burglary")],
        claims=[("H2", date(2012, 1, 1), "attachment", gbp(100))],
    )
    rows = run(f, date(2013, 1, 15))
    assert rows["H1"]["identified"] is True
    for row in rows.values():
        assert _payments(row) == (gbp(0), gbp(0), gbp(0))
    # what was claimed for a family never attached is all overclaimed
    assert (rows["H1"]["overclaimed"], rows["H2"]["overclaimed"]) == (gbp(0), gbp(100))
