"""The facts that decided a value, picked out of the interpreter's trace.

An officer asking why a family is identified wants the reasons, not the
2,000 steps behind them. From the evaluation tree of a rule this keeps only
what decided its value, as the three-valued logic says:

- `a or b` true: every true part (all the reasons, not only the first);
  false: every part; unknown: the unknown parts.
- `a and b` false: every false part; true: every part; unknown: the unknown ones.
- `any member/row ...` true: the members and rows that made it true, first;
  false: that none did; unknown: the ones that could not be decided.
- `every ...` the other way round; `at least N of [...]` the items that count.
- an unknown: which facts were missing, and from which table (a table not
  supplied, an empty column, a rule no local ruleset defines, a rule that says
  unknown where data is too thin).

The result is a tree of `Fact`s, rendered as text or HTML by the callers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from tfrules.interpret.evaluator import Scope
from tfrules.interpret.plain_values import plain, shorten, words
from tfrules.model import types as T
from tfrules.model.ruleset import (
    BuiltinRef,
    CategoryValue,
    CheckedRuleset,
    ColumnRef,
    ParamRef,
    RuleRef,
)
from tfrules.model.schema import Level
from tfrules.semantics import aggregates as A
from tfrules.semantics import values as V
from tfrules.syntax import ast
from tfrules.syntax.format_expr import flat

if TYPE_CHECKING:
    from tfrules.interpret.explain import TraceNode

#: Deciding members or rows shown for one quantifier before the rest are counted.
ELEMENTS_SHOWN = 3
#: Rows listed for a count or a sum.
ROWS_SHOWN = 5


@attrs.frozen
class Fact:
    """One line of an explanation: what (`text`), its value, how it was
    reached (`detail`, e.g. "13 < 18"), and the facts below it."""

    text: str
    value: str | None = None
    detail: str = ""
    facts: tuple[Fact, ...] = ()
    #: "rule", "element", "missing", "note", "more" or "expression": how to show it
    kind: str = "expression"


class Decider:
    """Picks the deciding facts of a rule's evaluation tree."""

    def __init__(
        self,
        ruleset: CheckedRuleset,
        missing: frozenset[str] = frozenset(),
        depth: int = 8,
        as_of: object = None,
    ) -> None:
        self.ruleset = ruleset
        self.notes = ruleset.annotations
        self.missing = missing
        self.depth = depth
        self.as_of = as_of
        #: the evaluated body of each rule, by (rule, member, date): a rule used
        #: twice is evaluated once, so its second use has no children of its own
        self.bodies: dict[tuple[str, int, object], TraceNode] = {}

    # ---------------------------------------------------------------- entry
    def rule(self, tree: TraceNode | None) -> tuple[Fact, ...]:
        """The facts that decided a rule's value, from its definition's tree."""
        if tree is None:
            return (Fact("it is left to each council, and no local ruleset defines it",
                         kind="missing"),)  # fmt: skip
        self.bodies = {}
        self._index(tree)
        return tuple(_compact(f) for f in self.why(tree, 1))

    def _index(self, tree: TraceNode) -> None:
        stack = [tree]
        while stack:
            node = stack.pop()
            if node.children and isinstance(node.node, ast.Name):
                resolution = self.resolution(node.node)
                if isinstance(resolution, RuleRef):
                    self.bodies.setdefault(self._key(resolution.name, node), node.children[0])
            stack.extend(node.children)

    def _key(self, rule: str, node: TraceNode) -> tuple[str, int, object]:
        person = node.scope.person if self.ruleset.rules[rule].level is Level.PERSON else None
        return (rule, id(person), node.scope.refdate)

    def body(self, node: TraceNode) -> TraceNode | None:
        """The evaluated definition of the rule this name refers to."""
        if node.children:
            return node.children[0]
        resolution = self.resolution(node.node)
        return self.bodies.get(self._key(resolution.name, node))

    # ---------------------------------------------------------------- helpers
    def type_of(self, node: ast.Expr) -> T.Type | None:
        try:
            return self.notes.type_of(node)
        except KeyError:
            return None

    def value(self, node: TraceNode) -> str:
        return plain(node.value, self.type_of(node.node))

    def text(self, node: ast.Expr) -> str:
        return shorten(flat(node))

    def resolution(self, node: ast.Expr) -> Any:
        return self.notes.resolution_or_none(node)

    def fact(self, node: TraceNode, level: int, detail: str = "") -> Fact:
        """A fact for this node, with the facts that decided it below."""
        below = tuple(self.why(node, level + 1)) if level < self.depth else ()
        return Fact(self.text(node.node), self.value(node), detail, below)

    # ---------------------------------------------------------------- dispatch
    def why(self, node: TraceNode, level: int) -> list[Fact]:
        """The facts under `node` that decided its value."""
        expr = node.node
        if level > self.depth:
            return []
        if isinstance(expr, ast.Or | ast.And):
            return self._logic(node, level)
        if isinstance(expr, ast.Not):
            return self._children_facts(node.children, level)
        if isinstance(expr, ast.Name):
            return self._name(node, level)
        if isinstance(expr, ast.Quantified):
            return self._quantified(node, level)
        if isinstance(expr, ast.Aggregate):
            return self._aggregate(node, level)
        if isinstance(expr, ast.CountOf):
            return self._count_of(node, level)
        if isinstance(expr, ast.If):
            return self._if(node, level)
        if isinstance(expr, ast.Literal) and node.value is None:
            return [Fact("the rule says unknown here", kind="note")]
        # comparisons, arithmetic, `at`, `is known`, ...: the parts that are
        # rules, aggregates or unknown values are explained further
        return self._parts(node, level)

    def _children_facts(self, children: Iterable[TraceNode], level: int) -> list[Fact]:
        facts: list[Fact] = []
        for child in children:
            facts.extend(self._as_facts(child, level))
        return facts

    def _as_facts(self, node: TraceNode, level: int) -> list[Fact]:
        """`node` as facts of its own: and/or are flattened into their parts,
        a rule becomes one fact with its reasons below."""
        expr = node.node
        if isinstance(expr, ast.Or | ast.And):
            return self._logic(node, level)
        if isinstance(expr, ast.Literal):
            return []
        if isinstance(expr, ast.Name) and isinstance(self.resolution(expr), CategoryValue):
            return []
        if isinstance(expr, ast.Name) and isinstance(self.resolution(expr), RuleRef):
            return [self._rule_fact(node, level)]
        return [self.fact(node, level, self._detail(node))]

    def _rule_fact(self, node: TraceNode, level: int, deep: bool = True) -> Fact:
        resolution = self.resolution(node.node)
        info = self.ruleset.rules[resolution.name]
        body = self.body(node) if deep else None
        refdate = node.scope.refdate
        detail = f"at {refdate}" if refdate is not None and refdate != self.as_of else ""
        if info.body is None:
            below: tuple[Fact, ...] = (
                Fact("left to each council, and no local ruleset defines it for this household",
                     kind="missing"),
            )  # fmt: skip
        elif body is None or level >= self.depth:
            below = ()
        else:
            below = tuple(self.why(body, level + 1))
        title = f"({info.title})" if info.title else ""
        return Fact(
            resolution.name, self.value(node), " ".join(p for p in (title, detail) if p), below,
            kind="rule",
        )  # fmt: skip

    # ---------------------------------------------------------------- logic
    def _logic(self, node: TraceNode, level: int) -> list[Fact]:
        expr = node.node
        value = node.value
        children = [c for c in node.children if not isinstance(c.node, ast.Literal)]
        if value is None:
            chosen = [c for c in children if c.value is None]
        elif isinstance(expr, ast.Or):
            chosen = [c for c in children if c.value is True] if value else children
        else:
            chosen = [c for c in children if c.value is False] if not value else children
        return self._children_facts(chosen, level)

    def _count_of(self, node: TraceNode, level: int) -> list[Fact]:
        value = node.value
        if value is None:  # every item: the known ones say how far the count got
            facts: list[Fact] = []
            for child in node.children:
                known = child.value is not None and isinstance(child.node, ast.Name)
                if known and isinstance(self.resolution(child.node), RuleRef):
                    facts.append(self._rule_fact(child, level, deep=False))
                else:
                    facts.extend(self._as_facts(child, level))
            return facts
        else:
            expr = node.node
            assert isinstance(expr, ast.CountOf)
            counted = [c for c in node.children if c.value is True]
            if (expr.op == "at least" and value) or (expr.op == "at most" and not value):
                chosen = counted
            else:
                chosen = list(node.children)
        return self._children_facts(chosen, level)

    def _if(self, node: TraceNode, level: int) -> list[Fact]:
        condition, *branches = node.children
        facts = [self.fact(condition, level, self._detail(condition))]
        if condition.value is None:
            return facts + self._children_facts(branches, level)
        for branch in branches:
            if isinstance(branch.node, ast.Literal) and branch.value is None:
                facts.append(Fact("so the rule gives unknown", kind="note"))
            else:
                facts.extend(self._as_facts(branch, level))
        return facts

    # ---------------------------------------------------------------- names
    def _name(self, node: TraceNode, level: int) -> list[Fact]:
        resolution = self.resolution(node.node)
        if isinstance(resolution, RuleRef):
            body = self.body(node)
            if body is None:
                info = self.ruleset.rules[resolution.name]
                if info.body is None:
                    return [Fact("left to each council, and no local ruleset defines it for "
                                 "this household", kind="missing")]  # fmt: skip
                return []
            return self.why(body, level)
        if node.value is None:
            return [self._missing_name(node.node, resolution)]
        return []

    def _missing_name(self, expr: ast.Expr, resolution: Any) -> Fact:
        name = expr.name if isinstance(expr, ast.Name) else self.text(expr)
        if isinstance(resolution, ColumnRef):
            return Fact(f"{name} is empty in {resolution.table}", kind="missing")
        if isinstance(resolution, ParamRef):
            return Fact(f"the parameter {name} has no value for this date", kind="missing")
        if isinstance(resolution, BuiltinRef):
            return Fact(f"{name} cannot be known without a date", kind="missing")
        return Fact(f"{name} is unknown", kind="missing")

    def _parts(self, node: TraceNode, level: int) -> list[Fact]:
        """Below a comparison or a calculation: the rules and aggregates it
        reads (when they are unknown, or deep enough to be worth it) and
        every missing value."""
        facts: list[Fact] = []
        calculation = isinstance(node.node, ast.Arith | ast.Call | ast.Negate)
        for child in node.children:
            expr = child.node
            resolution = self.resolution(expr) if isinstance(expr, ast.Name) else None
            if isinstance(resolution, RuleRef):
                if child.value is None or isinstance(node.node, ast.At | ast.IsTrue | ast.IsKnown):
                    facts.append(self._rule_fact(child, level))
                elif calculation:  # the amounts a calculation adds up, each explained on its own
                    facts.append(self._rule_fact(child, level, deep=False))
            elif calculation and isinstance(expr, ast.Arith | ast.Call | ast.Negate):
                facts.extend(self._parts(child, level))
            elif isinstance(expr, ast.Name):
                if child.value is None:
                    facts.append(self._missing_name(expr, resolution))
            elif isinstance(expr, ast.Quantified | ast.Aggregate | ast.Or | ast.And | ast.If):
                facts.extend(self._as_facts(child, level))
            elif child.value is None and not isinstance(expr, ast.Literal):
                facts.extend(self._parts(child, level))
        return facts

    def _detail(self, node: TraceNode) -> str:
        """How a comparison came out: its two sides as values (13 < 18)."""
        expr = node.node
        if isinstance(expr, ast.Compare) and len(node.children) == 2:
            left, right = node.children
            if isinstance(self.resolution(right.node), CategoryValue):
                return "" if node.value else f"it is {self.value(left)}"
            shown = f"{self.value(left)} {expr.op} {self.value(right)}"
            written = f"{self.text(left.node)} {expr.op} {self.text(right.node)}"
            return "" if shown == written else shown
        if isinstance(expr, ast.InSet) and node.children:
            item = node.children[0]
            return f"{self.value(item)}{' not' if expr.negated else ''} in the set"
        if isinstance(expr, ast.At) and len(node.children) == 2:
            return f"at {self.value(node.children[0])}"
        return ""

    # ---------------------------------------------------------------- collections
    def _elements(self, node: TraceNode) -> list[tuple[Scope, list[TraceNode]]]:
        """The children of a quantifier or aggregate, one group per member or row."""
        groups: dict[tuple[int, int], tuple[Scope, list[TraceNode]]] = {}
        for child in node.children:
            scope = child.scope
            key = (id(scope.person), id(scope.row))
            groups.setdefault(key, (scope, []))[1].append(child)
        return list(groups.values())

    def _missing_table(self, collection: ast.Collection) -> Fact | None:
        table = self.notes.collection(collection).table
        if table.name in self.missing:
            return Fact(f"the table {table.name} was not supplied, so its rows cannot be known",
                        kind="missing")  # fmt: skip
        return None

    def _quantified(self, node: TraceNode, level: int) -> list[Fact]:
        expr = node.node
        assert isinstance(expr, ast.Quantified)
        if node.value is None and not node.children:
            gone = self._missing_table(expr.collection)
            return [gone] if gone else []
        body_nodes = {id(n) for n in expr.satisfies}
        if expr.has is not None:
            body_nodes.add(id(expr.has))
        if A.every_where_is_body(expr):
            body_nodes |= {id(n) for n in expr.where}
        outcomes = []
        for scope, parts in self._elements(node):
            selected = V.kleene_and(p.value for p in parts if id(p.node) not in body_nodes)
            body = V.kleene_and(p.value for p in parts if id(p.node) in body_nodes)
            if expr.quantifier == "every":
                passes = V.kleene_or([V.kleene_not(selected), body])
            else:
                passes = V.kleene_and([selected, body])
            outcomes.append((scope, parts, passes))
        value = node.value
        if value is None:
            deciding = [o for o in outcomes if o[2] is None]
        elif expr.quantifier == "every":
            deciding = [o for o in outcomes if o[2] is False] if value is False else []
        else:
            found = value if expr.quantifier == "any" else not value
            deciding = [o for o in outcomes if o[2] is True] if found else []
        if not deciding:
            return [self._none_passes(expr, len(outcomes), node.value)]
        facts: list[Fact] = []
        for scope, parts, passes in deciding[:ELEMENTS_SHOWN]:
            element = self._element(scope, parts, passes, body_nodes, level, node)
            facts.extend(element.facts if element.kind == "hoisted" else [element])
        if len(deciding) > ELEMENTS_SHOWN:
            rest = len(deciding) - ELEMENTS_SHOWN
            facts.append(Fact(f"and {rest} more like these", kind="more"))
        return facts

    def _none_passes(self, expr: ast.Quantified, count: int, value: Any) -> Fact:
        what = "member" if expr.collection.is_members else f"{expr.collection.name} row"
        if count == 0:
            return Fact(f"there is no {what} to look at")
        if expr.quantifier == "every" and value is True:
            return Fact(f"all {count} {what}s looked at pass")
        return Fact(f"none of the {count} {what}s looked at passes")

    def _element(
        self,
        scope: Scope,
        parts: list[TraceNode],
        passes: Any,
        body_nodes: set[int],
        level: int,
        quantifier: TraceNode,
    ) -> Fact:
        """One deciding member or row: its conditions, and what its body found."""
        label = self.scope_label(scope, quantifier.scope)
        facts: list[Fact] = []
        conditions: list[str] = []
        expr_q = quantifier.node
        assert isinstance(expr_q, ast.Quantified)
        qualifier = self.notes.qualifier(expr_q.collection)
        written = {id(n) for n in expr_q.where} | body_nodes
        for part in parts:
            expr = part.node
            if qualifier and id(expr) not in written and part.value is True:
                conditions.append(qualifier)  # `any adult member`: the member is an adult
                continue
            resolution = self.resolution(expr) if isinstance(expr, ast.Name) else None
            simple = isinstance(expr, ast.Compare | ast.InSet | ast.InWindow | ast.Name)
            if simple and not isinstance(resolution, RuleRef) and part.value is not None:
                detail = self._detail(part)
                shown = self.text(expr) + (f" ({detail})" if detail else "")
                conditions.append(shown if part.value is True else f"{shown}: {self.value(part)}")
            else:
                facts.extend(self._as_facts(part, level + 1))
        detail = "; ".join(conditions)
        inner_kinds = {f.kind for f in facts[0].facts} if len(facts) == 1 else set()
        if not detail and inner_kinds and inner_kinds <= {"element", "more"}:
            # `any member has offences ...`: the member's deciding rows name the member
            inner = facts[0]
            if inner.facts:
                return Fact(label, plain(passes), "", inner.facts, kind="hoisted")
        return Fact(label, plain(passes), detail, tuple(facts), kind="element")

    def scope_label(self, scope: Scope, parent: Scope | None = None) -> str:
        """member P1, or member P1's offences row: offence date 2012-12-12, proven true."""
        persons = self.ruleset.schema.persons
        parts = []
        if scope.person is not None and persons.key:
            parts.append(f"member {scope.person[persons.key]}")
        if scope.row is not None and scope.table is not None:
            table = scope.table
            fields = []
            for key, value in scope.row.items():
                if key in (table.owner_key, table.key):
                    continue
                column = table.column(key)
                fields.append(f"{words(key)} {plain(value, column.type if column else None)}")
            parts.append(f"{table.name} row: " + ", ".join(fields))
        return "; ".join(parts) or "the household"

    def _aggregate(self, node: TraceNode, level: int) -> list[Fact]:
        expr = node.node
        assert isinstance(expr, ast.Aggregate)
        if node.value is None and not node.children:
            gone = self._missing_table(expr.collection)
            if gone:
                return [gone]
            return [Fact("no row was chosen, so there is no value", kind="missing")]
        values = {id(v) for v in expr.values}
        elements = self._elements(node)
        if node.value is None:
            facts = []
            for scope, parts in elements:
                unknown = [p for p in parts if p.value is None]
                if unknown:
                    below = tuple(f for p in unknown for f in self._as_facts(p, level + 1))
                    facts.append(Fact(self.scope_label(scope, node.scope), "unknown",
                                      facts=below, kind="element"))  # fmt: skip
            return facts[:ELEMENTS_SHOWN]
        chosen = [
            (scope, parts)
            for scope, parts in elements
            if V.kleene_and(p.value for p in parts if id(p.node) not in values) is True
        ]
        facts = [
            Fact(self.scope_label(scope, node.scope), kind="element")
            for scope, _ in chosen[:ROWS_SHOWN]
        ]
        if len(chosen) > ROWS_SHOWN:
            facts.append(Fact(f"and {len(chosen) - ROWS_SHOWN} more", kind="more"))
        return facts


