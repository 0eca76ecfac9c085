"""Why each household's criterion came out as it did, as a column of the plan.

For a criterion that is true, `<rule>_reason` names the parts that made it true:
`identified` reads `education+work+local` for a family identified through the
local criterion. For one that is unknown it names the parts that are unknown,
and the tables not supplied that made them so: `unknown: education
(school_terms not supplied)`. For one that is false it is empty (null).

The parts of a criterion are found in its tree: the operands of `or`, `and`
and the items of `at least N of`, looked into until a part is a named rule, a
quantifier or aggregate, or any other condition. A part is shown when it is
true and every `or` operand above it that it belongs to is true (so a part
of an `or` branch that failed is not a reason), once, in the order written.
Parts are lowered in the same context as the rule itself, so they share its
columns and aggregates: a reason costs a few string operations per household.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import polars as pl

from tfrules.compile.analysis import is_unknown
from tfrules.compile.context import Context
from tfrules.compile.graph import HOUSEHOLDS
from tfrules.compile.lower.state import Lowering, Site
from tfrules.compile.nodes import CountTerms, MemberEvents, Narrowed, SplitAt
from tfrules.model.ruleset import RuleRef
from tfrules.model.schema import Level
from tfrules.syntax import ast
from tfrules.syntax.format_expr import flat

#: A part's label is cut, at a word, to about this many characters.
LABEL_LENGTH = 48

REASON_SUFFIX = "_reason"


@attrs.frozen
class Part:
    """A leaf of a criterion's and/or structure: how to compute it, its label,
    and the `or` operands it sits in (each must be true for it to count)."""

    node: ast.Expr
    label: str
    guards: tuple[ast.Expr, ...]


@attrs.frozen
class UnknownBranch:
    """`if C then unknown else ...`: where C picks the unknown branch, C is the reason."""

    condition: ast.Expr
    unknown_when: bool
    label: str


Wrap = Callable[[ast.Expr], ast.Expr]


def reason_column(name: str, context: Context, lo: Lowering) -> pl.Expr:
    """The `<name>_reason` column of a household criterion, in the households frame."""
    body = lo.body(name)
    value = lo.use(HOUSEHOLDS, lo.rule_column(name, context))
    if body is None:
        return pl.when(value.is_null()).then(pl.lit("unknown: not defined for this council"))
    branches: list[UnknownBranch] = []
    parts = _parts(body, (), lambda n: n, "", branches, lo)
    site = Site(HOUSEHOLDS, context)
    labels: dict[str, list[pl.Expr]] = {}
    unknown: dict[str, list[pl.Expr]] = {}
    chosen: dict[str, list[pl.Expr]] = {}
    for branch in branches:
        holds = lo.condition(branch.condition, site)
        chosen.setdefault(branch.label, []).append(holds if branch.unknown_when else ~holds)
    for part in parts:
        holds = lo.condition(part.node, site)
        path = [lo.condition(g, site) for g in part.guards]
        labels.setdefault(part.label, []).append(pl.all_horizontal([*path, holds]))
        missing = _missing_tables(part.node, lo)
        shown = part.label + (f" ({', '.join(missing)} not supplied)" if missing else "")
        unknown.setdefault(shown, []).append(holds.is_null())
    true_reason = _joined(labels)
    # an unknown branch chosen is the whole reason: the parts of the other
    # branch were computed only where it was taken
    why = pl.coalesce(_joined(chosen, separator=", "), _joined(unknown, separator=", "))
    unknown_reason = pl.concat_str([pl.lit("unknown: "), why])
    return (
        pl.when(value).then(true_reason).when(value.is_null()).then(unknown_reason).cast(pl.String)
    )


def _joined(found: dict[str, list[pl.Expr]], separator: str = "+") -> pl.Expr:
    shown = [
        pl.when(pl.any_horizontal(conditions).fill_null(False)).then(pl.lit(label))
        for label, conditions in found.items()
    ]
    if not shown:
        return pl.lit(None, dtype=pl.String)
    return pl.concat_str(shown, separator=separator, ignore_nulls=True)


def _parts(
    node: ast.Expr,
    guards: tuple[ast.Expr, ...],
    wrap: Wrap,
    suffix: str,
    branches: list[UnknownBranch],
    lo: Lowering,
) -> list[Part]:
    """The leaves of `node`'s and/or structure. `wrap` puts a leaf back where it
    was found (under an `at`, so it is computed at that date; in a narrowed
    branch, so it shares that branch's columns); `suffix` says at which date."""

    def inner(child: ast.Expr, guards: tuple[ast.Expr, ...] = guards) -> list[Part]:
        return _parts(child, guards, wrap, suffix, branches, lo)

    if isinstance(node, ast.Or):
        return [p for operand in node.operands for p in inner(operand, (*guards, wrap(operand)))]
    if isinstance(node, ast.And):
        return [p for operand in node.operands for p in inner(operand)]
    if isinstance(node, ast.CountOf) and node.op == "at least":
        return [p for item in node.items for p in inner(item)]
    if isinstance(node, Narrowed):

        def narrowed(child: ast.Expr, node: Narrowed = node) -> ast.Expr:
            return wrap(Narrowed(child, node.condition, node.wanted, span=child.span))

        return _parts(node.operand, guards, narrowed, suffix, branches, lo)
    if isinstance(node, ast.If) and (is_unknown(node.then) or is_unknown(node.otherwise)):
        unknown_when = is_unknown(node.then)
        label = _label(node.condition, lo) + suffix
        if not unknown_when:
            label = f"not ({label})"
        branches.append(UnknownBranch(wrap(node.condition), unknown_when, label))
        return inner(node.otherwise if unknown_when else node.then)
    if isinstance(node, ast.At | SplitAt) and _is_household_date(node.date, lo):
        date = node.date
        kind = SplitAt if isinstance(node, SplitAt) else ast.At

        def moved(child: ast.Expr, kind: type = kind, date: ast.Expr = date) -> ast.Expr:
            return wrap(kind(child, date, span=child.span))

        at = f" at {_label(date, lo)}"
        return _parts(node.operand, guards, moved, suffix + at, branches, lo)
    return [Part(wrap(node), _label(node, lo) + suffix, guards)]


def _is_household_date(date: ast.Expr, lo: Lowering) -> bool:
    return (lo.facts.level_of(date) or Level.HOUSEHOLD) is Level.HOUSEHOLD


def _label(node: ast.Expr, lo: Lowering) -> str:
    """A short name for a part: a rule's name, the table a quantifier reads
    (or the rule its members must meet), else the condition as written."""
    original = lo.facts.origins.get(id(node), node)
    if isinstance(node, CountTerms):
        original = node.aggregate
    if isinstance(original, ast.Name):
        return original.name
    if isinstance(node, MemberEvents):
        return node.events.collection.name
    if isinstance(original, ast.Quantified):
        inner = original
        while inner.has is not None:
            inner = inner.has
        if not inner.collection.is_members:
            return inner.collection.name
        named = [w.name for w in inner.where + inner.satisfies if isinstance(w, ast.Name)]
        if named:
            return "+".join(named)
    try:
        text = flat(original)  # type: ignore[arg-type]
    except Exception:  # a node the formatter does not know: name its kind
        text = type(original).__name__.lower()
    if len(text) <= LABEL_LENGTH:
        return text
    return text[:LABEL_LENGTH].rsplit(" ", 1)[0] + " …"


def _missing_tables(node: ast.Expr, lo: Lowering) -> list[str]:
    """The tables not supplied that `node` reads, through the rules it uses."""
    if not lo.facts.missing:
        return []
    found: list[str] = []
    seen_rules: set[str] = set()
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Collection):
            table = lo.facts.collection(current).table.name
            if table in lo.facts.missing and table not in found:
                found.append(table)
            continue
        if isinstance(current, ast.Name):
            resolution = lo.facts.resolution_or_none(current)
            if isinstance(resolution, RuleRef) and resolution.name not in seen_rules:
                seen_rules.add(resolution.name)
                body = lo.body(resolution.name)
                if body is not None:
                    stack.append(body)
            continue
        if attrs.has(type(current)):
            for field in attrs.fields(type(current)):
                value = getattr(current, field.name)
                stack.extend(value if isinstance(value, tuple) else [value])
    return sorted(found)
