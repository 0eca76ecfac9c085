"""Rewriting a tree bottom-up: the passes' one walker.

A node whose children did not change is kept as it is (the same object, so
the checker's annotations of it still apply); a node whose children changed
is rebuilt and recorded as standing for the original (see `Facts.rebuilt`).
Trees are at most about a hundred levels deep (the checker's E013), so
plain recursion is safe here.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from tfrules.compile.facts import Facts
from tfrules.syntax import ast

Visit = Callable[[ast.Expr], ast.Expr]


def rewrite(node: ast.Expr, visit: Visit, facts: Facts) -> ast.Expr:
    """`visit` applied to every expression of `node`, children first."""
    changes: dict[str, object] = {}
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, ast.Expr):
            new = rewrite(value, visit, facts)
            if new is not value:
                changes[field.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, ast.Expr) for v in value):
            items = tuple(rewrite(v, visit, facts) if isinstance(v, ast.Expr) else v for v in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[field.name] = items
    if changes:
        node = facts.rebuilt(attrs.evolve(node, **changes), node)
    return visit(node)
