"""Evaluating a large data set a slice of households at a time.

Every rule looks only within one household (its members and their events), so
the households can be cut into ranges of `household_id` and each range
evaluated on its own with exactly the same result. A slice holds its
households, their members and their members' events; its plan's hash tables
and group_by states hold a slice's worth of keys, so peak memory follows the
slice, not the data set. The slices' outputs, each sorted by household, are
written one after another into the output file.

A slice's events are read with a range test on `person_id` (from its
members' lowest to highest id), which lets Parquet skip whole row groups when
the events are stored in the order of their people, as extracts and `tfrules
synth` usually are. The range may let in events of people in other slices
(always, if the events are in no order): they change nothing, because every
aggregate reaches the slice's rows through a join on its own members or
households, and an event of someone else joins nothing (its group is by a
person not in the slice, or by no household at all). A semi-join would drop
them exactly, but costs as much as the join it saves, at every scan.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import polars as pl

from tfrules.model.schema import Schema

#: Households per slice when the caller does not choose: about 2 GB at peak.
HOUSEHOLDS_PER_SLICE = 1_000_000


def slice_count(households: int, per_slice: int = HOUSEHOLDS_PER_SLICE) -> int:
    """How many slices for a data set of `households` households."""
    return max(1, math.ceil(households / per_slice))


def slices_for(frames: Mapping[str, pl.LazyFrame], schema: Schema, asked: int = 0) -> int:
    """The slices a run uses: those `asked` for, or (0) one per million households."""
    if asked:
        return asked
    households = frames[schema.households.name].select(pl.len()).collect().item()
    return slice_count(int(households))


def sink(plan: pl.LazyFrame, path: Path) -> None:
    """Stream a plan's rows into `path`: Parquet or CSV, by its suffix, in order."""
    if path.suffix == ".csv":
        plan.sink_csv(path)
    else:
        plan.sink_parquet(path)


def household_ranges(
    frames: Mapping[str, pl.LazyFrame], schema: Schema, slices: int
) -> list[tuple[str | None, str | None]]:
    """`slices` ranges [low, high) of household_id with about as many
    households each (None: open-ended)."""
    key = schema.households.key
    assert key is not None
    ids = frames[schema.households.name].select(pl.col(key).sort()).collect()[key]
    if slices <= 1 or ids.len() == 0:
        return [(None, None)]
    cuts = sorted({ids[(ids.len() * i) // slices] for i in range(1, slices)})
    bounds: list[str | None] = [None, *cuts, None]
    return list(itertools.pairwise(bounds))


def _in_range(column: str, low: str | None, high: str | None) -> pl.Expr:
    test = pl.lit(True)
    if low is not None:
        test = test & (pl.col(column) >= pl.lit(low))
    if high is not None:
        test = test & (pl.col(column) < pl.lit(high))
    return test


def slice_frames(
    frames: Mapping[str, pl.LazyFrame], schema: Schema, low: str | None, high: str | None
) -> dict[str, pl.LazyFrame]:
    """The tables of the households with low <= household_id < high."""
    households, persons = schema.households, schema.persons
    assert households.key and persons.key and persons.owner_key
    sliced = dict(frames)
    sliced[households.name] = frames[households.name].filter(_in_range(households.key, low, high))
    members = frames[persons.name].filter(_in_range(persons.owner_key, low, high))
    sliced[persons.name] = members
    first, last = (
        members.select(
            pl.col(persons.key).min().alias("first"), pl.col(persons.key).max().alias("last")
        )
        .collect()
        .row(0)
    )
    for table in schema.event_tables:
        frame = frames.get(table.name)
        if frame is None or table.owner_key is None:
            continue
        if table.owner == persons.name:
            if first is None:  # no members: no events
                sliced[table.name] = frame.filter(pl.lit(False))
                continue
            sliced[table.name] = frame.filter(
                pl.col(table.owner_key).is_between(pl.lit(first), pl.lit(last))
            )
        else:
            sliced[table.name] = frame.filter(_in_range(table.owner_key, low, high))
    return sliced


def write_in_slices(
    build: Callable[[Mapping[str, pl.LazyFrame]], pl.LazyFrame],
    frames: Mapping[str, pl.LazyFrame],
    schema: Schema,
    slices: int,
    out: Path,
    on_slice: Callable[[int, int], None] | None = None,
) -> pl.Schema:
    """Build and stream each slice's plan into a part file beside `out`, then
    the parts, in order, into `out` (Parquet or CSV, by its suffix); returns
    the columns written, with their dtypes.

    `build` makes the plan of a set of frames; `on_slice(done, total)` is
    called after each slice."""
    if slices <= 1:  # one plan over everything, straight into `out`
        plan = build(frames)
        sink(plan, out)
        if on_slice is not None:
            on_slice(1, 1)
        return plan.collect_schema()
    ranges = household_ranges(frames, schema, slices)
    parts: list[Path] = []
    written: pl.Schema | None = None
    try:
        for number, (low, high) in enumerate(ranges):
            part = out.with_name(f"{out.name}.slice{number:04d}.parquet")
            parts.append(part)
            plan = build(slice_frames(frames, schema, low, high))
            written = written or plan.collect_schema()
            plan.sink_parquet(part)
            if on_slice is not None:
                on_slice(number + 1, len(ranges))
        sink(pl.concat([pl.scan_parquet(p) for p in parts], how="vertical"), out)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    assert written is not None  # there is always at least one range
    return written
