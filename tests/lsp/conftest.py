"""Fixtures of the editor tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import write_council


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_council(tmp_path_factory.mktemp("council"))
