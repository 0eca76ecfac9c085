"""The abstract syntax tree of tfrules files.

Nodes are frozen attrs classes. Every node carries a `Span` (file, line,
column) that takes no part in equality, so two trees that differ only in
layout compare equal: the formatter's round-trip tests rely on that.

Every expression and collection also carries a `node_id`, the key the
checker's annotations are kept under. Like the span it takes no part in
equality, hashing or repr. The parser numbers the nodes of a file in the
order it builds them, from a base drawn from the file's name and text, so
ids are unique within a file, stable for the same text and (the base being a
64-bit digest) distinct between the files of a ruleset. A node built after
parsing (by the formatter's tests, the compiler, a script) takes the next
id of a counter of its own process. Because ids are data, a tree copied,
deep-copied or pickled keeps them, and its annotations with them; a node
made by `attrs.evolve` is a new node and gets a new id, since what was
recorded about the old one need not hold for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal as TypingLiteral

import attrs

from tfrules.syntax.declarations import *  # noqa: F403 (the declarations are part of the tree too)
from tfrules.syntax.spans import NO_SPAN as NO_SPAN
from tfrules.syntax.spans import Comment as Comment
from tfrules.syntax.spans import Span as Span
from tfrules.syntax.spans import file_id_base as file_id_base
from tfrules.syntax.spans import node_id_field as node_id_field
from tfrules.syntax.spans import numbered_from as numbered_from
from tfrules.syntax.spans import span_field as span_field

# ---------------------------------------------------------------- expressions


@attrs.frozen
class Expr:
    """Base class of expressions."""

    node_id: int = node_id_field()


LiteralKind = TypingLiteral[
    "int", "decimal", "percent", "money", "date", "duration", "text", "bool", "unknown"
]
DurationUnit = TypingLiteral["days", "weeks", "months", "years", "terms"]


@attrs.frozen
class Duration:
    amount: int
    unit: DurationUnit

    def __str__(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"


@attrs.frozen
class Literal(Expr):
    """A constant. `value` is an int, Decimal (decimal, and percent as a
    fraction: 15% is Decimal('0.15')), Decimal pounds for money, a date, a
    Duration, a str, a bool, or None for `unknown`."""

    kind: LiteralKind
    value: int | Decimal | dt.date | Duration | str | bool | None
    span: Span = span_field()


@attrs.frozen
class Name(Expr):
    """A name: a column, rule, parameter, builtin or category value; the checker decides."""

    name: str
    span: Span = span_field()


@attrs.frozen
class Call(Expr):
    """A builtin function call such as `min(a, b)`."""

    function: str
    args: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class SetLiteral(Expr):
    items: tuple[Expr, ...]
    span: Span = span_field()


BinaryOp = TypingLiteral["+", "-", "*", "/", "of"]
CompareOp = TypingLiteral["=", "!=", "<", "<=", ">", ">="]


@attrs.frozen
class Arith(Expr):
    op: BinaryOp
    left: Expr
    right: Expr
    span: Span = span_field()


@attrs.frozen
class Negate(Expr):
    operand: Expr
    span: Span = span_field()


@attrs.frozen
class Compare(Expr):
    op: CompareOp
    left: Expr
    right: Expr
    span: Span = span_field()


@attrs.frozen
class InSet(Expr):
    """`x in S` or, with `negated`, `x not in S`."""

    item: Expr
    set: Expr
    negated: bool = False
    span: Span = span_field()


@attrs.frozen
class IsKnown(Expr):
    """`x is known` or, with `negated`, `x is unknown`: always true or false."""

    operand: Expr
    negated: bool = False
    span: Span = span_field()


@attrs.frozen
class IsTrue(Expr):
    """`x is true` (or, with `value` False, `x is false`): unknown counts as
    neither, so the result is always true or false. Payments use it: a
    condition that is unknown pays nothing."""

    operand: Expr
    value: bool = True
    span: Span = span_field()


@attrs.frozen
class InWindow(Expr):
    """`d in the last 12 months`; with no `date`, the row's own date (or span,
    or term) in an event filter."""

    date: Expr | None
    length: Expr  # a duration Literal or the Name of a duration parameter
    span: Span = span_field()


@attrs.frozen
class And(Expr):
    operands: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class Or(Expr):
    operands: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class Not(Expr):
    operand: Expr
    span: Span = span_field()


@attrs.frozen
class If(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = span_field()


@attrs.frozen
class At(Expr):
    """`x at d`: the value of `x` with the reference date moved to `d`."""

    operand: Expr
    date: Expr
    span: Span = span_field()


CountOp = TypingLiteral["at least", "at most", "exactly"]


@attrs.frozen
class CountOf(Expr):
    """`at least 2 of [a, b, c]` (also `at most`, `exactly`)."""

    op: CountOp
    count: int
    items: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class Collection:
    """What a quantifier or aggregate ranges over: `members` (optionally
    `adult members`, meaning members where `adult`) or an event table."""

    name: str  # "members" or a table name
    qualifier: str | None = None
    span: Span = span_field()
    node_id: int = node_id_field()

    @property
    def is_members(self) -> bool:
        return self.name == "members"


Quantifier = TypingLiteral["any", "every", "no"]


@attrs.frozen
class Quantified(Expr):
    """`any members where F1, F2 has ...` / `... satisfies C1, C2`.

    `has` holds the nested quantifier of a `has` body; `satisfies` the
    conditions of a `satisfies` body. At most one of the two is set.
    """

    quantifier: Quantifier
    collection: Collection
    where: tuple[Expr, ...] = ()
    has: Quantified | None = None
    satisfies: tuple[Expr, ...] = ()
    span: Span = span_field()


AggregateOp = TypingLiteral[
    "count", "count distinct", "sum", "lowest", "highest", "latest", "earliest"
]


@attrs.frozen
class Aggregate(Expr):
    """`count C where F`, `count distinct a, b over C`, `sum x over C where F`, ..."""

    op: AggregateOp
    collection: Collection
    values: tuple[Expr, ...] = ()
    where: tuple[Expr, ...] = ()
    span: Span = span_field()
