"""The checker: names, types and entity levels of rule files.

`check_paths` is what `tfrules check` runs: every file given is parsed, every
schema built and every ruleset checked with all it extends, and every problem
comes back as a diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from tfrules import diagnostics as diag
from tfrules.check.mapping import check_mapping_source
from tfrules.check.ruleset import CheckResult, check_ruleset
from tfrules.check.schema_build import build_schema
from tfrules.check.workspace import SourceFile, Workspace
from tfrules.model.ruleset import CheckedRuleset
from tfrules.syntax import ast


@attrs.frozen
class CheckReport:
    files: tuple[SourceFile, ...]
    rulesets: tuple[CheckedRuleset, ...]
    diagnostics: tuple[diag.Diagnostic, ...]
    sources: diag.SourceCache

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if not d.is_error)


def check_paths(
    paths: Iterable[str | Path],
    workspace: Workspace | None = None,
    *,
    include: Iterable[str | Path] = (),
) -> CheckReport:
    """Check every rule file under `paths` (raises PathError for a missing path).

    The folders of `include` are looked in for the rulesets and schemas those
    files extend or use, as `eval --include` does: their syntax errors are
    reported (a file that does not parse cannot be looked in), but only the
    rulesets of `paths` are checked, each with everything it extends.
    """
    workspace = workspace or Workspace()
    workspace.add_paths(include)
    files = workspace.add_paths(paths)
    found: list[diag.Diagnostic] = list(workspace.diagnostics)
    checked: list[CheckedRuleset] = []
    for source in files:
        tree = source.ast
        if isinstance(tree, ast.SchemaFile):
            found.extend(build_schema(tree)[1])
        elif isinstance(tree, ast.MappingFile):
            found.extend(check_mapping_source(workspace, source)[1])
        elif isinstance(tree, ast.RulesetFile) and workspace.rulesets.get(tree.name) is source:
            result = check_ruleset(workspace, tree.name)
            found.extend(result.diagnostics)
            if result.ruleset is not None:
                checked.append(result.ruleset)
    return CheckReport(tuple(files), tuple(checked), _unique(found), workspace.sources)


def _unique(found: list[diag.Diagnostic]) -> tuple[diag.Diagnostic, ...]:
    """Each diagnostic once (a base ruleset's are found again with every local
    ruleset that extends it), in file and line order."""
    seen: set[tuple[object, ...]] = set()
    unique: list[diag.Diagnostic] = []
    for item in found:
        key = (item.code, item.message, item.span)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return tuple(sorted(unique, key=diag.Diagnostic.sort_key))


__all__ = ["CheckReport", "CheckResult", "Workspace", "check_paths", "check_ruleset"]
