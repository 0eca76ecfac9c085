"""Shared synthetic data sets: generated once per test session."""

from __future__ import annotations

import polars as pl
import pytest

from tfrules.data.synth import BLOCK_SIZE, generate

#: The calibration size the brief and docs/synthetic-data.md refer to.
CALIBRATION_HOUSEHOLDS = 20_000
SEED = 2012


@pytest.fixture(scope="session")
def tables() -> dict[str, pl.DataFrame]:
    return generate(CALIBRATION_HOUSEHOLDS, seed=SEED)


@pytest.fixture(scope="session")
def small_tables() -> dict[str, pl.DataFrame]:
    return generate(2_000, seed=7)


#: Just over one block, so chunked writing and block independence can be checked.
TWO_BLOCKS = BLOCK_SIZE + 1_000
TWO_BLOCKS_SEED = 3


@pytest.fixture(scope="session")
def two_blocks() -> dict[str, pl.DataFrame]:
    return generate(TWO_BLOCKS, seed=TWO_BLOCKS_SEED)
