"""Lowering rewritten trees into the column graph: one function per kind of
node, registered here (add a node kind: write its function in the module of
its kind, and list it below)."""

from __future__ import annotations

from tfrules.compile.lower.dates import lower_at, lower_in_window, lower_split_at
from tfrules.compile.lower.lifts import (
    lower_aggregate,
    lower_count_terms,
    lower_member_events,
    lower_quantified,
)
from tfrules.compile.lower.logic import (
    lower_and,
    lower_compare,
    lower_count_of,
    lower_if,
    lower_in_set,
    lower_is_known,
    lower_is_true,
    lower_narrowed,
    lower_not,
    lower_or,
)
from tfrules.compile.lower.scalars import (
    lower_arith,
    lower_call,
    lower_literal,
    lower_name,
    lower_negate,
    lower_set,
)
from tfrules.compile.lower.state import Lower, Lowering, Site
from tfrules.compile.nodes import CountTerms, MemberEvents, Narrowed, SplitAt
from tfrules.syntax import ast

LOWERINGS: dict[type, Lower] = {
    ast.Literal: lower_literal,
    ast.Name: lower_name,
    ast.SetLiteral: lower_set,
    ast.Arith: lower_arith,
    ast.Negate: lower_negate,
    ast.Call: lower_call,
    ast.Compare: lower_compare,
    ast.InSet: lower_in_set,
    ast.IsKnown: lower_is_known,
    ast.IsTrue: lower_is_true,
    ast.And: lower_and,
    ast.Or: lower_or,
    ast.Not: lower_not,
    ast.If: lower_if,
    ast.CountOf: lower_count_of,
    ast.At: lower_at,
    ast.InWindow: lower_in_window,
    ast.Quantified: lower_quantified,
    ast.Aggregate: lower_aggregate,
    MemberEvents: lower_member_events,
    CountTerms: lower_count_terms,
    Narrowed: lower_narrowed,
    SplitAt: lower_split_at,
}  # type: ignore[dict-item]

__all__ = ["LOWERINGS", "Lowering", "Site"]
