"""Where an expression stands: household, a member, or one row of an event table.

Names resolve from the innermost context outwards: an event row sees its own
columns, then its person's, then its household's. A finer value (a person's
column at household level) is out of scope and needs a quantifier.
"""

from __future__ import annotations

import attrs

from tfrules.model.schema import Column, Level, Schema, Table


@attrs.frozen
class Context:
    level: Level
    table: Table
    parent: Context | None = None

    def chain(self) -> list[Context]:
        contexts: list[Context] = []
        current: Context | None = self
        while current is not None:
            contexts.append(current)
            current = current.parent
        return contexts

    def find_column(self, name: str) -> tuple[Table, Column] | None:
        for context in self.chain():
            column = context.table.column(name)
            if column is not None:
                return context.table, column
        return None

    def person(self) -> Context | None:
        """The person this context is about, if any."""
        return next((c for c in self.chain() if c.level is Level.PERSON), None)

    def describe(self) -> str:
        if self.level is Level.HOUSEHOLD:
            return "household level"
        if self.level is Level.PERSON:
            return "member level"
        return f"a row of {self.table.name}"


def household_context(schema: Schema) -> Context:
    return Context(Level.HOUSEHOLD, schema.households)


def person_context(schema: Schema) -> Context:
    return Context(Level.PERSON, schema.persons, household_context(schema))


def context_for_level(schema: Schema, level: Level) -> Context:
    return person_context(schema) if level is Level.PERSON else household_context(schema)
