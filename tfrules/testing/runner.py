"""Runs the tests written in rule files.

Each test's households are evaluated by the compiled plan, the engine that
`tfrules eval` uses, and by the reference interpreter; a test passes when the
plan gives every expected value. Should the two engines ever disagree, that is
reported as an internal error in tfrules, not as a failure of the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from tfrules.compile.plan import build_plan
from tfrules.interpret.evaluator import Interpreter
from tfrules.interpret.household import HouseholdData, households_from_frames
from tfrules.model.ruleset import CheckedRuleset
from tfrules.testing.cases import Expected, TestCase, build_case


@attrs.frozen
class Mismatch:
    expected: Expected
    actual: Any


@attrs.frozen
class CaseResult:
    case: TestCase
    mismatches: tuple[Mismatch, ...]
    disagreements: tuple[str, ...] = ()  # plan and interpreter differ: a bug in tfrules
    households: tuple[HouseholdData, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.disagreements


def same(a: Any, b: Any) -> bool:
    """Equal values, where unknown equals only unknown and true is not 1."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def case_ruleset(ruleset: CheckedRuleset, case: TestCase) -> CheckedRuleset:
    return ruleset.with_params(case.params) if case.params else ruleset


def run_case(ruleset: CheckedRuleset, case: TestCase) -> CaseResult:
    rules = case_ruleset(ruleset, case)
    wanted = sorted({e.rule for e in case.expected})
    key = rules.schema.households.key or ""
    plan = build_plan(
        rules,
        {n: f.lazy() for n, f in case.frames.items()},
        case.as_of,
        missing=case.missing,
        rules=wanted,
        fixed=case.fixed,
    )
    rows = {row[key]: row for row in plan.collect().to_dicts()}
    households = tuple(households_from_frames(rules.schema, case.frames, case.missing))
    interpreter = Interpreter(rules, case.as_of, fixed=case.fixed)
    disagreements = []
    for household in households:
        oracle = interpreter.evaluate(household, wanted)
        compiled = rows.get(household.id, {})
        for rule in wanted:
            plan_value = compiled.get(rule)
            if not same(plan_value, oracle[rule]):
                disagreements.append(
                    f"{household.id}.{rule}: plan {plan_value!r}, interpreter {oracle[rule]!r}"
                )
    mismatches = []
    for expected in case.expected:
        actual = rows.get(expected.household, {}).get(expected.rule)
        if not same(actual, expected.value):
            mismatches.append(Mismatch(expected, actual))
    return CaseResult(case, tuple(mismatches), tuple(disagreements), households)


def cases_of(ruleset: CheckedRuleset, layers: Iterable[str] | None = None) -> list[TestCase]:
    """The tests of a ruleset (by default only those written in its own file)."""
    wanted = set(layers) if layers is not None else {ruleset.name}
    return [build_case(ruleset, decl, layer) for decl, layer in ruleset.tests if layer in wanted]
