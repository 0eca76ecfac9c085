"""Running one `test` of a rule file from the editor (a code lens above it),
with the same engines `tfrules test` uses."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import attrs

from tfrules.syntax import ast

if TYPE_CHECKING:
    from tfrules.lsp.analysis import Analysis


@attrs.frozen
class Failure:
    span: ast.Span
    message: str


@attrs.frozen
class Outcome:
    passed: bool
    summary: str
    failures: tuple[Failure, ...] = ()
    seconds: float = 0.0


def tests_of(analysis: Analysis) -> list[ast.TestDecl]:
    """The tests written in the file, in order (from what the parser recovers
    when the file has syntax errors)."""
    tree = analysis.view.tree
    if not isinstance(tree, ast.RulesetFile):
        return []
    return [d for d in tree.decls if isinstance(d, ast.TestDecl)]


def run_test(analysis: Analysis, index: int) -> Outcome:
    """Run the file's test number `index` (counted from 0)."""
    from tfrules.interpret.explain import show
    from tfrules.testing.cases import build_case
    from tfrules.testing.runner import run_case

    errors = [d for d in analysis.diagnostics if d.is_error]
    if errors:
        count = f"{len(errors)} error" + ("s" if len(errors) != 1 else "")
        return Outcome(False, f"not run: the file has {count}; fix them first")
    checked = analysis.checked
    tree = analysis.source_file.parsed.file
    if checked is None or not isinstance(tree, ast.RulesetFile):
        return Outcome(False, "not run: the ruleset could not be checked")
    tests = [d for d in tree.decls if isinstance(d, ast.TestDecl)]
    if not 0 <= index < len(tests):
        return Outcome(False, "not run: the file has changed; run it again")
    started = time.perf_counter()
    result = run_case(checked, build_case(checked, tests[index], checked.name))
    seconds = time.perf_counter() - started
    failures = []
    for mismatch in result.mismatches:
        expected = mismatch.expected
        kind = checked.rules[expected.rule].type
        failures.append(
            Failure(
                expected.span,
                f"{expected.household}.{expected.rule}: expected {show(expected.value, kind)}, "
                f"got {show(mismatch.actual, kind)}",
            )
        )
    for disagreement in result.disagreements:
        failures.append(
            Failure(
                tests[index].span,
                f"internal error in tfrules (please report it): the engines disagree on "
                f"{disagreement}",
            )
        )
    if result.passed:
        return Outcome(True, f"passed ({seconds:.2f} s)", (), seconds)
    summary = f"failed: {failures[0].message}" + (
        f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
    )
    return Outcome(False, summary, tuple(failures), seconds)
