"""The baseline is the second oracle: its output must equal the compiled rules'
(`bench/leeds_burglary.tfr`, national phase 1 with the baseline's local
criterion), nulls included, on the random boundary-dense data sets."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from bench.baseline import OUTPUT_COLUMNS, phase1
from tfrules import api

from .builders import table
from .test_baseline_random import random_dataset

RULES = Path(__file__).resolve().parents[2] / "bench" / "leeds_burglary.tfr"


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return api.load(RULES)


@pytest.mark.parametrize("seed", range(12))
def test_compiled_rules_equal_the_baseline(rules, seed: int) -> None:  # type: ignore[no-untyped-def]
    rows, as_of, missing = random_dataset(seed)
    frames = {name: table(name, r) for name, r in rows.items() if name not in missing}
    theirs = phase1(frames, as_of).collect()
    ours = api.evaluate(rules, frames, as_of=as_of).sort("household_id")
    columns = [c for c in OUTPUT_COLUMNS if c != "la_code"]
    assert set(columns) <= set(ours.columns)
    assert_frame_equal(ours.select(columns), theirs.select(columns), check_dtypes=False)


def test_the_revised_reading_is_held_where_local_differs(rules) -> None:  # type: ignore[no-untyped-def]
    """At least one random data set has a household whose local criterion at
    attachment differs from its local at the run date, so the comparison above
    really tests the revised reading."""
    differing = 0
    for seed in range(12):
        rows, as_of, missing = random_dataset(seed)
        frames = {name: table(name, r) for name, r in rows.items() if name not in missing}
        out = phase1(frames, as_of).collect()
        differing += out.filter(
            pl.col("local_at_attachment").is_not_null()
            & (pl.col("local") != pl.col("local_at_attachment"))
        ).height
    assert differing > 0
