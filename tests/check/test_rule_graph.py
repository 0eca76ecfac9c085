"""The rule graph: the order rules are typed in and the circles reported,
found without recursion however long a chain of rules is."""

from __future__ import annotations

from tfrules.check.rule_graph import circles, dependencies_first, in_circles, references
from tfrules.syntax import ast
from tfrules.syntax.parser import parse_text

SPAN = ast.Span("f.tfr", 1, 1, 1, 2)


def edges(pairs: dict[str, list[str]]) -> dict[str, list[tuple[str, ast.Span]]]:
    return {name: [(target, SPAN) for target in targets] for name, targets in pairs.items()}


def test_references_are_the_rule_names_a_body_uses_once_each() -> None:
    result = parse_text('ruleset r "R"\ncriterion c = a and any adult member where age > b and a\n')
    assert result.file is not None
    (rule,) = result.file.decls
    assert isinstance(rule, ast.RuleDecl)
    assert references(rule.body, {"a", "adult", "c"}) == ["a", "adult"]


def test_every_rule_comes_after_the_rules_it_uses() -> None:
    uses = {"a": ["b", "c"], "b": ["c"], "c": [], "d": ["a"]}
    order = dependencies_first(uses, ["d", "a", "b", "c"])
    assert sorted(order) == ["a", "b", "c", "d"]
    for rule, used in uses.items():
        assert all(order.index(u) < order.index(rule) for u in used)


def test_a_chain_of_twenty_thousand_rules_is_ordered_without_recursion() -> None:
    n = 20_000
    uses = {f"r{i}": [f"r{i + 1}"] for i in range(n)} | {f"r{n}": []}
    order = dependencies_first(uses, list(uses))
    assert order[0] == f"r{n}" and order[-1] == "r0"


def test_rules_on_circles_and_only_those() -> None:
    graph = edges({"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": [], "e": ["e"], "f": ["a"]})
    component = in_circles(graph)
    assert set(component) == {"a", "b", "e"}
    assert component["a"] == component["b"] != component["e"]


def test_each_circle_is_reported_once_from_the_first_start_on_it() -> None:
    graph = edges({"a": ["b"], "b": ["c"], "c": ["a"], "x": ["y"], "y": ["x"], "z": ["a"]})
    found = circles(graph, ["z", "b", "x", "a", "y"])
    assert [(start, [n for n, _ in steps]) for start, steps in found] == [
        ("b", ["c", "a", "b"]),
        ("x", ["y", "x"]),
    ]


def test_a_rule_that_uses_itself_is_a_circle() -> None:
    assert [s for s, _ in circles(edges({"a": ["a"]}), ["a"])] == ["a"]


def test_a_circle_of_twenty_thousand_rules_is_found_without_recursion() -> None:
    n = 20_000
    graph = edges({f"r{i}": [f"r{(i + 1) % n}"] for i in range(n)})
    ((start, steps),) = circles(graph, list(graph))
    assert start == "r0" and len(steps) == n and steps[-1][0] == "r0"
