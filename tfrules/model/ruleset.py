"""What the checker produces: a ruleset with every name resolved and every
expression typed, ready for the compiler and the reference interpreter.

Annotations are kept beside the AST, keyed by each node's parser-assigned
`node_id`: the AST stays a plain, immutable syntax tree, and a checked
ruleset can be pickled and evaluated in another process.
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


Node = ast.Expr | ast.Collection


@attrs.define
class Annotations:
    """Types, levels and resolutions of the expressions of a ruleset.

    Kept by each node's `node_id`, never by the node object itself: ids are
    data, so annotations survive pickling with the trees they describe (a
    checked ruleset can be sent to another process), and an equal node at
    another place of the file (`x` in two rules) keeps its own annotations.
    The checker writes through `record`, `resolve` and the other setters;
    everyone reads through the methods below, never the dictionaries.
    """

    _types: dict[int, Type] = attrs.Factory(dict)
    _levels: dict[int, Level] = attrs.Factory(dict)
    _names: dict[int, Resolution] = attrs.Factory(dict)
    _collections: dict[int, CollectionInfo] = attrs.Factory(dict)
    _windows: dict[int, WindowInfo] = attrs.Factory(dict)
    #: the qualifier rule of `adult members`, keyed by the Collection node
    _qualifiers: dict[int, str] = attrs.Factory(dict)

    # ---------------------------------------------------------------- reading
    def type_of(self, node: Node) -> Type:
        return self._types[node.node_id]

    def level_of(self, node: Node) -> Level | None:
        """The entity level of an expression (None if it was not checked)."""
        return self._levels.get(node.node_id)

    def resolution(self, node: ast.Name) -> Resolution:
        return self._names[node.node_id]

    def resolution_or_none(self, node: Node) -> Resolution | None:
        """What a name refers to; None for any other node."""
        return self._names.get(node.node_id)

    def collection(self, node: ast.Collection) -> CollectionInfo:
        return self._collections[node.node_id]

    def window(self, node: ast.InWindow) -> WindowInfo:
        return self._windows[node.node_id]

    def qualifier(self, node: ast.Collection) -> str | None:
        """The qualifier rule of `adult members` (None if unqualified)."""
        return self._qualifiers.get(node.node_id)

    def all_resolutions(self) -> list[Resolution]:
        """What every name of the ruleset refers to (for the columns it reads)."""
        return list(self._names.values())

    def all_collections(self) -> list[CollectionInfo]:
        """What every quantifier and aggregate ranges over."""
        return list(self._collections.values())

    def all_windows(self) -> list[WindowInfo]:
        """How every row window reads its rows."""
        return list(self._windows.values())

    # ---------------------------------------------------------------- writing (the checker)
    def record(self, node: Node, found: Type, level: Level) -> None:
        self._types[node.node_id] = found
        self._levels[node.node_id] = level

    def resolve(self, node: ast.Name | ast.Literal, resolution: Resolution) -> None:
        self._names[node.node_id] = resolution

    def set_collection(self, node: ast.Collection, info: CollectionInfo) -> None:
        self._collections[node.node_id] = info

    def set_window(self, node: ast.InWindow, info: WindowInfo) -> None:
        self._windows[node.node_id] = info

    def set_qualifier(self, node: ast.Collection, rule: str) -> None:
        self._qualifiers[node.node_id] = rule

    def forget(self, node: Node) -> None:
        """Drop what was recorded about a node the checker made for itself."""
        for table in (self._types, self._levels, self._names):
            table.pop(node.node_id, None)


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
    #: the period the programme ran in (`runs from ... to ...`), its own or its base's
    period: ast.ProgrammePeriod | None = None

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
