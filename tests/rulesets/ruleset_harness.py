"""Small hand-made data sets for the shipped rulesets, evaluated by both engines.

`Families` builds the canonical tables row by row (every column not given
takes the schema's default, as a rule-file test's rows do); `evaluate_both`
runs a ruleset over them through `tfrules.api` (the compiled plan `eval`
uses) and through the reference interpreter, asserts that the two agree on
every household and rule, and returns the values by household id. A test
then states the value the programme rules pin, so a wrong answer is caught
even when both engines give it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import polars as pl

import tfrules
from tfrules.interpret.evaluator import Interpreter
from tfrules.interpret.household import households_from_frames
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Column, Schema
from tfrules.semantics.dtypes import dtype

D = dt.date
DAY = dt.timedelta(days=1)
LEEDS = "E08000035"

Rows = dict[str, dict[str, Any]]

_TYPE_DEFAULTS: dict[T.Kind, Any] = {
    T.Kind.BOOL: False,
    T.Kind.INT: 0,
    T.Kind.MONEY: Decimal("0.00"),
    T.Kind.TEXT: "",
}


@functools.cache
def shipped(name: str) -> CheckedRuleset:
    """A shipped ruleset by name, checked once per test session."""
    return tfrules.load(name)


def gbp(amount: str | int) -> Decimal:
    """An amount of money as the engines give it: a Decimal to the penny."""
    return Decimal(str(amount)).quantize(Decimal("0.01"))


def birthday(born: dt.date, years: int) -> dt.date:
    """The day someone born on `born` completes `years` years (29 February: 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


class Families:
    """Rows of the canonical tables, added a household, a member or an event at a time."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def household(
        self, household_id: str, attached_on: dt.date | None = None, la_code: str = LEEDS
    ) -> Families:
        self.rows["households"].append(
            {"household_id": household_id, "la_code": la_code, "attached_on": attached_on}
        )
        return self

    def member(self, person_id: str, household_id: str, born: dt.date) -> Families:
        self.rows["persons"].append(
            {"person_id": person_id, "household_id": household_id, "date_of_birth": born}
        )
        return self

    def event(self, table: str, owner: str, **fields: Any) -> Families:
        """One row of an event table about `owner` (a person, or a household for
        household tables)."""
        key = "household_id" if table in ("housing", "claims") else "person_id"
        self.rows[table].append({key: owner, **fields})
        return self

    def events(self, table: str, owner: str, count: int, **fields: Any) -> Families:
        for _ in range(count):
            self.event(table, owner, **fields)
        return self

    def frames(self, schema: Schema, missing: Iterable[str] = ()) -> dict[str, pl.DataFrame]:
        """Every table of the schema (event tables empty unless given), less `missing`."""
        left_out = set(missing)
        found = {}
        for table in schema.tables:
            if table.name in left_out:
                continue
            rows = [_complete(table.columns, row) for row in self.rows.get(table.name, [])]
            types = {c.name: dtype(c.type) for c in table.columns}
            columns = {name: [row[name] for row in rows] for name in types}
            found[table.name] = pl.DataFrame(columns, schema=types)
        unknown = set(self.rows) - {t.name for t in schema.tables}
        assert not unknown, f"no such tables: {sorted(unknown)}"
        return found


def _complete(columns: tuple[Column, ...], given: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(given) - {c.name for c in columns}
    assert not unknown, f"no such columns: {sorted(unknown)}"
    row = {}
    for column in columns:
        if column.name in given:
            row[column.name] = given[column.name]
        elif column.default is not None:
            row[column.name] = column.default
        elif column.nullable:
            row[column.name] = None
        else:
            row[column.name] = _TYPE_DEFAULTS[column.type.kind]
    return row


def same(a: Any, b: Any) -> bool:
    """Equal values of the same kind: unknown only equals unknown, true is not 1."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) or isinstance(b, float):
        return False
    return bool(a == b)


def evaluate_both(
    ruleset: CheckedRuleset,
    families: Families,
    as_of: dt.date,
    rules: Iterable[str],
    *,
    missing: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
) -> Rows:
    """The compiled plan's values (through `tfrules.api`), held to the interpreter's."""
    wanted = list(rules)
    data = tfrules.load_data(ruleset, families.frames(ruleset.schema, missing))
    plan = tfrules.compile_plan(ruleset, data, as_of, rules=wanted, fixed=fixed).collect()
    key = ruleset.schema.households.key or ""
    compiled = {row[key]: row for row in plan.iter_rows(named=True)}
    interpreter = Interpreter(ruleset, as_of, fixed=dict(fixed or {}))
    frames = {name: frame.collect() for name, frame in data.frames.items()}
    oracle = {
        household.id: interpreter.evaluate(household, wanted)
        for household in households_from_frames(ruleset.schema, frames, data.missing_tables)
    }
    assert sorted(compiled) == sorted(oracle), "one row per household in both engines"
    disagreements = [
        f"{household}.{rule}: plan {compiled[household][rule]!r}, "
        f"interpreter {oracle[household][rule]!r}"
        for household in sorted(oracle)
        for rule in wanted
        if not same(compiled[household][rule], oracle[household][rule])
    ]
    assert not disagreements, f"the engines disagree at {as_of}:\n" + "\n".join(disagreements)
    return {household: {rule: row[rule] for rule in wanted} for household, row in compiled.items()}


def expect(rows: Rows, rule: str, expected: Mapping[str, Any]) -> None:
    """Each household's value of `rule` is the one given (booleans by identity,
    amounts exactly); every mismatch is listed."""
    wrong = [
        f"{household}: {rule} = {rows[household][rule]!r}, expected {value!r}"
        for household, value in expected.items()
        if not same(rows[household][rule], value)
    ]
    assert not wrong, "\n".join(wrong)
