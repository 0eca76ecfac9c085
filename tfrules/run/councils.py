"""Multi-council runs: a national extract, each council's local ruleset applied
to its own households.

A local ruleset says which councils it is for (`applies to E08000035`). Each
is evaluated over its councils' households (the frames cut down to them);
households of councils with no local ruleset are evaluated by the national
ruleset alone, so its abstract rules (`local`) are unknown there, and they
are counted. The output says per household which ruleset applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import polars as pl

from tfrules.check.workspace import same_rule_file
from tfrules.compile.plan import build_plan
from tfrules.model.ruleset import CheckedRuleset

APPLIED = "ruleset_applied"


@attrs.frozen
class CouncilPlan:
    plan: pl.LazyFrame
    #: councils (la codes) with a local ruleset, and the ruleset
    covered: dict[str, str]
    #: rules of the national ruleset left abstract and so unknown where no local ruleset applies
    abstract: tuple[str, ...]


class CouncilError(ValueError):
    """Local rulesets that cannot be run together with the national one (two
    for one council, one that does not build on it, one that says no council)."""


def councils_covered(national: CheckedRuleset, locals_: Sequence[CheckedRuleset]) -> dict[str, str]:
    """Each council with a local ruleset, and that ruleset's name; raises
    CouncilError unless every local ruleset builds on this very national
    ruleset (the same files) and no council has two."""
    if national.schema.council_column is None:
        raise CouncilError(
            f"the schema of {national.name} names no council column, so local rulesets "
            "cannot be matched to households"
        )
    covered: dict[str, str] = {}
    for local in locals_:
        if national.name not in local.chain:
            raise CouncilError(f"{local.name} does not build on {national.name}")
        for name in national.chain:
            theirs, ours = local.files.get(name), national.files.get(name)
            if not same_rule_file(theirs, ours):
                raise CouncilError(
                    f"{local.name} builds on {name} from {theirs}, but this run's {name} is {ours}"
                )
        if not local.applies_to:
            raise CouncilError(
                f"{local.name} does not say which councils it applies to ('applies to')"
            )
        for code in local.applies_to:
            if code in covered:
                raise CouncilError(
                    f"{code} has two local rulesets: {covered[code]} and {local.name}"
                )
            covered[code] = local.name
    return covered


def cut_frames(
    ruleset: CheckedRuleset, frames: Mapping[str, pl.LazyFrame], households: pl.LazyFrame
) -> dict[str, pl.LazyFrame]:
    """The frames restricted to the given households and what belongs to them."""
    schema = ruleset.schema
    key = schema.households.key
    persons = schema.persons
    assert key and persons.key and persons.owner_key
    kept = households.select(key)
    out = {schema.households.name: households}
    members = frames[persons.name].join(
        kept.rename({key: persons.owner_key}), on=persons.owner_key, how="semi"
    )
    out[persons.name] = members
    for table in schema.event_tables:
        frame = frames.get(table.name)
        if frame is None or table.owner_key is None:
            continue
        if table.owner == persons.name:
            owners = members.select(pl.col(persons.key).alias(table.owner_key))
        else:
            owners = kept.rename({key: table.owner_key})
        out[table.name] = frame.join(owners, on=table.owner_key, how="semi")
    return out


def plan_councils(
    national: CheckedRuleset,
    locals_: Sequence[CheckedRuleset],
    frames: Mapping[str, pl.LazyFrame],
    as_of: dt.date,
    *,
    missing: frozenset[str] = frozenset(),
    rules: Sequence[str] | None = None,
    reasons: bool = False,
) -> CouncilPlan:
    """One plan for every household, each council's by its own local ruleset."""
    covered = councils_covered(national, locals_)
    column = national.schema.council_column
    assert column is not None  # councils_covered refuses a schema without one
    wanted = list(rules) if rules is not None else national.output_rules
    households = frames[national.schema.households.name]
    parts: list[pl.LazyFrame] = []
    for local in locals_:
        mine = households.filter(pl.col(column).is_in(list(local.applies_to)))
        plan = build_plan(
            local,
            cut_frames(local, frames, mine),
            as_of,
            missing=missing,
            rules=wanted,
            reasons=reasons,
        )
        parts.append(plan.with_columns(pl.lit(local.name).alias(APPLIED)))
    rest = households.filter(~pl.col(column).is_in(list(covered)))
    plan = build_plan(
        national,
        cut_frames(national, frames, rest),
        as_of,
        missing=missing,
        rules=wanted,
        reasons=reasons,
    )
    parts.append(plan.with_columns(pl.lit(national.name).alias(APPLIED)))
    key = national.schema.households.key or ""
    combined = pl.concat(parts, how="vertical_relaxed").sort(key)
    abstract = tuple(n for n in national.abstract_rules if n in wanted)
    return CouncilPlan(combined, covered, abstract)


def households_without_local(
    national: CheckedRuleset, frames: Mapping[str, pl.LazyFrame], covered: Mapping[str, str]
) -> dict[str, int]:
    """How many households each council with no local ruleset has, by council."""
    column = national.schema.council_column
    assert column is not None
    counts = (
        frames[national.schema.households.name]
        .filter(~pl.col(column).is_in(list(covered)))
        .group_by(column)
        .len()
        .sort(column)
        .collect()
    )
    return dict(zip(counts[column], counts["len"], strict=True))


def councils_without_households(
    national: CheckedRuleset, frames: Mapping[str, pl.LazyFrame], covered: Mapping[str, str]
) -> dict[str, str]:
    """Each council a local ruleset applies to that no household of the data
    belongs to, and that ruleset: a typo in `applies to`, or the wrong
    extract, which would otherwise pass without a word."""
    column = national.schema.council_column
    assert column is not None
    present = set(
        frames[national.schema.households.name]
        .select(pl.col(column).unique())
        .collect()[column]
        .to_list()
    )
    return {code: name for code, name in sorted(covered.items()) if code not in present}


def unmatched_warnings(unmatched: Mapping[str, str]) -> list[str]:
    """The warnings for local rulesets' councils that match no household."""
    from tfrules.data.councils import council_name

    return [
        f"{name} applies to {council_name(code)}, but no household in the data has "
        f"the council code {code}: check its 'applies to' line and the extract"
        for code, name in unmatched.items()
    ]
