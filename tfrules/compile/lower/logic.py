"""Kleene logic, comparisons and conditionals.

`and`/`or` with more than two operands are one horizontal operation: a
chain of thousands of binary ones makes Polars' optimiser take time that
grows with the cube of its length."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from tfrules.compile.analysis import constant_set, is_unknown, known_columns
from tfrules.compile.graph import HOUSEHOLDS
from tfrules.compile.keys import DomainKey
from tfrules.compile.lower.scalars import numeric_pair
from tfrules.compile.lower.state import Lowering, Site
from tfrules.compile.nodes import Narrowed
from tfrules.model import types as T
from tfrules.semantics import dtypes as D
from tfrules.syntax import ast

I64 = pl.Int64


def lower_and(node: ast.And, site: Site, lo: Lowering) -> pl.Expr:
    parts = [lo.condition(o, site) for o in node.operands]
    if len(parts) > 2:
        return pl.all_horizontal(parts)  # Kleene, as `&` is
    return parts[0] & parts[1] if len(parts) == 2 else parts[0]


def lower_or(node: ast.Or, site: Site, lo: Lowering) -> pl.Expr:
    parts = [lo.condition(o, site) for o in node.operands]
    if len(parts) > 2:
        return pl.any_horizontal(parts)  # Kleene, as `|` is
    return parts[0] | parts[1] if len(parts) == 2 else parts[0]


def lower_not(node: ast.Not, site: Site, lo: Lowering) -> pl.Expr:
    return ~lo.condition(node.operand, site)


def lower_if(node: ast.If, site: Site, lo: Lowering) -> pl.Expr:
    """With an unknown condition, the branches' value if they agree (pinned
    reading 2); never when one of them is `unknown`."""
    result = lo.facts.type_of(node)
    target = D.dtype(result)
    condition = lo.condition(node.condition, site)
    then = lo.expr(node.then, site).cast(target)
    otherwise = lo.expr(node.otherwise, site).cast(target)
    agreed = (
        D.null(result)
        if is_unknown(node.then) or is_unknown(node.otherwise)
        else pl.when(then == otherwise).then(then)
    )
    return pl.when(condition).then(then).when(~condition).then(otherwise).otherwise(agreed)


def lower_narrowed(node: Narrowed, site: Site, lo: Lowering) -> pl.Expr:
    """The operand, its aggregates reading only the households that need it (a
    household value at a household's own or a fixed date)."""
    if site.frame != HOUSEHOLDS or site.context.is_row_date:
        return lo.expr(node.operand, site)
    context = site.context

    def build() -> pl.Expr:
        holds = lo.condition(node.condition, site)
        chosen = holds if node.wanted else ~holds
        if context.domain is not None:
            chosen = chosen & lo.col(HOUSEHOLDS, HOUSEHOLDS, context.domain).is_not_null()
        return pl.when(chosen).then(pl.lit(True))

    key = DomainKey(node.condition, node.wanted, context)
    domain = lo.derive(key, HOUSEHOLDS, build, "n")
    known = context.known | known_columns(lo.facts, node.condition, node.wanted)
    return lo.expr(node.operand, site.at(context.within(domain.name, known)))


def lower_compare(node: ast.Compare, site: Site, lo: Lowering) -> pl.Expr:
    if _is_bare_unknown(node.left, lo) or _is_bare_unknown(node.right, lo):
        # a comparison with `unknown` is unknown; left to Polars, its
        # simplifier folded such an expression to one row (property tests)
        return pl.lit(None, dtype=pl.Boolean)
    a, b = numeric_pair(node.left, node.right, site, lo)
    op = node.op
    if _is_literal(a) and not _is_literal(b):
        # a constant on the right: Polars' in-memory engine gave one row for
        # `<literal> < when(...)` with an unknown branch (property tests)
        a, b, op = b, a, _MIRRORED[op]
    return {
        "=": a.__eq__,
        "!=": a.__ne__,
        "<": a.__lt__,
        "<=": a.__le__,
        ">": a.__gt__,
        ">=": a.__ge__,
    }[op](b)


_MIRRORED = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _is_literal(expr: pl.Expr) -> bool:
    return expr.meta.is_literal(allow_aliasing=True)


def _is_bare_unknown(node: ast.Expr, lo: Lowering) -> bool:
    """An operand of no type but `unknown` (the word, or an `if` of nothing else)."""
    return lo.facts.type_of(node).kind is T.Kind.NULL


def lower_is_known(node: ast.IsKnown, site: Site, lo: Lowering) -> pl.Expr:
    value = lo.expr(node.operand, site)
    return value.is_null() if node.negated else value.is_not_null()


def lower_is_true(node: ast.IsTrue, site: Site, lo: Lowering) -> pl.Expr:
    value = lo.condition(node.operand, site)
    return (value if node.value else ~value).fill_null(False)


def lower_in_set(node: ast.InSet, site: Site, lo: Lowering) -> pl.Expr:
    item = lo.expr(node.item, site)
    constants = constant_set(lo.facts, node.set)
    if constants == []:
        found = pl.lit(False)  # nothing can be in an empty set, not even an unknown
    elif constants is not None:
        kind = lo.facts.type_of(node.item).kind
        decimals = any(isinstance(v, Decimal) for v in constants)
        if kind in (T.Kind.DECIMAL, T.Kind.PERCENT) or (kind is T.Kind.INT and decimals):
            # plain numbers of different kinds (2 and 1.5) meet as decimals
            item = item.cast(D.DECIMAL_DTYPE)
            constants = [Decimal(v).quantize(Decimal("0.000001")) for v in constants]  # type: ignore[arg-type]
        found = pl.when(item.is_null()).then(None).otherwise(item.is_in(constants))
    else:
        assert isinstance(node.set, ast.SetLiteral)
        found = pl.any_horizontal([item == lo.expr(e, site) for e in node.set.items])
    return ~found if node.negated else found


def lower_count_of(node: ast.CountOf, site: Site, lo: Lowering) -> pl.Expr:
    items = [lo.condition(i, site) for i in node.items]
    true = pl.sum_horizontal([i.fill_null(False).cast(I64) for i in items])
    unknown = pl.sum_horizontal([i.is_null().cast(I64) for i in items])
    high = true + unknown
    n = node.count
    if node.op == "at least":
        return pl.when(true >= n).then(True).when(high < n).then(False)
    if node.op == "at most":
        return pl.when(high <= n).then(True).when(true > n).then(False)
    return (
        pl.when((unknown == 0) & (true == n)).then(True).when((true > n) | (high < n)).then(False)
    )
