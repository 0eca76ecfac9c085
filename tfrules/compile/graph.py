"""The column graph behind a compiled plan, and how it becomes one lazy query.

There is one frame per entity level: households (`H`), persons (`P`) and
each event table used (named after the table). Every value a ruleset needs
is a derived column of one frame:

- a *row* column, an expression over its own frame's columns;
- an *aggregate*, a group_by over a finer frame (persons per household,
  events per person or per household), joined back by key;
- a *broadcast*, a coarser frame's column joined down (a household's
  reference date onto its members' events).

Columns are not piled onto one ever-growing frame. Each column has a
provider (the base table, a row expression, or a small keyed result of a
group_by or broadcast), and each consumer builds the narrowest frame it
needs: the base table, left-joined with just the results that provide its
columns, then the row expressions in dependency order. A group_by result is
one LazyFrame object shared by every consumer, so Polars computes it once.

`materialize` settles the order: in rounds, every row column whose inputs
exist, then every broadcast, then the aggregates. An aggregate waits until
its whole group (same source, key, target and row filter: see `_aggregates`)
is ready, so each group is one group_by and one join; unless nothing else
could move. Each entity level is one stage, and no `.over()` window is ever
nested in another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import attrs
import polars as pl

from tfrules.compile.errors import CompileError, Origins, RuleOrigin

HOUSEHOLDS = "H"
PERSONS = "P"


GroupByHook = Callable[[str, str, str, pl.LazyFrame], pl.LazyFrame]


@attrs.define(eq=False)
class Derived:
    name: str
    frame: str
    expr: pl.Expr
    deps: frozenset[str]
    kind: str = "row"  # "row", "agg" or "broadcast"
    source: str | None = None  # agg/broadcast: the frame read
    group_key: str | None = None  # agg: the source column grouped by
    keep: str | None = None  # agg: a row column false where the row contributes nothing
    require: tuple[str, ...] = ()  # agg: columns; rows where one is null are left out
    origin: RuleOrigin | None = None  # the rule the column was made for


@attrs.define
class FrameSpec:
    """How a frame is linked to the coarser frames."""

    name: str
    key: str | None  # the column that identifies a row (households, persons)
    links: dict[str, tuple[str, str]] = attrs.Factory(dict)
    # links[coarser frame] = (this frame's column, coarser frame's key column)


@attrs.define(eq=False)
class _Joined:
    """Columns that arrive by a left join of a keyed result on `on`."""

    result: pl.LazyFrame
    on: str


class Graph:
    def __init__(self, on_group_by: GroupByHook | None = None) -> None:
        #: given each group_by as it is made (source frame, key, target frame,
        #: result), returns what to use instead: bench/profile.py times each one
        self.on_group_by = on_group_by
        self.specs: dict[str, FrameSpec] = {}
        self.base: dict[str, pl.LazyFrame] = {}
        self.base_columns: dict[str, set[str]] = {}
        self.rows: dict[str, dict[str, Derived]] = defaultdict(dict)
        self.joined: dict[str, dict[str, _Joined]] = defaultdict(dict)
        self.pending: list[Derived] = []
        self._counter = 0
        self._broadcasts: dict[tuple[str, str, str], str] = {}
        self._order: dict[str, list[str]] = defaultdict(list)
        #: the rule each generated column was made for, to name it in errors
        self.origins = Origins()

    def new_name(self, hint: str = "c") -> str:
        self._counter += 1
        return f"__{hint}{self._counter}"

    def add_frame(self, spec: FrameSpec, frame: pl.LazyFrame, columns: list[str]) -> None:
        self.specs[spec.name] = spec
        self.base[spec.name] = frame
        self.base_columns[spec.name] = set(columns)

    def add(self, derived: Derived) -> Derived:
        self.pending.append(derived)
        self.origins.add(derived.name, derived.origin)
        return derived

    def available(self, frame: str) -> set[str]:
        return self.base_columns[frame] | set(self.rows[frame]) | set(self.joined[frame])

    def broadcast(self, target: str, source: str, column: str) -> str:
        """The name, in `target`, of `source`'s column brought down to it.

        A household column bound for a member's events goes by way of the
        member: joined onto persons, then onto the events with the member's
        own columns, so the (large) event frame is joined once."""
        via = self.specs[target].links.get(PERSONS)
        if source == HOUSEHOLDS and target != PERSONS and via is not None:
            return self.broadcast(target, PERSONS, self.broadcast(PERSONS, HOUSEHOLDS, column))
        key = (target, source, column)
        if key not in self._broadcasts:
            name = f"{source.lower()}__{column}" if not column.startswith("__") else column
            taken = self.available(target) | {d.name for d in self.pending if d.frame == target}
            if name in taken:
                name = self.new_name("b")
            self._broadcasts[key] = name
            self.add(
                Derived(name, target, pl.col(column), frozenset({column}), "broadcast", source)
            )
        return self._broadcasts[key]

    # ---------------------------------------------------------------- frames on demand
    def frame_with(
        self,
        frame: str,
        columns: set[str] | frozenset[str],
        start: pl.LazyFrame | None = None,
        present: set[str] | None = None,
    ) -> pl.LazyFrame:
        """The frame's base table with just enough joins and row columns for
        `columns`; or `start`, which already has the columns in `present`, extended.

        Polars builds each join's hash table from the joined result straight
        away, rather than first buffering rows of both sides to decide which is
        smaller: a result has at most one row per key of the frame it is
        joined to (a group_by into that frame, or a coarser frame brought
        down), and buffering the frame's side cost a fifth to a third of the
        whole plan's peak memory at a million households (1.9 to 2.0 GB
        against 1.1 to 1.6 GB). It costs some CPU time where an event table is
        smaller than the persons frame brought down to it (5 to 10% in all,
        `bench/compare.py`); leaving those joins to Polars saved that time but
        took the results cohort's peak to 2.7 to 2.9 GB."""
        have = set(present) if present is not None else set(self.base_columns[frame])
        needed_rows: list[str] = []
        joins: dict[int, _Joined] = {}
        seen: set[str] = set()
        stack = list(columns)
        while stack:
            name = stack.pop()
            if name in seen or name in have:
                continue
            seen.add(name)
            if name in self.joined[frame]:
                provider = self.joined[frame][name]
                joins[id(provider.result)] = provider
                stack.append(provider.on)  # the join column may itself arrive by a join
            elif name in self.rows[frame]:
                needed_rows.append(name)
                stack.extend(self.rows[frame][name].deps)
            else:
                raise CompileError(f"{frame} has no column {name}")
        result = self.base[frame] if start is None else start
        remaining = list(joins.values())
        while remaining:  # a join whose column arrives by another join goes after it
            ready = [p for p in remaining if p.on in have]
            if not ready:
                raise CompileError(f"{frame}: joins on columns nobody provides")
            for provider in ready:
                result = result.join(
                    provider.result,
                    on=provider.on,
                    how="left",
                    build_side="force_right",
                )
                have.update(provider.result.collect_schema().names())
            remaining = [p for p in remaining if p not in ready]
        # row columns in the order they were settled: that order respects dependencies
        wanted = set(needed_rows)
        layer: list[pl.Expr] = []
        layer_names: set[str] = set()
        for name in self._order[frame]:
            if name not in wanted:
                continue
            derived = self.rows[frame][name]
            if derived.deps & layer_names:
                result = result.with_columns(layer)
                layer, layer_names = [], set()
            layer.append(derived.expr.alias(name))
            layer_names.add(name)
        if layer:
            result = result.with_columns(layer)
        return result

    def _closure(self, frame: str, columns: set[str]) -> set[str]:
        """The columns `columns` are computed from, themselves included."""
        found: set[str] = set()
        stack = list(columns)
        while stack:
            name = stack.pop()
            if name in found:
                continue
            found.add(name)
            if name in self.joined[frame]:
                provider = self.joined[frame][name]
                found.update(provider.result.collect_schema().names())
                stack.append(provider.on)
            elif name in self.rows[frame]:
                stack.extend(self.rows[frame][name].deps)
        return found | set(self.base_columns[frame])

    # ---------------------------------------------------------------- settling
    def materialize(self) -> None:
        while self.pending:
            progress = self._rows()
            progress |= self._broadcasts_round(complete_groups_only=True)
            progress |= self._rows()
            if self._aggregates(complete_groups_only=True):
                progress = True
            elif (
                not progress
                and not self._broadcasts_round(complete_groups_only=False)
                and not self._aggregates(complete_groups_only=False)
            ):
                stuck = ", ".join(
                    f"{d.frame}.{d.name}{f' (for {d.origin})' if d.origin else ''} needs "
                    f"{sorted(d.deps)}"
                    for d in self.pending[:5]
                )
                raise CompileError(f"the plan cannot be built: {stuck}")

    def _ready(self, derived: Derived) -> bool:
        frame = derived.source if derived.kind in ("agg", "broadcast") else derived.frame
        assert frame is not None
        needed = derived.deps
        if derived.kind == "agg" and derived.group_key is not None:
            # the key grouped by may itself arrive by a broadcast (a member's household)
            needed = needed | {derived.group_key}
        return needed <= self.available(frame)

    def _rows(self) -> bool:
        progress = False
        while True:
            ready = [d for d in self.pending if d.kind == "row" and self._ready(d)]
            if not ready:
                return progress
            for derived in ready:
                self.rows[derived.frame][derived.name] = derived
                self._order[derived.frame].append(derived.name)
            self._done(ready)
            progress = True

    def _aggregates(self, *, complete_groups_only: bool) -> bool:
        """One group_by per group of aggregates with the same source, key and
        target, and a row filter that suits them all.

        Aggregates that look at every row are kept apart from those that can
        drop rows first (a window): together, the filter could not drop
        anything. Aggregates needed only for some households (`require`) are
        grouped by the household column that picks them; their group reads the
        rows every one of them needs (the columns all require). Rows of other
        households only make groups of their own, whose values go unused:
        every group lies within one household."""
        batch: dict[tuple[str, str, str, object], list[Derived]] = defaultdict(list)
        waiting: set[tuple[str, str, str, object]] = set()
        for derived in self.pending:
            if derived.kind != "agg":
                continue
            assert derived.source is not None and derived.group_key is not None
            filter_class = derived.require[-1] if derived.require else derived.keep is not None
            group = (derived.source, derived.group_key, derived.frame, filter_class)
            if self._ready(derived):
                batch[group].append(derived)
            else:
                waiting.add(group)
        if complete_groups_only:
            batch = {group: items for group, items in batch.items() if group not in waiting}
        for (source, group_key, target, _), items in batch.items():
            target_key = self.specs[target].key
            assert target_key is not None
            needed = frozenset({group_key}.union(*(d.deps for d in items)))
            require = sorted(set.intersection(*(set(d.require) for d in items)))
            rows, present = None, None
            if require:
                # a filter straight on joined columns: Polars turns the joins
                # into inner joins and pushes the filter below them
                rows = self.frame_with(source, set(require)).filter(
                    pl.all_horizontal([pl.col(c).is_not_null() for c in require])
                )
                present = self._closure(source, set(require))
            keeps = {d.keep for d in items if d.keep is not None}
            if keeps and all(d.keep is not None for d in items):
                # first drop the rows no aggregate of the group looks at (outside
                # every window), then compute what the rest need on fewer rows
                rows = self.frame_with(source, keeps, start=rows, present=present).filter(
                    pl.any_horizontal([pl.col(k) for k in sorted(keeps)])
                )
                present = self._closure(source, set(keeps) | set(require))
            rows = self.frame_with(source, needed, start=rows, present=present)
            result = (
                rows.group_by(group_key)
                .agg([d.expr.alias(d.name) for d in items])
                .rename({group_key: target_key})
            )
            if self.on_group_by is not None:
                result = self.on_group_by(source, group_key, target, result)
            provider = _Joined(result, target_key)
            for derived in items:
                self.joined[target][derived.name] = provider
            self._done(items)
        return bool(batch)

    def _link(self, fine: str, coarse: str) -> tuple[str, str]:
        link = self.specs[fine].links.get(coarse)
        if link is None:
            raise CompileError(f"no link from {fine} to {coarse}")
        return link

    def _broadcasts_round(self, *, complete_groups_only: bool) -> bool:
        """Join down every broadcast that is ready; like aggregates, a group (same
        target and source) waits until it is whole, so it is one join."""
        batch: dict[tuple[str, str], list[Derived]] = defaultdict(list)
        waiting: set[tuple[str, str]] = set()
        for derived in self.pending:
            if derived.kind != "broadcast":
                continue
            assert derived.source is not None
            if self._ready(derived):
                batch[(derived.frame, derived.source)].append(derived)
            else:
                waiting.add((derived.frame, derived.source))
        if complete_groups_only:
            batch = {group: items for group, items in batch.items() if group not in waiting}
        # one cached source frame per source, shared by every frame it feeds
        # this round (the persons frame feeds each event table's join)
        sources: dict[str, pl.LazyFrame] = {}
        for source in {s for _, s in batch}:
            needed = {
                next(iter(d.deps)) for (_, s), items in batch.items() if s == source for d in items
            }
            keys = {self._link(t, s)[1] for t, s in batch if s == source}
            frame = self.frame_with(source, needed | keys)
            shared = sum(1 for _, s in batch if s == source) > 1
            sources[source] = frame.cache() if shared else frame
        for (target, source), items in batch.items():
            own_column, source_key = self._link(target, source)
            columns = {next(iter(d.deps)): d.name for d in items}
            result = sources[source].select(
                [pl.col(source_key).alias(own_column)]
                + [pl.col(c).alias(n) for c, n in columns.items()]
            )
            provider = _Joined(result, own_column)
            for derived in items:
                self.joined[target][derived.name] = provider
            self._done(items)
        return bool(batch)

    def _done(self, items: list[Derived]) -> None:
        finished = {id(d) for d in items}
        self.pending = [d for d in self.pending if id(d) not in finished]
