"""What the compiler knows of a checked ruleset: its rules, parameters and
schema, and the checker's annotations of every node, of the trees the passes
rewrote too.

A pass that changes a node inside a tree rebuilds the nodes above it; a
rebuilt node is the checked node it stands for, with other children, so it
is annotated as that node (`origins`). So is a node a pass puts in another's
place (`SplitAt` for `At`): it computes the same value.
"""

from __future__ import annotations

import attrs

from tfrules.model import types as T
from tfrules.model.ruleset import (
    CheckedRuleset,
    CollectionInfo,
    ParamInfo,
    Resolution,
    RuleInfo,
    WindowInfo,
)
from tfrules.model.schema import Level, Schema
from tfrules.syntax import ast


@attrs.define
class Facts:
    ruleset: CheckedRuleset
    #: the tables not supplied (and not read as empty): facts drawn from them are unknown
    missing: frozenset[str] = frozenset()
    origins: dict[int, ast.Expr] = attrs.Factory(dict)
    #: the rebuilt nodes, held so that their ids stay theirs
    _rebuilt: list[ast.Expr] = attrs.Factory(list)

    @property
    def schema(self) -> Schema:
        return self.ruleset.schema

    @property
    def rules(self) -> dict[str, RuleInfo]:
        return self.ruleset.rules

    @property
    def params(self) -> dict[str, ParamInfo]:
        return self.ruleset.params

    def rebuilt(self, new: ast.Expr, old: ast.Expr) -> ast.Expr:
        """Record that `new` stands for `old` (or for what `old` stands for)."""
        self.origins[id(new)] = self.origins.get(id(old), old)
        self._rebuilt.append(new)
        return new

    def _checked(self, node: object) -> object:
        return self.origins.get(id(node), node)

    def type_of(self, node: object) -> T.Type:
        return self.ruleset.annotations.type_of(self._checked(node))

    def level_of(self, node: object) -> Level | None:
        return self.ruleset.annotations.level_of(self._checked(node))

    def resolution(self, node: ast.Name) -> Resolution:
        return self.ruleset.annotations.resolution(node)

    def resolution_or_none(self, node: object) -> Resolution | None:
        return self.ruleset.annotations.resolution_or_none(self._checked(node))

    def collection(self, node: ast.Collection) -> CollectionInfo:
        return self.ruleset.annotations.collection(node)

    def window(self, node: ast.InWindow) -> WindowInfo:
        return self.ruleset.annotations.window(self._checked(node))  # type: ignore[arg-type]

    def qualifier(self, node: ast.Collection) -> str | None:
        return self.ruleset.annotations.qualifier(node)
