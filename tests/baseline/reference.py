"""A plain-Python, one-household-at-a-time reading of the phase 1 rules.

Written straight from docs/programme-rules.md, for cross-checking the lazy Polars
baseline on random small data sets (test code only: it loops over rows).
Three-valued logic: True, False, None (unknown).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from bench.baseline.calendar import easter_sunday_py

K = bool | None
OUT_OF_WORK = {"JSA", "ESA", "IB", "IS", "CA", "SDA"}
FORMAL_ASB = {"asbo", "injunction", "acceptable_behaviour_contract", "housing_intervention"}
TERM_OFFSET = {"autumn": 0, "spring": 1, "summer": 2}
FEE = {2012: 3200, 2013: 2400, 2014: 1600}
EDU_CRIME = {2012: 700, 2013: 1500, 2014: 2300}
PTW = {2012: 100, 2013: 100, 2014: 100}
EMPLOYMENT = {2012: 800, 2013: 1600, 2014: 2400}


def not3(x: K) -> K:
    return None if x is None else not x


def and3(*xs: K) -> K:
    if any(x is False for x in xs):
        return False
    return None if any(x is None for x in xs) else True


def or3(*xs: K) -> K:
    if any(x is True for x in xs):
        return True
    return None if any(x is None for x in xs) else False


def any3(xs: Iterable[K]) -> K:
    return or3(False, *xs)


def every3(xs: Iterable[K]) -> K:
    return and3(True, *xs)


def age(dob: date, d: date) -> int:
    return d.year - dob.year - ((d.month, d.day) < (dob.month, dob.day))


def months_before(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def in_months(x: date, d: date, n: int) -> bool:
    return months_before(d, n) < x <= d


def term_of(d: date) -> int:
    if d.month >= 8:
        return 3 * d.year
    if d <= easter_sunday_py(d.year):
        return 3 * (d.year - 1) + 1
    return 3 * (d.year - 1) + 2


class Household:
    """One household's members and their events, drawn from row dictionaries."""

    def __init__(self, hh: dict, tables: dict[str, list[dict] | None]) -> None:
        self.id = hh["household_id"]
        self.a: date | None = hh["attached_on"]
        self.tables = tables
        self.members = [p for p in tables["persons"] or [] if p["household_id"] == self.id]

    def rows(self, table: str, person: dict) -> list[dict] | None:
        rows = self.tables.get(table)
        if rows is None:
            return None
        return [r for r in rows if r["person_id"] == person["person_id"]]

    # -- identification -----------------------------------------------------------

    def crime_asb(self, d: date) -> K:
        def member(p: dict) -> K:
            off = self.rows("offences", p)
            asb = self.rows("asb", p)
            o = (
                None
                if off is None
                else any(
                    r["proven"]
                    and age(p["date_of_birth"], r["offence_date"]) < 18
                    and in_months(r["offence_date"], d, 12)
                    for r in off
                )
            )
            s = (
                None
                if asb is None
                else any(
                    r["kind"] in FORMAL_ASB and in_months(r["recorded_on"], d, 12) for r in asb
                )
            )
            return or3(o, s)

        return any3(member(p) for p in self.members)

    def term_rows(self, p: dict, d: date) -> list[dict] | None:
        rows = self.rows("school_terms", p)
        if rows is None:
            return None
        t = term_of(d)
        return [
            r for r in rows if t - 3 <= 3 * r["academic_year"] + TERM_OFFSET[r["term"]] <= t - 1
        ]

    @staticmethod
    def absence_high(rows: list[dict]) -> bool:
        possible = sum(r["sessions_possible"] for r in rows)
        unauth = sum(r["sessions_unauthorised_absence"] for r in rows)
        return possible > 0 and 20 * unauth >= 3 * possible

    @staticmethod
    def n_terms(rows: list[dict]) -> int:
        return len({(r["academic_year"], r["term"]) for r in rows})

    def school_age(self, d: date) -> list[dict]:
        return [p for p in self.members if 5 <= age(p["date_of_birth"], d) <= 15]

    def education(self, d: date) -> K:
        def child(p: dict) -> K:
            rows = self.term_rows(p, d)
            if rows is None:
                return None
            fact = (
                any(r["permanently_excluded"] for r in rows)
                or sum(r["fixed_exclusions"] for r in rows) >= 3
                or any(r["alternative_provision"] for r in rows)
                or any(not r["on_roll"] for r in rows)
                or self.absence_high(rows)
            )
            if fact:
                return True
            return None if self.n_terms(rows) < 3 else False

        return any3(child(p) for p in self.school_age(d))

    def active(self, claim: dict, d: date) -> bool:
        return claim["start_date"] <= d and (claim["end_date"] is None or claim["end_date"] >= d)

    def adults(self, d: date) -> list[dict]:
        return [p for p in self.members if age(p["date_of_birth"], d) >= 18]

    def work(self, d: date) -> K:
        def adult(p: dict) -> K:
            claims = self.rows("benefit_claims", p)
            if claims is None:
                return None
            return any(c["benefit"] in OUT_OF_WORK and self.active(c, d) for c in claims)

        return any3(adult(p) for p in self.adults(d))

    def local(self, c: date) -> K:
        def member(p: dict) -> K:
            rows = self.rows("police_incidents", p)
            if rows is None:
                return None
            return any(
                r["category"] == "burglary" and in_months(r["incident_date"], c, 12) for r in rows
            )

        return any3(member(p) for p in self.members)

    def identified(self, d: date, local: K) -> K:
        cr, ed, wk = self.crime_asb(d), self.education(d), self.work(d)
        two = or3(and3(cr, ed), and3(cr, wk), and3(ed, wk))
        return or3(and3(cr, ed, wk), and3(two, local))

    # -- results ------------------------------------------------------------------

    def education_result(self, a: date, c: date) -> K:
        def child(p: dict) -> K:
            rows = self.term_rows(p, c)
            if rows is None or self.n_terms(rows) < 3:
                return None
            return sum(r["fixed_exclusions"] for r in rows) < 3 and not self.absence_high(rows)

        return or3(not3(self.education(a)), every3(child(p) for p in self.school_age(c)))

    def count(self, table: str, keep: Any) -> int | None:
        total = 0
        for p in self.members:
            rows = self.rows(table, p)
            if rows is None:
                return None
            total += sum(1 for r in rows if keep(p, r))
        return total

    def crime_asb_result(self, a: date, c: date) -> K:
        def asb_in(d: date) -> int | None:
            return self.count("asb", lambda p, r: in_months(r["recorded_on"], d, 6))

        def off_in(d: date) -> int | None:
            return self.count(
                "offences",
                lambda p, r: (
                    r["proven"]
                    and age(p["date_of_birth"], r["offence_date"]) < 18
                    and in_months(r["offence_date"], d, 6)
                ),
            )

        asb_c, asb_a, off_c, off_a = asb_in(c), asb_in(a), off_in(c), off_in(a)
        asb_ok = None if None in (asb_c, asb_a) else 5 * asb_c <= 2 * asb_a
        off_ok = None if None in (off_c, off_a) else 100 * off_c <= 67 * off_a
        return or3(not3(self.crime_asb(a)), and3(asb_ok, off_ok))

    def employment_result(self, a: date, c: date) -> K:
        def adult(p: dict) -> K:
            claims = self.rows("benefit_claims", p)
            spells = self.rows("employment_spells", p)
            if claims is None:
                had, jsa = None, None
            else:
                at_a = [x for x in claims if x["benefit"] in OUT_OF_WORK and self.active(x, a)]
                had, jsa = bool(at_a), any(x["benefit"] == "JSA" for x in at_a)

            def lasted(weeks: int) -> K:
                if spells is None:
                    return None
                return any(
                    s["start_date"] >= a
                    and (min(s["end_date"] or c, c) - s["start_date"]).days >= 7 * weeks
                    for s in spells
                )

            return and3(had, or3(and3(jsa, lasted(26)), and3(not3(jsa), lasted(13))))

        return any3(adult(p) for p in self.adults(c))

    def progress_to_work(self, a: date, c: date) -> K:
        def adult(p: dict) -> K:
            rows = self.rows("work_referrals", p)
            if rows is None:
                return None
            return any(r["referred_on"] >= a and in_months(r["referred_on"], c, 6) for r in rows)

        return any3(adult(p) for p in self.adults(c))

    # -- everything -----------------------------------------------------------------

    def evaluate(self, c: date) -> dict[str, Any]:
        local = self.local(c)
        a = self.a
        # pinned reading 1 (revised): local at the attachment date
        local_a = None if a is None else self.local(a)
        out: dict[str, Any] = {
            "household_id": self.id,
            "crime_asb": self.crime_asb(c),
            "education": self.education(c),
            "work": self.work(c),
            "local": local,
            "local_at_attachment": local_a,
            "identified": self.identified(c, local),
        }
        zero = Decimal("0.00")
        claims = self.tables.get("claims") or []
        claimed = sum(
            (r["amount"] for r in claims if r["household_id"] == self.id and r["claimed_on"] <= c),
            zero,
        )
        if a is None:
            out |= dict.fromkeys(
                (
                    "education_result",
                    "crime_asb_result",
                    "employment_result",
                    "progress_to_work",
                    "turned_around",
                )
            )
            out |= {
                "attachment_fee": zero,
                "results_payment": zero,
                "payment_due": zero,
                "overclaimed": claimed.quantize(zero),
            }
            return out
        ident_a = self.identified(a, local_a)
        edu = self.education_result(a, c)
        crime = self.crime_asb_result(a, c)
        emp = self.employment_result(a, c)
        ptw = self.progress_to_work(a, c)
        out |= {
            "education_result": edu,
            "crime_asb_result": crime,
            "employment_result": emp,
            "progress_to_work": ptw,
            "turned_around": and3(ident_a, or3(and3(edu, crime), emp)),
        }
        fy = a.year - (a.month < 4)
        fee = FEE.get(fy, 0) if ident_a is True else 0
        if emp is True:
            results = EMPLOYMENT.get(fy, 0)
        else:
            results = (EDU_CRIME.get(fy, 0) if and3(ident_a, edu, crime) is True else 0) + (
                PTW.get(fy, 0) if ptw is True else 0
            )
        capped = min(Decimal(fee + results), Decimal(4000))
        due = max(Decimal(0), capped - claimed)
        out |= {
            "attachment_fee": Decimal(fee).quantize(zero),
            "results_payment": Decimal(results).quantize(zero),
            "payment_due": due.quantize(zero),
            "overclaimed": max(Decimal(0), claimed - capped).quantize(zero),
        }
        return out
