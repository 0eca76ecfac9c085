"""Each of the compiler's passes on its own: what it rewrites, what it leaves
alone, and that a rewritten node is still annotated as the node it stands for.

The values the rewritten trees compute are held to the interpreter by the
property tests (tests/semantics); these tests pin down each rewrite's shape.
"""

from __future__ import annotations

import functools

import attrs
import pytest

from tfrules.check import Workspace, check_ruleset
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.compile.facts import Facts
from tfrules.compile.nodes import CountTerms, MemberEvents, Narrowed, SplitAt
from tfrules.compile.passes import (
    PASSES,
    count_terms,
    drop_at_as_of,
    every_where_as_satisfies,
    flatten_member_events,
    fold_constant_if,
    narrow_unknown_branches,
    optimize,
    split_unknown_dates,
)
from tfrules.compile.passes.rewrite import rewrite
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset
from tfrules.syntax import ast

RULES = """\
ruleset gen.t "Rules for the passes"
    uses schema canonical

criterion adult "a" for person = age >= 18
criterion folded "f" = if true then attached_on is known else false
criterion moved_nowhere "m" = (attached_on is known) at as_of
criterion all_adults "e" = every member where adult
criterion offending "o" = any adult member where age < 40 has offences where proven
criterion nobody_offending "n" = no member has offences where proven
criterion every_offending "v" = every member has offences where proven
measure terms "t" for person = count distinct academic_year, term over school_terms
    where in the last 3 terms
measure many_terms "t" for person = count distinct academic_year, term over school_terms
    where in the last 20 terms
criterion narrowed "n" = if attached_on is unknown then unknown else (count offences) > 2
criterion mirror "n" = if attached_on is known then (count offences) > 2 else unknown
criterion at_attachment "a" = (any member has offences where in the last 12 months) at attached_on
criterion at_fixed "a" = (any member has offences where in the last 12 months) at 2013-01-01
criterion age_then "a" for person = age at date_of_birth >= 0
"""


@functools.cache
def _checked() -> CheckedRuleset:
    workspace = Workspace(include_bundled=False)
    workspace.add_paths([bundled_rulesets_dir() / "schema" / "canonical.tfr"])
    workspace.add_text(RULES, "passes.tfr")
    result = check_ruleset(workspace, "gen.t")
    assert result.ruleset is not None, [d.message for d in result.diagnostics]
    return result.ruleset


def facts(missing: frozenset[str] = frozenset()) -> Facts:
    return Facts(_checked(), missing)


def apply(rule: str, each, found: Facts | None = None) -> tuple[ast.Expr, Facts]:
    found = found or facts()
    body = found.rules[rule].body
    assert body is not None
    return rewrite(body, lambda n: each(n, found), found), found


def test_the_passes_run_in_their_declared_order() -> None:
    assert (
        fold_constant_if,
        drop_at_as_of,
        every_where_as_satisfies,
        flatten_member_events,
        count_terms,
        narrow_unknown_branches,
        split_unknown_dates,
    ) == PASSES


def test_a_constant_condition_picks_its_branch() -> None:
    body, _ = apply("folded", fold_constant_if)
    assert isinstance(body, ast.IsKnown)
    unchanged, _ = apply("narrowed", fold_constant_if)
    assert isinstance(unchanged, ast.If)


def test_at_as_of_is_dropped() -> None:
    body, _ = apply("moved_nowhere", drop_at_as_of)
    assert isinstance(body, ast.IsKnown)
    fixed, _ = apply("at_fixed", drop_at_as_of)
    assert isinstance(fixed, ast.At)


def test_every_where_becomes_satisfies_and_keeps_its_annotations() -> None:
    original = facts().rules["all_adults"].body
    body, found = apply("all_adults", every_where_as_satisfies)
    assert isinstance(body, ast.Quantified) and body is not original
    assert body.where == () and body.satisfies == original.where
    assert found.type_of(body) == T.BOOL


def test_member_has_events_is_flattened_for_any_and_no_only() -> None:
    body, found = apply("offending", flatten_member_events)
    assert isinstance(body, MemberEvents)
    assert body.events.collection.name == "offences"
    assert body.members.collection.qualifier == "adult"
    assert found.type_of(body) == T.BOOL
    assert isinstance(apply("nobody_offending", flatten_member_events)[0], MemberEvents)
    assert isinstance(apply("every_offending", flatten_member_events)[0], ast.Quantified)


def test_a_table_not_supplied_is_not_flattened() -> None:
    body, _ = apply("offending", flatten_member_events, facts(frozenset({"offences"})))
    assert isinstance(body, ast.Quantified)


def test_a_count_of_terms_is_unrolled_over_a_short_window_only() -> None:
    short, found = apply("terms", count_terms)
    assert isinstance(short, CountTerms) and short.window == 3
    assert found.type_of(short) == T.INT
    long, _ = apply("many_terms", count_terms)
    assert isinstance(long, CountTerms) and long.window == 0


def test_the_other_branch_of_an_unknown_one_is_narrowed() -> None:
    body, found = apply("narrowed", narrow_unknown_branches)
    assert isinstance(body, ast.If) and isinstance(body.otherwise, Narrowed)
    assert body.otherwise.wanted is False
    mirror, _ = apply("mirror", narrow_unknown_branches)
    assert isinstance(mirror.then, Narrowed) and mirror.then.wanted is True
    assert found.type_of(body) == T.BOOL


def test_only_household_dates_that_may_be_unknown_are_split() -> None:
    body, found = apply("at_attachment", split_unknown_dates)
    assert isinstance(body, SplitAt)
    assert found.type_of(body) == T.BOOL
    assert isinstance(apply("at_fixed", split_unknown_dates)[0], ast.At)
    # a row's own date: not a household's, so nothing to split
    assert not isinstance(apply("age_then", split_unknown_dates)[0], SplitAt)


def test_an_untouched_tree_is_the_same_object() -> None:
    found = facts()
    body = found.rules["adult"].body
    assert optimize(body, found) is body


@pytest.mark.parametrize("rule", ["offending", "narrowed", "at_attachment", "terms"])
def test_every_node_of_an_optimised_tree_is_annotated(rule: str) -> None:
    """The lowering reads the type of any node it meets: none may be missing."""
    found = facts()
    body = optimize(found.rules[rule].body, found)
    stack: list[object] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, MemberEvents):
            stack.extend([*node.events.where, *node.members.where])
            continue
        if isinstance(node, ast.Quantified | ast.Aggregate):
            continue  # lifted: their parts are read in their own frames
        if isinstance(node, ast.Expr):
            assert found.type_of(node) is not None
            for field in attrs.fields(type(node)):
                value = getattr(node, field.name)
                stack.extend(value if isinstance(value, tuple) else [value])
