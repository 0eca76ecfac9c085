"""A checked ruleset pickles: sent to another process (a worker, a Spark
executor) it evaluates exactly as it does where it was checked, by the
compiled plan and by the reference interpreter. Annotations are kept by the
parser's node ids, which travel with the trees; keyed by object identity, as
they once were, every lookup after unpickling failed."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest
from semantic_harness import compiled, differences, interpreted
from strategies.data_strategies import DataSet

import tfrules
from tfrules.data.synth import generate
from tfrules.model.ruleset import CheckedRuleset
from tfrules.syntax import ast
from tfrules.syntax.walk import walk

COUNCILS = ("barking_dagenham", "devon", "essex", "leeds", "newcastle")
SHIPPED = [
    ("national.phase1", dt.date(2014, 3, 31)),
    ("national.phase2", dt.date(2016, 3, 31)),
    ("national.dwp_fmp", dt.date(2013, 9, 30)),
    *[(f"local.{c}.phase1", dt.date(2014, 3, 31)) for c in COUNCILS],
    *[(f"local.{c}.phase2", dt.date(2016, 3, 31)) for c in COUNCILS],
]


@pytest.fixture(scope="module")
def synthetic() -> DataSet:
    return DataSet(generate(150, seed=5), frozenset())


def _round_trip(ruleset: CheckedRuleset) -> CheckedRuleset:
    copy = pickle.loads(pickle.dumps(ruleset))
    assert copy is not ruleset
    return copy


@pytest.mark.parametrize(("name", "day"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_a_shipped_ruleset_evaluates_the_same_after_pickling(
    name: str, day: dt.date, synthetic: DataSet
) -> None:
    ruleset = tfrules.load(name)
    copy = _round_trip(ruleset)
    names = ruleset.output_rules
    before = compiled(ruleset, synthetic, day, rules=names)
    assert not differences(before, compiled(copy, synthetic, day, rules=names))
    assert not differences(before, interpreted(copy, synthetic, day, rules=names))


def test_the_unpickled_trees_carry_every_annotation() -> None:
    ruleset = tfrules.load("local.leeds.phase1")
    copy = _round_trip(ruleset)
    before, after = ruleset.annotations, copy.annotations
    for name, info in copy.rules.items():
        original = ruleset.rules[name].body
        if info.body is None or original is None:
            continue
        for node, source in zip(walk(info.body), walk(original), strict=True):
            assert node is not source and node.node_id == source.node_id
            if isinstance(node, ast.Collection):
                assert after.collection(node) == before.collection(source)
                assert after.qualifier(node) == before.qualifier(source)
                continue
            assert after.type_of(node) == before.type_of(source)
            assert after.level_of(node) == before.level_of(source)
            assert after.resolution_or_none(node) == before.resolution_or_none(source)


def _evaluate_elsewhere(payload: bytes, data: DataSet, day: dt.date) -> dict:
    ruleset = pickle.loads(payload)
    return compiled(ruleset, data, day, rules=ruleset.output_rules)


def test_a_ruleset_checked_here_evaluates_in_a_fresh_process(synthetic: DataSet) -> None:
    """A process started afresh has never seen the trees: nothing but the
    pickle tells it what the checker found."""
    ruleset = tfrules.load("national.phase1")
    day = dt.date(2014, 3, 31)
    here = compiled(ruleset, synthetic, day, rules=ruleset.output_rules)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        there = pool.submit(_evaluate_elsewhere, pickle.dumps(ruleset), synthetic, day).result()
    assert not differences(here, there)
