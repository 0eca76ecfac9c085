"""Nodes the compiler's passes put into a rule's tree: each stands for a way of
computing the same value that the lowering treats specially. They are never
written by a rule author and never reach the reference interpreter; each
keeps the span of the node it replaces, so errors still point at the rule.
"""

from __future__ import annotations

import attrs

from tfrules.syntax import ast


@attrs.frozen
class MemberEvents(ast.Expr):
    """`any [adult] member [where W] has T where C` read as one quantifier over the
    household's rows of T (see `passes.flatten_has`): `events` is `any T where C`
    and `members` the member quantifier whose qualifier and `where` list each
    row's member must meet."""

    events: ast.Quantified
    members: ast.Quantified
    span: ast.Span = ast.span_field()


@attrs.frozen
class CountTerms(ast.Expr):
    """`count distinct academic_year, term over T where ...` on a termly table:
    it counts terms (see `passes.count_terms`). With `window` > 0 the `where`
    list holds a window of that many terms, checked term by term."""

    aggregate: ast.Aggregate
    window: int = 0
    span: ast.Span = ast.span_field()


@attrs.frozen
class Narrowed(ast.Expr):
    """`operand`, needed only by the households where `condition` is `wanted`
    (the other branch of `if C then unknown else X`; see `passes.narrow`)."""

    operand: ast.Expr
    condition: ast.Expr
    wanted: bool
    span: ast.Span = ast.span_field()


@attrs.frozen
class SplitAt(ast.Expr):
    """`operand at date` for a household date that may be unknown (see
    `passes.split_dates`): households whose date is known evaluate the operand
    at it, reading only their own rows; the others at an unknown date, which
    needs no join at all."""

    operand: ast.Expr
    date: ast.Expr
    span: ast.Span = ast.span_field()


INTERNAL = (MemberEvents, CountTerms, Narrowed, SplitAt)
