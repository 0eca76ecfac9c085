"""Where a compiled expression is evaluated in time: its reference date, and
the households that need its value.

A rule is compiled once per context it is used in: `education` at the run
date is one column for every household; `education at attached_on` is
another, at each household's own attachment date.
"""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl

from tfrules.syntax import ast


@attrs.frozen
class FixedDate:
    """One date for every household: the run date, a date literal or a date parameter."""

    day: dt.date


@attrs.frozen
class UnknownDate:
    """A household's own date that is unknown (`attached_on` of a household never
    attached): every window ending on it is unknown, and so is `as_of`."""


@attrs.frozen
class HouseholdDate:
    """Each household's own date, from a column of the households frame. Only
    households whose date is known read values at it (see `SplitAt`)."""

    column: str


@attrs.frozen
class RowDate:
    """A date per row of the frame being compiled (`age at offence_date`):
    compiled in place, with no column of its own. `node` names it."""

    node: ast.Expr
    expr: pl.Expr = attrs.field(eq=False, hash=False)


RefDate = FixedDate | UnknownDate | HouseholdDate | RowDate


@attrs.frozen
class Context:
    """A reference date, and a `domain`: a household column that is null for the
    households whose value is not needed (under `if C then unknown else X`, X is
    needed only where C is false). Aggregates read only the domain's rows.

    `known` names household columns that are known for every household of the
    domain (`if not attached then unknown else …`, where `attached` is
    `attached_on is known`): `x at attached_on` needs no half for households
    whose date is unknown (see `lower_split_at`)."""

    date: RefDate
    domain: str | None = None
    known: frozenset[str] = frozenset()

    @property
    def is_row_date(self) -> bool:
        return isinstance(self.date, RowDate)

    @property
    def is_unknown_date(self) -> bool:
        return isinstance(self.date, UnknownDate)

    def at(self, date: RefDate) -> Context:
        """The same households, at another date (a row date needs no domain)."""
        if isinstance(date, RowDate):
            return Context(date)
        return Context(date, self.domain, self.known)

    def within(self, domain: str | None, known: frozenset[str] = frozenset()) -> Context:
        """The same date, for the households of `domain` (with `known` columns)."""
        return attrs.evolve(self, domain=domain, known=known if domain is not None else frozenset())
