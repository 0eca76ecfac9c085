"""The compiler's passes: small pure rewrites of a rule's checked tree, applied
in this order before it is lowered into the plan. Each takes a node (whose
children are already rewritten) and the compile's facts, and returns the
node or its replacement; each is tested on its own (tests/compile).

1. `fold_constant_if`: a constant condition picks its branch.
2. `drop_at_as_of`: `x at as_of` is x.
3. `every_where_as_satisfies`: `every X where C` says every X satisfies C.
4. `flatten_member_events`: `any member ... has T where C` is one quantifier over T.
5. `count_terms`: `count distinct academic_year, term` counts terms.
6. `narrow_unknown_branches`: the other branch of `if C then unknown` is read
   only where it is chosen.
7. `split_unknown_dates`: `x at d` apart for households whose date d is unknown.
"""

from __future__ import annotations

from collections.abc import Callable

from tfrules.compile.facts import Facts
from tfrules.compile.passes.at_as_of import drop_at_as_of
from tfrules.compile.passes.count_terms import count_terms
from tfrules.compile.passes.every_where import every_where_as_satisfies
from tfrules.compile.passes.flatten_has import flatten_member_events
from tfrules.compile.passes.fold_if import fold_constant_if
from tfrules.compile.passes.narrow import narrow_unknown_branches
from tfrules.compile.passes.rewrite import rewrite
from tfrules.compile.passes.split_dates import split_unknown_dates
from tfrules.syntax import ast

Pass = Callable[[ast.Expr, Facts], ast.Expr]

PASSES: tuple[Pass, ...] = (
    fold_constant_if,
    drop_at_as_of,
    every_where_as_satisfies,
    flatten_member_events,
    count_terms,
    narrow_unknown_branches,
    split_unknown_dates,
)


def optimize(node: ast.Expr, facts: Facts, passes: tuple[Pass, ...] = PASSES) -> ast.Expr:
    """`node` with every pass applied, in order."""
    for each in passes:
        node = rewrite(node, lambda n, each=each: each(n, facts), facts)
    return node


__all__ = ["PASSES", "Pass", "optimize"]
