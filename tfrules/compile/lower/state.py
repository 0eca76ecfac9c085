"""The lowering's state: the column graph being built, the memo, and the
helpers every lowering rule uses.

`Lowering.expr(node, site)` gives a Polars expression valid in `site.frame`
in `site.context`. Whatever lies at another level becomes a column of the
graph: a quantifier or aggregate is lifted into a group_by over the finer
frame, a rule becomes a column (once per context), a coarser value is
broadcast down. What each node means is stated by `tfrules.semantics` and
shown by the reference interpreter; the lowering rules (one module per kind
of node, registered in `lower.dispatch`) follow them.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping

import attrs
import polars as pl

from tfrules.compile.context import Context, FixedDate
from tfrules.compile.errors import CompileError, RuleError, RuleOrigin
from tfrules.compile.facts import Facts
from tfrules.compile.graph import HOUSEHOLDS, PERSONS, Derived, Graph
from tfrules.compile.keys import AbstractKey, GivenKey, Key, RuleKey
from tfrules.compile.nodes import Narrowed, SplitAt
from tfrules.compile.passes import optimize
from tfrules.model.ruleset import RuleRef
from tfrules.model.schema import Level, Table
from tfrules.semantics import dtypes as D
from tfrules.syntax import ast

I64 = pl.Int64

#: Deep enough for any chain of rules the checker accepts: rules a rule uses at
#: its own date are compiled first, so only `at` and `if ... then unknown` nest.
RECURSION_LIMIT = 100_000


@attrs.frozen
class Site:
    """Where an expression is lowered: the frame its value lands in, and when."""

    frame: str
    context: Context

    def at(self, context: Context) -> Site:
        return Site(self.frame, context)

    def on(self, frame: str) -> Site:
        return Site(frame, self.context)


Lower = Callable[[ast.Expr, Site, "Lowering"], pl.Expr]


class Lowering:
    def __init__(
        self,
        facts: Facts,
        graph: Graph,
        rules_lowered: Mapping[type, Lower],
        fixed: Mapping[str, object] | None = None,
    ) -> None:
        self.facts = facts
        self.schema = facts.schema
        self.graph = graph
        self.fixed = dict(fixed or {})
        self.memo: dict[Key, Derived] = {}
        self._rules_lowered = rules_lowered
        self._deps: list[set[str]] = []
        self._bodies: dict[str, ast.Expr] = {}
        self._rule_stack: list[str] = []
        persons = self.schema.persons
        assert persons.key and persons.owner_key
        self.person_key = persons.key
        self.household_key = self.schema.households.key or ""

    # ---------------------------------------------------------------- dispatch
    def expr(self, node: ast.Expr, site: Site) -> pl.Expr:
        lower = self._rules_lowered.get(type(node))
        if lower is None:
            raise CompileError(f"no lowering for {type(node).__name__}")
        lowered = lower(node, site, self)
        if isinstance(node, _FOLDABLE) and not lowered.meta.root_names():
            return folded(lowered)
        return lowered

    def condition(self, node: ast.Expr, site: Site) -> pl.Expr:
        """A true/false/unknown operand, as Boolean: a bare `unknown` compiles to a
        Null-typed literal, which `~` and `when` reject."""
        return self.expr(node, site).cast(pl.Boolean)

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

    def add(self, derived: Derived) -> Derived:
        """Put a column into the graph, naming the rule it is made for."""
        if derived.origin is None and self._rule_stack:
            derived.origin = self._origin(self._rule_stack[-1])
        return self.graph.add(derived)

    def derive(self, key: Key, frame: str, build: Callable[[], pl.Expr], hint: str) -> Derived:
        """A row column of `frame`, built once per key."""
        if key not in self.memo:
            with self.collecting() as deps:
                expr = build()
            self.memo[key] = self.add(
                Derived(self.graph.new_name(hint), frame, expr, frozenset(deps))
            )
        return self.memo[key]

    @contextlib.contextmanager
    def collecting(self) -> Iterator[set[str]]:
        """The columns read while building an expression (its dependencies)."""
        self._deps.append(set())
        try:
            yield self._deps[-1]
        finally:
            self._deps.pop()

    def use(self, frame: str, derived: Derived) -> pl.Expr:
        return self.col(frame, derived.frame, derived.name)

    # ---------------------------------------------------------------- rules
    def body(self, name: str) -> ast.Expr | None:
        """A rule's tree, rewritten by the passes (once per compile)."""
        if name not in self._bodies:
            body = self.facts.rules[name].body
            if body is None:
                return None
            self._bodies[name] = optimize(body, self.facts)
        return self._bodies[name]

    def rule_column(self, name: str, context: Context) -> Derived:
        """A rule's column in a context. A rule at a fixed date (the run date above
        all: its column is in the output) is one column for every household,
        wherever it is used; at a household's own date (`education at
        attached_on`), known or not, only the domain's households need it."""
        context = _rule_context(context)
        key = RuleKey(name, context)
        if key not in self.memo:
            for each in self._uses_first(name, context):
                self._lower_rule(each, context)
        return self.memo[key]

    def _lower_rule(self, name: str, context: Context) -> Derived:
        key = RuleKey(name, context)
        if key in self.memo:
            return self.memo[key]
        info = self.facts.rules[name]
        frame = PERSONS if info.level is Level.PERSON else HOUSEHOLDS
        if name in self.fixed:
            value = self.fixed[name]
            derived = self.derive(GivenKey(name), frame, lambda: D.literal(value, info.type), "f")
        else:
            body = self.body(name)
            if body is None:
                derived = self.derive(AbstractKey(name), frame, lambda: D.null(info.type), "u")
            else:
                site = Site(frame, context)
                self._rule_stack.append(name)
                try:
                    derived = self.derive(
                        key, frame, lambda: self.expr(body, site).cast(D.dtype(info.type)), "r"
                    )
                except RuleError:
                    raise
                except Exception as exc:
                    raise RuleError("compiling", [self._origin(name)], exc) from exc
                finally:
                    self._rule_stack.pop()
        self.memo[key] = derived
        return derived

    def _uses_first(self, name: str, context: Context) -> list[str]:
        """`name` and the rules it uses at the same date, each after the rules it
        uses: lowered in this order, no rule waits on another, so a chain of
        thousands of rules needs no deep recursion."""
        order: list[str] = []
        placed: set[str] = set()
        stack: list[tuple[str, bool]] = [(name, False)]
        while stack:
            current, expanded = stack.pop()
            if current in placed or RuleKey(current, context) in self.memo:
                continue
            if expanded:
                placed.add(current)
                order.append(current)
                continue
            stack.append((current, True))
            if current in self.fixed:
                continue
            body = self.body(current)
            if body is not None:
                stack.extend((used, False) for used in self._same_date_uses(body))
        return order

    def _same_date_uses(self, body: ast.Expr) -> list[str]:
        """The rules a tree uses at its own date (not under `at` or a narrowed branch)."""
        found: list[str] = []
        stack: list[object] = [body]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.At | SplitAt | Narrowed):
                continue
            if isinstance(node, ast.Name):
                resolution = self.facts.resolution_or_none(node)
                if isinstance(resolution, RuleRef):
                    found.append(resolution.name)
                continue
            if isinstance(node, ast.Collection):
                qualifier = self.facts.qualifier(node)
                if qualifier is not None:
                    found.append(qualifier)
                continue
            if attrs.has(type(node)):
                for field in attrs.fields(type(node)):
                    value = getattr(node, field.name)
                    if isinstance(value, tuple):
                        stack.extend(value)
                    else:
                        stack.append(value)
        return found

    def _origin(self, name: str) -> RuleOrigin:
        return RuleOrigin(name, self.facts.rules[name].decl.span)

    @staticmethod
    @contextlib.contextmanager
    def deep_enough() -> Iterator[None]:
        """Room for rules nested through `at` and narrowed branches."""
        before = sys.getrecursionlimit()
        sys.setrecursionlimit(max(before, RECURSION_LIMIT))
        try:
            yield
        finally:
            sys.setrecursionlimit(before)


def _rule_context(context: Context) -> Context:
    if isinstance(context.date, FixedDate) and context.domain is not None:
        return context.within(None)
    return context


#: Nodes whose value is known when compiling if their operands' are.
_FOLDABLE = (
    ast.If,
    ast.Compare,
    ast.Arith,
    ast.And,
    ast.Or,
    ast.Not,
    ast.Call,
    ast.Negate,
    ast.IsKnown,
    ast.IsTrue,
    ast.InSet,
)


def folded(expr: pl.Expr) -> pl.Expr:
    """An expression of constants as the one literal it computes.

    Left to Polars, such an expression inside one over columns was sometimes
    simplified to one row and not broadcast by its in-memory engine (the
    property tests found several shapes); a literal always is. Polars itself
    computes the value, so the semantics are its own. An expression that
    fails here (a number too large) is left for the run to report against
    its rule."""
    try:
        values = pl.select(expr.alias("value")).to_series()
    except pl.exceptions.PolarsError:
        return expr
    if values.len() != 1:
        return expr
    if values.dtype == pl.Null:
        return pl.lit(None)
    return pl.lit(values[0], dtype=values.dtype)
