"""Compiles checked expressions into Polars expressions over the column graph.

`compile(node, frame, ref)` gives an expression valid in `frame` when the
reference date is `ref`. Whatever lies at another level becomes a column of
the graph: a quantifier or aggregate is lifted into a group_by over the finer
frame, a rule becomes a column (once per reference date), a coarser value is
broadcast down. The semantics are those of `tfrules.interpret` (the oracle).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import polars as pl

from tfrules.compile.graph import HOUSEHOLDS, PERSONS, CompileError, Derived, Graph
from tfrules.model import types as T
from tfrules.model.ruleset import (
    BuiltinRef,
    CategoryValue,
    CheckedRuleset,
    ColumnRef,
    DateValues,
    ParamRef,
    RuleRef,
    YearValues,
)
from tfrules.model.schema import Level, Table
from tfrules.semantics import aggregates as A
from tfrules.semantics import calendar
from tfrules.semantics import calendar_exprs as C
from tfrules.semantics import dtypes as D
from tfrules.semantics import windows as W
from tfrules.semantics.durations import duration_amount
from tfrules.syntax import ast

I64 = pl.Int64


@attrs.frozen
class Ref:
    """A reference date: a constant, a household column, or (for row-local
    operands of `at`) an expression of the current frame."""

    key: str
    date: dt.date | None = None
    column: str | None = None
    local: pl.Expr | None = attrs.field(default=None, eq=False)
    nullable: bool = True  # column: may the date be unknown for some household?
    # a household column, null where the value is not needed: aggregates then
    # read only the rows of the other households (see `_If`)
    domain: str | None = None

    @property
    def constant(self) -> bool:
        return self.column is None and self.local is None

    @property
    def unknown_date(self) -> bool:
        """The reference date of households whose own date is unknown (see `_split_lift`)."""
        return self.key == UNKNOWN_DATE_KEY


#: Up to how many terms `count distinct` of a term window checks term by term.
MAX_TERMS_UNROLLED = 12

#: The reference date of households whose own date (such as `attached_on`) is unknown.
UNKNOWN_DATE_KEY = "lit:None"
UNKNOWN_DATE = Ref(UNKNOWN_DATE_KEY)


class ExprCompiler:
    def __init__(
        self,
        ruleset: CheckedRuleset,
        graph: Graph,
        missing: frozenset[str],
        fixed: dict[str, object] | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.notes = ruleset.annotations
        self.schema = ruleset.schema
        self.graph = graph
        self.missing = missing
        self.fixed = fixed or {}
        self._deps: list[set[str]] = []
        self._memo: dict[tuple[object, ...], Derived] = {}
        persons = self.schema.persons
        assert persons.key and persons.owner_key
        self.person_key = persons.key
        self.household_key = self.schema.households.key or ""

    # ---------------------------------------------------------------- frames and columns
    def frame_of(self, table: Table) -> str:
        if table.level is Level.HOUSEHOLD:
            return HOUSEHOLDS
        if table.level is Level.PERSON:
            return PERSONS
        return table.name

    def col(self, frame: str, owner: str, name: str) -> pl.Expr:
        """Column `name` of frame `owner`, used in `frame` (broadcast if coarser)."""
        if owner != frame:
            name = self.graph.broadcast(frame, owner, name)
        if self._deps:
            self._deps[-1].add(name)
        return pl.col(name)

    def derive(
        self, key: tuple[object, ...], frame: str, build: Callable[[], pl.Expr], hint: str = "c"
    ) -> Derived:
        """A row column of `frame`, built once per key."""
        if key not in self._memo:
            self._deps.append(set())
            try:
                expr = build()
            finally:
                deps = self._deps.pop()
            self._memo[key] = self.graph.add(
                Derived(self.graph.new_name(hint), frame, expr, frozenset(deps))
            )
        return self._memo[key]

    def use(self, frame: str, derived: Derived) -> pl.Expr:
        return self.col(frame, derived.frame, derived.name)

    # ---------------------------------------------------------------- rules
    def rule_column(self, name: str, ref: Ref) -> Derived:
        # A named rule at a fixed date (the run date above all: its column is
        # in the output) is one column for every household, wherever it is
        # used. At a household's own date (`education at attached_on`), known
        # or not, it is computed only where needed: for the domain's households.
        if ref.column is None and not ref.unknown_date:
            ref = attrs.evolve(ref, domain=None)
        info = self.ruleset.rules[name]
        frame = PERSONS if info.level is Level.PERSON else HOUSEHOLDS
        if name in self.fixed:
            value = self.fixed[name]
            return self.derive(("fixed", name), frame, lambda: D.literal(value, info.type), "f")
        if info.body is None:
            return self.derive(("abstract", name), frame, lambda: D.null(info.type), "u")
        body = info.body
        return self.derive(
            ("rule", name, ref.key, ref.domain),
            frame,
            lambda: self.compile(body, frame, ref).cast(D.dtype(info.type)),
            "r",
        )

    # ---------------------------------------------------------------- dispatch
    def compile(self, node: ast.Expr, frame: str, ref: Ref) -> pl.Expr:
        return getattr(self, f"_{type(node).__name__}")(node, frame, ref)

    def condition(self, node: ast.Expr, frame: str, ref: Ref) -> pl.Expr:
        """A true/false/unknown operand, as Boolean: a bare `unknown` compiles to a
        Null-typed literal, which `~` and `when` reject."""
        return self.compile(node, frame, ref).cast(pl.Boolean)

    def _type(self, node: object) -> T.Type:
        return self.notes.type_of(node)

    # ---------------------------------------------------------------- leaves
    def _Literal(self, node: ast.Literal, frame: str, ref: Ref) -> pl.Expr:
        if isinstance(node.value, ast.Duration):
            return pl.lit(duration_amount(node.value), dtype=I64)
        return D.literal(node.value, self._type(node))

    def _Name(self, node: ast.Name, frame: str, ref: Ref) -> pl.Expr:
        resolution = self.notes.resolution(node)
        if isinstance(resolution, ColumnRef):
            table = self.schema.table(resolution.table)
            assert table is not None
            return self.col(frame, self.frame_of(table), resolution.column)
        if isinstance(resolution, RuleRef):
            return self.use(frame, self.rule_column(resolution.name, ref))
        if isinstance(resolution, ParamRef):
            return self.param(resolution.name, frame, ref)
        if isinstance(resolution, CategoryValue):
            return pl.lit(resolution.value, dtype=pl.String)
        assert isinstance(resolution, BuiltinRef)
        return self.builtin(resolution.name, frame, ref)

    def param(self, name: str, frame: str, ref: Ref) -> pl.Expr:
        info = self.ruleset.params[name]
        value = info.value
        if isinstance(value, YearValues | DateValues):
            if ref.constant:
                if ref.date is None:
                    return D.null(info.type)
                at = value.at(
                    calendar.financial_year(ref.date) if isinstance(value, YearValues) else ref.date
                )
                return self._constant(at, info.type)
            day = self.ref_date(ref, frame)
            key = C.financial_year(day) if isinstance(value, YearValues) else day
            result = self._constant(value.otherwise, info.type)
            entries = value.entries
            if isinstance(value, YearValues):
                chain = pl.when(key.is_null()).then(D.null(info.type))
                for year, entry in entries:
                    chain = chain.when(key == year).then(self._constant(entry, info.type))
                return chain.otherwise(result)
            chain = pl.when(key.is_null()).then(D.null(info.type))
            for start, entry in reversed(entries):
                chain = chain.when(key >= pl.lit(start)).then(self._constant(entry, info.type))
            return chain.otherwise(result)
        return self._constant(value, info.type)

    def _constant(self, value: object, found: T.Type) -> pl.Expr:
        if isinstance(value, ast.Duration):
            return pl.lit(duration_amount(value), dtype=I64)
        if isinstance(value, frozenset):
            return pl.lit(sorted(value))
        return D.literal(value, found)

    def ref_date(self, ref: Ref, frame: str) -> pl.Expr:
        if ref.local is not None:
            return ref.local
        if ref.column is not None:
            return self.col(frame, HOUSEHOLDS, ref.column)
        return pl.lit(ref.date, dtype=pl.Date)

    def builtin(self, name: str, frame: str, ref: Ref) -> pl.Expr:
        day = self.ref_date(ref, frame)
        if name == "as_of":
            return day
        if name == "age":
            dob = self.schema.persons.aged_by
            assert dob is not None
            return C.age(self.col(frame, PERSONS, dob), day)
        table = self.schema.table(frame)
        assert table is not None and table.span is not None
        start = self.col(frame, frame, table.span[0])
        end = self.col(frame, frame, table.span[1])
        if name == "active":
            return (start <= day) & (end.is_null() | (end >= day))
        # min_horizontal skips nulls: with no reference date the length is unknown
        until = pl.when(day.is_not_null()).then(pl.min_horizontal(end.fill_null(day), day))
        return (until - start).dt.total_days().cast(I64)

    # ---------------------------------------------------------------- operators
    def _And(self, node: ast.And, frame: str, ref: Ref) -> pl.Expr:
        parts = [self.condition(o, frame, ref) for o in node.operands]
        result = parts[0]
        for part in parts[1:]:
            result = result & part
        return result

    def _Or(self, node: ast.Or, frame: str, ref: Ref) -> pl.Expr:
        parts = [self.condition(o, frame, ref) for o in node.operands]
        result = parts[0]
        for part in parts[1:]:
            result = result | part
        return result

    def _Not(self, node: ast.Not, frame: str, ref: Ref) -> pl.Expr:
        return ~self.condition(node.operand, frame, ref)

    def _If(self, node: ast.If, frame: str, ref: Ref) -> pl.Expr:
        target = D.dtype(self._type(node))
        if isinstance(node.condition, ast.Literal) and isinstance(node.condition.value, bool):
            # a constant condition picks its branch here: left to Polars, a
            # branch it can fold to one value came back one row long
            chosen = node.then if node.condition.value else node.otherwise
            return self.compile(chosen, frame, ref).cast(target)
        condition = self.condition(node.condition, frame, ref)
        then_ref = otherwise_ref = ref
        if frame == HOUSEHOLDS and ref.local is None:
            # `if not attached then unknown else X`: X is read only where the
            # condition is false, so X's aggregates need only those households
            if _is_unknown(node.then):
                otherwise_ref = self._narrowed(ref, node.condition, False)
            elif _is_unknown(node.otherwise):
                then_ref = self._narrowed(ref, node.condition, True)
        then = self.compile(node.then, frame, then_ref).cast(target)
        otherwise = self.compile(node.otherwise, frame, otherwise_ref).cast(target)
        # an unknown condition gives the branches' value if they agree (pinned
        # reading 2); never when one of them is `unknown`
        agreed = (
            D.null(self._type(node))
            if _is_unknown(node.then) or _is_unknown(node.otherwise)
            else pl.when(then == otherwise).then(then)
        )
        return pl.when(condition).then(then).when(~condition).then(otherwise).otherwise(agreed)

    def _narrowed(self, ref: Ref, condition: ast.Expr, wanted: bool) -> Ref:
        """`ref`, with its domain narrowed to the households where `condition` is `wanted`."""

        def build() -> pl.Expr:
            holds = self.condition(condition, HOUSEHOLDS, ref)
            chosen = holds if wanted else ~holds
            if ref.domain is not None:
                chosen = chosen & self.col(HOUSEHOLDS, HOUSEHOLDS, ref.domain).is_not_null()
            return pl.when(chosen).then(pl.lit(True))

        column = self.derive(
            ("domain", repr(condition), wanted, ref.key, ref.domain), HOUSEHOLDS, build, "n"
        )
        return attrs.evolve(ref, domain=column.name)

    def _numeric_pair(
        self, left: ast.Expr, right: ast.Expr, frame: str, ref: Ref
    ) -> tuple[pl.Expr, pl.Expr]:
        """Both sides, cast to one type where plain numbers of different kinds meet."""
        a, b = self.compile(left, frame, ref), self.compile(right, frame, ref)
        ta, tb = self._type(left), self._type(right)
        decimals = (T.Kind.DECIMAL, T.Kind.PERCENT)
        if (ta.kind in decimals or tb.kind in decimals) and ta.is_numeric and tb.is_numeric:
            return a.cast(D.DECIMAL_DTYPE), b.cast(D.DECIMAL_DTYPE)
        return a, b

    def _Compare(self, node: ast.Compare, frame: str, ref: Ref) -> pl.Expr:
        a, b = self._numeric_pair(node.left, node.right, frame, ref)
        return {
            "=": a.__eq__,
            "!=": a.__ne__,
            "<": a.__lt__,
            "<=": a.__le__,
            ">": a.__gt__,
            ">=": a.__ge__,
        }[node.op](b)

    def _Arith(self, node: ast.Arith, frame: str, ref: Ref) -> pl.Expr:
        result = self._type(node)
        ta, tb = self._type(node.left), self._type(node.right)
        a, b = self.compile(node.left, frame, ref), self.compile(node.right, frame, ref)
        op = "*" if node.op == "of" else node.op
        if result.kind is T.Kind.DATE:
            b = b.cast(I64)  # a bare `unknown` duration is a Null-typed literal
            step = b if op == "+" else -b
            if tb.unit == "months":
                return C.add_months(a, step)
            return a + pl.duration(days=step)
        if ta.kind is T.Kind.DATE and tb.kind is T.Kind.DATE:
            return (a - b).dt.total_days().cast(I64)
        if result.kind in (T.Kind.INT, T.Kind.DURATION) and op != "/":
            a, b = a.cast(I64), b.cast(I64)
            return a + b if op == "+" else a - b if op == "-" else a * b
        if result.kind is T.Kind.MONEY and op in ("+", "-") and ta.kind is tb.kind:
            return a + b if op == "+" else a - b
        a, b = a.cast(D.DECIMAL_DTYPE), b.cast(D.DECIMAL_DTYPE)
        if op == "+":
            value = a + b
        elif op == "-":
            value = a - b
        elif op == "*":
            value = a * b
        else:
            value = a / pl.when(b != 0).then(b)
        if result.kind is T.Kind.MONEY:
            return value.round(2).cast(D.MONEY_DTYPE)
        return value.cast(D.DECIMAL_DTYPE)

    def _Negate(self, node: ast.Negate, frame: str, ref: Ref) -> pl.Expr:
        return -self.compile(node.operand, frame, ref)

    def _IsKnown(self, node: ast.IsKnown, frame: str, ref: Ref) -> pl.Expr:
        value = self.compile(node.operand, frame, ref)
        return value.is_null() if node.negated else value.is_not_null()

    def _IsTrue(self, node: ast.IsTrue, frame: str, ref: Ref) -> pl.Expr:
        value = self.condition(node.operand, frame, ref)
        return (value if node.value else ~value).fill_null(False)

    def _InSet(self, node: ast.InSet, frame: str, ref: Ref) -> pl.Expr:
        item = self.compile(node.item, frame, ref)
        constants = self._constant_set(node.set)
        if constants == []:
            found = pl.lit(False)  # nothing can be in an empty set, not even an unknown
        elif constants is not None:
            kind = self._type(node.item).kind
            decimals = any(isinstance(v, Decimal) for v in constants)
            if kind in (T.Kind.DECIMAL, T.Kind.PERCENT) or (kind is T.Kind.INT and decimals):
                # plain numbers of different kinds (2 and 1.5) meet as decimals
                item = item.cast(D.DECIMAL_DTYPE)
                constants = [Decimal(v).quantize(Decimal("0.000001")) for v in constants]
            found = pl.when(item.is_null()).then(None).otherwise(item.is_in(constants))
        else:
            assert isinstance(node.set, ast.SetLiteral)
            found = pl.lit(False)
            for element in node.set.items:
                found = found | (item == self.compile(element, frame, ref))
        return ~found if node.negated else found

    def _constant_set(self, node: ast.Expr) -> list[object] | None:
        if isinstance(node, ast.Name):
            resolution = self.notes.resolution_or_none(node)
            if isinstance(resolution, ParamRef):
                value = self.ruleset.params[resolution.name].value
                assert isinstance(value, frozenset)
                return sorted(value)
            return None
        if isinstance(node, ast.SetLiteral):
            values: list[object] = []
            for item in node.items:
                resolution = self.notes.resolution_or_none(item)
                if isinstance(resolution, CategoryValue):
                    values.append(resolution.value)
                elif isinstance(item, ast.Literal) and isinstance(item.value, ast.Duration):
                    values.append(duration_amount(item.value))
                elif isinstance(item, ast.Literal) and item.value is not None:
                    values.append(item.value)
                else:
                    return None
            return values
        return None

    def _CountOf(self, node: ast.CountOf, frame: str, ref: Ref) -> pl.Expr:
        items = [self.condition(i, frame, ref) for i in node.items]
        true = pl.sum_horizontal([i.fill_null(False).cast(I64) for i in items])
        unknown = pl.sum_horizontal([i.is_null().cast(I64) for i in items])
        high = true + unknown
        n = node.count
        if node.op == "at least":
            return pl.when(true >= n).then(True).when(high < n).then(False)
        if node.op == "at most":
            return pl.when(high <= n).then(True).when(true > n).then(False)
        return (
            pl.when((unknown == 0) & (true == n))
            .then(True)
            .when((true > n) | (high < n))
            .then(False)
        )

    def _Call(self, node: ast.Call, frame: str, ref: Ref) -> pl.Expr:
        args = [self.compile(a, frame, ref) for a in node.args]
        if node.function == "financial_year":
            return C.financial_year(args[0])
        target = D.dtype(self._type(node))
        args = [a.cast(target) for a in args]
        if node.function == "first_known":
            return pl.coalesce(args)
        any_null = pl.any_horizontal([a.is_null() for a in args])
        combined = pl.min_horizontal(args) if node.function == "min" else pl.max_horizontal(args)
        return pl.when(any_null).then(None).otherwise(combined).cast(target)

    # ---------------------------------------------------------------- time
    def _At(self, node: ast.At, frame: str, ref: Ref) -> pl.Expr:
        return self.compile(node.operand, frame, self.moved_ref(node.date, frame, ref))

    def moved_ref(self, date: ast.Expr, frame: str, ref: Ref) -> Ref:
        moved = self._moved_ref(date, frame, ref)
        return attrs.evolve(moved, domain=ref.domain) if moved.local is None else moved

    def _moved_ref(self, date: ast.Expr, frame: str, ref: Ref) -> Ref:
        resolution = self.notes.resolution_or_none(date)
        if isinstance(resolution, BuiltinRef) and resolution.name == "as_of":
            return ref
        if isinstance(date, ast.Literal) and isinstance(date.value, dt.date):
            return Ref(f"lit:{date.value}", date=date.value)
        if isinstance(resolution, ParamRef):
            value = self.ruleset.params[resolution.name].value
            if isinstance(value, dt.date):
                return Ref(f"lit:{value}", date=value)
        if (
            isinstance(resolution, ColumnRef)
            and resolution.table == self.schema.households.name
            and ref.local is None
        ):
            # the household's own column, not a copy: a filter on it reaches the
            # scan of the households table, so Polars joins from the few rows left
            return Ref(
                f"col:{resolution.column}",
                column=resolution.column,
                nullable=self._may_be_null(date),
            )
        if (
            (self.notes.level_of(date) or Level.HOUSEHOLD) is Level.HOUSEHOLD
            and ref.local is None
        ):
            column = self.derive(
                ("date", repr(date), ref.key, ref.domain),
                HOUSEHOLDS,
                lambda: self.compile(date, HOUSEHOLDS, ref),
                "d",
            )
            return Ref(f"col:{column.name}", column=column.name, nullable=self._may_be_null(date))
        return Ref(f"local:{id(date)}", local=self.compile(date, frame, ref))

    def window_bounds(
        self, ref: Ref, length: int, unit: str, frame: str
    ) -> tuple[pl.Expr, pl.Expr]:
        """The first and last day (inclusive) of the window ending at the reference date."""
        if ref.constant:
            if ref.date is None:
                return pl.lit(None, dtype=pl.Date), pl.lit(None, dtype=pl.Date)
            low, high = W.window_bounds(ref.date, length, unit)
            return pl.lit(low, dtype=pl.Date), pl.lit(high, dtype=pl.Date)
        if ref.local is not None:
            return C.window_bounds(ref.local, length, unit)
        low = self.derive(
            ("low", ref.key, length, unit),
            HOUSEHOLDS,
            lambda: C.window_bounds(self.ref_date(ref, HOUSEHOLDS), length, unit)[0],
            "lo",
        )
        high = self.derive(
            ("high", ref.key, length, unit),
            HOUSEHOLDS,
            lambda: C.window_bounds(self.ref_date(ref, HOUSEHOLDS), length, unit)[1],
            "hi",
        )
        return self.use(frame, low), self.use(frame, high)

    def term_now(self, ref: Ref, frame: str) -> pl.Expr:
        if ref.constant:
            if ref.date is None:
                return pl.lit(None, dtype=I64)
            return pl.lit(calendar.term_index(ref.date), dtype=I64)
        if ref.local is not None:
            return C.term_index(ref.local)
        column = self.derive(
            ("term", ref.key), HOUSEHOLDS, lambda: C.term_index(self.ref_date(ref, HOUSEHOLDS)), "t"
        )
        return self.use(frame, column)

    def _window_length(self, node: ast.Expr) -> tuple[int, str]:
        length_type = self._type(node)
        if isinstance(node, ast.Literal):
            assert isinstance(node.value, ast.Duration)
            return duration_amount(node.value), length_type.unit or "days"
        resolution = self.notes.resolution(node)
        assert isinstance(resolution, ParamRef)
        value = self.ruleset.params[resolution.name].value
        assert isinstance(value, ast.Duration)
        return duration_amount(value), length_type.unit or "days"

    def _InWindow(self, node: ast.InWindow, frame: str, ref: Ref) -> pl.Expr:
        if ref.unknown_date:
            return pl.lit(None, dtype=pl.Boolean)  # ends on an unknown day
        length, unit = self._window_length(node.length)
        if node.date is not None:
            when = self.compile(node.date, frame, ref)
            low, high = self.window_bounds(ref, length, unit, frame)
            return (when >= low) & (when <= high)
        # a row window is its own column, computed once and shared by every
        # aggregate that filters on it
        key = ("window", frame, length, unit, ref.key)
        return self.use(
            frame, self.derive(key, frame, lambda: self._row_window(node, frame, ref), "w")
        )

    def _row_window(self, node: ast.InWindow, frame: str, ref: Ref) -> pl.Expr:
        length, unit = self._window_length(node.length)
        info = self.notes.window(node)
        table = info.table
        if info.mode == "termly":
            index = self._term_index(frame)
            now = self.term_now(ref, frame)
            return (index >= now - length) & (index <= now - 1)
        low, high = self.window_bounds(ref, length, unit, frame)
        if info.mode == "dated":
            assert table.date_column is not None
            when = self.col(frame, frame, table.date_column)
            return (when >= low) & (when <= high)
        assert table.span is not None
        start = self.col(frame, frame, table.span[0])
        end = self.col(frame, frame, table.span[1])
        return (start <= high) & (end.is_null() | (end >= low))

    # ---------------------------------------------------------------- collections
    def _lift(
        self,
        node: ast.Quantified | ast.Aggregate,
        frame: str,
        ref: Ref,
        members_of: ast.Quantified | None = None,
    ) -> pl.Expr:
        """A quantifier or aggregate over a finer frame, as a column of the frame above.

        Three steps keep Polars on its fast paths: row columns in the finer frame
        (what each row contributes), plain aggregations of those (sum, max,
        min, null_count, n_unique) in one group_by, and a row expression in the
        coarser frame that turns them into the Kleene result. A household or
        member with no rows at all gets nulls from the join, read as zero
        counts, which gives every quantifier and aggregate its empty value.

        `members_of` is the member quantifier a flattened `has` came from
        (see `_flat_has`): its qualifier and `where` list join the selection.
        """
        if ref.local is not None:
            raise CompileError("a quantifier cannot be evaluated at a row's own date")
        info = self.notes.collection(node.collection)
        table = info.table
        via_members = info.via_members or members_of is not None
        result_type = T.BOOL if isinstance(node, ast.Quantified) else self._type(node)
        if (
            table.level is Level.EVENT
            and table.name in self.missing
            and not table.empty_when_missing
        ):
            # a table not supplied has no frame in the graph: decide before using one
            unknown = D.null(result_type)
            if not via_members:
                return unknown
            identity = _identity(node, result_type)
            members = self._member_count(frame)
            return (
                pl.when(members > 0)
                .then(unknown)
                .otherwise(identity if identity is not None else unknown)
            )
        if table.level is Level.PERSON:
            source, landing = PERSONS, HOUSEHOLDS
            group_key = self.schema.persons.owner_key
        elif table.owner == self.schema.persons.name:
            source = table.name
            landing = HOUSEHOLDS if via_members else PERSONS
            # events of every member: grouped by the member's household, which
            # comes from the persons frame with anything else broadcast from it
            group_key = (
                self.graph.broadcast(source, PERSONS, self.schema.persons.owner_key)
                if via_members
                else table.owner_key
            )
        else:
            source, landing, group_key = table.name, HOUSEHOLDS, table.owner_key
        assert group_key is not None
        key = (
            "lift", repr(node), repr(members_of), ref.key, ref.domain, source, landing, group_key
        )  # fmt: skip
        if ref.column is not None and ref.nullable:
            return self.use(frame, self._split_lift(key, node, landing, ref, members_of))
        if key not in self._memo:
            self._memo[key] = self._build_lift(
                key, node, source, landing, group_key, ref, result_type, members_of
            )
        return self.use(frame, self._memo[key])

    def _split_lift(
        self,
        key: tuple[object, ...],
        node: ast.Quantified | ast.Aggregate,
        landing: str,
        ref: Ref,
        members_of: ast.Quantified | None,
    ) -> Derived:
        """A lift at a household date that may be unknown (such as `attached_on`),
        in two parts: the households whose date is known read only their own
        rows (an inner join: usually a few households, so a few rows), and the
        others take the lift at an unknown date, which needs no join at all
        (every window is unknown; with a domain, only its households' rows).
        Evaluating everyone at their own date would join every row with its
        household's date, mostly to learn it is unknown."""
        assert ref.column is not None
        column = ref.column

        def build() -> pl.Expr:
            known = self._lift(
                node, landing, attrs.evolve(ref, key=f"{ref.key}:known", nullable=False), members_of
            )
            unknown_date = attrs.evolve(UNKNOWN_DATE, domain=ref.domain)
            unknown = self._lift(node, landing, unknown_date, members_of)
            is_unknown = self.col(landing, HOUSEHOLDS, column).is_null()
            return pl.when(is_unknown).then(unknown).otherwise(known)

        return self.derive((*key, "split"), landing, build, "s")

    def _flat_has(self, node: ast.Quantified) -> ast.Quantified | None:
        """`any [adult] member [where W] has T where C` as one quantifier over the
        household's rows of T: any row of T whose member is an adult meeting W
        and which meets C. In Kleene logic `and` distributes over `or`, so the
        two read alike, nulls included (a member without rows is false either
        way); and `no` is `not any`. One group_by by household replaces one by
        person and another by household, and joins the events with every other
        aggregate of T the household needs. `every` does not distribute: it
        keeps the two steps."""
        inner = node.has
        if (
            node.quantifier == "every"
            or inner is None
            or inner.quantifier != "any"
            or inner.has is not None
            or not node.collection.is_members
        ):
            return None
        table = self.notes.collection(inner.collection).table
        if (
            table.level is not Level.EVENT
            or table.owner != self.schema.persons.name
            or (table.name in self.missing and not table.empty_when_missing)
        ):
            return None
        return ast.Quantified(
            node.quantifier, inner.collection, inner.where + inner.satisfies, span=node.span
        )

    def _build_lift(
        self,
        key: tuple[object, ...],
        node: ast.Quantified | ast.Aggregate,
        source: str,
        landing: str,
        group_key: str,
        ref: Ref,
        result_type: T.Type,
        members_of: ast.Quantified | None = None,
    ) -> Derived:
        self._deps.append(set())
        try:
            if isinstance(node, ast.Quantified) and A.every_where_is_body(node):
                selected = self._selection(node, source, ref, with_where=False)
                body = self._conjunction(node.where, source, ref)
                parts = self._lift_steps(node, source, ref, result_type, selected, body)
            else:
                selected = self._selection(node, source, ref, members_of=members_of)
                parts = self._lift_steps(node, source, ref, result_type, selected)
            keep_expr = self._keep_expr(node, source, ref, selected)
        finally:
            deps = frozenset(self._deps.pop())
        rows = {name: self._row_column(source, expr, deps) for name, expr in parts.rows.items()}
        keep = self._row_column(source, keep_expr, deps) if keep_expr is not None else None
        # only the rows of households whose date is known (at a household's own
        # date) and that need the value (a domain: see `_If`)
        require = tuple(
            self.graph.broadcast(source, HOUSEHOLDS, column)
            for column in (ref.column, ref.domain)
            if column is not None
        )
        raws: dict[str, Derived] = {}
        for name, (row_name, how) in parts.aggs.items():
            if how == "len":
                aggregation, used = pl.len().cast(I64), frozenset()
            else:
                assert row_name is not None
                column = pl.col(rows[row_name])
                used = frozenset({rows[row_name]})
                if how == "nulls":
                    aggregation = column.null_count().cast(I64)
                elif how == "unique":
                    aggregation = column.drop_nulls().n_unique().cast(I64)
                elif how == "count":
                    aggregation = column.sum().cast(I64)
                elif how in ("latest", "earliest"):
                    # the value on the latest (earliest) date, ties to the highest
                    # (lowest) value; rows not chosen are null in both columns.
                    # (Polars cannot take the max or min of a struct.)
                    order = pl.col(rows["d"])
                    used = used | {rows["d"]}
                    ordered = column.sort_by([order, column], nulls_last=how == "earliest")
                    aggregation = ordered.last() if how == "latest" else ordered.first()
                else:
                    aggregation = getattr(column, how)()
            # the group key may itself be broadcast (a member's household): wait for it
            raw_key = ("raw", landing, source, group_key, str(aggregation), keep, require)
            if raw_key not in self._memo:
                self._memo[raw_key] = self.graph.add(
                    Derived(
                        self.graph.new_name("g"),
                        landing,
                        aggregation,
                        used | {group_key} | ({keep} if keep else set()) | set(require),
                        "agg",
                        source,
                        group_key,
                        keep,
                        require,
                    )
                )
            raws[name] = self._memo[raw_key]

        def raw(name: str, zero: bool = False) -> pl.Expr:
            value = self.use(landing, raws[name])
            return value.fill_null(0) if zero else value

        return self.derive((*key, "final"), landing, lambda: parts.final(raw), "a")

    def _keep_expr(
        self,
        node: ast.Quantified | ast.Aggregate,
        source: str,
        ref: Ref,
        selected: pl.Expr | None,
    ) -> pl.Expr | None:
        """False only on rows that cannot change this aggregate: the windows of its
        `where` list (any subset of the conditions keeps a superset of the rows
        that count), else the whole selection."""
        if selected is None:
            return None
        windows = tuple(w for w in node.where if isinstance(w, ast.InWindow))
        if windows and ref.unknown_date:
            return None  # every window is unknown: every row may count
        if windows and not (isinstance(node, ast.Quantified) and A.every_where_is_body(node)):
            return self._conjunction(windows, source, ref).fill_null(True)
        return selected.fill_null(True)

    def _row_column(self, frame: str, expr: pl.Expr, deps: frozenset[str]) -> str:
        """A row column of a finer frame, shared by every aggregate that needs the same one."""
        key = ("row", frame, str(expr))
        if key not in self._memo:
            self._memo[key] = self.graph.add(Derived(self.graph.new_name("x"), frame, expr, deps))
        return self._memo[key].name

    def _may_be_null(self, node: ast.Expr) -> bool:
        """False only where a value can be seen never to be unknown (a plain
        non-nullable column, a literal, arithmetic on those without division)."""
        if isinstance(node, ast.Literal):
            return node.value is None
        if isinstance(node, ast.Name):
            resolution = self.notes.resolution(node)
            if isinstance(resolution, CategoryValue):
                return False
            if isinstance(resolution, ColumnRef):
                table = self.schema.table(resolution.table)
                column = table.column(resolution.column) if table else None
                return column is None or column.nullable
            return True
        if isinstance(node, ast.IsKnown | ast.IsTrue):
            return False
        if isinstance(node, ast.Arith) and node.op != "/":
            return self._may_be_null(node.left) or self._may_be_null(node.right)
        if isinstance(node, ast.Negate):
            return self._may_be_null(node.operand)
        return True

    def _lift_steps(
        self,
        node: ast.Quantified | ast.Aggregate,
        source: str,
        ref: Ref,
        result_type: T.Type,
        selected: pl.Expr | None,
        body_instead: pl.Expr | None = None,
    ) -> _LiftParts:
        """Row columns, plain aggregations and the final expression of a lift.

        A selection or condition that is unknown on some row makes a count,
        sum or extreme unknown (the row might or might not count); for
        quantifiers, Kleene logic decides from the true/unknown counts."""
        target = D.dtype(result_type)
        # a window in the `where` list at an unknown date is unknown on every row
        never_chosen = ref.unknown_date and any(isinstance(w, ast.InWindow) for w in node.where)
        if isinstance(node, ast.Quantified):
            if body_instead is not None:
                body: pl.Expr | None = body_instead
            elif node.has is not None:
                body = self.condition(node.has, source, ref)
            elif node.satisfies:
                body = self.condition(node.satisfies[0], source, ref)
                for condition in node.satisfies[1:]:
                    body = body & self.condition(condition, source, ref)
            else:
                body = None
            if node.quantifier == "every":
                if selected is None and body is None:
                    return _LiftParts({}, {}, lambda raw: pl.lit(True))
                holds = body if body is not None else pl.lit(True)
                condition = holds if selected is None else (~selected | holds)
                return _LiftParts(
                    {"c": condition},
                    {"low": ("c", "min"), "unknown": ("c", "nulls")},
                    lambda raw: (
                        pl.when(~raw("low"))
                        .then(False)
                        .when(raw("unknown", zero=True) > 0)
                        .then(None)
                        .otherwise(True)
                    ),
                )
            negate = node.quantifier == "no"
            if never_chosen and selected is not None:
                condition = selected if body is None else selected & body
                return _LiftParts(
                    {"c": condition},
                    {"unknown": ("c", "nulls")},
                    lambda raw: pl.when(raw("unknown", zero=True) > 0).then(None).otherwise(negate),
                )
            parts = [p for p in (selected, body) if p is not None]
            if not parts:
                return _LiftParts(
                    {}, {"n": (None, "len")}, lambda raw: (raw("n", zero=True) > 0) != negate
                )
            condition = parts[0] if len(parts) == 1 else parts[0] & parts[1]
            return _LiftParts(
                {"c": condition},
                {"high": ("c", "max"), "unknown": ("c", "nulls")},
                lambda raw: (
                    pl.when(raw("high"))
                    .then(not negate)
                    .when(raw("unknown", zero=True) > 0)
                    .then(None)
                    .otherwise(negate)
                ),
            )
        if never_chosen and selected is not None:
            # a window ending on an unknown day: no row surely counts, and the
            # result is unknown if a row might, else the empty value
            empty = _identity(node, result_type)
            return _LiftParts(
                {"f": selected},
                {"f_unknown": ("f", "nulls")},
                lambda raw: (
                    pl.when(raw("f_unknown", zero=True) > 0)
                    .then(None)
                    .otherwise(empty if empty is not None else D.null(result_type))
                    .cast(target)
                ),
            )
        rows: dict[str, pl.Expr] = {}
        aggs: dict[str, tuple[str | None, str]] = {}
        unsure: list[str] = []
        if selected is not None:
            rows["f"] = selected
            aggs["f_unknown"] = ("f", "nulls")
            unsure.append("f_unknown")
        chosen = selected.fill_null(False) if selected is not None else pl.lit(True)
        values = [self.compile(v, source, ref) for v in node.values]
        for index, (value_node, value) in enumerate(zip(node.values, values, strict=True)):
            if self._may_be_null(value_node):
                rows[f"vnull{index}"] = chosen & value.is_null()
                aggs[f"vnull{index}"] = (f"vnull{index}", "count")
                unsure.append(f"vnull{index}")

        def guarded(result: Callable[[Callable[..., pl.Expr]], pl.Expr]) -> Callable[..., pl.Expr]:
            def final(raw: Callable[..., pl.Expr]) -> pl.Expr:
                if not unsure:
                    return result(raw).cast(target)
                doubt = pl.sum_horizontal([raw(name, zero=True) for name in unsure])
                return pl.when(doubt > 0).then(None).otherwise(result(raw)).cast(target)

            return final

        if node.op == "count":
            if selected is None:
                aggs["n"] = (None, "len")
            else:
                aggs["n"] = ("f", "count")
            return _LiftParts(rows, aggs, guarded(lambda raw: raw("n", zero=True)))
        if node.op == "count distinct":
            terms = self._window_terms(node, source, ref) if self._counts_terms(node) else None
            if terms is not None:
                key = self._term_index(source)
                # the distinct terms of a window of N terms: which of its N terms
                # have a row (N maxima: a set of values per group would take
                # twice the memory and a third more time)
                for offset, term in enumerate(terms):
                    rows[f"t{offset}"] = chosen & (key == term)
                    aggs[f"t{offset}"] = (f"t{offset}", "max")
                names = [f"t{offset}" for offset in range(len(terms))]
                return _LiftParts(
                    rows,
                    aggs,
                    guarded(
                        lambda raw: pl.sum_horizontal(
                            [raw(n).fill_null(False).cast(I64) for n in names]
                        )
                    ),
                )
            rows["k"] = pl.when(chosen).then(self._distinct_key(node, source, values))
            aggs["k"] = ("k", "unique")
            return _LiftParts(rows, aggs, guarded(lambda raw: raw("k", zero=True)))
        value = values[0].cast(target)
        picked = value if selected is None else pl.when(chosen).then(value)
        if node.op in ("sum", "lowest", "highest"):
            rows["v"] = picked
            aggs["v"] = ("v", {"sum": "sum", "lowest": "min", "highest": "max"}[node.op])
            zero = node.op == "sum"
            return _LiftParts(rows, aggs, guarded(lambda raw: raw("v", zero=zero)))
        # latest / earliest: the value on the latest (earliest) date, ties to the
        # highest (lowest) value
        rows["d"] = pl.when(chosen).then(self._row_date(source))
        rows["v"] = pl.when(chosen).then(value)
        aggs["v"] = ("v", node.op)
        return _LiftParts(rows, aggs, guarded(lambda raw: raw("v")))

    def _distinct_key(self, node: ast.Aggregate, source: str, values: list[pl.Expr]) -> pl.Expr:
        """What `count distinct` counts, as one column: the value itself; for a
        termly table's academic year and term, the term's index (an integer is
        several times faster to count than a struct); else a struct of the values."""
        if len(values) == 1:
            return values[0]
        if self._counts_terms(node):
            return self._term_index(source)
        # fields named by position: two values may have the same output name
        return pl.struct([v.alias(f"k{i}") for i, v in enumerate(values)])

    def _counts_terms(self, node: ast.Aggregate) -> bool:
        """`count distinct academic_year, term` over a termly table: its terms."""
        table = self.notes.collection(node.collection).table
        named = [
            resolution.column
            for value in node.values
            if isinstance(value, ast.Name)
            and isinstance(resolution := self.notes.resolution_or_none(value), ColumnRef)
            and resolution.table == table.name
        ]
        return table.term is not None and len(node.values) == 2 and set(named) == set(table.term)

    def _window_terms(self, node: ast.Aggregate, source: str, ref: Ref) -> list[pl.Expr] | None:
        """The term indexes of a window of a few terms in the `where` list (over
        the rows of a termly table), or None."""
        for condition in node.where:
            if not isinstance(condition, ast.InWindow) or condition.date is not None:
                continue
            if self.notes.window(condition).mode != "termly":
                continue
            length, _ = self._window_length(condition.length)
            if 0 < length <= MAX_TERMS_UNROLLED:
                now = self.term_now(ref, source)
                return [now - length + offset for offset in range(length)]
        return None

    def _term_index(self, frame: str) -> pl.Expr:
        """A termly frame's row term index, one shared column."""
        table = self.schema.table(frame)
        assert table is not None and table.term is not None
        year, term = table.term
        return self.use(
            frame,
            self.derive(
                ("term_index", frame),
                frame,
                lambda: C.term_index_of(self.col(frame, frame, year), self.col(frame, frame, term)),
                "ti",
            ),
        )

    def _member_count(self, frame: str) -> pl.Expr:
        key = ("members",)
        if key not in self._memo:
            raw = self.graph.add(
                Derived(
                    self.graph.new_name("m"),
                    HOUSEHOLDS,
                    pl.len().cast(I64),
                    frozenset(),
                    "agg",
                    PERSONS,
                    self.schema.persons.owner_key,
                )
            )
            self._memo[key] = self.derive(
                ("members", "final"),
                HOUSEHOLDS,
                lambda: self.use(HOUSEHOLDS, raw).fill_null(0),
                "m",
            )
        return self.use(frame, self._memo[key])

    def _selection(
        self,
        node: ast.Quantified | ast.Aggregate,
        source: str,
        ref: Ref,
        *,
        with_where: bool = True,
        members_of: ast.Quantified | None = None,
    ) -> pl.Expr | None:
        parts: list[pl.Expr] = []
        if members_of is not None:
            # the member's own conditions, read on each of its rows
            parts.extend(self._qualifier(members_of.collection, source, ref))
            parts.extend(self.condition(w, source, ref) for w in members_of.where)
        parts.extend(self._qualifier(node.collection, source, ref))
        if with_where:
            parts.extend(self.condition(w, source, ref) for w in node.where)
        if not parts:
            return None
        result = parts[0]
        for part in parts[1:]:
            result = result & part
        return result

    def _qualifier(self, collection: ast.Collection, source: str, ref: Ref) -> list[pl.Expr]:
        """`adult` of `adult members`, as a column of `source` (none if unqualified)."""
        qualifier = self.notes.qualifier(collection)
        return [] if qualifier is None else [self.use(source, self.rule_column(qualifier, ref))]

    def _conjunction(self, conditions: tuple[ast.Expr, ...], frame: str, ref: Ref) -> pl.Expr:
        result = self.condition(conditions[0], frame, ref)
        for condition in conditions[1:]:
            result = result & self.condition(condition, frame, ref)
        return result

    def _row_date(self, source: str) -> pl.Expr:
        table = self.schema.table(source)
        assert table is not None
        if table.date_column:
            return self.col(source, source, table.date_column)
        if table.span:
            return self.col(source, source, table.span[0])
        return self._term_index(source)

    def _Quantified(self, node: ast.Quantified, frame: str, ref: Ref) -> pl.Expr:
        flat = self._flat_has(node)
        if flat is not None:
            return self._lift(flat, frame, ref, members_of=node)
        return self._lift(node, frame, ref)

    def _Aggregate(self, node: ast.Aggregate, frame: str, ref: Ref) -> pl.Expr:
        return self._lift(node, frame, ref)

    def _SetLiteral(self, node: ast.SetLiteral, frame: str, ref: Ref) -> pl.Expr:
        values = self._constant_set(node)
        if values is None:
            raise CompileError("a set can only be used after 'in'")
        return pl.lit(values)


@attrs.frozen
class _LiftParts:
    """The three steps of a lifted aggregate: row columns of the finer frame,
    plain aggregations of them (name -> (row column, how)), and the final
    expression over those aggregations (given a function reading them)."""

    rows: dict[str, pl.Expr]
    aggs: dict[str, tuple[str | None, str]]
    final: Callable[[Callable[..., pl.Expr]], pl.Expr]


def _is_unknown(node: ast.Expr) -> bool:
    return isinstance(node, ast.Literal) and node.value is None


def _identity(node: ast.Quantified | ast.Aggregate, result_type: T.Type) -> pl.Expr | None:
    """The value over no rows at all (None where that is unknown)."""
    value = A.empty_value(node, result_type)
    if value is None:
        return None
    if isinstance(value, bool):
        return pl.lit(value)
    if isinstance(value, int):
        return pl.lit(value, dtype=I64)
    return D.literal(value, result_type)
