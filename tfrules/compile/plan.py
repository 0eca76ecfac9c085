"""From a checked ruleset and input frames to one lazy query: one row per
household, one column per rule, sorted by household.

The pipeline (docs/architecture.md): the frames become the column graph's
frames; each wanted rule's tree is rewritten by the passes
(`tfrules.compile.passes`) and lowered into the graph (`tfrules.compile.lower`);
the graph settles into one lazy query (`Graph.materialize`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs
import polars as pl

from tfrules.compile.context import Context, FixedDate
from tfrules.compile.errors import Origins, RuleError
from tfrules.compile.facts import Facts
from tfrules.compile.graph import HOUSEHOLDS, PERSONS, FrameSpec, Graph, GroupByHook
from tfrules.compile.keys import ReasonKey
from tfrules.compile.lower import LOWERINGS, Lowering
from tfrules.compile.reasons import REASON_SUFFIX, reason_column
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Level, Schema, Table
from tfrules.semantics.dtypes import dtype


@attrs.frozen
class CompiledPlan:
    """A lazy plan, and the rule each of its generated columns was made for
    (`origins.explain(error)` tells a Polars error in terms of the rules)."""

    frame: pl.LazyFrame
    origins: Origins

    def collect(self, **options: object) -> pl.DataFrame:
        try:
            return self.frame.collect(**options)  # type: ignore[arg-type]
        except pl.exceptions.PolarsError as exc:
            raise self.origins.explain(exc) from exc


def build_plan(
    ruleset: CheckedRuleset,
    frames: Mapping[str, pl.LazyFrame],
    as_of: dt.date,
    *,
    missing: Iterable[str] = (),
    rules: Iterable[str] | None = None,
    fixed: Mapping[str, object] | None = None,
    on_group_by: GroupByHook | None = None,
    reasons: bool = False,
) -> pl.LazyFrame:
    """The lazy plan evaluating `rules` (every household rule by default)."""
    return compile_rules(
        ruleset,
        frames,
        as_of,
        missing=missing,
        rules=rules,
        fixed=fixed,
        on_group_by=on_group_by,
        reasons=reasons,
    ).frame


def compile_rules(
    ruleset: CheckedRuleset,
    frames: Mapping[str, pl.LazyFrame],
    as_of: dt.date,
    *,
    missing: Iterable[str] = (),
    rules: Iterable[str] | None = None,
    fixed: Mapping[str, object] | None = None,
    on_group_by: GroupByHook | None = None,
    reasons: bool = False,
) -> CompiledPlan:
    """The plan evaluating `rules` (every household rule by default), with the
    origin of its columns.

    `frames` hold the canonical tables with canonical dtypes (see
    `tfrules.data.load`); a table absent from `frames` or named in `missing`
    was not supplied, and the facts drawn from it are unknown. With `reasons`,
    each criterion has a column `<rule>_reason` beside it (`tfrules.compile.reasons`).
    """
    graph, gone = prepare_graph(ruleset, frames, missing, on_group_by)
    lowering = Lowering(Facts(ruleset, gone), graph, LOWERINGS, fixed)
    run_date = Context(FixedDate(as_of))
    wanted = list(rules) if rules is not None else ruleset.output_rules
    with lowering.deep_enough():
        columns = lower_outputs(lowering, wanted, run_date, reasons=reasons)
        settle(graph)
    return CompiledPlan(select_outputs(graph, ruleset.schema, columns), graph.origins)


def prepare_graph(
    ruleset: CheckedRuleset,
    frames: Mapping[str, pl.LazyFrame],
    missing: Iterable[str] = (),
    on_group_by: GroupByHook | None = None,
) -> tuple[Graph, frozenset[str]]:
    """The column graph over the input frames, and the tables whose facts are
    unknown (not supplied, and not read as empty when missing)."""
    schema = ruleset.schema
    not_supplied = frozenset(missing) | {
        t.name for t in schema.event_tables if t.name not in frames
    }
    # a table read as empty when missing (claims) is never unknown, however it was left out
    gone = frozenset(
        t.name for t in schema.event_tables if t.name in not_supplied and not t.empty_when_missing
    )
    graph = _graph(schema, frames, not_supplied, gone, on_group_by)
    graph.origins.fallback = f"a rule of {ruleset.name}"
    return graph, gone


def lower_outputs(
    lowering: Lowering,
    wanted: Iterable[str],
    run_date: Context,
    *,
    reasons: bool = False,
    prefix: str = "",
) -> dict[str, str]:
    """Lower each wanted household rule at the run date: output name (the rule's
    name after `prefix`) -> the graph column holding it."""
    ruleset = lowering.facts.ruleset
    columns: dict[str, str] = {}
    for name in wanted:
        info = ruleset.rules[name]
        if info.level is not Level.HOUSEHOLD:
            continue
        columns[prefix + name] = lowering.rule_column(name, run_date).name
        if reasons and info.type.kind is T.Kind.BOOL:
            why = lowering.derive(
                ReasonKey(name, run_date),
                HOUSEHOLDS,
                lambda name=name: reason_column(name, run_date, lowering),
                "why",
            )
            columns[prefix + name + REASON_SUFFIX] = why.name
    return columns


def settle(graph: Graph) -> None:
    """Order the graph's columns into one lazy query (errors named by rule)."""
    try:
        graph.materialize()
    except RuleError:
        raise
    except Exception as exc:
        raise graph.origins.explain(exc, "planning") from exc


def select_outputs(graph: Graph, schema: Schema, columns: Mapping[str, str]) -> pl.LazyFrame:
    """One row per household (sorted by key): its key, its council, then the
    output columns (`columns`: output name -> graph column)."""
    households = schema.households
    assert households.key is not None
    council = schema.council_column
    keep = [households.key, *([council] if council is not None else [])]
    final = graph.frame_with(HOUSEHOLDS, set(columns.values()) | set(keep))
    return final.select(
        [pl.col(c) for c in keep] + [pl.col(n).alias(r) for r, n in columns.items()]
    ).sort(households.key)


def _graph(
    schema: Schema,
    frames: Mapping[str, pl.LazyFrame],
    not_supplied: frozenset[str],
    gone: frozenset[str],
    on_group_by: GroupByHook | None,
) -> Graph:
    """The column graph over the input frames: households, persons, and each
    event table supplied (or read as empty)."""
    households, persons = schema.households, schema.persons
    assert households.key and persons.key and persons.owner_key
    graph = Graph(on_group_by)
    graph.add_frame(
        FrameSpec(HOUSEHOLDS, households.key),
        frames[households.name],
        list(households.column_names),
    )
    graph.add_frame(
        FrameSpec(PERSONS, persons.key, {HOUSEHOLDS: (persons.owner_key, households.key)}),
        frames[persons.name],
        list(persons.column_names),
    )
    for table in schema.event_tables:
        if table.name in gone:
            continue
        assert table.owner_key is not None
        frame = frames.get(table.name) if table.name not in not_supplied else None
        if frame is None:  # a table read as empty when missing
            frame = pl.LazyFrame(schema=_empty_schema(table))
        if table.owner == persons.name:
            # a household's values reach its members' events through the persons frame
            spec = FrameSpec(table.name, None, {PERSONS: (table.owner_key, persons.key)})
        else:
            spec = FrameSpec(table.name, None, {HOUSEHOLDS: (table.owner_key, households.key)})
        graph.add_frame(spec, frame, list(table.column_names))
    return graph


def _empty_schema(table: Table) -> dict[str, pl.DataType]:
    return {c.name: dtype(c.type) for c in table.columns}
