"""Data for the tests of `tfrules diff`: a small synthetic data set, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfrules import api
from tfrules.data.load import Dataset
from tfrules.data.synth import generate, write_dataset
from tfrules.model.ruleset import CheckedRuleset

HOUSEHOLDS = 300
SEED = 2013


@pytest.fixture(scope="session")
def synth_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("diff_data")
    write_dataset(generate(HOUSEHOLDS, seed=SEED), folder, format="parquet")
    return folder


@pytest.fixture(scope="session")
def phase1() -> CheckedRuleset:
    return api.load("national.phase1")


@pytest.fixture(scope="session")
def synth_data(phase1: CheckedRuleset, synth_folder: Path) -> Dataset:
    return api.load_data(phase1, synth_folder)
