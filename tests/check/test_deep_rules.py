"""Long chains and circles of rules, and expressions nested deeper than any
file can hold: the checker answers with diagnostics, never a RecursionError.

A chain of 1,500 rules, each using the next, once crashed the cycle finder;
whether a chain got its E013 also depended on the order the rules were
declared in, since rules were typed by following them into one another.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from tfr_helpers import LOCAL_HEADER, check_files, summary

from tfrules.check import Workspace, check_ruleset
from tfrules.check.usage import required_columns
from tfrules.syntax import ast
from tfrules.testing.coverage import possible

CHAIN = 10_000


def chain(length: int, *, backwards: bool) -> str:
    order = range(length - 1, -1, -1) if backwards else range(length)
    rules = "".join(f"criterion r{i} = r{i + 1} and crime_asb\n" for i in order)
    return LOCAL_HEADER + f"criterion r{length} = true\n" + rules + "criterion local = r0\n"


@pytest.mark.parametrize("backwards", [False, True], ids=["forwards", "backwards"])
def test_a_chain_of_ten_thousand_rules_is_too_deep_once_in_either_order(
    tmp_path: Path, backwards: bool
) -> None:
    report = check_files(tmp_path, {"local.tfr": chain(CHAIN, backwards=backwards)})
    (found,) = report.diagnostics
    assert found.code == "E013", summary(report)
    # the same place whichever way round the file lists them: 75 rules of 2 levels from the end
    assert "'r9928' goes 150 levels deeper" in found.message


def test_a_chain_within_the_limit_checks_clean_and_its_columns_are_found(tmp_path: Path) -> None:
    report = check_files(tmp_path, {"local.tfr": chain(60, backwards=True)})
    assert report.diagnostics == (), summary(report)
    ruleset = next(r for r in report.rulesets if r.name == "local.test")
    assert "la_code" in required_columns(ruleset)["households"]


def test_a_circle_of_ten_thousand_rules_is_one_circle(tmp_path: Path) -> None:
    circle = "".join(f"criterion r{i} = r{(i + 1) % CHAIN}\n" for i in range(CHAIN))
    rules = LOCAL_HEADER + circle + "criterion local = r0\n"
    report = check_files(tmp_path, {"local.tfr": rules})
    (found,) = report.diagnostics
    assert found.code == "E401", summary(report)
    assert found.message.count("→") == CHAIN


def test_an_expression_ten_thousand_levels_deep_gets_e013() -> None:
    """The parser refuses such a file, so the tree is built here: the
    checker has its own limit and never follows the tree down to the bottom."""
    workspace = Workspace()
    source = workspace.add_text(LOCAL_HEADER + "criterion local = true\n", "deep.tfr")
    deep: ast.Expr = ast.Literal("bool", True)
    for _ in range(CHAIN):
        deep = ast.Not(deep)
    tree = source.ast
    assert isinstance(tree, ast.RulesetFile)
    rule = tree.decls[0]
    deeper = attrs.evolve(tree, decls=(attrs.evolve(rule, body=deep),))
    source.parsed = attrs.evolve(source.parsed, file=deeper)
    result = check_ruleset(workspace, "local.test")
    assert [d.code for d in result.diagnostics] == ["E013"]


def test_coverage_reads_a_deep_expression_without_recursion() -> None:
    deep: ast.Expr = ast.Name("x")
    for i in range(CHAIN):
        deep = ast.Not(deep) if i % 2 else ast.And((deep, ast.Literal("bool", True)))
    assert possible(deep) == frozenset({True, False, None})
    assert possible(ast.Not(ast.IsKnown(deep))) == frozenset({True, False})
