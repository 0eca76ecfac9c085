"""The compiler's memo: what each derived column of the plan stands for.

Every column the lowering adds to the graph is made once per key, so a rule,
a window or an aggregate needed in several places is computed once. A key
says exactly what the column depends on; two things that could differ never
share one (a rule at a date known for every household reading it is not the
same column as the rule where that date may be unknown).

Nodes are named by their structure (AST nodes compare by content, not by
where they are written): the same quantifier written in two rules is
computed once. Row columns and aggregations are named by their content
(`ExprKey`): two lifts whose rows compute the same thing share the row
column and the aggregation.
"""

from __future__ import annotations

import attrs
import polars as pl

from tfrules.compile.context import Context, RefDate
from tfrules.syntax import ast


@attrs.frozen
class ExprKey:
    """A Polars expression, by its exact serialised form."""

    text: bytes

    @classmethod
    def of(cls, expr: pl.Expr) -> ExprKey:
        return cls(expr.meta.serialize())


@attrs.frozen
class RuleKey:
    """A rule's column in a context."""

    name: str
    context: Context


@attrs.frozen
class ReasonKey:
    """Why a household criterion has its value (`<rule>_reason`)."""

    name: str
    context: Context


@attrs.frozen
class GivenKey:
    """A rule's column given a value by a test (`with local = true`)."""

    name: str


@attrs.frozen
class AbstractKey:
    """An abstract rule no ruleset defined: unknown everywhere."""

    name: str


@attrs.frozen
class DomainKey:
    """The households where a condition has the wanted value, within a context's domain."""

    condition: ast.Expr
    wanted: bool
    context: Context


@attrs.frozen
class DateKey:
    """A household-level date expression (`attached_on + 6 months`) as a column."""

    date: ast.Expr
    context: Context


@attrs.frozen
class BoundKey:
    """The first (`low`) or last day of a window ending at a household's date."""

    end: str
    date: RefDate
    length: int
    unit: str


@attrs.frozen
class TermNowKey:
    """The index of the term containing a household's date."""

    date: RefDate


@attrs.frozen
class WindowKey:
    """Whether a row of a frame lies in a window, shared by every aggregate filtering on it."""

    frame: str
    length: int
    unit: str
    date: RefDate


@attrs.frozen
class TermIndexKey:
    """A termly frame's row term index."""

    frame: str


@attrs.frozen
class MemberCountKey:
    """How many members each household has (`final`: with 0 for none)."""

    final: bool


@attrs.frozen
class LiftKey:
    """A quantifier or aggregate over a finer frame, landed in a coarser one."""

    node: ast.Expr
    members_of: ast.Expr | None
    context: Context
    source: str
    landing: str
    group_key: str


@attrs.frozen
class RowKey:
    """A row column of a finer frame, shared by every aggregate that needs the same one."""

    frame: str
    expr: ExprKey


@attrs.frozen
class AggregationKey:
    """One plain aggregation (sum, max, null count...) of a row column, by group."""

    landing: str
    source: str
    group_key: str
    aggregation: ExprKey
    keep: str | None
    require: tuple[str, ...]


Key = (
    RuleKey
    | ReasonKey
    | GivenKey
    | AbstractKey
    | DomainKey
    | DateKey
    | BoundKey
    | TermNowKey
    | WindowKey
    | TermIndexKey
    | MemberCountKey
    | LiftKey
    | RowKey
    | AggregationKey
)
