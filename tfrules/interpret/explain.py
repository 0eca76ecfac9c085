"""Why one household got each value: the reference interpreter's trace as a tree.

Every node of the tree is a sub-expression with its value, the member and
event row it was evaluated for, and the reference date; a rule's node holds
its definition's tree once (later uses say so), with the ruleset that defined
it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from tfrules.interpret.deciding import Decider, fact_json
from tfrules.interpret.evaluator import Interpreter, Scope, TraceEvent
from tfrules.interpret.household import HouseholdData
from tfrules.interpret.plain_values import money, plain, shorten
from tfrules.model import types as T
from tfrules.model.ruleset import CategoryValue, CheckedRuleset, ParamInfo, ParamRef, RuleRef
from tfrules.syntax import ast
from tfrules.syntax.format_expr import flat


@attrs.define
class TraceNode:
    node: ast.Expr
    value: Any
    scope: Scope
    children: list[TraceNode] = attrs.Factory(list)


@attrs.frozen
class RuleExplanation:
    rule: str
    value: Any
    title: str | None
    layer: str
    tree: TraceNode | None


@attrs.frozen
class Explanation:
    household: str
    as_of: dt.date
    rules: tuple[RuleExplanation, ...]
    params: dict[str, ParamInfo]
    #: tables that were not supplied: facts drawn from them are unknown
    missing: frozenset[str] = frozenset()


class _TreeBuilder:
    """Rebuilds the evaluation tree from the interpreter's post-order trace."""

    def __init__(self) -> None:
        self.pending: dict[int, list[TraceNode]] = {}

    def __call__(self, event: TraceEvent) -> None:
        children = self.pending.pop(event.depth + 1, [])
        node = TraceNode(event.node, event.value, event.scope, children)
        self.pending.setdefault(event.depth, []).append(node)

    def take(self) -> TraceNode | None:
        roots = self.pending.pop(0, [])
        self.pending.clear()
        return roots[-1] if roots else None


def explain_household(
    ruleset: CheckedRuleset,
    household: HouseholdData,
    as_of: dt.date,
    rules: Iterable[str] | None = None,
    fixed: dict[str, Any] | None = None,
) -> Explanation:
    builder = _TreeBuilder()
    interpreter = Interpreter(ruleset, as_of, fixed=fixed, trace=builder)
    interpreter._household = household
    results: list[RuleExplanation] = []
    for name in rules if rules is not None else ruleset.output_rules:
        info = ruleset.rules[name]
        interpreter._memo = {}  # explain each rule in full
        value = interpreter.rule(name, Scope(as_of))
        tree = builder.take()
        results.append(RuleExplanation(name, value, info.title, info.layer, tree))
    used = sorted(set(_params_in((r.tree for r in results), ruleset)))
    params = {name: ruleset.params[name] for name in used}
    return Explanation(household.id, as_of, tuple(results), params, household.missing)


def _params_in(trees: Iterable[TraceNode | None], ruleset: CheckedRuleset) -> Iterator[str]:
    """The parameters read while evaluating these trees."""
    stack = [t for t in trees if t is not None]
    while stack:
        node = stack.pop()
        resolution = ruleset.annotations.resolution_or_none(node.node)
        if isinstance(resolution, ParamRef):
            yield resolution.name
        stack.extend(node.children)


# ---------------------------------------------------------------- rendering


def show(value: Any, found: T.Type | None = None) -> str:
    """A value as a rule author writes it: true, unknown, £4,000, 15%."""
    if value is None:
        return "unknown"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(map(str, value))) + "}"
    if found is not None and found.kind is T.Kind.MONEY:
        return money(value)
    if found is not None and found.kind is T.Kind.PERCENT:
        return f"{(value * 100).normalize():f}%"
    if found is not None and found.kind is T.Kind.DURATION:
        return f"{value} {found.unit}"
    return str(value)


def _scope_label(scope: Scope, ruleset: CheckedRuleset) -> str:
    parts = []
    persons = ruleset.schema.persons
    if scope.person is not None and persons.key:
        parts.append(f"member {scope.person[persons.key]}")
    if scope.row is not None and scope.table is not None:
        table = scope.table
        fields = []
        for key, value in scope.row.items():
            if key == table.owner_key:
                continue
            column = table.column(key)
            fields.append(f"{key} {plain(value, column.type if column else None)}")
        parts.append(f"{table.name} row: {', '.join(fields)}")
    return "; ".join(parts)


def _type_or_none(ruleset: CheckedRuleset, node: ast.Expr) -> T.Type | None:
    try:
        return ruleset.annotations.type_of(node)
    except KeyError:
        return None


