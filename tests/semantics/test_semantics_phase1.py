"""Property (c): the shipped `national.phase1` ruleset, compiled, agrees with the
interpreter on generated data sets, whatever the council's abstract `local`
criterion says (true, false or unknown).

The data sets are built around two reference dates, an attachment date and
a later claim date, since the results compare what held at attachment with
what holds at the claim.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st
from semantic_harness import ENGINES, PROPERTY_SETTINGS, agree, phase1
from strategies.data_strategies import (
    REFERENCE_DATES,
    DataSet,
    as_of_dates,
    datasets,
)

PHASE1_TABLES = (
    "school_terms",
    "offences",
    "asb",
    "benefit_claims",
    "employment_spells",
    "work_referrals",
    "claims",
)


@attrs.frozen
class Case:
    data: DataSet
    as_of: dt.date
    local: bool | None
    engine: str


@st.composite
def cases(draw: st.DrawFn) -> Case:
    refs = tuple(
        sorted(
            draw(st.lists(st.sampled_from(REFERENCE_DATES), min_size=1, max_size=2, unique=True))
        )
    )
    data = draw(datasets(tables=PHASE1_TABLES, refs=refs))
    as_of = draw(st.one_of(st.just(refs[-1]), as_of_dates(data)))
    local = draw(st.sampled_from((True, False, None)))
    return Case(data, as_of, local, draw(st.sampled_from(ENGINES)))


def test_phase1_checks_and_reads_these_tables() -> None:
    ruleset = phase1()
    assert ruleset.abstract_rules == ["local"]
    used = {info.table.name for info in ruleset.annotations.all_collections()} - {"persons"}
    assert used == set(PHASE1_TABLES)


@PROPERTY_SETTINGS
@given(case=cases())
def test_phase1_compiled_equals_interpreter(case: Case) -> None:
    fixed = {"local": case.local}
    agree(phase1(), case.data, case.as_of, fixed=fixed, text="national.phase1", engine=case.engine)
