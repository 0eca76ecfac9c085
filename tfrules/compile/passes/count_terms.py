"""`count distinct academic_year, term over school_terms where in the last 3
terms` counts terms: an integer term index is several times faster to count
than a struct of two columns, and over a window of a few terms it is faster
still to ask, term by term, whether the term has a row (a maximum per term,
instead of a set of values per group: half the memory)."""

from __future__ import annotations

from tfrules.compile.analysis import counts_terms, window_length
from tfrules.compile.facts import Facts
from tfrules.compile.nodes import CountTerms
from tfrules.syntax import ast

#: Up to how many terms `count distinct` of a term window checks term by term.
MAX_TERMS_UNROLLED = 12


def count_terms(node: ast.Expr, facts: Facts) -> ast.Expr:
    if not isinstance(node, ast.Aggregate) or not counts_terms(facts, node):
        return node
    return facts.rebuilt(CountTerms(node, _window_terms(node, facts), span=node.span), node)


def _window_terms(node: ast.Aggregate, facts: Facts) -> int:
    """The length of a row window of a few terms in the `where` list (0: none)."""
    for condition in node.where:
        if not isinstance(condition, ast.InWindow) or condition.date is not None:
            continue
        if facts.window(condition).mode != "termly":
            continue
        length, _ = window_length(facts, condition.length)
        if 0 < length <= MAX_TERMS_UNROLLED:
            return length
    return 0
