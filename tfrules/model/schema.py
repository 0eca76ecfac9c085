"""The resolved data schema: tables, their level, keys and typed columns.

A `schema` declaration in a rule file is checked into a `Schema`; the data
loader validates input tables against it and the compiler and the reference
interpreter read their frames through it.
"""

from __future__ import annotations

import enum

import attrs

from tfrules.model.types import Type


class Level(enum.IntEnum):
    """Entity levels, coarsest first: a household has persons, a person has events.

    A value at a finer level reaches a coarser one only through a quantifier or
    an aggregate; a coarser value is visible at every finer level.
    """

    HOUSEHOLD = 0
    PERSON = 1
    EVENT = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@attrs.frozen
class Column:
    name: str
    type: Type
    nullable: bool = False
    #: A count: an int that cannot be negative.
    non_negative: bool = False
    #: The value a test row gets when it does not give one.
    default: object = None
    title: str | None = None
    #: The column's name in the council's own extract, when it differs.
    source_name: str | None = None


@attrs.frozen
class Table:
    """One input table.

    `owner` is the name of the table whose rows this one's rows belong to (`household` for
    persons and household events, `person` for person events) and `owner_key`
    the column that links them. `date_column` (or `span` for start/end tables,
    or `term` for termly tables) is what time windows and `latest` look at.
    """

    name: str
    level: Level
    columns: tuple[Column, ...]
    key: str | None = None
    owner: str | None = None
    owner_key: str | None = None
    date_column: str | None = None
    span: tuple[str, str] | None = None
    term: tuple[str, str] | None = None
    #: A table that may be left out of a data set as a whole.
    optional: bool = False
    #: When the table is left out it reads as empty (no rows) rather than unknown.
    empty_when_missing: bool = False
    title: str | None = None
    #: The entity's own name (`household`, `person`) for entity tables.
    entity: str | None = None
    #: For the persons table: the date-of-birth column that `age` reads.
    aged_by: str | None = None
    #: For the households table: the column naming each household's council
    #: (an ONS local-authority code), by which runs are split and reported.
    council: str | None = None

    def is_spell_end(self, column: str) -> bool:
        """The end of a spell (`end_date` of `spanning start_date to end_date`):
        empty while the spell goes on."""
        return self.span is not None and self.span[1] == column

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@attrs.frozen
class Schema:
    name: str
    tables: tuple[Table, ...]
    title: str | None = None

    def table(self, name: str) -> Table | None:
        for table in self.tables:
            if table.name == name:
                return table
        return None

    @property
    def households(self) -> Table:
        return next(t for t in self.tables if t.level is Level.HOUSEHOLD)

    @property
    def persons(self) -> Table:
        return next(t for t in self.tables if t.level is Level.PERSON)

    @property
    def council_column(self) -> str | None:
        """The households' council column, as the schema declares it (None: no councils)."""
        return self.households.council

    @property
    def event_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.level is Level.EVENT)
