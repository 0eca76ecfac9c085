"""Cross-check the baseline against the plain-Python reference on random data.

The data sets are small and dense in boundary cases: dates just inside and
outside every window, 29 February births, birthdays on the reference dates,
15% absence exactly, duplicate term rows, tables left out at random.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bench.baseline import OUTPUT_COLUMNS, phase1

from .builders import ALL_EVENT_TABLES, SCHEMAS, table
from .reference import Household, months_before, term_of

TERMS = ["autumn", "spring", "summer"]
AS_OFS = [
    date(2013, 3, 31),  # Easter Sunday
    date(2013, 4, 1),  # Easter Monday
    date(2013, 7, 31),
    date(2013, 8, 1),
    date(2014, 2, 28),
    date(2012, 2, 29),
    date(2015, 6, 15),
    date(2014, 1, 15),
]


def _near(rng: random.Random, anchors: list[date]) -> date:
    """A date on or around a window boundary of one of ``anchors``, or anywhere."""
    if rng.random() < 0.2:
        return date(2010, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    d = rng.choice(anchors)
    base = rng.choice([d, months_before(d, 6), months_before(d, 12)])
    return base + timedelta(days=rng.choice([-1, 0, 1, rng.randrange(-200, 200)]))


def random_dataset(seed: int) -> tuple[dict[str, list[tuple]], date, set[str]]:
    rng = random.Random(seed)
    as_of = rng.choice(AS_OFS)
    attach_dates = [
        date(2012, 4, 1),
        date(2013, 3, 31),
        date(2013, 4, 1),
        date(2014, 6, 1),
        date(2012, 10, 15),
        as_of,
        as_of + timedelta(days=30),
    ]
    households, persons = [], []
    rows: dict[str, list[tuple]] = {t: [] for t in ALL_EVENT_TABLES}
    for h in range(rng.randint(5, 25)):
        hid = f"H{h:02d}"
        a = rng.choice([None, *attach_dates])
        households.append((hid, "E08000035", a))
        anchors = [as_of] if a is None else [as_of, a]
        for m in range(rng.choice([0, 1, 2, 2, 3, 4])):
            pid = f"{hid}P{m}"
            ref = rng.choice(anchors)
            years = rng.choice([4, 5, 10, 15, 16, 17, 18, 30, 30, 50, 50])
            dob = rng.choice(
                [
                    date(ref.year - years, ref.month, min(ref.day, 28)),
                    date(ref.year - years, 1, 1) + timedelta(days=rng.randrange(365)),
                    date(1996, 2, 29),
                    date(2000, 2, 29),
                ]
            )
            persons.append((pid, hid, dob))
            terms = [(rng.randint(2010, 2015), rng.choice(TERMS)) for _ in range(rng.randint(0, 3))]
            for anchor in anchors:  # often a full window of terms before an anchor
                if rng.random() < 0.6:
                    terms += [divmod(term_of(anchor) - k, 3) for k in (1, 2, 3)]
            for ay, tm in terms:
                tm = tm if isinstance(tm, str) else TERMS[tm]
                possible = rng.choice([0, 20, 100, 100])
                unauth = min(possible, rng.choice([0, 0, 3, 15, 20]))
                rows["school_terms"].append(
                    (
                        pid,
                        ay,
                        tm,
                        possible,
                        0,
                        unauth,
                        rng.choice([0, 0, 0, 1, 2, 3]),
                        rng.random() < 0.05,
                        rng.random() < 0.05,
                        rng.random() > 0.05,
                    )
                )
            for _ in range(rng.randint(0, 3)):
                rows["offences"].append((pid, _near(rng, anchors), rng.random() < 0.8))
            for _ in range(rng.randint(0, 3)):
                kind = rng.choice(["incident", "incident", "asbo", "injunction"])
                rows["asb"].append((pid, _near(rng, anchors), kind))
            for _ in range(rng.randint(0, 2)):
                start = rng.choice(
                    [_near(rng, anchors), rng.choice(anchors) - timedelta(days=rng.randrange(400))]
                )
                end = rng.choice([None, start + timedelta(days=rng.randrange(0, 800))])
                benefit = rng.choice(["JSA", "JSA", "ESA", "IS", "HB", "UC"])
                rows["benefit_claims"].append((pid, benefit, start, end))
            for _ in range(rng.randint(0, 2)):
                start = rng.choice(
                    [_near(rng, anchors), anchors[-1] + timedelta(rng.randrange(30))]
                )
                end = rng.choice(
                    [None, None, start + timedelta(days=rng.choice([90, 91, 181, 182, 300]))]
                )
                rows["employment_spells"].append((pid, start, end))
            for _ in range(rng.randint(0, 2)):
                programme = rng.choice(["work_programme", "esf_families"])
                referred = _near(rng, anchors)
                if a is not None and a < as_of and rng.random() < 0.5:
                    referred = a + timedelta(days=rng.randrange((as_of - a).days + 1))
                rows["work_referrals"].append((pid, referred, programme))
            for _ in range(rng.randint(0, 1)):
                category = rng.choice(["burglary", "other"])
                rows["police_incidents"].append((pid, _near(rng, anchors), category))
        for _ in range(rng.randint(0, 2)):
            amount = Decimal(rng.choice([100, 1000, 3200, 4500])) + Decimal("0.50")
            rows["claims"].append((hid, _near(rng, [as_of]), "attachment", amount))
    missing = {t for t in ALL_EVENT_TABLES if rng.random() < 0.2}
    rows["households"] = households
    rows["persons"] = persons
    return rows, as_of, missing


def _as_dicts(name: str, rows: list[tuple]) -> list[dict[str, Any]]:
    return [dict(zip(SCHEMAS[name], r, strict=True)) for r in rows]


@pytest.mark.parametrize("seed", range(40))
def test_baseline_matches_reference(seed: int) -> None:
    rows, as_of, missing = random_dataset(seed)
    frames = {name: table(name, r) for name, r in rows.items() if name not in missing}
    got = phase1(frames, as_of).collect()
    assert got.columns == list(OUTPUT_COLUMNS)
    tables = {name: None if name in missing else _as_dicts(name, r) for name, r in rows.items()}
    expected = [
        Household(hh, tables).evaluate(as_of) for hh in _as_dicts("households", rows["households"])
    ]
    expected.sort(key=lambda r: r["household_id"])
    got_rows = [{k: v for k, v in r.items() if k != "la_code"} for r in got.iter_rows(named=True)]
    assert len(got_rows) == len(expected)
    for g, e in zip(got_rows, expected, strict=True):
        assert g == e, (seed, as_of, sorted(missing), g["household_id"])
