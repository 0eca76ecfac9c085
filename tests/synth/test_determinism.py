"""Same (households, seed, la_codes) -> identical frames; blocks are independent."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tfrules.data.synth import BLOCK_SIZE, generate

from .conftest import TWO_BLOCKS, TWO_BLOCKS_SEED


def _equal(a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame]) -> bool:
    return all(a[name].equals(b[name]) for name in a)


def test_same_arguments_same_frames() -> None:
    a = generate(3_000, seed=11)
    b = generate(3_000, seed=11)
    for name in a:
        assert_frame_equal(a[name], b[name])


def test_seed_and_councils_matter() -> None:
    base = generate(1_000, seed=11)
    assert not _equal(base, generate(1_000, seed=12))
    other = generate(1_000, seed=11, la_codes=("E08000035", "E10000012"))
    assert set(other["households"]["la_code"].unique()) == {"E08000035", "E10000012"}


def test_a_larger_data_set_extends_a_smaller_one(two_blocks: dict[str, pl.DataFrame]) -> None:
    """Block b depends only on (seed, councils, b): a data set of one whole block
    is the first block of any larger one."""
    small = generate(BLOCK_SIZE, seed=TWO_BLOCKS_SEED)
    for name in ("households", "persons", "offences", "claims"):
        assert_frame_equal(two_blocks[name].head(small[name].height), small[name])
    assert two_blocks["households"].height == TWO_BLOCKS


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate(-1, seed=1)
    with pytest.raises(ValueError):
        generate(10, seed=-1)
    with pytest.raises(ValueError):
        generate(10, seed=1, la_codes=())
    with pytest.raises(ValueError):
        generate(10, seed=1, la_codes=("E08000035", "E08000035"))
