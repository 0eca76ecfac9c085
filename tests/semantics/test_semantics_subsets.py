"""Properties (c): a rule's column does not depend on which other rules are asked for.

A compiled plan shares work between rules (a sub-rule or an aggregate needed
twice is computed once). Sharing must never change an answer: every rule's
column is the same whether it is evaluated alone, with every other rule, or
with the rules asked for in the reverse order. The first wrong answer this
caught: `identified at attached_on` compiled a sub-rule for households whose
attachment date is known, and `absence_recent at attached_on` elsewhere reused
it for households whose date is unknown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from semantic_harness import (
    PROPERTY_SETTINGS,
    check_text,
    compiled,
    describe,
    differences,
    interpreted,
)
from strategies.data_strategies import DataSet, as_of_dates, datasets, make_frame
from strategies.rule_strategies import rulesets

import tfrules
from tfrules.check import Workspace, check_ruleset
from tfrules.data.synth import generate
from tfrules.data.synth.generator import DEFAULT_RATES

SUBSET_SETTINGS = hsettings(PROPERTY_SETTINGS, max_examples=150)
COUNCILS = ("barking_dagenham", "devon", "essex", "leeds", "newcastle")
#: Enough households that every council's rules meet families of every kind.
SHIPPED_HOUSEHOLDS = 600

PROBE = """\
ruleset local.probe.phase2 "A council's phase 2 rules, with a rule at the attachment date"
    extends national.phase2
    applies to E10000008

criterion crime_progress "c" = true
criterion school_progress "s" = true
criterion children_need_help_progress "c" = true
criterion worklessness_progress "w" = true
criterion domestic_abuse_progress "d" = true
criterion health_progress "h" = true

measure absence_then "Absence over the terms before attachment" for person
    = absence_recent at attached_on

criterion then_unknown "Some member's absence at attachment is unknown"
    = any member where absence_then is unknown
"""


def probe_ruleset():
    workspace = Workspace()
    workspace.add_text(PROBE, "probe.tfr")
    result = check_ruleset(workspace, "local.probe.phase2")
    assert result.ruleset is not None, [d.message for d in result.diagnostics]
    return result.ruleset


def never_attached_family() -> DataSet:
    frames = {
        "households": make_frame(
            "households", [{"household_id": "H1", "la_code": "E10000008", "attached_on": None}]
        ),
        "persons": make_frame(
            "persons",
            [
                {"person_id": "A", "household_id": "H1", "date_of_birth": dt.date(1980, 5, 1)},
                {"person_id": "C", "household_id": "H1", "date_of_birth": dt.date(2006, 3, 2)},
            ],
        ),
        "school_terms": make_frame(
            "school_terms",
            [
                {
                    "person_id": "C",
                    "academic_year": 2015,
                    "term": "autumn",
                    "sessions_possible": 100,
                    "sessions_authorised_absence": 5,
                    "sessions_unauthorised_absence": 5,
                    "fixed_exclusions": 0,
                    "permanently_excluded": False,
                    "alternative_provision": False,
                    "on_roll": True,
                }
            ],
        ),
    }
    return DataSet(frames, frozenset())


def test_a_rule_at_the_attachment_date_is_not_reused_for_unknown_dates() -> None:
    ruleset = probe_ruleset()
    data = never_attached_family()
    day = dt.date(2016, 3, 31)
    alone = compiled(ruleset, data, day, rules=["then_unknown"])
    together = compiled(ruleset, data, day, rules=["identified_at_attachment", "then_unknown"])
    assert alone["H1"]["then_unknown"] is True
    assert together["H1"]["then_unknown"] is True
    oracle = interpreted(ruleset, data, day, rules=["identified_at_attachment", "then_unknown"])
    assert not differences(together, oracle)


def _columns_alone_and_together(ruleset, data: DataSet, day: dt.date, names: list[str]) -> list:
    together = compiled(ruleset, data, day, rules=names)
    backwards = compiled(ruleset, data, day, rules=list(reversed(names)))
    found = differences(together, backwards)
    for name in names:
        alone = compiled(ruleset, data, day, rules=[name])
        found += differences(alone, {h: {name: row[name]} for h, row in together.items()})
    return found


@SUBSET_SETTINGS
@given(rules=rulesets(), data=datasets(), draw=st.data())
def test_each_rule_is_the_same_alone_and_with_the_others(rules, data, draw) -> None:
    ruleset, _ = check_text(rules.text)
    assume(ruleset is not None)
    day = draw.draw(as_of_dates(data))
    found = _columns_alone_and_together(ruleset, data, day, list(rules.rules))
    assert not found, "\n".join(found) + f"\n--- rules\n{rules.text}\n--- data\n{describe(data)}"


# ---------------------------------------------------------------- the shipped rulesets

#: Each shipped ruleset at a date inside its programme's years.
SHIPPED = [
    ("national.phase1", dt.date(2014, 3, 31)),
    ("national.phase2", dt.date(2016, 3, 31)),
    ("national.dwp_fmp", dt.date(2013, 9, 30)),
    *[(f"local.{c}.phase1", dt.date(2014, 3, 31)) for c in COUNCILS],
    *[(f"local.{c}.phase2", dt.date(2016, 3, 31)) for c in COUNCILS],
]


@pytest.fixture(scope="module")
def synthetic() -> DataSet:
    """Synthetic households of every council the shipped local rulesets cover."""
    return DataSet(generate(SHIPPED_HOUSEHOLDS, seed=11), frozenset())


@pytest.mark.slow
@pytest.mark.parametrize(("name", "day"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_shipped_rules_agree_with_the_interpreter_alone_and_together(
    name: str, day: dt.date, synthetic: DataSet
) -> None:
    ruleset = tfrules.load(name)
    names = ruleset.output_rules
    whole = compiled(ruleset, synthetic, day, rules=names)
    found = differences(whole, interpreted(ruleset, synthetic, day, rules=names))
    found += _columns_alone_and_together(ruleset, synthetic, day, names)
    assert not found, "\n".join(found[:20])


#: A results cohort: most households attached, attachment dates spread over
#: the programme's years, run at dates where results and payments are due.
RESULTS_COHORT = [
    ("national.phase1", dt.date(2015, 3, 31)),
    ("national.phase2", dt.date(2017, 3, 31)),
    ("national.cost_savings", dt.date(2015, 3, 31)),
    *[(f"local.{c}.phase1", dt.date(2015, 3, 31)) for c in COUNCILS],
    *[(f"local.{c}.phase2", dt.date(2017, 3, 31)) for c in COUNCILS],
]


@pytest.fixture(scope="module")
def results_cohort() -> DataSet:
    """Synthetic households of which four in five are attached."""
    rates = dataclasses.replace(DEFAULT_RATES, attached_share=0.8)
    return DataSet(generate(SHIPPED_HOUSEHOLDS, seed=23, rates=rates), frozenset())


@pytest.mark.slow
@pytest.mark.parametrize(("name", "day"), RESULTS_COHORT, ids=[n for n, _ in RESULTS_COHORT])
def test_shipped_rules_agree_with_the_interpreter_on_a_results_cohort(
    name: str, day: dt.date, results_cohort: DataSet
) -> None:
    """Where most families are attached every rule at `attached_on` matters:
    the compiled plan, whole and rule by rule, equals the interpreter."""
    ruleset = tfrules.load(name)
    names = ruleset.output_rules
    whole = compiled(ruleset, results_cohort, day, rules=names)
    found = differences(whole, interpreted(ruleset, results_cohort, day, rules=names))
    found += _columns_alone_and_together(ruleset, results_cohort, day, names)
    assert not found, "\n".join(found[:20])
