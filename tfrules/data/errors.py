"""Errors for input data that breaks the data contract (docs/data-model.md, "Bad input").

A `DataError` carries every problem found, one `DataProblem` each, so that a
council fixes its extract in one go rather than one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs


@attrs.frozen
class DataProblem:
    """One broken rule, located as precisely as the data allows.

    `row` counts data rows from 1 in the file or frame (a CSV header line is not
    counted); `key` is the offending row's id (or, for an event table, its
    owner's id) named by `key_column`; `value` is the offending value as read.
    `message` is the whole plain-English sentence; `count` is how many rows
    break the same rule (only the first is located).
    """

    table: str
    column: str | None
    key: str | None
    row: int | None
    value: Any
    message: str
    #: Where the table came from: a file name such as `offences.csv`, or the table name.
    source: str | None = None
    key_column: str | None = None
    count: int = 1
    #: What the source calls its rows: `line` in a CSV file read through a mapping.
    row_word: str = "row"
    #: The column's heading in the council's own file, where it is not `column`.
    heading: str | None = None

    def __str__(self) -> str:
        where = [self.source or f"table {self.table}"]
        place = []
        if self.column is not None and self.heading not in (None, self.column):
            place.append(f'column "{self.heading}" ({self.column})')
        elif self.column is not None:
            place.append(f"column {self.column}")
        if self.row is not None:
            row = f"{self.row_word} {self.row}"
            if self.key is not None and self.key_column is not None:
                row += f" ({self.key_column} {self.key})"
            place.append(row)
        if place:
            where.append(", ".join(place))
        text = ": ".join([*where, self.message])
        if self.count > 1:
            text += f" [{self.count:,} rows in all]"
        return text


class DataError(Exception):
    """The input data breaks the data contract; nothing may be computed from it."""

    def __init__(self, problems: Iterable[DataProblem], source: str | None = None) -> None:
        self.problems: list[DataProblem] = list(problems)
        self.source = source
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[DataError], tuple[list[DataProblem], str | None]]:
        return (DataError, (self.problems, self.source))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input data"
        if self.source:
            head += f" ({self.source})"
        return "\n".join([head + ":", *(f"  {p}" for p in self.problems)])


def format_value(value: Any) -> str:
    """A value as an analyst would write it: text in double quotes, the rest bare."""
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
