"""`tfrules.diff`: what a change of rules or parameters does to the households."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from tfrules import api
from tfrules.data.load import Dataset
from tfrules.diffing import counts
from tfrules.diffing.changes import Change
from tfrules.diffing.defaults import DEFAULT_SAMPLES, DEFAULT_SEED
from tfrules.diffing.errors import DiffError
from tfrules.diffing.plan import Pairing, compared_rules, paired_plan, pairings
from tfrules.diffing.result import DiffResult, ParamChange, RulesetChanges
from tfrules.diffing.samples import explain_picks, pick
from tfrules.diffing.versions import RulesetSource, Versions, load_versions
from tfrules.interpret.explain import param_text
from tfrules.run import arguments as args


def diff(
    base: RulesetSource,
    new: RulesetSource | None = None,
    *,
    data: api.DataSource,
    as_of: str | dt.date,
    params: Iterable[str] = (),
    local: Iterable[str | Path] = (),
    include: Iterable[str | Path] = (),
    base_rev: str | None = None,
    rules: Iterable[str] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    mapping: api.MappingSource | None = None,
    connections: Mapping[str, str] | None = None,
) -> DiffResult:
    """Compare two versions of the rules on the same households.

    The versions are two rulesets (`base` and `new`: names, .tfr files or
    loaded rulesets), or `base` against itself with what-ifs (`params`,
    `name=value`, applied to the new version), or a rule file against its
    own text at a git revision (`base_rev`). `local` folders of councils'
    rulesets are read for both versions (at the revision, for the base).
    A council's own extract is read through `mapping` (and the database
    addresses in `connections`), as `load_data` reads it.
    Both are evaluated in one plan; see `DiffResult` for what comes back.
    Raises `RulesError`, `DataError`, and `DiffError` for versions that do
    not read the same data or a revision that cannot be read."""
    versions = load_versions(
        base,
        new,
        params=list(params),
        local=list(_folders(local)),
        include=list(_folders(include)),
        base_rev=base_rev,
    )
    day = args.as_of_date(as_of)
    dataset = api.load_data(
        [*versions.base.all, *versions.new.all],
        args.data_source(data),
        mapping=mapping,
        connections=connections,
    )
    return compare_versions(versions, dataset, day, rules=rules, samples=samples, seed=seed)


def _folders(value: Iterable[str | Path]) -> list[str | Path]:
    if isinstance(value, str | Path):
        return [value]
    return list(value)


def compare_versions(
    versions: Versions,
    dataset: Dataset,
    as_of: dt.date,
    *,
    rules: Iterable[str] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> DiffResult:
    """The diff of loaded versions over a loaded data set."""
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 0:
        raise ValueError(f"samples must be a whole number, 0 or more, not {samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number, 0 or more, not {seed!r}")
    base, new = versions.base.ruleset, versions.new.ruleset
    shared = compared_rules(versions)
    wanted = _wanted(shared, rules)
    parts = pairings(versions)
    # every rule both compute, not only those wanted: a sample's first
    # difference may be in a rule it uses
    frame = paired_plan(versions, parts, dataset, as_of, shared).collect()
    council = base.schema.council_column
    key = base.schema.households.key
    assert key is not None
    picks = pick(frame, key, new, wanted, samples, seed)
    return DiffResult(
        base=versions.base.label,
        new=versions.new.label,
        as_of=as_of,
        households=frame.height,
        rules=tuple(wanted),
        criteria=tuple(counts.criteria(new, wanted)),
        transitions=counts.transition_counts(frame, new, wanted, council),
        money=counts.amount_totals(frame, new, wanted, council, counts.MONEY_KINDS),
        measures=counts.amount_totals(frame, new, wanted, council, counts.MEASURE_KINDS),
        changes=_ruleset_changes(parts),
        params=_param_changes(versions),
        samples=tuple(explain_picks(picks, frame, key, versions, dataset, as_of)),
        only_base=tuple(r for r in base.output_rules if r not in shared),
        only_new=tuple(r for r in new.output_rules if r not in shared),
    )


def _wanted(shared: Sequence[str], rules: Iterable[str] | None) -> list[str]:
    if rules is None:
        return list(shared)
    if isinstance(rules, str):
        rules = [rules]
    wanted = list(rules)
    for rule in wanted:
        if rule not in shared:
            raise ValueError(f"{rule!r} is not a household rule of both versions")
    return wanted


def _ruleset_changes(parts: Sequence[Pairing]) -> tuple[RulesetChanges, ...]:
    """The changes of each pair of rulesets; a local pair lists only what it
    adds to the national pair's."""
    national = parts[-1]
    seen = set(national.changes.rules)
    found = [RulesetChanges(national.base.name, national.new.name, national.changes.rules)]
    for part in parts[:-1]:
        own = tuple(c for c in part.changes.rules if c not in seen)
        if own:
            found.append(RulesetChanges(part.base.name, part.new.name, own))
    return tuple(found)


def _param_changes(versions: Versions) -> tuple[ParamChange, ...]:
    base, new = versions.base.ruleset, versions.new.ruleset
    found = []
    for name, info in new.params.items():
        before = base.params.get(name)
        if before is None:
            continue
        if (before.type, before.value) != (info.type, info.value):
            found.append(ParamChange(name, param_text(before), param_text(info)))
    return tuple(found)


__all__ = ["Change", "DiffError", "DiffResult", "compare_versions", "diff"]
