"""Two versions of a ruleset compiled into one plan, sharing what they share.

`tfrules diff` evaluates a base and a new version of the rules on the same
households. Both are lowered into one column graph: the base first, then
the new version with a memo seeded from the base's. A rule the caller
names as unchanged (the same definition, over unchanged rules and equal
parameters: see `tfrules.diffing.changes`) is the base's column; every other
rule of the new version is lowered again, and what it reads that the base
computed already (the same row expression, the same aggregation, the same
window) is found in the memo by content and computed once.

A key that names a tree (a lift, a domain, a household date) is shared only
when the tree means the same in both versions: the same text can mean
another thing in the other (a parameter with another value, a rule with
another definition), so every rule it uses must be unchanged and every
parameter equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

import polars as pl

from tfrules.compile.context import Context, FixedDate, RowDate
from tfrules.compile.facts import Facts
from tfrules.compile.graph import Derived
from tfrules.compile.keys import (
    AbstractKey,
    AggregationKey,
    BoundKey,
    DateKey,
    DomainKey,
    Key,
    LiftKey,
    MemberCountKey,
    RowKey,
    RuleKey,
    TermIndexKey,
    TermNowKey,
    WindowKey,
)
from tfrules.compile.lower import LOWERINGS, Lowering
from tfrules.compile.plan import (
    CompiledPlan,
    lower_outputs,
    prepare_graph,
    select_outputs,
    settle,
)
from tfrules.model.ruleset import CheckedRuleset, ParamRef, RuleRef
from tfrules.syntax import ast
from tfrules.syntax.walk import walk

#: Keys whose column is the same whichever version asks: they name Polars
#: expressions over graph columns, or dates and windows, never rule text.
_CONTENT_KEYS = (RowKey, AggregationKey, TermIndexKey, MemberCountKey)
_DATED_KEYS = (BoundKey, TermNowKey, WindowKey)


def compile_pair(
    base: CheckedRuleset,
    new: CheckedRuleset,
    frames: Mapping[str, pl.LazyFrame],
    as_of: dt.date,
    *,
    unchanged: Collection[str],
    rules: Iterable[str],
    missing: Iterable[str] = (),
    new_prefix: str = "new:",
) -> CompiledPlan:
    """One plan with each rule of `rules` twice: as the base computes it
    (named as the rule) and as the new version does (`new_prefix` + rule).

    Both rulesets must read the same schema. `unchanged` names the rules
    whose column the new version may take from the base."""
    wanted = list(rules)
    graph, gone = prepare_graph(base, frames, missing)
    run_date = Context(FixedDate(as_of))
    first = Lowering(Facts(base, gone), graph, LOWERINGS)
    second = Lowering(Facts(new, gone), graph, LOWERINGS)
    with first.deep_enough():
        columns = lower_outputs(first, wanted, run_date)
        second.memo = SharedMemo(
            first.memo, second.facts, frozenset(unchanged), _same_params(base, new)
        )
        columns.update(lower_outputs(second, wanted, run_date, prefix=new_prefix))
        settle(graph)
    return CompiledPlan(select_outputs(graph, base.schema, columns), graph.origins)


def _same_params(base: CheckedRuleset, new: CheckedRuleset) -> frozenset[str]:
    return frozenset(
        name
        for name, info in new.params.items()
        if name in base.params
        and (base.params[name].type, base.params[name].value) == (info.type, info.value)
    )


class SharedMemo(dict[Key, Derived]):
    """The new version's memo: its own columns, and the base's wherever the
    key means the same in both versions. A key is looked up as the new
    version asks for it, so a key naming a tree (a lift, a domain, a
    household date) is checked against the new version's reading of that
    tree: every rule it uses unchanged, every parameter of equal value."""

    def __init__(
        self,
        base: Mapping[Key, Derived],
        facts: Facts,
        unchanged: frozenset[str],
        same_params: frozenset[str],
    ) -> None:
        super().__init__()
        self._base = base
        self._facts = facts
        self._unchanged = unchanged
        self._same_params = same_params

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        derived = self._base.get(key)  # type: ignore[call-overload]
        if derived is not None and self.shared(key):  # type: ignore[arg-type]
            self[key] = derived  # type: ignore[index]
            return True
        return False

    def __getitem__(self, key: Key) -> Derived:
        if key in self:
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def shared(self, key: Key) -> bool:
        """Whether the base's column for `key` is the new version's too."""
        if isinstance(key, _CONTENT_KEYS):
            return True
        if isinstance(key, _DATED_KEYS):
            return not isinstance(key.date, RowDate)
        if isinstance(key, RuleKey):
            return key.name in self._unchanged and _plain(key.context)
        if isinstance(key, AbstractKey):
            return key.name in self._unchanged
        if isinstance(key, DomainKey):
            return _plain(key.context) and self.same_meaning(key.condition)
        if isinstance(key, DateKey):
            return _plain(key.context) and self.same_meaning(key.date)
        if isinstance(key, LiftKey):
            return (
                _plain(key.context)
                and self.same_meaning(key.node)
                and (key.members_of is None or self.same_meaning(key.members_of))
            )
        return False  # a reason or a value given by a test: never shared

    def same_meaning(self, tree: ast.Expr) -> bool:
        """Every rule the tree uses is unchanged and every parameter equal, so
        the same text computes the same values in both versions."""
        for node in walk(tree):
            if isinstance(node, ast.Collection):
                qualifier = self._facts.qualifier(node)
                if qualifier is not None and qualifier not in self._unchanged:
                    return False
                continue
            resolution = self._facts.resolution_or_none(node)
            if isinstance(resolution, RuleRef) and resolution.name not in self._unchanged:
                return False
            if isinstance(resolution, ParamRef) and resolution.name not in self._same_params:
                return False
        return True


def _plain(context: Context) -> bool:
    """A context that names no expression (a row date names one)."""
    return not isinstance(context.date, RowDate)
