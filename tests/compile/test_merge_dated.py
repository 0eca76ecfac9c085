"""Where most households are attached (a results cohort), the aggregates at their
attachment dates share one pass over each table with those at the run date; where
few are (a national extract), they read only those households' rows in a pass of
their own. Either plan gives the same answer, on both kinds of cohort."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tfrules import api
from tfrules.compile import plan as planning
from tfrules.data.synth import DEFAULT_RATES, generate

RULES = Path(__file__).resolve().parents[2] / "bench" / "leeds_burglary.tfr"
AS_OF = date(2014, 6, 15)


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return api.load(RULES)


def _cohort(attached: float | None) -> dict[str, pl.LazyFrame]:
    rates = DEFAULT_RATES if attached is None else dataclasses.replace(
        DEFAULT_RATES, attached_share=attached
    )  # fmt: skip
    return {name: df.lazy() for name, df in generate(800, 11, rates=rates).items()}


def _passes(rules, frames, merge: bool | None, monkeypatch) -> tuple[Counter, pl.DataFrame]:  # type: ignore[no-untyped-def]
    if merge is not None:
        monkeypatch.setattr(planning, "_mostly_dated", lambda schema, frames: merge)
    scans: Counter = Counter()

    def count(source: str, key: str, target: str, result: pl.LazyFrame) -> pl.LazyFrame:
        scans[source] += 1
        return result

    plan = planning.build_plan(rules, frames, AS_OF, on_group_by=count)
    return scans, plan.collect()


@pytest.mark.parametrize("attached", [None, 0.75], ids=["national", "results"])
def test_either_plan_gives_the_same_answer(rules, attached, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    frames = _cohort(attached)
    merged_scans, merged = _passes(rules, frames, True, monkeypatch)
    apart_scans, apart = _passes(rules, frames, False, monkeypatch)
    assert_frame_equal(merged, apart)
    for table in ("offences", "asb", "school_terms"):
        assert merged_scans[table] == 1 < apart_scans[table]


def test_the_plan_follows_the_cohort(rules, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    results, _ = _passes(rules, _cohort(0.75), None, monkeypatch)
    national, _ = _passes(rules, _cohort(None), None, monkeypatch)
    assert results["school_terms"] == 1
    assert national["school_terms"] == 2
