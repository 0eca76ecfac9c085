"""`if not attached then unknown else X at attached_on`: X is needed only where
the attachment date is known, so the compiler makes no second version of X for
households whose date is unknown (`analysis.known_columns`, `lower_split_at`).

What is pinned here: which guards are seen to imply a known date (and which
are not, so that a wrong reading cannot drop a needed value), that the guarded
plan has fewer aggregates, and that every reading equals the interpreter's on
households attached and never attached. The generated rules of the property
tests (tests/strategies) write such guards too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from semantic_harness import check_text, compiled, differences, interpreted
from strategies.data_strategies import DataSet

from tfrules.compile import analysis
from tfrules.compile.facts import Facts
from tfrules.compile.plan import build_plan
from tfrules.data.synth import generate
from tfrules.data.synth.generator import DEFAULT_RATES

HEAD = """\
ruleset gen.t "Rules at the attachment date under guards"
    uses schema canonical

criterion attached "Attached" = attached_on is known
criterion absent "Unauthorised absence" for person
    = (sum sessions_unauthorised_absence over school_terms where in the last 3 terms) > 10
criterion absent_household "Some member absent" = any member where absent
criterion other "Another condition" = any member has offences where in the last 12 months
"""

GUARDS = {
    # guard text: columns known wherever the guard is false (the value is needed there)
    "not attached": {"attached_on"},
    "attached_on is unknown": {"attached_on"},
    "not (attached_on is known)": {"attached_on"},
    "not attached or other": {"attached_on"},
    "not (attached and other)": {"attached_on"},  # false where both hold
    "not attached and other": set(),  # false where `other` is: the date may be unknown
    "other": set(),
    "attached": set(),  # false where the date is unknown: the value is needed there
    "attached_on is known or other": set(),
}


def _ruleset(guard: str):
    text = HEAD + (
        f'criterion guarded "g" = if {guard} then unknown else absent_household at attached_on\n'
        'criterion plain "p" = absent_household at attached_on\n'
    )
    ruleset, errors = check_text(text)
    assert ruleset is not None, errors
    return ruleset


@pytest.mark.parametrize("guard", list(GUARDS))
def test_the_guards_seen_to_need_a_known_date(guard: str) -> None:
    ruleset = _ruleset(guard)
    body = ruleset.rules["guarded"].body
    assert body is not None
    found = analysis.known_columns(Facts(ruleset), body.condition, False)  # type: ignore[attr-defined]
    assert found == GUARDS[guard]


def test_the_other_branch_of_a_guard() -> None:
    """`if attached then X else unknown`: X is needed where the guard is true."""
    ruleset = _ruleset("attached")
    body = ruleset.rules["guarded"].body
    assert analysis.known_columns(Facts(ruleset), body.condition, True) == {"attached_on"}  # type: ignore[attr-defined]


def _aggregate_count(ruleset, data: DataSet, rule: str) -> int:
    """How many aggregates the plan's group_bys compute (each AGGREGATE node of
    `explain()` lists its aggregates on the line after it)."""
    plan = build_plan(ruleset, data.lazy(), dt.date(2015, 3, 31), rules=[rule])
    lines = plan.explain().splitlines()
    return sum(
        after.count(".alias(")
        for line, after in itertools.pairwise(lines)
        if line.strip().startswith("AGGREGATE")
    )


@pytest.fixture(scope="module")
def cohort() -> DataSet:
    """Half the households attached, half never."""
    rates = dataclasses.replace(DEFAULT_RATES, attached_share=0.5)
    return DataSet(generate(300, seed=5, rates=rates), frozenset())


def test_a_guard_that_needs_the_date_drops_the_unknown_half(cohort: DataSet) -> None:
    guarded = _aggregate_count(_ruleset("not attached"), cohort, "guarded")
    plain = _aggregate_count(_ruleset("not attached"), cohort, "plain")
    unseen = _aggregate_count(_ruleset("other"), cohort, "guarded")
    assert guarded < plain
    assert unseen >= plain  # a guard not seen to need the date keeps both halves


@pytest.mark.parametrize("guard", list(GUARDS))
def test_guarded_rules_agree_with_the_interpreter(guard: str, cohort: DataSet) -> None:
    ruleset = _ruleset(guard)
    for day in (dt.date(2013, 3, 31), dt.date(2015, 3, 31)):
        names = ["guarded", "plain"]
        whole = compiled(ruleset, cohort, day, rules=names)
        assert not differences(whole, interpreted(ruleset, cohort, day, rules=names))
        alone = compiled(ruleset, cohort, day, rules=["guarded"])
        assert not differences(alone, {h: {"guarded": r["guarded"]} for h, r in whole.items()})
