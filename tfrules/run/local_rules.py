"""The local rulesets of a multi-council run, found in folders and held to
the run's national ruleset.

A folder of local rulesets holds councils' rulesets only: one that declares
the national ruleset of the run, or any ruleset or schema shipped with
tfrules, with other content, would silently change the rules for some
councils' households, so it is refused (CouncilError) naming both files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from tfrules import diagnostics as diag
from tfrules.check.overrides import apply_overrides
from tfrules.check.ruleset import check_ruleset
from tfrules.check.workspace import (
    BUNDLED_PREFIX,
    SourceFile,
    Workspace,
    bundled_rulesets_dir,
    same_file,
    same_rule_file,
)
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.councils import CouncilError
from tfrules.syntax import ast


@attrs.frozen
class FoundLocals:
    rulesets: tuple[CheckedRuleset, ...]
    diagnostics: tuple[diag.Diagnostic, ...]
    sources: diag.SourceCache

    @property
    def errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def find_locals(
    national: CheckedRuleset,
    folders: Iterable[str | Path],
    *,
    include: Iterable[str | Path] = (),
    params: Iterable[str] = (),
) -> FoundLocals:
    """Every ruleset in `folders` that builds on `national`, each checked;
    `include` as given when `national` was loaded (so both find the same
    files). Raises CouncilError for a folder that redefines a shipped or the
    national ruleset, PathError for a path that is not a folder of rules."""
    workspace = Workspace()
    workspace.add_paths(list(include))
    told = len(workspace.diagnostics)  # the include folders' warnings came with `national`
    files = workspace.add_paths(list(folders))
    for source in files:
        _refuse_redefinition(national, source, workspace)
    found: list[CheckedRuleset] = []
    problems = [d for d in workspace.diagnostics[:told] if d.is_error]
    problems += workspace.diagnostics[told:]
    for source in files:
        tree = source.ast
        if not isinstance(tree, ast.RulesetFile) or tree.name in national.chain:
            continue
        result = check_ruleset(workspace, tree.name)
        problems.extend(result.diagnostics)
        if result.ruleset is not None and national.name in result.ruleset.chain:
            found.append(apply_overrides(result.ruleset, list(params)))
    return FoundLocals(tuple(found), tuple(problems), workspace.sources)


def _refuse_redefinition(
    national: CheckedRuleset, source: SourceFile, workspace: Workspace
) -> None:
    tree = source.ast
    if tree is None:
        return
    kind = "schema" if isinstance(tree, ast.SchemaFile) else "ruleset"
    if kind == "ruleset" and tree.name in national.files:
        theirs = national.files[tree.name]
        if not same_rule_file(source.display, theirs):
            raise CouncilError(
                f"{source.display} declares the ruleset {tree.name}, which this run's national "
                f"rules are read from ({theirs}); a folder of local rulesets must not replace "
                "it: remove that file from the folder, or give its ruleset another name"
            )
        return
    shipped = workspace.shipped(kind, tree.name)
    if shipped is not None and not same_file(source.path, shipped):
        where = f"{BUNDLED_PREFIX}{shipped.relative_to(bundled_rulesets_dir())}"
        raise CouncilError(
            f"{source.display} declares the {kind} {tree.name}, which is shipped with tfrules "
            f"({where}); a folder of local rulesets must not replace a shipped one: "
            f"give its {kind} another name"
        )
