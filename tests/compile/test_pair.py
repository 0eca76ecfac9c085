"""Two versions of a ruleset in one plan (`compile/pair.py`): each version's
columns are those of its own plan, and what the versions share is computed
once."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tfrules import api
from tfrules.compile.context import Context, FixedDate, RowDate
from tfrules.compile.graph import Derived
from tfrules.compile.keys import DomainKey, RowKey, RuleKey, WindowKey
from tfrules.compile.pair import compile_pair, shareable
from tfrules.compile.plan import build_plan
from tfrules.data.synth import generate
from tfrules.diffing.changes import compare
from tfrules.syntax import ast

AS_OF = dt.date(2014, 3, 31)


@pytest.fixture(scope="module")
def phase1():
    return api.load("national.phase1")


@pytest.fixture(scope="module")
def data(phase1):
    return api.load_data(phase1, dict(generate(200, seed=5)))


def _pair(base, new, data):
    unchanged = [r for r in new.rules if r not in compare(base, new).changed]
    return compile_pair(
        base, new, data.frames, AS_OF, unchanged=unchanged, rules=base.output_rules,
        missing=data.missing_tables, new_prefix="new:",
    )  # fmt: skip


@pytest.mark.parametrize("params", [[], ["youth_age=15"], ["terms_needed=1", "payment_cap=£2000"]])
def test_each_version_is_its_own_plan(phase1, data, params) -> None:
    new = api.load("national.phase1", params=params)
    paired = _pair(phase1, new, data).collect()
    alone = build_plan(phase1, data.frames, AS_OF, missing=data.missing_tables).collect()
    other = build_plan(new, data.frames, AS_OF, missing=data.missing_tables).collect()
    for rule in phase1.output_rules:
        assert paired[rule].equals(alone[rule]), rule
        assert paired["new:" + rule].equals(other[rule]), rule


def _aggregations(frame: pl.LazyFrame) -> int:
    return frame.explain(optimized=False).count("AGGREGATE")


def test_what_the_versions_share_is_computed_once(phase1, data) -> None:
    single = _aggregations(build_plan(phase1, data.frames, AS_OF, missing=data.missing_tables))
    same = _aggregations(_pair(phase1, phase1, data).frame)
    assert same == single  # nothing changed: the new version is the base's columns
    changed = _aggregations(
        _pair(phase1, api.load("national.phase1", params=["youth_age=15"]), data).frame
    )
    assert single < changed < 2 * single  # only what reads youth_age is computed again


def test_only_keys_that_name_no_rule_text_are_shared() -> None:
    def derived() -> Derived:
        return Derived("c", "H", pl.lit(1), frozenset())

    run_date = Context(FixedDate(AS_OF))
    name = ast.Name("x")
    memo = {
        RuleKey("kept", run_date): derived(),
        RuleKey("changed", run_date): derived(),
        RuleKey("kept", Context(RowDate(name, pl.lit(1)))): derived(),
        WindowKey("offences", 12, "months", FixedDate(AS_OF)): derived(),
        RowKey("offences", None): derived(),  # type: ignore[arg-type]
        DomainKey(name, True, run_date): derived(),  # type: ignore[arg-type]
    }
    shared = shareable(memo, frozenset({"kept"}))
    assert RuleKey("kept", run_date) in shared
    assert RuleKey("changed", run_date) not in shared
    assert not any(isinstance(k, RuleKey) and isinstance(k.context.date, RowDate) for k in shared)
    assert not any(isinstance(k, DomainKey) for k in shared)
    assert any(isinstance(k, WindowKey) for k in shared)
    assert any(isinstance(k, RowKey) for k in shared)
