"""Which rules two versions of a ruleset define differently, and why.

A rule's *definition* changed when its text (compared by structure, not by
where it is written), its type or level, or what any name in it refers to
changed. A rule whose definition is the same can still give other values:
through a parameter it reads that has another value, or through a rule it
uses that changed. The changes spread along the dependency graph, each
rule after the rules it uses.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

from tfrules.check.rule_graph import dependencies_first
from tfrules.model.ruleset import Annotations, CheckedRuleset, ParamRef, RuleInfo, RuleRef
from tfrules.syntax import ast
from tfrules.syntax.walk import walk


class Change(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    DEFINITION = "definition"
    #: the same definition, reading a parameter with another value
    PARAMETERS = "parameters"
    #: the same definition, using a rule that changed
    USES = "uses"


@attrs.frozen
class RuleChange:
    rule: str
    change: Change
    #: the parameters read whose value changed, and the changed rules used
    params: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()


@attrs.frozen
class Changes:
    """Every rule that differs between the versions, each after the rules it uses."""

    rules: tuple[RuleChange, ...]
    #: parameters whose value differs (present in both)
    params: tuple[str, ...]

    def of(self, rule: str) -> RuleChange | None:
        return next((c for c in self.rules if c.rule == rule), None)

    @property
    def changed(self) -> frozenset[str]:
        return frozenset(c.rule for c in self.rules)

    def with_change(self, *kinds: Change) -> list[RuleChange]:
        return [c for c in self.rules if c.change in kinds]


def rule_uses(ruleset: CheckedRuleset, info: RuleInfo) -> list[str]:
    """The rules a rule's definition uses (by name or as a qualifier), once each."""
    found: dict[str, None] = {}
    if info.body is None:
        return []
    annotations = ruleset.annotations
    for node in walk(info.body):
        if isinstance(node, ast.Collection):
            qualifier = annotations.qualifier(node)
            if qualifier is not None:
                found[qualifier] = None
        elif isinstance(annotations.resolution_or_none(node), RuleRef):
            found[annotations.resolution(node).name] = None  # type: ignore[arg-type, union-attr]
    return list(found)


def params_read(ruleset: CheckedRuleset, info: RuleInfo) -> list[str]:
    """The parameters a rule's definition reads directly."""
    if info.body is None:
        return []
    found: dict[str, None] = {}
    for node in walk(info.body):
        resolution = ruleset.annotations.resolution_or_none(node)
        if isinstance(resolution, ParamRef):
            found[resolution.name] = None
    return list(found)


def dependency_order(ruleset: CheckedRuleset, roots: list[str] | None = None) -> list[str]:
    """Rules reachable from `roots` (every rule by default), each after those it uses."""
    uses = {name: rule_uses(ruleset, info) for name, info in ruleset.rules.items()}
    return dependencies_first(uses, roots if roots is not None else list(ruleset.rules))


def compare(base: CheckedRuleset, new: CheckedRuleset) -> Changes:
    """The rules and parameters that differ between `base` and `new`."""
    params = tuple(
        name
        for name, info in new.params.items()
        if name in base.params and not _same_param(base, new, name)
    )
    changed_params = set(params) | {n for n in new.params if n not in base.params}
    found: dict[str, RuleChange] = {}
    for name in dependency_order(new):
        info = new.rules[name]
        before = base.rules.get(name)
        if before is None:
            found[name] = RuleChange(name, Change.ADDED)
            continue
        if not same_definition(base, before, new, info):
            found[name] = RuleChange(name, Change.DEFINITION)
            continue
        read = tuple(p for p in params_read(new, info) if p in changed_params)
        used = tuple(r for r in rule_uses(new, info) if r in found)
        if read:
            found[name] = RuleChange(name, Change.PARAMETERS, read, used)
        elif used:
            found[name] = RuleChange(name, Change.USES, (), used)
    removed = [RuleChange(n, Change.REMOVED) for n in base.rules if n not in new.rules]
    return Changes((*found.values(), *removed), params)


def _same_param(base: CheckedRuleset, new: CheckedRuleset, name: str) -> bool:
    old, now = base.params[name], new.params[name]
    return old.type == now.type and old.value == now.value


def same_definition(
    base: CheckedRuleset, before: RuleInfo, new: CheckedRuleset, after: RuleInfo
) -> bool:
    """The same text, type and level, every name referring to the same thing."""
    if (before.type, before.level, before.abstract) != (after.type, after.level, after.abstract):
        return False
    if before.body != after.body:
        return False
    if before.body is None or after.body is None:
        return True
    pairs = zip(
        _signature(before.body, base.annotations),
        _signature(after.body, new.annotations),
        strict=True,
    )
    return all(a == b for a, b in pairs)


def _signature(body: ast.Expr, annotations: Annotations) -> Iterator[tuple[object, ...]]:
    """What the checker recorded of each node of a tree, in a fixed order."""
    for node in walk(body):
        if isinstance(node, ast.Collection):
            info = _or_none(annotations.collection, node)
            yield ("collection", info, annotations.qualifier(node))
            continue
        window = _or_none(annotations.window, node) if isinstance(node, ast.InWindow) else None
        yield (
            _or_none(annotations.type_of, node),
            annotations.level_of(node),
            annotations.resolution_or_none(node),
            window,
        )


def _or_none(read: object, node: object) -> object:
    try:
        return read(node)  # type: ignore[operator]
    except KeyError:
        return None
