"""What the checker produces: a ruleset with every name resolved and every
expression typed, ready for the compiler and the reference interpreter.

Annotations are kept beside the AST, keyed by node identity (`id(node)`):
the AST stays a plain, immutable syntax tree, and the checked ruleset holds
the trees alive so the ids stay valid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from tfrules.model.schema import Level, Schema, Table
from tfrules.model.types import Type
from tfrules.syntax import ast

# ---------------------------------------------------------------- name resolutions


@attrs.frozen
class ColumnRef:
    table: str
    column: str
    level: Level


@attrs.frozen
class RuleRef:
    name: str


@attrs.frozen
class ParamRef:
    name: str


@attrs.frozen
class BuiltinRef:
    """`as_of`, `age`, `active` or `lasted`."""

    name: str


@attrs.frozen
class CategoryValue:
    value: str


Resolution = ColumnRef | RuleRef | ParamRef | BuiltinRef | CategoryValue


@attrs.frozen
class CollectionInfo:
    """What a quantifier or aggregate ranges over, from where it stands.

    `table` is the persons table or an event table. For event tables read at
    household level, `via_members` says the events of every member are meant.
    """

    table: Table
    via_members: bool = False


@attrs.frozen
class WindowInfo:
    """How a row-level window (`in the last 3 terms`) reads its row: by its
    date column, by its span (overlap) or by its term."""

    table: Table
    mode: str  # "dated", "span" or "termly"


# ---------------------------------------------------------------- values


Value = int | Decimal | dt.date | ast.Duration | str | bool | frozenset | None


@attrs.frozen
class YearValues:
    """A parameter's values keyed by financial year."""

    entries: tuple[tuple[int, Value], ...]
    otherwise: Value = None

    def at(self, year: int) -> Value:
        for key, value in self.entries:
            if key == year:
                return value
        return self.otherwise


@attrs.frozen
class DateValues:
    """A parameter's values in force from given dates (sorted)."""

    entries: tuple[tuple[dt.date, Value], ...]
    otherwise: Value = None

    def at(self, day: dt.date) -> Value:
        current = self.otherwise
        for start, value in self.entries:
            if start <= day:
                current = value
        return current


ParamValue = Value | YearValues | DateValues


@attrs.frozen
class ParamInfo:
    name: str
    decl: ast.ParamDecl
    type: Type
    value: ParamValue
    layer: str
    overridable: bool = False

    @property
    def tabled(self) -> bool:
        return isinstance(self.value, YearValues | DateValues)

    @property
    def title(self) -> str | None:
        return self.decl.title


@attrs.frozen
class RuleInfo:
    name: str
    decl: ast.RuleDecl
    level: Level
    type: Type
    layer: str
    abstract: bool = False

    @property
    def title(self) -> str | None:
        return self.decl.title

    @property
    def body(self) -> ast.Expr | None:
        return self.decl.body


@attrs.define
class Annotations:
    """Types, levels and resolutions of the expressions of a ruleset."""

    types: dict[int, Type] = attrs.Factory(dict)
    levels: dict[int, Level] = attrs.Factory(dict)
    names: dict[int, Resolution] = attrs.Factory(dict)
    collections: dict[int, CollectionInfo] = attrs.Factory(dict)
    windows: dict[int, WindowInfo] = attrs.Factory(dict)
    #: the qualifier rule of `adult members`, keyed by the Collection node
    qualifiers: dict[int, str] = attrs.Factory(dict)

    # Readers go through these methods, never the dictionaries: how a node is
    # keyed is this class's own business.
    def type_of(self, node: object) -> Type:
        return self.types[id(node)]

    def level_of(self, node: object) -> Level | None:
        """The entity level of an expression (None if it was not checked)."""
        return self.levels.get(id(node))

    def resolution(self, node: ast.Name) -> Resolution:
        return self.names[id(node)]

    def resolution_or_none(self, node: object) -> Resolution | None:
        """What a name refers to; None for any other node."""
        return self.names.get(id(node))

    def collection(self, node: ast.Collection) -> CollectionInfo:
        return self.collections[id(node)]

    def window(self, node: ast.InWindow) -> WindowInfo:
        return self.windows[id(node)]

    def qualifier(self, node: ast.Collection) -> str | None:
        """The qualifier rule of `adult members` (None if unqualified)."""
        return self.qualifiers.get(id(node))


@attrs.define
class CheckedRuleset:
    """A ruleset with its whole chain (`extends`) merged and checked."""

    name: str
    title: str | None
    chain: tuple[str, ...]  # ruleset names, base first
    files: dict[str, str]  # ruleset name -> file path
    schema: Schema
    rules: dict[str, RuleInfo]
    params: dict[str, ParamInfo]
    tests: list[tuple[ast.TestDecl, str]]  # with the layer that holds each
    applies_to: tuple[str, ...]
    annotations: Annotations
    sources: tuple[str, ...] = ()

    @property
    def output_rules(self) -> list[str]:
        """Household-level rules, in declaration order: one output column each."""
        return [name for name, rule in self.rules.items() if rule.level is Level.HOUSEHOLD]

    @property
    def abstract_rules(self) -> list[str]:
        return [name for name, rule in self.rules.items() if rule.abstract]

    def with_params(self, overrides: dict[str, ParamInfo]) -> CheckedRuleset:
        """A copy with some parameter values replaced (for what-if runs)."""
        params = dict(self.params)
        params.update(overrides)
        return attrs.evolve(self, params=params)