def render_text(explanation: Explanation, ruleset: CheckedRuleset, depth: int = 6) -> str:
    """The whole evaluation of every rule, `depth` levels deep."""
    lines = [f"household {explanation.household}, as of {explanation.as_of}", ""]
    for rule in explanation.rules:
        title = f"  ({rule.title})" if rule.title else ""
        shown = plain(rule.value, ruleset.rules[rule.rule].type)
        lines.append(f"{rule.rule} = {shown}{title}  [defined in {rule.layer}]")
        lines.extend(trace_lines(rule, ruleset, depth))
        lines.append("")
    if explanation.params:
        lines.append("parameters used:")
        for name, info in explanation.params.items():
            lines.append(f"  {name} = {param_text(info)}  [{info.layer}]")
    return "\n".join(lines).rstrip() + "\n"


def trace_lines(rule: RuleExplanation, ruleset: CheckedRuleset, depth: int) -> list[str]:
    """The whole evaluation of one rule, a line per step, indented by level."""
    lines: list[str] = []
    if rule.tree is not None:
        _render_node(rule.tree, ruleset, lines, 1, depth, set(), None)
    return lines


def param_text(info: ParamInfo) -> str:
    value = info.value
    entries = getattr(value, "entries", None)
    if entries is not None:
        text = ", ".join(f"{k}: {plain(v, info.type)}" for k, v in entries)
        otherwise = getattr(value, "otherwise", None)
        if otherwise is not None:
            text += f", otherwise: {plain(otherwise, info.type)}"
        return text
    if isinstance(value, ast.Duration):
        return str(value)
    return plain(value, info.type)


def _render_node(
    node: TraceNode,
    ruleset: CheckedRuleset,
    lines: list[str],
    level: int,
    depth: int,
    shown_rules: set[tuple[str, object]],
    parent_scope: Scope | None,
) -> None:
    indent = "  " * level
    label = _scope_label(node.scope, ruleset) if node.scope != parent_scope else ""
    where = f"   [{label}]" if label else ""
    resolution = ruleset.annotations.resolution_or_none(node.node)
    text = shorten(flat(node.node), 90)
    value = plain(node.value, _type_or_none(ruleset, node.node))
    if isinstance(resolution, RuleRef):
        info = ruleset.rules[resolution.name]
        key = (resolution.name, node.scope.refdate, id(node.scope.person))
        suffix = f"  (rule from {info.layer}" + (
            f", at {node.scope.refdate})" if node.scope.refdate else ")"
        )
        lines.append(f"{indent}{text} = {value}{suffix}{where}")
        if key in shown_rules:
            return
        shown_rules.add(key)
    else:
        lines.append(f"{indent}{text} = {value}{where}")
    if level >= depth:
        if node.children:
            lines.append(f"{indent}  …")
        return
    for child in node.children:  # the whole trace: every member and row
        if isinstance(child.node, ast.Literal):
            continue
        if isinstance(ruleset.annotations.resolution_or_none(child.node), CategoryValue):
            continue  # `domestic_abuse` is a value, not something evaluated
        _render_node(child, ruleset, lines, level + 1, depth, shown_rules, node.scope)


def to_json(explanation: Explanation, ruleset: CheckedRuleset) -> dict[str, Any]:
    """The whole trace of every rule (`explanation`), and beside it the facts
    that decided its value (`deciding`)."""
    decider = Decider(ruleset, explanation.missing, as_of=explanation.as_of)

    def node_json(node: TraceNode) -> dict[str, Any]:
        result: dict[str, Any] = {"expression": flat(node.node), "value": _json_value(node.value)}
        if node.scope.person is not None or node.scope.row is not None:
            result["about"] = _scope_label(node.scope, ruleset)
        if node.scope.refdate is not None:
            result["as_of"] = node.scope.refdate.isoformat()
        if node.children:
            result["because"] = [node_json(c) for c in node.children]
        return result

    return {
        "household": explanation.household,
        "as_of": explanation.as_of.isoformat(),
        "tables_not_supplied": sorted(explanation.missing),
        "rules": [
            {
                "rule": r.rule,
                "value": _json_value(r.value),
                "title": r.title,
                "defined_in": r.layer,
                "deciding": [fact_json(f) for f in decider.rule(r.tree)],
                "explanation": node_json(r.tree) if r.tree is not None else None,
            }
            for r in explanation.rules
        ],
        "parameters": {k: param_text(v) for k, v in explanation.params.items()},
    }


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
