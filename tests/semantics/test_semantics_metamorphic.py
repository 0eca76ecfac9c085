"""Properties (b): metamorphic relations of the compiled plans.

- shuffling the rows of every input table changes nothing;
- evaluating some of the households (the frames filtered to them) gives
  exactly their rows of the whole run;
- adding an event row never turns an `any ... has` criterion from true to
  false (for the compiled plan and for the interpreter alike).
"""

from __future__ import annotations

import datetime as dt

import attrs
import polars as pl
from hypothesis import assume, given
from hypothesis import strategies as st
from semantic_harness import (
    PROPERTY_SETTINGS,
    check_text,
    compiled,
    describe,
    differences,
    interpreted,
)
from strategies.data_strategies import (
    PERSON_TABLES,
    ROW_NUMBERS,
    DataSet,
    as_of_dates,
    datasets,
    household_event_row,
    make_frame,
    person_event_row,
    shuffled,
)
from strategies.rule_strategies import GeneratedRuleset, monotone_rulesets, rulesets

from tfrules.model.ruleset import CheckedRuleset


@attrs.frozen
class Case:
    rules: GeneratedRuleset
    data: DataSet
    as_of: dt.date


@st.composite
def cases(draw: st.DrawFn, monotone: bool = False) -> Case:
    rules = draw(monotone_rulesets() if monotone else rulesets())
    data = draw(datasets(tables=rules.tables))
    return Case(rules, data, draw(as_of_dates(data)))


def checked(case: Case) -> CheckedRuleset:
    ruleset, _ = check_text(case.rules.text)
    assume(ruleset is not None)
    return ruleset


@PROPERTY_SETTINGS
@given(case=cases(), seed=st.integers(0, 2**32 - 1))
def test_shuffling_rows_changes_nothing(case: Case, seed: int) -> None:
    ruleset = checked(case)
    before = compiled(ruleset, case.data, case.as_of)
    after = compiled(ruleset, shuffled(case.data, seed), case.as_of)
    found = differences(before, after)
    assert not found, "\n".join(found) + f"\n{case.rules.text}\n{describe(case.data)}"


@PROPERTY_SETTINGS
@given(case=cases(), data=st.data())
def test_a_subset_of_households_gives_their_rows(case: Case, data: st.DataObject) -> None:
    ruleset = checked(case)
    ids = case.data.household_ids
    some = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
    whole = compiled(ruleset, case.data, case.as_of)
    part = compiled(ruleset, case.data.only(some), case.as_of)
    found = differences({h: whole[h] for h in some}, part)
    assert not found, (
        "\n".join(found) + f"\nhouseholds {some}\n{case.rules.text}\n{describe(case.data)}"
    )


def with_event(data: DataSet, table: str, row: dict[str, object]) -> DataSet:
    frame = pl.concat([data.frames[table], make_frame(table, [row])], how="vertical")
    return attrs.evolve(data, frames={**data.frames, table: frame})


@PROPERTY_SETTINGS
@given(case=cases(monotone=True), data=st.data())
def test_adding_an_event_never_falsifies_any_has(case: Case, data: st.DataObject) -> None:
    ruleset = checked(case)
    supplied = [
        t for t in sorted(case.rules.tables) if t in case.data.frames and t not in case.data.missing
    ]
    assume(supplied)
    table = data.draw(st.sampled_from(supplied), label="table")
    if table in PERSON_TABLES:
        owners = case.data.frames["persons"]["person_id"].to_list()
        assume(owners)
        owner = data.draw(st.sampled_from(owners), label="person")
        row = person_event_row(data.draw(ROW_NUMBERS), table, owner, case.data.refs)
    else:
        owner = data.draw(st.sampled_from(case.data.household_ids), label="household")
        row = household_event_row(data.draw(ROW_NUMBERS), table, owner, case.data.refs)
    more = with_event(case.data, table, row)
    for evaluate in (compiled, interpreted):
        before = evaluate(ruleset, case.data, case.as_of)
        after = evaluate(ruleset, more, case.as_of)
        for household, values in before.items():
            for rule in case.rules.monotone:
                assert values[rule] is not True or after[household][rule] is True, (
                    f"{evaluate.__name__}: {household} {rule} was true, then "
                    f"{after[household][rule]} with {table} row {row}\n{case.rules.text}\n"
                    f"{describe(case.data)}"
                )
