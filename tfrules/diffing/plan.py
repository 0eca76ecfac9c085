"""One plan evaluating both versions on the same households.

Without local rulesets it is one `compile_pair` over every household. With
them, each council's households are evaluated by the ruleset that applies
to them in each version (its local ruleset, or the national one where it
has none), so the households are split by the pair of rulesets that apply,
each part compiled as one paired plan, and the parts stacked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import polars as pl

from tfrules.compile.pair import compile_pair
from tfrules.data.load import Dataset
from tfrules.diffing.changes import Changes, compare
from tfrules.diffing.versions import Version, Versions
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.councils import councils_covered, cut_frames

#: The new version's columns are named after the rule with this prefix.
NEW = "new:"
#: Which ruleset applied to each household, in each version.
BASE_APPLIED, NEW_APPLIED = "base_ruleset", "new_ruleset"


@attrs.frozen
class Pairing:
    """The rulesets applied together to some households, and how they differ."""

    base: CheckedRuleset
    new: CheckedRuleset
    changes: Changes
    #: the councils they apply to (None: every council no other pair takes)
    councils: tuple[str, ...] | None


def pairings(versions: Versions) -> list[Pairing]:
    """Each distinct pair of rulesets applied to some council, the national
    pair (councils with no local ruleset in either version) last."""
    base, new = versions.base, versions.new
    if not base.local and not new.local:
        return [Pairing(base.ruleset, new.ruleset, compare(base.ruleset, new.ruleset), None)]
    base_by_council = _covered(base)
    new_by_council = _covered(new)
    groups: dict[tuple[str, str], list[str]] = {}
    for code in sorted(base_by_council.keys() | new_by_council.keys()):
        pair = (
            base_by_council.get(code, base.ruleset.name),
            new_by_council.get(code, new.ruleset.name),
        )
        groups.setdefault(pair, []).append(code)
    base_named = {r.name: r for r in base.all}
    new_named = {r.name: r for r in new.all}
    found = []
    for (old, now), codes in groups.items():
        one, other = base_named[old], new_named[now]
        found.append(Pairing(one, other, compare(one, other), tuple(codes)))
    found.append(Pairing(base.ruleset, new.ruleset, compare(base.ruleset, new.ruleset), None))
    return found


def _covered(version: Version) -> dict[str, str]:
    return councils_covered(version.ruleset, version.local) if version.local else {}


def compared_rules(versions: Versions) -> list[str]:
    """The household rules both versions compute, in the new version's order."""
    before = set(versions.base.ruleset.output_rules)
    return [r for r in versions.new.ruleset.output_rules if r in before]


def paired_plan(
    versions: Versions,
    parts: Sequence[Pairing],
    dataset: Dataset,
    as_of: dt.date,
    rules: Sequence[str],
) -> pl.LazyFrame:
    """Every household once: its key and council, each rule as the base
    computes it, and as the new version does (`NEW` + rule)."""
    national = versions.base.ruleset
    schema = national.schema
    key = schema.households.key
    assert key is not None
    frames = dataset.frames
    if len(parts) == 1 and parts[0].councils is None:
        return _plan(parts[0], frames, dataset, as_of, rules)
    column = schema.council_column
    assert column is not None  # councils_covered refuses a schema without one
    households = frames[schema.households.name]
    taken = [c for p in parts if p.councils is not None for c in p.councils]
    stacked = []
    for part in parts:
        if part.councils is None:
            mine = households.filter(~pl.col(column).is_in(taken))
        else:
            mine = households.filter(pl.col(column).is_in(list(part.councils)))
        cut = cut_frames(national, frames, mine)
        stacked.append(_plan(part, cut, dataset, as_of, rules))
    return pl.concat(stacked, how="vertical_relaxed").sort(key)


def _plan(
    part: Pairing,
    frames: Mapping[str, pl.LazyFrame],
    dataset: Dataset,
    as_of: dt.date,
    rules: Sequence[str],
) -> pl.LazyFrame:
    unchanged = [r for r in part.new.rules if r not in part.changes.changed]
    compiled = compile_pair(
        part.base,
        part.new,
        frames,
        as_of,
        unchanged=unchanged,
        rules=rules,
        missing=dataset.missing_tables,
        new_prefix=NEW,
    )
    return compiled.frame.with_columns(
        pl.lit(part.base.name).alias(BASE_APPLIED), pl.lit(part.new.name).alias(NEW_APPLIED)
    )
