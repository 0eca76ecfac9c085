"""The generated data against the project's own loader and national ruleset.

The loader's validator is the real judge of the data contract, and the
compiled phase-1 criteria must agree with the independent helper used for
calibration. Skipped while the API is not importable.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from .phase1 import phase1_criteria

api = pytest.importorskip("tfrules.api")


Tables = dict[str, pl.DataFrame]


@pytest.fixture(scope="module")
def phase1() -> Any:
    return api.load("national.phase1")


def test_loader_validates_generated_data(phase1: Any, small_tables: Tables) -> None:
    api.load_data(phase1, small_tables)  # raises DataError on any contract breach


@pytest.mark.parametrize("as_of", [date(2013, 1, 15), date(2012, 2, 29)])
def test_compiled_criteria_match_helper(phase1: Any, small_tables: Tables, as_of: date) -> None:
    data = api.load_data(phase1, small_tables)
    compiled = api.evaluate(phase1, data, as_of=as_of).select(
        "household_id", "crime_asb", "education", "work"
    )
    helper = phase1_criteria(small_tables, as_of)
    joined = compiled.join(helper, on="household_id", suffix="_helper")
    assert joined.height == small_tables["households"].height
    for name in ("crime_asb", "education", "work"):
        differ = joined.filter(~pl.col(name).eq_missing(pl.col(f"{name}_helper")))
        assert differ.height == 0, (name, differ.head(5).rows())
