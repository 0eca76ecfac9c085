"""In `if C then unknown else X` (or the mirror), X's value is read only where
C is false: its aggregates need read only those households' rows.

The pass marks the branch (`Narrowed`); the lowering turns the mark into a
domain (a household column, null where the value is not needed) where it
can: for a household-level value at a household's own date or a fixed one.
"""

from __future__ import annotations

import attrs

from tfrules.compile.analysis import is_unknown
from tfrules.compile.facts import Facts
from tfrules.compile.nodes import Narrowed
from tfrules.syntax import ast


def narrow_unknown_branches(node: ast.Expr, facts: Facts) -> ast.Expr:
    if not isinstance(node, ast.If):
        return node
    if is_unknown(node.then) and not is_unknown(node.otherwise):
        otherwise = facts.rebuilt(
            Narrowed(node.otherwise, node.condition, False, span=node.otherwise.span),
            node.otherwise,
        )
        return facts.rebuilt(attrs.evolve(node, otherwise=otherwise), node)
    if is_unknown(node.otherwise) and not is_unknown(node.then):
        then = facts.rebuilt(
            Narrowed(node.then, node.condition, True, span=node.then.span), node.then
        )
        return facts.rebuilt(attrs.evolve(node, then=then), node)
    return node
