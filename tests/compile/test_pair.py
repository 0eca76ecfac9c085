"""Two versions of a ruleset in one plan (`compile/pair.py`): each version's
columns are those of its own plan, and what the versions share is computed
once."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tfrules import api
from tfrules.compile.context import Context, FixedDate, RowDate
from tfrules.compile.facts import Facts
from tfrules.compile.graph import Derived
from tfrules.compile.keys import DomainKey, RuleKey, WindowKey
from tfrules.compile.pair import SharedMemo, compile_pair
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


@pytest.mark.parametrize(
    "params",
    [
        [],
        ["youth_age=15"],
        ["terms_needed=1", "payment_cap=£2000"],
        ["identification_window=6 months"],
    ],
)
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
    alone = build_plan(phase1, data.frames, AS_OF, missing=data.missing_tables)
    same = _pair(phase1, phase1, data).frame
    # nothing changed: the new version is the base's columns, no group_by more
    assert _aggregations(same) == _aggregations(alone)
    younger = _pair(phase1, api.load("national.phase1", params=["youth_age=15"]), data).frame
    # what reads youth_age is computed again, into the same group_bys
    assert len(younger.explain(optimized=False)) > len(same.explain(optimized=False))
    assert _aggregations(younger) < 2 * _aggregations(alone)


def test_a_tree_is_shared_only_where_it_means_the_same(phase1) -> None:
    """The base's column for a key naming a tree is the new version's only
    if every rule the tree uses is unchanged and every parameter equal."""

    def derived() -> Derived:
        return Derived("c", "H", pl.lit(1), frozenset())

    run_date = Context(FixedDate(AS_OF))
    crime = phase1.rules["crime_asb"].body
    row_date = Context(RowDate(ast.Name("offence_date"), pl.lit(1)))
    base = {
        RuleKey("kept", run_date): derived(),
        RuleKey("changed", run_date): derived(),
        RuleKey("kept", row_date): derived(),
        WindowKey("offences", 12, "months", FixedDate(AS_OF)): derived(),
        DomainKey(crime, True, run_date): derived(),
    }
    facts = Facts(phase1)
    same = frozenset(phase1.params)
    memo = SharedMemo(base, facts, frozenset({"kept"}), same)
    assert RuleKey("kept", run_date) in memo
    assert RuleKey("changed", run_date) not in memo
    assert RuleKey("kept", row_date) not in memo
    assert WindowKey("offences", 12, "months", FixedDate(AS_OF)) in memo
    assert DomainKey(crime, True, run_date) in memo  # crime_asb reads parameters only
    other = SharedMemo(base, facts, frozenset(), same - {"youth_age"})
    assert DomainKey(crime, True, run_date) not in other  # youth_age differs
    with pytest.raises(KeyError):
        other[RuleKey("kept", run_date)]
