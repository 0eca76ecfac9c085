"""`every adult member where on_benefits` says every adult member is on
benefits (`tfrules.semantics.aggregates.every_where_is_body`): its `where`
list is what must hold, so it is written as `satisfies`."""

from __future__ import annotations

import attrs

from tfrules.compile.facts import Facts
from tfrules.semantics.aggregates import every_where_is_body
from tfrules.syntax import ast


def every_where_as_satisfies(node: ast.Expr, facts: Facts) -> ast.Expr:
    if isinstance(node, ast.Quantified) and every_where_is_body(node):
        return facts.rebuilt(attrs.evolve(node, where=(), satisfies=node.where), node)
    return node
