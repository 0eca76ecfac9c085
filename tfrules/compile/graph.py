"""The column graph behind a compiled plan, and how it becomes one lazy query.

There is one frame per entity level: households (`H`), persons (`P`) and
each event table used (named after the table). Every value a ruleset needs
is a derived column of one frame:

- a *row* column, an expression over its own frame's columns;
- an *aggregate*, a group_by over a finer frame (persons per household,
  events per person or per household) joined back;
- a *broadcast*, a coarser frame's column joined down (a household's
  reference date onto its members' events).

`materialize` adds them in rounds: each round adds every row column whose
inputs exist, then every aggregate whose inputs exist (one group_by and one
join per source frame and key, however many aggregates share it), then the
broadcasts. So each entity level is one stage, shared sub-results are
computed once, and no `.over()` window is nested in another.
"""

from __future__ import annotations

from collections import defaultdict

import attrs
import polars as pl

HOUSEHOLDS = "H"
PERSONS = "P"


class CompileError(Exception):
    """An internal inconsistency while building a plan (a bug, not a user error)."""


@attrs.define(eq=False)
class Derived:
    name: str
    frame: str
    expr: pl.Expr
    deps: frozenset[str]
    kind: str = "row"  # "row", "agg" or "broadcast"
    source: str | None = None  # agg/broadcast: the frame read
    group_key: str | None = None  # agg: the source column grouped by
    identity: pl.Expr | None = None  # agg: the value for a group with no rows


@attrs.define
class FrameSpec:
    """How a frame is linked to the coarser frames."""

    name: str
    key: str | None  # the column that identifies a row (households, persons)
    links: dict[str, tuple[str, str]] = attrs.Factory(dict)
    # links[coarser frame] = (this frame's column, coarser frame's key column)


class Graph:
    def __init__(self) -> None:
        self.frames: dict[str, pl.LazyFrame] = {}
        self.specs: dict[str, FrameSpec] = {}
        self.available: dict[str, set[str]] = defaultdict(set)
        self.pending: list[Derived] = []
        self._counter = 0
        self._broadcasts: dict[tuple[str, str, str], str] = {}

    def new_name(self, hint: str = "c") -> str:
        self._counter += 1
        return f"__{hint}{self._counter}"

    def add_frame(self, spec: FrameSpec, frame: pl.LazyFrame, columns: list[str]) -> None:
        self.specs[spec.name] = spec
        self.frames[spec.name] = frame
        self.available[spec.name].update(columns)

    def add(self, derived: Derived) -> Derived:
        self.pending.append(derived)
        return derived

    def broadcast(self, target: str, source: str, column: str) -> str:
        """The name, in `target`, of `source`'s column brought down to it."""
        key = (target, source, column)
        if key not in self._broadcasts:
            name = f"{source.lower()}__{column}" if not column.startswith("__") else column
            while name in self.available[target] or any(
                d.name == name and d.frame == target for d in self.pending
            ):
                name = self.new_name("b")
            self._broadcasts[key] = name
            self.add(
                Derived(name, target, pl.col(column), frozenset({column}), "broadcast", source)
            )
        return self._broadcasts[key]

    # ---------------------------------------------------------------- building
    def materialize(self) -> None:
        while self.pending:
            progress = self._rows()
            progress |= self._aggregates()
            progress |= self._broadcasts_round()
            if not progress:
                stuck = ", ".join(
                    f"{d.frame}.{d.name} needs {sorted(d.deps)}" for d in self.pending[:5]
                )
                raise CompileError(f"the plan cannot be built: {stuck}")

    def _ready(self, derived: Derived) -> bool:
        frame = derived.source if derived.kind in ("agg", "broadcast") else derived.frame
        assert frame is not None
        return derived.deps <= self.available[frame]

    def _rows(self) -> bool:
        progress = False
        while True:
            batch: dict[str, list[Derived]] = defaultdict(list)
            for derived in self.pending:
                if derived.kind == "row" and self._ready(derived):
                    batch[derived.frame].append(derived)
            if not batch:
                return progress
            for frame, items in batch.items():
                self.frames[frame] = self.frames[frame].with_columns(
                    [d.expr.alias(d.name) for d in items]
                )
                self.available[frame].update(d.name for d in items)
                self._done(items)
            progress = True

    def _aggregates(self) -> bool:
        batch: dict[tuple[str, str, str], list[Derived]] = defaultdict(list)
        for derived in self.pending:
            if derived.kind == "agg" and self._ready(derived):
                assert derived.source is not None and derived.group_key is not None
                batch[(derived.source, derived.group_key, derived.frame)].append(derived)
        for (source, group_key, target), items in batch.items():
            marker = self.new_name("present")
            target_key = self._link(source, target)[1]
            grouped = (
                self.frames[source]
                .group_by(group_key)
                .agg([d.expr.alias(d.name) for d in items] + [pl.lit(True).alias(marker)])
                .rename({group_key: target_key})
            )
            joined = self.frames[target].join(grouped, on=target_key, how="left")
            fills = [
                pl.when(pl.col(marker)).then(pl.col(d.name)).otherwise(d.identity).alias(d.name)
                for d in items
                if d.identity is not None
            ]
            if fills:
                joined = joined.with_columns(fills)
            self.frames[target] = joined.drop(marker)
            self.available[target].update(d.name for d in items)
            self._done(items)
        return bool(batch)

    def _link(self, fine: str, coarse: str) -> tuple[str, str]:
        link = self.specs[fine].links.get(coarse)
        if link is None:
            raise CompileError(f"no link from {fine} to {coarse}")
        return link

    def _broadcasts_round(self) -> bool:
        batch: dict[tuple[str, str], list[Derived]] = defaultdict(list)
        for derived in self.pending:
            if derived.kind == "broadcast" and self._ready(derived):
                assert derived.source is not None
                batch[(derived.frame, derived.source)].append(derived)
        for (target, source), items in batch.items():
            own_column, source_key = self._link(target, source)
            columns = {next(iter(d.deps)): d.name for d in items}
            right = self.frames[source].select(
                [pl.col(source_key).alias(own_column)]
                + [pl.col(c).alias(n) for c, n in columns.items()]
            )
            self.frames[target] = self.frames[target].join(right, on=own_column, how="left")
            self.available[target].update(columns.values())
            self._done(items)
        return bool(batch)

    def _done(self, items: list[Derived]) -> None:
        finished = {id(d) for d in items}
        self.pending = [d for d in self.pending if id(d) not in finished]
