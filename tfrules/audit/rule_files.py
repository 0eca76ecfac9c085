"""The files a checked ruleset was read from (every layer of its chain and its
schema), as paths on disk, with their SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from tfrules.check.workspace import Workspace, bundled_rulesets_dir
from tfrules.model.ruleset import CheckedRuleset

BUNDLED_PREFIX = "<tfrules>/"


def file_digest(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def on_disk(display: str) -> Path:
    """The file behind a rule file's display path (`<tfrules>/...` is a shipped one)."""
    if display.startswith(BUNDLED_PREFIX):
        return bundled_rulesets_dir() / display.removeprefix(BUNDLED_PREFIX)
    return Path(display)


def rule_files(ruleset: CheckedRuleset, include: Iterable[str | Path] = ()) -> dict[str, Path]:
    """Ruleset or schema name -> its file: the chain, base first, then the schema."""
    found = {name: on_disk(display) for name, display in ruleset.files.items()}
    workspace = Workspace()
    workspace.add_paths(list(include))
    schema = workspace.schema(ruleset.schema.name)
    if schema is not None:
        found[f"schema {ruleset.schema.name}"] = schema.path
    return found
