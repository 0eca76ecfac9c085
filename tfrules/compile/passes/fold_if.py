"""`if true then A else B` is A, and `if false then A else B` is B.

Left to Polars, a branch it can fold to one value came back one row long
(a bug found by the property tests), so a constant condition picks its
branch here.

A branch that is the bare word `unknown` has no type of its own: in its
place goes an `unknown` of the `if`'s type (`financial_year(if true then
unknown else attached_on)` reads a date that is unknown, not a value of no
type, which Polars cannot take the year of).
"""

from __future__ import annotations

from tfrules.compile.facts import Facts
from tfrules.model import types as T
from tfrules.syntax import ast


def fold_constant_if(node: ast.Expr, facts: Facts) -> ast.Expr:
    if not (
        isinstance(node, ast.If)
        and isinstance(node.condition, ast.Literal)
        and isinstance(node.condition.value, bool)
    ):
        return node
    branch = node.then if node.condition.value else node.otherwise
    if facts.type_of(branch).kind is T.Kind.NULL and facts.type_of(node).kind is not T.Kind.NULL:
        typed_unknown = ast.Literal(kind="unknown", value=None, span=branch.span)
        return facts.rebuilt(typed_unknown, node)
    return branch
