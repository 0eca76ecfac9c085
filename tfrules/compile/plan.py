"""From a checked ruleset and input frames to one lazy query: one row per
household, one column per rule, sorted by household."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl

from tfrules.compile.expressions import ExprCompiler, Ref
from tfrules.compile.graph import HOUSEHOLDS, PERSONS, FrameSpec, Graph, GroupByHook
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Level, Table
from tfrules.semantics.dtypes import dtype

PASS_THROUGH = ("la_code",)


def build_plan(
    ruleset: CheckedRuleset,
    frames: Mapping[str, pl.LazyFrame],
    as_of: dt.date,
    *,
    missing: Iterable[str] = (),
    rules: Iterable[str] | None = None,
    fixed: Mapping[str, object] | None = None,
    on_group_by: GroupByHook | None = None,
) -> pl.LazyFrame:
    """The lazy plan evaluating `rules` (every household rule by default).

    `frames` hold the canonical tables with canonical dtypes (see
    `tfrules.data.load`); a table absent from `frames` or named in `missing`
    was not supplied, and the facts drawn from it are unknown.
    """
    schema = ruleset.schema
    households, persons = schema.households, schema.persons
    assert households.key and persons.key and persons.owner_key
    not_supplied = frozenset(missing) | {
        t.name for t in schema.event_tables if t.name not in frames
    }
    # a table read as empty when missing (claims) is never unknown, however it was left out
    gone = frozenset(
        t.name for t in schema.event_tables if t.name in not_supplied and not t.empty_when_missing
    )
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
            graph.add_frame(spec, frame, list(table.column_names))
        else:
            spec = FrameSpec(table.name, None, {HOUSEHOLDS: (table.owner_key, households.key)})
            graph.add_frame(spec, frame, list(table.column_names))
    compiler = ExprCompiler(ruleset, graph, gone, dict(fixed or {}))
    run_date = Ref(f"lit:{as_of}", date=as_of)
    wanted = list(rules) if rules is not None else ruleset.output_rules
    columns = {}
    for name in wanted:
        if ruleset.rules[name].level is not Level.HOUSEHOLD:
            continue
        columns[name] = compiler.rule_column(name, run_date).name
    graph.materialize()
    keep = [households.key, *(c for c in PASS_THROUGH if households.column(c) is not None)]
    final = graph.frame_with(HOUSEHOLDS, set(columns.values()) | set(keep))
    return final.select(
        [pl.col(c) for c in keep] + [pl.col(n).alias(r) for r, n in columns.items()]
    ).sort(households.key)


def _empty_schema(table: Table) -> dict[str, pl.DataType]:
    return {c.name: dtype(c.type) for c in table.columns}
