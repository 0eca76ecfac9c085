"""`if true then A else B` is A, and `if false then A else B` is B.

Left to Polars, a branch it can fold to one value came back one row long
(a bug found by the property tests), so a constant condition picks its
branch here.
"""

from __future__ import annotations

from tfrules.compile.facts import Facts
from tfrules.syntax import ast


def fold_constant_if(node: ast.Expr, facts: Facts) -> ast.Expr:
    if (
        isinstance(node, ast.If)
        and isinstance(node.condition, ast.Literal)
        and isinstance(node.condition.value, bool)
    ):
        return node.then if node.condition.value else node.otherwise
    return node
