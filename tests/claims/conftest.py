"""Shared by the claims tests: a small synthetic data set and the shipped rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tfrules import api
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.data.synth import generate_to_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))

AS_OF = "2015-03-31"


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("claims-data")
    generate_to_dir(1_200, 11, folder)
    return folder


@pytest.fixture(scope="session")
def phase1():
    return api.load("national.phase1")


@pytest.fixture(scope="session")
def phase1_locals(phase1):
    return api.load_locals(phase1, [bundled_rulesets_dir() / "local"])
