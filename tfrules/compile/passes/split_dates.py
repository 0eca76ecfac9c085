"""`x at attached_on`, where the date may be unknown for some households, in two
parts: the households whose date is known evaluate x at it, reading only
their own rows (an inner join: usually a few households, so a few rows); the
others evaluate x at an unknown date, where every window is unknown, with no
join at all. Evaluating everyone at their own date would join every row with
its household's date, mostly to learn that it is unknown."""

from __future__ import annotations

from tfrules.compile.analysis import date_kind, may_be_null
from tfrules.compile.facts import Facts
from tfrules.compile.nodes import SplitAt
from tfrules.syntax import ast


def split_unknown_dates(node: ast.Expr, facts: Facts) -> ast.Expr:
    if not isinstance(node, ast.At):
        return node
    kind = date_kind(facts, node.date).kind
    if kind in ("household_column", "household") and may_be_null(facts, node.date):
        return facts.rebuilt(SplitAt(node.operand, node.date, span=node.span), node)
    return node
