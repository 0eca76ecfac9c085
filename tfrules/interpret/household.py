"""One household's data, as plain Python rows, for the reference interpreter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import polars as pl

from tfrules.model.schema import Schema

Row = dict[str, Any]


@attrs.frozen
class HouseholdData:
    """A household, its members, and the event rows about them.

    `events` holds, per table, the rows of every member (person tables) or of
    the household (household tables). A table in `missing` was not supplied:
    facts drawn from it are unknown.
    """

    household: Row
    members: tuple[Row, ...]
    events: Mapping[str, tuple[Row, ...]]
    missing: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return str(next(iter(self.household.values())))


def households_from_frames(
    schema: Schema,
    frames: Mapping[str, pl.DataFrame | pl.LazyFrame],
    missing: frozenset[str] = frozenset(),
    only: set[str] | None = None,
) -> Iterator[HouseholdData]:
    """Split whole tables into households (a plain loop: this feeds the oracle)."""

    def rows(name: str) -> list[Row]:
        frame = frames[name]
        if isinstance(frame, pl.LazyFrame):
            frame = frame.collect()
        return frame.to_dicts()

    households_table, persons_table = schema.households, schema.persons
    assert households_table.key and persons_table.key and persons_table.owner_key
    members: dict[str, list[Row]] = defaultdict(list)
    person_household: dict[str, str] = {}
    for person in rows(persons_table.name):
        household_id = person[persons_table.owner_key]
        members[household_id].append(person)
        person_household[person[persons_table.key]] = household_id
    events: dict[str, dict[str, list[Row]]] = {}
    for table in schema.event_tables:
        per_household: dict[str, list[Row]] = defaultdict(list)
        if table.name in frames and table.name not in missing:
            assert table.owner_key is not None
            for row in rows(table.name):
                owner = row[table.owner_key]
                if table.owner == persons_table.name:
                    owner = person_household.get(owner)
                per_household[owner].append(row)
        events[table.name] = per_household
    gone = frozenset(
        t.name
        for t in schema.event_tables
        if (t.name not in frames or t.name in missing) and not t.empty_when_missing
    )
    for household in rows(households_table.name):
        household_id = household[households_table.key]
        if only is not None and household_id not in only:
            continue
        yield HouseholdData(
            household,
            tuple(members.get(household_id, [])),
            {name: tuple(per.get(household_id, [])) for name, per in events.items()},
            gone,
        )
