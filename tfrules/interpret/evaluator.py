"""The reference interpreter: one household at a time, straight from the semantics.

It is the oracle the compiler is tested against and the engine behind
`tfrules explain`, so it favours being obviously right over being fast.
Unknown is None throughout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import attrs

from tfrules.interpret.household import HouseholdData, Row
from tfrules.model import types as T
from tfrules.model.ruleset import (
    BuiltinRef,
    CategoryValue,
    CheckedRuleset,
    ColumnRef,
    DateValues,
    ParamRef,
    RuleRef,
    WindowInfo,
    YearValues,
)
from tfrules.model.schema import Level, Table
from tfrules.semantics import aggregates as A
from tfrules.semantics import calendar
from tfrules.semantics import values as V
from tfrules.semantics import windows as W
from tfrules.semantics.durations import duration_amount
from tfrules.syntax import ast


@attrs.frozen
class Scope:
    """Where an expression is evaluated: the member and event row in view,
    and the reference date."""

    refdate: dt.date | None
    person: Row | None = None
    row: Row | None = None
    table: Table | None = None


@attrs.frozen
class TraceEvent:
    """One evaluated node, for `explain`."""

    node: ast.Expr
    value: Any
    scope: Scope
    depth: int


class _Unknown:
    """The elements of a collection drawn from a table that was not supplied."""


UNKNOWN_ELEMENTS = _Unknown()


class Interpreter:
    def __init__(
        self,
        ruleset: CheckedRuleset,
        as_of: dt.date,
        *,
        fixed: dict[str, Any] | None = None,
        trace: Callable[[TraceEvent], None] | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.notes = ruleset.annotations
        self.schema = ruleset.schema
        self.as_of = as_of
        self.fixed = dict(fixed or {})  # values given to abstract rules by a test
        self.trace = trace
        self._depth = 0
        self._household: HouseholdData | None = None
        self._memo: dict[tuple[str, object, object], Any] = {}
        #: every rule evaluated so far, for test coverage
        self.rules_evaluated: set[str] = set()
        persons = self.schema.persons
        self._person_key = persons.key or ""
        self._dob = persons.aged_by

    # ---------------------------------------------------------------- entry
    def evaluate(
        self, household: HouseholdData, rules: Iterable[str] | None = None
    ) -> dict[str, Any]:
        self._household = household
        self._memo = {}
        names = list(rules) if rules is not None else self.ruleset.output_rules
        return {name: self.rule(name, Scope(self.as_of)) for name in names}

    def rule(self, name: str, scope: Scope) -> Any:
        info = self.ruleset.rules[name]
        self.rules_evaluated.add(name)
        if name in self.fixed:
            return self.fixed[name]
        person = scope.person if info.level is Level.PERSON else None
        key = (name, person[self._person_key] if person else None, scope.refdate)
        if key not in self._memo:
            if info.body is None:
                self._memo[key] = None  # an abstract rule nobody defined: unknown
            else:
                self._memo[key] = self.eval(info.body, Scope(scope.refdate, person))
        return self._memo[key]

    # ---------------------------------------------------------------- dispatch
    def eval(self, node: ast.Expr, scope: Scope) -> Any:
        self._depth += 1
        try:
            value = getattr(self, f"_{type(node).__name__}")(node, scope)
        finally:
            self._depth -= 1
        if self.trace is not None:
            self.trace(TraceEvent(node, value, scope, self._depth))
        return value

    def _type(self, node: ast.Expr) -> T.Type:
        return self.notes.type_of(node)

    # ---------------------------------------------------------------- leaves
    def _Literal(self, node: ast.Literal, scope: Scope) -> Any:
        if isinstance(node.value, ast.Duration):
            return duration_amount(node.value)
        if node.kind in ("decimal", "percent") and isinstance(node.value, Decimal):
            return V.six_places(node.value)  # decimals keep six places, literals too
        return node.value

    def _Name(self, node: ast.Name, scope: Scope) -> Any:
        resolution = self.notes.resolution(node)
        if isinstance(resolution, ColumnRef):
            return self._column(resolution, scope)
        if isinstance(resolution, RuleRef):
            return self.rule(resolution.name, scope)
        if isinstance(resolution, ParamRef):
            return self._param(resolution.name, scope.refdate)
        if isinstance(resolution, CategoryValue):
            return resolution.value
        assert isinstance(resolution, BuiltinRef)
        return self._builtin(resolution.name, scope)

    def _column(self, ref: ColumnRef, scope: Scope) -> Any:
        if ref.level is Level.EVENT:
            assert scope.row is not None
            return scope.row[ref.column]
        if ref.level is Level.PERSON:
            assert scope.person is not None
            return scope.person[ref.column]
        assert self._household is not None
        return self._household.household[ref.column]

    def _param(self, name: str, refdate: dt.date | None) -> Any:
        value = self.ruleset.params[name].value
        if isinstance(value, YearValues):
            value = None if refdate is None else value.at(calendar.financial_year(refdate))
        elif isinstance(value, DateValues):
            value = None if refdate is None else value.at(refdate)
        if isinstance(value, ast.Duration):
            return duration_amount(value)
        kind = self.ruleset.params[name].type.kind
        if isinstance(value, Decimal) and kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
            return V.six_places(value)
        return value

    def _builtin(self, name: str, scope: Scope) -> Any:
        day = scope.refdate
        if name == "as_of":
            return day
        if name == "age":
            assert scope.person is not None and self._dob is not None
            return None if day is None else calendar.age(scope.person[self._dob], day)
        assert scope.row is not None and scope.table is not None and scope.table.span
        start_column, end_column = scope.table.span
        start, end = scope.row[start_column], scope.row[end_column]
        if name == "active":
            if day is None:
                return None
            return start <= day and (end is None or end >= day)
        if day is None:  # lasted
            return None
        return (min(end if end is not None else day, day) - start).days

    # ---------------------------------------------------------------- operators
    def _And(self, node: ast.And, scope: Scope) -> Any:
        return V.kleene_and(self._operands(node.operands, scope))

    def _Or(self, node: ast.Or, scope: Scope) -> Any:
        return V.kleene_or(self._operands(node.operands, scope))

    def _operands(self, operands: tuple[ast.Expr, ...], scope: Scope) -> Iterable[Any]:
        """The operands' values, lazily; every one of them when explaining, so
        that an `or` that is true shows every true part, not only the first."""
        values = (self.eval(o, scope) for o in operands)
        return list(values) if self.trace is not None else values

    def _Not(self, node: ast.Not, scope: Scope) -> Any:
        return V.kleene_not(self.eval(node.operand, scope))

    def _If(self, node: ast.If, scope: Scope) -> Any:
        condition = self.eval(node.condition, scope)
        if condition is True:
            return self.eval(node.then, scope)
        if condition is False:
            return self.eval(node.otherwise, scope)
        return V.if_then_else(None, self.eval(node.then, scope), self.eval(node.otherwise, scope))

    def _Compare(self, node: ast.Compare, scope: Scope) -> Any:
        return V.compare(node.op, self.eval(node.left, scope), self.eval(node.right, scope))

    def _Arith(self, node: ast.Arith, scope: Scope) -> Any:
        return V.arith(
            node.op,
            self.eval(node.left, scope),
            self.eval(node.right, scope),
            self._type(node.left),
            self._type(node.right),
            self._type(node),
        )

    def _Negate(self, node: ast.Negate, scope: Scope) -> Any:
        return V.negate(self.eval(node.operand, scope))

    def _IsKnown(self, node: ast.IsKnown, scope: Scope) -> Any:
        known = self.eval(node.operand, scope) is not None
        return not known if node.negated else known

    def _IsTrue(self, node: ast.IsTrue, scope: Scope) -> Any:
        return self.eval(node.operand, scope) is node.value

    def _InSet(self, node: ast.InSet, scope: Scope) -> Any:
        item = self.eval(node.item, scope)
        if isinstance(node.set, ast.SetLiteral):
            members = [self.eval(i, scope) for i in node.set.items]
        else:
            members = list(self.eval(node.set, scope) or ())
        found = V.kleene_or(V.compare("=", item, m) for m in members)
        return V.kleene_not(found) if node.negated else found

    def _SetLiteral(self, node: ast.SetLiteral, scope: Scope) -> Any:
        return frozenset(self.eval(i, scope) for i in node.items)

    def _CountOf(self, node: ast.CountOf, scope: Scope) -> Any:
        return V.count_of(node.op, node.count, [self.eval(i, scope) for i in node.items])

    def _Call(self, node: ast.Call, scope: Scope) -> Any:
        args = [self.eval(a, scope) for a in node.args]
        if node.function == "financial_year":
            return None if args[0] is None else calendar.financial_year(args[0])
        if node.function == "first_known":
            return V.first_known(args)
        value = V.min_max(node.function, args)
        result = self._type(node)
        if value is not None and result.kind is T.Kind.MONEY:
            return V.to_penny(V.to_decimal(value))
        if value is not None and result.kind in (T.Kind.DECIMAL, T.Kind.PERCENT):
            return V.six_places(V.to_decimal(value))
        return value

    # ---------------------------------------------------------------- time
    def _At(self, node: ast.At, scope: Scope) -> Any:
        day = self.eval(node.date, scope)
        return self.eval(node.operand, attrs.evolve(scope, refdate=day))

    def _InWindow(self, node: ast.InWindow, scope: Scope) -> Any:
        length = self.eval(node.length, scope)
        unit = self._type(node.length).unit
        day = scope.refdate
        if day is None or length is None:
            return None
        if node.date is not None:
            when = self.eval(node.date, scope)
            if when is None:
                return W.OPEN_END_IN_WINDOW if self._is_spell_end(node.date) else None
            return W.date_in_window(when, day, length, unit)
        info: WindowInfo = self.notes.window(node)
        row = scope.row
        assert row is not None
        table = info.table
        if info.mode == "termly":
            assert table.term is not None
            year, term = row[table.term[0]], row[table.term[1]]
            if year is None or term is None:
                return None
            first, last = W.term_window(day, length)
            return first <= calendar.term_index_of(year, term) <= last
        if info.mode == "dated":
            assert table.date_column is not None
            when = row[table.date_column]
            return None if when is None else W.date_in_window(when, day, length, unit)
        assert table.span is not None
        return W.spell_in_window(row[table.span[0]], row[table.span[1]], day, length, unit)

    def _is_spell_end(self, node: ast.Expr) -> bool:
        """A spell's end column (`end_date`): empty while the spell goes on."""
        resolution = self.notes.resolution_or_none(node)
        if not isinstance(resolution, ColumnRef):
            return False
        table = self.schema.table(resolution.table)
        return table is not None and table.is_spell_end(resolution.column)

    # ---------------------------------------------------------------- collections
    def _elements(self, collection: ast.Collection, scope: Scope) -> list[Scope] | _Unknown:
        household = self._household
        assert household is not None
        info = self.notes.collection(collection)
        table = info.table
        if table.level is Level.PERSON:
            return [Scope(scope.refdate, person) for person in household.members]
        missing = table.name in household.missing
        rows = household.events.get(table.name, ())
        owner_key = table.owner_key
        if info.via_members:
            if missing:
                return UNKNOWN_ELEMENTS if household.members else []
            by_person = {m[self._person_key]: m for m in household.members}
            return [Scope(scope.refdate, by_person.get(r[owner_key]), r, table) for r in rows]
        if missing:
            return UNKNOWN_ELEMENTS
        if table.owner == self.schema.persons.name:
            assert scope.person is not None
            me = scope.person[self._person_key]
            rows = tuple(r for r in rows if r[owner_key] == me)
        return [Scope(scope.refdate, scope.person, r, table) for r in rows]

    def _filter(
        self, collection: ast.Collection, where: tuple[ast.Expr, ...], element: Scope
    ) -> Any:
        checks: list[Any] = []
        qualifier = self.notes.qualifier(collection)
        if qualifier is not None:
            checks.append(self.rule(qualifier, element))
        checks.extend(self.eval(w, element) for w in where)
        return V.kleene_and(checks)

    def _Quantified(self, node: ast.Quantified, scope: Scope) -> Any:
        elements = self._elements(node.collection, scope)
        if isinstance(elements, _Unknown):
            return None
        results = []
        # `every X where C` with nothing after says every X satisfies C
        where_is_body = A.every_where_is_body(node)
        for element in elements:
            if where_is_body:
                selected = self._filter(node.collection, (), element)
                body = V.kleene_and(self.eval(c, element) for c in node.where)
            else:
                selected = self._filter(node.collection, node.where, element)
                if node.has is not None:
                    body = self.eval(node.has, element)
                else:
                    body = V.kleene_and(self.eval(c, element) for c in node.satisfies)
            if node.quantifier == "every":
                results.append(V.kleene_or([V.kleene_not(selected), body]))
            else:
                results.append(V.kleene_and([selected, body]))
        if node.quantifier == "every":
            return V.kleene_and(results)
        found = V.kleene_or(results)
        return V.kleene_not(found) if node.quantifier == "no" else found

    def _Aggregate(self, node: ast.Aggregate, scope: Scope) -> Any:
        elements = self._elements(node.collection, scope)
        result_type = self._type(node)
        if isinstance(elements, _Unknown):
            return None
        flags = [self._filter(node.collection, node.where, e) for e in elements]
        if any(flag is None for flag in flags):
            return None
        chosen = [e for e, flag in zip(elements, flags, strict=True) if flag]
        if node.op == "count":
            return len(chosen)
        values = [[self.eval(v, e) for v in node.values] for e in chosen]
        if any(v is None for row in values for v in row):
            return None
        if node.op == "count distinct":
            return len({tuple(row) for row in values})
        plain = [row[0] for row in values]
        if node.op == "sum":
            total = sum(plain, A.zero(result_type))
            return V.whole(total) if isinstance(total, int) else total
        if not plain:
            return None
        if node.op == "lowest":
            return min(plain)
        if node.op == "highest":
            return max(plain)
        dates = [self._row_date(e) for e in chosen]
        pairs = list(zip(dates, plain, strict=True))
        return (max(pairs) if node.op == "latest" else min(pairs))[1]

    def _row_date(self, element: Scope) -> Any:
        table, row = element.table, element.row
        assert table is not None and row is not None
        if table.date_column:
            return row[table.date_column]
        if table.span:
            return row[table.span[0]]
        assert table.term is not None
        return calendar.term_index_of(row[table.term[0]], row[table.term[1]])
