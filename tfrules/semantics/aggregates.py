"""What quantifiers and aggregates mean where the language leaves a choice.

- Over no rows at all: `any` is false, `every` and `no` are true, a count is 0,
  a sum is zero of its type, and `lowest`, `highest`, `latest` and
  `earliest` are unknown.
- `every adult member where on_benefits`, with no `has` or `satisfies`, says
  that every adult member is on benefits: its `where` list is what must hold.
"""

from __future__ import annotations

from decimal import Decimal

from tfrules.model import types as T
from tfrules.syntax import ast


def every_where_is_body(node: ast.Quantified) -> bool:
    """`every X where C` with nothing after: C is what every X must satisfy."""
    return (
        node.quantifier == "every" and bool(node.where) and node.has is None and not node.satisfies
    )


def zero(result_type: T.Type) -> int | Decimal:
    """The sum over no rows, in the sum's own type."""
    if result_type.kind is T.Kind.MONEY:
        return Decimal("0.00")
    if result_type.kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
        return Decimal("0.000000")
    return 0


def empty_value(node: ast.Quantified | ast.Aggregate, result_type: T.Type) -> object:
    """The value of a quantifier or aggregate over no rows (None: unknown)."""
    if isinstance(node, ast.Quantified):
        return node.quantifier != "any"
    if node.op in ("count", "count distinct"):
        return 0
    if node.op == "sum":
        return zero(result_type)
    return None
