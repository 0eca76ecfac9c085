"""Property (a): for generated rulesets and data sets, the compiled plan gives
every household exactly the interpreter's value for every rule, nulls
included, Decimals compared exactly, at run dates drawn from the edges the
data was built around.

Each example checks one generated ruleset (several rules) and evaluates it
at two run dates, so that checking and generating are shared.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from semantic_harness import ENGINES, PROPERTY_SETTINGS, agree, check_text
from strategies.data_strategies import DataSet, as_of_dates, datasets
from strategies.rule_strategies import GeneratedRuleset, rulesets

RUN_DATES = 2  # per example


@attrs.frozen
class Case:
    rules: GeneratedRuleset
    data: DataSet
    run_dates: tuple[dt.date, ...]
    engines: tuple[str, ...]  # the Polars engine of each run


@st.composite
def cases(draw: st.DrawFn) -> Case:
    rules = draw(rulesets())
    data = draw(datasets(tables=rules.tables))
    run_dates = tuple(
        draw(st.lists(as_of_dates(data), min_size=RUN_DATES, max_size=RUN_DATES, unique=True))
    )
    engines = tuple(draw(st.sampled_from(ENGINES)) for _ in run_dates)
    return Case(rules, data, run_dates, engines)


@PROPERTY_SETTINGS
@given(case=cases())
def test_compiled_plan_equals_interpreter(case: Case) -> None:
    ruleset, _ = check_text(case.rules.text)
    assume(ruleset is not None)
    assert ruleset is not None
    for as_of, engine in zip(case.run_dates, case.engines, strict=True):
        agree(ruleset, case.data, as_of, text=case.rules.text, engine=engine)


@settings(max_examples=200, deadline=None)
@given(rules=rulesets())
def test_generated_rules_check_clean(rules: GeneratedRuleset) -> None:
    """The generator writes well-typed rules by construction: the property
    above hardly ever has to discard one (its `assume` is a safety net)."""
    ruleset, errors = check_text(rules.text)
    assert errors == [], f"{rules.text}\n{errors}"
    assert ruleset is not None
    assert set(rules.rules) <= set(ruleset.output_rules)
