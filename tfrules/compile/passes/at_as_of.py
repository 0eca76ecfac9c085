"""`x at as_of` is x: the reference date does not move."""

from __future__ import annotations

from tfrules.compile.analysis import date_kind
from tfrules.compile.facts import Facts
from tfrules.syntax import ast


def drop_at_as_of(node: ast.Expr, facts: Facts) -> ast.Expr:
    if isinstance(node, ast.At) and date_kind(facts, node.date).kind == "as_of":
        return node.operand
    return node
