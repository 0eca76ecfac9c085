"""Households to look at: up to N per rule and transition, and why each moved.

The households of each transition are taken in the order of a seeded
shuffle of all of them (the same seed picks the same households, and the
same households tend to be picked for every rule). Each is
evaluated by the reference interpreter in both versions: the first rule, in
dependency order, whose value differs is the change's cause as far as the
rules go (a sub-rule, or the rule itself when only its own definition or
parameters changed), and the facts that decided it in each version are put
side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
import numpy as np
import polars as pl

from tfrules.data.load import Dataset
from tfrules.diffing.changes import dependency_order
from tfrules.diffing.counts import TRANSITIONS, transition_name
from tfrules.diffing.plan import BASE_APPLIED, NEW, NEW_APPLIED
from tfrules.diffing.versions import Versions
from tfrules.interpret.deciding import Decider
from tfrules.interpret.explain import Explanation, TraceNode, explain_household
from tfrules.interpret.explain_text import fact_line
from tfrules.interpret.household import HouseholdData, households_from_frames
from tfrules.interpret.plain_values import plain
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Level
from tfrules.syntax.format_expr import flat

#: How deep the facts of each side go: a short explanation, not the whole tree.
FACT_DEPTH = 3
#: The transition of an amount, a date or a category whose value changed.
CHANGED = "changed"


@attrs.frozen
class Sample:
    rule: str
    transition: str
    household: str
    council: str | None
    before: str
    after: str
    #: the first rule, in dependency order, whose value differs
    cause: str
    cause_before: str
    cause_after: str
    #: the facts that decided `cause` in each version, one line each
    base_facts: tuple[str, ...]
    new_facts: tuple[str, ...]


def pick(
    frame: pl.DataFrame,
    key: str,
    ruleset: CheckedRuleset,
    rules: Sequence[str],
    per_transition: int,
    seed: int,
) -> pl.DataFrame:
    """Up to `per_transition` households per rule and transition: columns
    rule, transition, household (and the rulesets that applied to it)."""
    if per_transition <= 0 or frame.height == 0 or not rules:
        return _empty_picks()
    # a seeded shuffle of the households (sorted by key): the same seed and data
    # give the same households, whichever version of Polars hashes them
    shuffle = np.random.default_rng(seed).permutation(frame.height)
    differs = pl.any_horizontal([~pl.col(r).eq_missing(pl.col(NEW + r)) for r in rules])
    ordered = (
        frame.sort(key)
        .with_columns(pl.Series("__order", shuffle))
        .filter(differs)  # only the households that moved: usually few
        .sort("__order")
    )
    found: list[pl.DataFrame] = []
    for rule in rules:
        before, after = pl.col(rule), pl.col(NEW + rule)
        if ruleset.rules[rule].type.kind is T.Kind.BOOL:
            moves = [
                (transition_name(a, b), _state(before, a) & _state(after, b))
                for a, b in TRANSITIONS
            ]
        else:
            moves = [(CHANGED, ~before.eq_missing(after))]
        for name, condition in moves:
            chosen = ordered.filter(condition).head(per_transition)
            if chosen.height:
                found.append(
                    chosen.select(
                        pl.lit(rule).alias("rule"),
                        pl.lit(name).alias("transition"),
                        pl.col(key).alias("household"),
                        pl.col(BASE_APPLIED),
                        pl.col(NEW_APPLIED),
                    )
                )
    return pl.concat(found) if found else _empty_picks()


def _state(column: pl.Expr, value: str) -> pl.Expr:
    return column.is_null() if value == "unknown" else column.eq_missing(value == "true")


def _empty_picks() -> pl.DataFrame:
    columns = ("rule", "transition", "household", BASE_APPLIED, NEW_APPLIED)
    return pl.DataFrame(schema=dict.fromkeys(columns, pl.String()))


def explain_picks(
    picks: pl.DataFrame,
    frame: pl.DataFrame,
    key: str,
    versions: Versions,
    dataset: Dataset,
    as_of: dt.date,
) -> list[Sample]:
    """Each picked household explained in both versions. `frame` is the paired
    plan's result, with every rule both versions compute: the first rule whose
    value differs is read from it, and only that rule is explained again, by
    the reference interpreter, in each version."""
    if picks.height == 0:
        return []
    base_named = {r.name: r for r in versions.base.all}
    new_named = {r.name: r for r in versions.new.all}
    ids = sorted(set(picks["household"].to_list()))
    values = {row[key]: row for row in frame.filter(pl.col(key).is_in(ids)).iter_rows(named=True)}
    found = _households(versions.base.ruleset, dataset, set(ids))
    cache: dict[tuple[str, str, str], Explanation] = {}
    samples = []
    for pick in picks.iter_rows(named=True):
        row = values[pick["household"]]
        base, new = base_named[pick[BASE_APPLIED]], new_named[pick[NEW_APPLIED]]
        order = [r for r in _sub_rules(base, new, pick["rule"]) if r in row and NEW + r in row]
        rule = pick["rule"]
        cause = next((r for r in order if row[r] != row[NEW + r]), rule)
        household = found[pick["household"]]
        before = _explained(cache, "base", base, household, as_of, cause)
        after = _explained(cache, "new", new, household, as_of, cause)
        council_column = new.schema.council_column
        council = row.get(council_column) if council_column else None
        samples.append(
            Sample(
                rule=rule,
                transition=pick["transition"],
                household=household.id,
                council=str(council) if council is not None else None,
                before=plain(row[rule], base.rules[rule].type),
                after=plain(row[NEW + rule], new.rules[rule].type),
                cause=cause,
                cause_before=plain(row[cause], base.rules[cause].type),
                cause_after=plain(row[NEW + cause], new.rules[cause].type),
                base_facts=_facts(base, household, before.rules[0].tree),
                new_facts=_facts(new, household, after.rules[0].tree),
            )
        )
    return samples


def _sub_rules(base: CheckedRuleset, new: CheckedRuleset, rule: str) -> list[str]:
    """The household rules `rule` uses in both versions, each after those it
    uses, `rule` last."""
    order = dependency_order(new, [rule])
    return [
        r
        for r in order
        if r in base.rules
        and new.rules[r].level is Level.HOUSEHOLD
        and base.rules[r].level is Level.HOUSEHOLD
    ]


def _explained(
    cache: dict[tuple[str, str, str], Explanation],
    side: str,
    ruleset: CheckedRuleset,
    household: HouseholdData,
    as_of: dt.date,
    rule: str,
) -> Explanation:
    """One rule of one household explained (once per version, household and rule)."""
    found = cache.get((side, household.id, rule))
    if found is None:
        found = explain_household(ruleset, household, as_of, [rule])
        cache[(side, household.id, rule)] = found
    return found


def _facts(ruleset: CheckedRuleset, household: HouseholdData, tree: object) -> tuple[str, ...]:
    decider = Decider(ruleset, household.missing, FACT_DEPTH)
    lines: list[str] = []

    def add(fact: object, level: int) -> None:
        lines.append("  " * level + fact_line(fact))  # type: ignore[arg-type]
        for below in fact.facts:  # type: ignore[attr-defined]
            add(below, level + 1)

    for fact in decider.rule(tree):  # type: ignore[arg-type]
        add(fact, 0)
    if not lines and isinstance(tree, TraceNode):
        # decided by its definition alone, with no parts worth naming: show it
        found = _type_or_none(ruleset, tree.node)
        lines.append(f"{flat(tree.node)} = {plain(tree.value, found)}")
    return tuple(lines)


def _type_or_none(ruleset: CheckedRuleset, node: object) -> T.Type | None:
    try:
        return ruleset.annotations.type_of(node)  # type: ignore[arg-type]
    except KeyError:
        return None


def _households(
    ruleset: CheckedRuleset, dataset: Dataset, wanted: set[str]
) -> dict[str, HouseholdData]:
    """The picked households' rows, read from the data once for all of them."""
    schema = ruleset.schema
    households, persons = schema.households, schema.persons
    assert households.key and persons.owner_key and persons.key
    ids = sorted(wanted)
    frames: dict[str, pl.DataFrame] = {
        households.name: dataset.frames[households.name]
        .filter(pl.col(households.key).is_in(ids))
        .collect()
    }
    members = dataset.frames[persons.name].filter(pl.col(persons.owner_key).is_in(ids)).collect()
    frames[persons.name] = members
    people = members[persons.key].to_list()
    for table in schema.event_tables:
        frame = dataset.frames.get(table.name)
        if frame is None or table.owner_key is None:
            continue
        owners = people if table.owner == persons.name else ids
        frames[table.name] = frame.filter(pl.col(table.owner_key).is_in(owners)).collect()
    found = households_from_frames(schema, frames, dataset.missing_tables)
    return {h.id: h for h in found}
