"""Money arithmetic at half-penny boundaries, against exact decimal results.

Every amount from £0.00 to £10.00, a few negative ones and some too large
for a float to hold to the penny, is halved, quartered, divided by 3, by 8
and by a decimal, scaled by percentages and decimals, summed and
subtracted, by the compiled plan and by the interpreter. The expected
values are worked out here with `decimal` alone, by the rule the language
states (docs/language.md, section 10): a product or quotient is taken to six
decimal places, then to the penny, each time rounding half to even. Any
floating point on the way (0.175 is stored just under it; 1.2e13 pounds
cannot be held to the penny) gives some of these a different penny.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from semantic_harness import agree, check_text, same
from strategies.data_strategies import DataSet, make_frame

from tfrules.model.ruleset import CheckedRuleset

SIX_PLACES = Decimal("0.000001")
PENNY = Decimal("0.01")


def six_places(value: Decimal) -> Decimal:
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_EVEN)


def money(value: Decimal) -> Decimal:
    """An exact product or quotient as money: six places, then the penny."""
    return six_places(value).quantize(PENNY, rounding=ROUND_HALF_EVEN)


RULES = """\
ruleset gen.t "Money arithmetic"
    uses schema canonical

parameter vat "A rate with a half in the third place" = 17.5%

measure amount: money = sum rent_arrears over housing
measure halved: money = amount / 2
measure quartered: money = amount / 4
measure eighth: money = amount / 8
measure third: money = amount / 3
measure by_decimal: money = amount / 1.6
measure half_of: money = 50% of amount
measure eighth_of: money = 12.5% of amount
measure vat_due: money = amount * vat
measure by_third: money = amount * 0.333333
measure times_three: money = 3 * amount
measure halves_added: money = amount / 2 + amount / 2
measure less_a_third: money = amount - amount / 3
measure in_threes: decimal = amount / £3
measure by_nothing: money = amount / 0
"""

#: Each measure and its exact value, from the amount alone.
EXACT: dict[str, Callable[[Decimal], Decimal | None]] = {
    "amount": lambda a: a,
    "halved": lambda a: money(a / 2),
    "quartered": lambda a: money(a / 4),
    "eighth": lambda a: money(a / 8),
    "third": lambda a: money(a / 3),
    "by_decimal": lambda a: money(a / Decimal("1.6")),
    "half_of": lambda a: money(a * Decimal("0.5")),
    "eighth_of": lambda a: money(a * Decimal("0.125")),
    "vat_due": lambda a: money(a * Decimal("0.175")),
    "by_third": lambda a: money(a * Decimal("0.333333")),
    "times_three": lambda a: money(a * 3),
    "halves_added": lambda a: money(a / 2) * 2,
    "less_a_third": lambda a: a - money(a / 3),
    "in_threes": lambda a: six_places(a / Decimal(3)),
    "by_nothing": lambda a: None,
}

#: Every penny to £10, some negative amounts, and amounts beyond a float's pennies.
AMOUNTS = [
    *(Decimal(p) / 100 for p in range(1001)),
    *(Decimal(v) for v in ("-0.01", "-0.05", "-0.25", "-0.35", "-1.01", "-1234.57")),
    *(Decimal(v) for v in ("1234567.89", "98765432109.87", "12345678901234.57")),
    Decimal("9007199254740.99"),  # 2^53 pence and more
]


@pytest.fixture(scope="module")
def ruleset() -> CheckedRuleset:
    found, errors = check_text(RULES)
    assert found is not None, errors
    return found


def households_with(amounts: list[Decimal]) -> DataSet:
    ids = [f"H{n:05}" for n in range(len(amounts))]
    households = [{"household_id": h, "la_code": "E08000035", "attached_on": None} for h in ids]
    housing = [
        {
            "household_id": h,
            "recorded_on": dt.date(2013, 1, 1),
            "rent_arrears": amount,
            "eviction_notice": False,
        }
        for h, amount in zip(ids, amounts, strict=True)
    ]
    frames = {
        "households": make_frame("households", households),
        "persons": make_frame("persons", []),
        "housing": make_frame("housing", housing),
    }
    return DataSet(frames, frozenset())


def test_money_arithmetic_is_exact_and_rounds_half_to_even(ruleset: CheckedRuleset) -> None:
    data = households_with(AMOUNTS)
    rows = agree(ruleset, data, dt.date(2013, 1, 15), text="(money arithmetic)")
    wrong = []
    for n, amount in enumerate(AMOUNTS):
        got = rows[f"H{n:05}"]
        for measure, exact in EXACT.items():
            if not same(got[measure], exact(amount)):
                wrong.append(f"{measure} of £{amount}: {got[measure]!r}, exactly {exact(amount)!r}")
    assert not wrong, f"{len(wrong)} wrong, the first:\n" + "\n".join(wrong[:20])


def test_the_half_penny_cases_round_to_the_even_penny(ruleset: CheckedRuleset) -> None:
    """A few worked by hand, as a reader can check them."""
    cases = {
        ("halved", "0.25"): "0.12",  # 12.5p: to the even 12p
        ("halved", "0.35"): "0.18",  # 17.5p: to the even 18p
        ("halved", "0.05"): "0.02",
        ("halved", "-0.05"): "-0.02",
        ("vat_due", "0.10"): "0.02",  # 1.75p
        ("vat_due", "0.30"): "0.05",  # 5.25p
        ("eighth_of", "0.20"): "0.02",  # 2.5p
        ("eighth_of", "0.60"): "0.08",  # 7.5p
        ("third", "0.05"): "0.02",  # 1.666...p
        ("less_a_third", "0.05"): "0.03",
        ("by_decimal", "0.04"): "0.02",  # 2.5p
        ("halved", "12345678901234.57"): "6172839450617.28",  # ...617.285
    }
    amounts = sorted({Decimal(a) for _, a in cases})
    rows = agree(ruleset, households_with(amounts), dt.date(2013, 1, 15), text="(worked cases)")
    for (measure, amount), expected in cases.items():
        got = rows[f"H{amounts.index(Decimal(amount)):05}"][measure]
        assert got == Decimal(expected), f"{measure} of £{amount}: {got!r}, expected £{expected}"
