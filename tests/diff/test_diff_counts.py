"""The diff's counts are those of two separate evaluations: over random
what-ifs of phase 1's parameters, every transition of every criterion and
every money total, over all households and per council, equal what two
`evaluate` runs give when compared row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from diff_support import plain_totals, plain_transitions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfrules import api
from tfrules.data.load import Dataset
from tfrules.diffing.compute import compare_versions
from tfrules.diffing.counts import TRANSITIONS, transition_name
from tfrules.diffing.result import DiffResult
from tfrules.diffing.versions import load_versions
from tfrules.model.ruleset import CheckedRuleset

AS_OF = dt.date(2014, 3, 31)
REPO = Path(__file__).resolve().parents[2]

#: What-ifs an officer might try, each drawn from a range around its value.
WHAT_IFS = {
    "youth_age": st.integers(10, 21).map(str),
    "adult_age": st.integers(16, 21).map(str),
    "terms_needed": st.integers(1, 4).map(str),
    "fixed_exclusion_limit": st.integers(1, 6).map(str),
    "absence_threshold": st.integers(5, 30).map(lambda n: f"{n}%"),
    "identification_window": st.integers(3, 24).map(lambda n: f"{n} months"),
    "result_window": st.integers(3, 12).map(lambda n: f"{n} months"),
    "payment_cap": st.integers(1, 8).map(lambda n: f"£{n * 500}"),
}

what_ifs = st.dictionaries(st.sampled_from(sorted(WHAT_IFS)), st.just(""), min_size=1).flatmap(
    lambda chosen: st.fixed_dictionaries({name: WHAT_IFS[name] for name in chosen})
)


def check_against_two_runs(
    result: DiffResult, before: pl.DataFrame, after: pl.DataFrame, ruleset: CheckedRuleset
) -> None:
    key = ruleset.schema.households.key
    council = ruleset.schema.council_column
    assert key and council
    table = result.transitions
    for rule in result.criteria:
        expected = plain_transitions(before, after, key, council, rule)
        rows = table.filter(pl.col("rule") == rule)
        for row in rows.iter_rows(named=True):
            wanted = expected.get(row["council"], {})
            for a, b in TRANSITIONS:
                name = transition_name(a, b)
                assert row[name] == wanted.get(name, 0), (rule, row["council"], name)
            assert row["changed"] == sum(wanted.values()), (rule, row["council"])
    for rule in result.money["rule"].unique().to_list():
        old = plain_totals(before, council, rule)
        new = plain_totals(after, council, rule)
        for row in result.money.filter(pl.col("rule") == rule).iter_rows(named=True):
            assert row["before"] == old[row["council"]], (rule, row["council"])
            assert row["after"] == new[row["council"]], (rule, row["council"])
            assert row["change"] == new[row["council"]] - old[row["council"]]
    assert result.households == before.height


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(chosen=what_ifs)
def test_counts_equal_two_separate_evaluations(
    chosen: dict[str, str], phase1: CheckedRuleset, synth_data: Dataset
) -> None:
    params = [f"{name}={value}" for name, value in chosen.items()]
    versions = load_versions(phase1, params=params)
    result = compare_versions(versions, synth_data, AS_OF, samples=0)
    before = api.evaluate(versions.base.ruleset, synth_data, AS_OF)
    after = api.evaluate(versions.new.ruleset, synth_data, AS_OF)
    check_against_two_runs(result, before, after, phase1)


def test_counts_with_local_rulesets_equal_two_separate_evaluations(
    phase1: CheckedRuleset, synth_folder: Path
) -> None:
    """Each council's households evaluated by its own local ruleset, in both versions."""
    folder = REPO / "rulesets" / "local"
    versions = load_versions(
        phase1, params=["youth_age=15", "absence_threshold=10%"], local=[folder]
    )
    assert versions.base.local and versions.new.local
    data = api.load_data([*versions.base.all, *versions.new.all], synth_folder)
    result = compare_versions(versions, data, AS_OF, samples=1)
    before = api.evaluate(versions.base.ruleset, data, AS_OF, local=versions.base.local)
    after = api.evaluate(versions.new.ruleset, data, AS_OF, local=versions.new.local)
    check_against_two_runs(result, before, after, phase1)
    assert not result.nothing_changed
    assert all(s.rule in result.rules for s in result.samples)


def test_two_rulesets_compare_rules_they_share(
    phase1: CheckedRuleset, synth_data: Dataset, tmp_path: Path
) -> None:
    """Phase 1 against a copy that says `crime_asb` otherwise: its definition
    changed, the rules using it changed through it, and the counts are those
    of two runs."""
    text = (REPO / "rulesets" / "national" / "phase1.tfr").read_text(encoding="utf-8")
    changed = text.replace(
        "or any member has asb where kind in formal_asb_kinds, in the last identification_window",
        "or any member has asb where kind in {asbo}, in the last identification_window",
    )
    assert changed != text
    path = tmp_path / "phase1.tfr"
    path.write_text(changed, encoding="utf-8")
    with pytest.warns(api.RulesWarning, match="replaces the one shipped"):
        versions = load_versions(phase1, str(path))
    result = compare_versions(versions, synth_data, AS_OF, samples=0)
    before = api.evaluate(phase1, synth_data, AS_OF)
    after = api.evaluate(versions.new.ruleset, synth_data, AS_OF)
    check_against_two_runs(result, before, after, phase1)
    kinds = {c.rule: c.change.value for c in result.changes[0].rules}
    assert kinds["crime_asb"] == "definition"
    assert kinds["identified"] == "uses"
    assert "education" not in kinds
    assert result.changed("crime_asb") > 0