def _missing_leaves(fact: Fact) -> set[str] | None:
    """The texts of the missing facts at the ends of `fact`'s branches; None
    if a branch ends in anything else."""
    if not fact.facts:
        return {fact.text} if fact.kind == "missing" else None
    found: set[str] = set()
    for below in fact.facts:
        leaves = _missing_leaves(below)
        if leaves is None:
            return None
        found |= leaves
    return found


def _compact(fact: Fact) -> Fact:
    """A fact whose every branch ends in the same missing data says so once,
    not once per step (`education_problem`: the table school_terms was not
    supplied, rather than the same line under each of its five parts)."""
    if not fact.facts:
        return fact
    leaves = _missing_leaves(fact)
    if leaves is not None and len(leaves) == 1 and fact.kind != "missing":
        return attrs.evolve(fact, facts=(Fact(leaves.pop(), kind="missing"),))
    return attrs.evolve(fact, facts=tuple(_compact(f) for f in fact.facts))


def fact_json(fact: Fact) -> dict[str, Any]:
    """A fact as JSON: text, value, detail, kind and the facts below it."""
    found: dict[str, Any] = {"text": fact.text, "kind": fact.kind}
    if fact.value is not None:
        found["value"] = fact.value
    if fact.detail:
        found["detail"] = fact.detail
    if fact.facts:
        found["because"] = [fact_json(f) for f in fact.facts]
    return found
