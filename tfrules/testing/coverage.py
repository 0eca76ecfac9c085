"""How much of a ruleset its tests exercise.

Rule coverage: the share of the ruleset's own rules that some test
evaluated (directly or through another rule). Branch coverage: the share of
branch outcomes seen, where each operand of `and`/`or` counts twice (seen
true, seen false), each `if` twice (condition true, condition false), and each
quantifier and `at least N of` twice (true, false). Outcomes come from the
reference interpreter running the tests' households.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import attrs

from tfrules.interpret.evaluator import Interpreter, TraceEvent
from tfrules.interpret.household import households_from_frames
from tfrules.model.ruleset import CheckedRuleset, RuleRef
from tfrules.syntax import ast
from tfrules.syntax.walk import walk
from tfrules.testing.cases import TestCase
from tfrules.testing.runner import case_ruleset


@attrs.frozen
class Branch:
    rule: str
    description: str
    span: ast.Span
    covered: bool


@attrs.frozen
class Coverage:
    ruleset: str
    rules: dict[str, bool]
    branches: tuple[Branch, ...]

    @property
    def rule_percent(self) -> float:
        return 100.0 * sum(self.rules.values()) / len(self.rules) if self.rules else 100.0

    @property
    def branch_percent(self) -> float:
        if not self.branches:
            return 100.0
        return 100.0 * sum(b.covered for b in self.branches) / len(self.branches)


def measure(ruleset: CheckedRuleset, cases: Iterable[TestCase]) -> Coverage:
    seen: dict[int, set[object]] = defaultdict(set)
    evaluated: set[str] = set()

    def record(event: TraceEvent) -> None:
        seen[event.node.node_id].add(event.value)
        resolution = ruleset.annotations.resolution_or_none(event.node)
        if isinstance(resolution, RuleRef):
            evaluated.add(resolution.name)

    for case in cases:
        rules = case_ruleset(ruleset, case)
        interpreter = Interpreter(rules, case.as_of, fixed=case.fixed, trace=record)
        wanted = sorted({e.rule for e in case.expected})
        evaluated.update(wanted)
        for household in households_from_frames(rules.schema, case.frames, case.missing):
            interpreter.evaluate(household, wanted)
        evaluated.update(interpreter.rules_evaluated)
    own = {n: r for n, r in ruleset.rules.items() if r.layer == ruleset.name and r.body is not None}
    branches: list[Branch] = []
    for name, info in own.items():
        assert info.body is not None
        for node in _walk(info.body):
            branches.extend(_branches(name, node, seen))
    return Coverage(ruleset.name, {n: n in evaluated for n in own}, tuple(branches))


def _walk(node: object) -> Iterator[ast.Expr]:
    return (n for n in walk(node) if isinstance(n, ast.Expr))


_ANY = frozenset({True, False, None})


def possible(node: ast.Expr) -> frozenset[object]:
    """The truth values an expression can take at all, seen from its shape:
    `(if c then unknown else false)` can never be true, so a test cannot be
    asked to make it so. Worked out bottom-up with a stack: trees can be deep."""
    found: dict[int, frozenset[object]] = {}
    stack: list[tuple[ast.Expr, bool]] = [(node, False)]
    while stack:
        current, parts_done = stack.pop()
        parts = _logical_parts(current)
        if not parts_done and parts:
            stack.append((current, True))
            stack.extend((part, False) for part in parts)
            continue
        found[current.node_id] = _possible_here(current, [found[p.node_id] for p in parts])
    return found[node.node_id]


def _logical_parts(node: ast.Expr) -> tuple[ast.Expr, ...]:
    """The parts whose possible values decide a node's own."""
    if isinstance(node, ast.Not):
        return (node.operand,)
    if isinstance(node, ast.If):
        return (node.then, node.otherwise)
    if isinstance(node, ast.And | ast.Or):
        return node.operands
    return ()


def _possible_here(node: ast.Expr, parts: list[frozenset[object]]) -> frozenset[object]:
    if isinstance(node, ast.Literal):
        if node.kind == "bool":
            return frozenset({node.value})
        return frozenset({None}) if node.kind == "unknown" else _ANY
    if isinstance(node, ast.IsKnown | ast.IsTrue):
        return frozenset({True, False})
    if isinstance(node, ast.Not):
        return frozenset(None if v is None else not v for v in parts[0])
    if isinstance(node, ast.If):
        then, otherwise = parts
        agree = then == otherwise and len(then) == 1
        return then | otherwise | (frozenset() if agree else frozenset({None}))
    if isinstance(node, ast.And | ast.Or):
        win, lose = (False, True) if isinstance(node, ast.And) else (True, False)
        values: set[object] = set()
        if any(win in p for p in parts):
            values.add(win)
        if all(lose in p for p in parts):
            values.add(lose)
        if any(None in p for p in parts) and all(p - {win} for p in parts):
            values.add(None)
        return frozenset(values)
    return _ANY


def _branches(rule: str, node: ast.Expr, seen: dict[int, set[object]]) -> list[Branch]:
    found: list[Branch] = []

    def both(target: ast.Expr, what: str) -> None:
        values = seen.get(target.node_id, set())
        can = possible(target)
        if True in can:
            found.append(Branch(rule, f"{what} true", target.span, True in values))
        if False in can:
            found.append(Branch(rule, f"{what} false", target.span, False in values))

    if isinstance(node, ast.And | ast.Or):
        word = "and" if isinstance(node, ast.And) else "or"
        for index, operand in enumerate(node.operands, 1):
            both(operand, f"'{word}' operand {index}")
    elif isinstance(node, ast.If):
        both(node.condition, "'if' condition")
    elif isinstance(node, ast.Quantified):
        both(node, f"'{node.quantifier}' quantifier")
    elif isinstance(node, ast.CountOf):
        both(node, f"'{node.op} {node.count} of'")
    return found
