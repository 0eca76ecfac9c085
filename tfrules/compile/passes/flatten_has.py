"""`any [adult] member [where W] has T where C` as one quantifier over the
household's rows of T: any row of T whose member is an adult meeting W and
which meets C.

In Kleene logic `and` distributes over `or`, so the two read alike, nulls
included (a member without rows is false either way); and `no` is `not any`.
One group_by by household replaces one by person and another by household,
and shares the scan of T with every other aggregate of T the household
needs. `every` does not distribute: it keeps the two steps. A table that was
not supplied keeps them too (its facts are unknown member by member).
"""

from __future__ import annotations

from tfrules.compile.facts import Facts
from tfrules.compile.nodes import MemberEvents
from tfrules.model.schema import Level
from tfrules.syntax import ast


def flatten_member_events(node: ast.Expr, facts: Facts) -> ast.Expr:
    if not isinstance(node, ast.Quantified):
        return node
    inner = node.has
    if (
        node.quantifier == "every"
        or inner is None
        or inner.quantifier != "any"
        or inner.has is not None
        or not node.collection.is_members
    ):
        return node
    table = facts.collection(inner.collection).table
    if (
        table.level is not Level.EVENT
        or table.owner != facts.schema.persons.name
        or (table.name in facts.missing and not table.empty_when_missing)
    ):
        return node
    events = ast.Quantified(
        node.quantifier, inner.collection, inner.where + inner.satisfies, span=node.span
    )
    return facts.rebuilt(MemberEvents(events, node, span=node.span), node)
