"""What a diff found, as frames (for notebooks) and plain records (for the
renderers)."""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl

from tfrules.diffing.changes import Change, RuleChange
from tfrules.diffing.samples import Sample


@attrs.frozen
class ParamChange:
    name: str
    before: str
    after: str


@attrs.frozen
class RulesetChanges:
    """How the rules of one pair of rulesets applied together differ."""

    base: str
    new: str
    rules: tuple[RuleChange, ...]

    def of_kind(self, *kinds: Change) -> list[RuleChange]:
        return [r for r in self.rules if r.change in kinds]


@attrs.frozen
class DiffResult:
    """Both versions evaluated on the same households, compared.

    - `transitions`: one row per rule and council (`all` for every household,
      the ONS code otherwise): `households`, `changed` (households whose value
      differs) and, for criteria, `true->false` and the five other moves.
    - `money`: one row per money rule and council: the totals of the known
      amounts `before` and `after`, the `change` (Decimal: exact), and the
      households whose amount is unknown in each version.
    - `measures`: the same for whole numbers and decimals.
    - `samples`: households per rule and transition, each with the first
      sub-rule whose value differs and the facts that decided it in each version.
    """

    base: str
    new: str
    as_of: dt.date
    households: int
    rules: tuple[str, ...]
    #: the rules of `rules` that are criteria (true, false or unknown)
    criteria: tuple[str, ...]
    transitions: pl.DataFrame
    money: pl.DataFrame
    measures: pl.DataFrame
    changes: tuple[RulesetChanges, ...]
    params: tuple[ParamChange, ...]
    samples: tuple[Sample, ...]
    #: household rules in one version only (not compared)
    only_base: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()

    @property
    def other_rules(self) -> tuple[str, ...]:
        """The rules compared that are neither criteria nor amounts (dates, categories)."""
        amounts = set(self.money["rule"].to_list()) | set(self.measures["rule"].to_list())
        return tuple(r for r in self.rules if r not in self.criteria and r not in amounts)

    @property
    def samples_frame(self) -> pl.DataFrame:
        """The samples as a frame, one row each."""
        fields = [f.name for f in attrs.fields(Sample)]
        rows = [{f: _cell(getattr(s, f)) for f in fields} for s in self.samples]
        return pl.DataFrame(rows, schema=dict.fromkeys(fields, pl.String()))

    def changed(self, rule: str, council: str = "all") -> int:
        """How many households' value of `rule` differs (in one council, or all)."""
        found = self.transitions.filter((pl.col("rule") == rule) & (pl.col("council") == council))
        return int(found["changed"][0]) if found.height else 0

    @property
    def nothing_changed(self) -> bool:
        return int(self.transitions["changed"].sum() or 0) == 0


def _cell(value: object) -> str | None:
    if isinstance(value, tuple):
        return "\n".join(value)
    return None if value is None else str(value)
