"""Two versions of a ruleset compiled into one plan, sharing what they share.

`tfrules diff` evaluates a base and a new version of the rules on the same
households. Both are lowered into one column graph: the base first, then
the new version with a memo seeded from the base's. A rule the caller
names as unchanged (the same definition, over unchanged rules and equal
parameters: see `tfrules.diffing.changes`) is the base's column; every other
rule of the new version is lowered again, and what it reads that the base
computed already (the same row expression, the same aggregation, the same
window) is found in the memo by content and computed once.

Keys that name an AST node (lifts, domains, household dates) are never
shared: the same text can mean another thing in the other version (a
parameter with another value, a rule with another definition).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

import polars as pl

from tfrules.compile.context import Context, FixedDate, RowDate
from tfrules.compile.facts import Facts
from tfrules.compile.graph import Derived
from tfrules.compile.keys import (
    AggregationKey,
    BoundKey,
    Key,
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
from tfrules.model.ruleset import CheckedRuleset

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
        second.memo.update(shareable(first.memo, frozenset(unchanged)))
        columns.update(lower_outputs(second, wanted, run_date, prefix=new_prefix))
        settle(graph)
    return CompiledPlan(select_outputs(graph, base.schema, columns), graph.origins)


def shareable(memo: Mapping[Key, Derived], unchanged: frozenset[str]) -> dict[Key, Derived]:
    """The entries of the base's memo that the new version may use as they are."""
    return {key: derived for key, derived in memo.items() if _shared(key, unchanged)}


def _shared(key: Key, unchanged: frozenset[str]) -> bool:
    if isinstance(key, _CONTENT_KEYS):
        return True
    if isinstance(key, _DATED_KEYS):
        return not isinstance(key.date, RowDate)
    return isinstance(key, RuleKey) and key.name in unchanged and _plain(key.context)


def _plain(context: Context) -> bool:
    """A context that names no expression (a row date names one)."""
    return not isinstance(context.date, RowDate)
