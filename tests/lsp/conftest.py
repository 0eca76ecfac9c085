"""Fixtures of the editor tests."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsp_support import write_council

from tfrules.check import workspace
from tfrules.syntax.parser import ParseResult, parse_path

_BUNDLED = workspace.bundled_rulesets_dir().resolve()


@functools.cache
def _parse_bundled(path: Path, display: str | None, stamp: tuple[int, int]) -> ParseResult:
    return parse_path(path, display)


def _parse_path(path: Path, display: str | None = None) -> ParseResult:
    resolved = path.resolve()
    if resolved.is_relative_to(_BUNDLED) and resolved.is_file():
        stat = resolved.stat()
        return _parse_bundled(resolved, display, (stat.st_mtime_ns, stat.st_size))
    return parse_path(path, display)


@pytest.fixture(autouse=True, scope="session")
def parse_shipped_rulesets_once() -> Iterator[None]:
    """`tfrules check`, which the editor's diagnostics are compared with, parses
    the shipped rulesets once per test session (as tests/check does)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workspace, "parse_path", _parse_path)
        yield


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_council(tmp_path_factory.mktemp("council"))
