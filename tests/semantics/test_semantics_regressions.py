"""Regression tests for the mismatches the semantic properties found, one per
case, each pinned to the value the interpreter (the oracle) gives; and two
checks that the strategies themselves keep their promises (valid data,
edges actually drawn).
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _path in (str(_HERE.parent), str(_HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import polars as pl  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from semantic_harness import check_text, compiled, differences, interpreted  # noqa: E402
from strategies.data_strategies import (  # noqa: E402
    DataSet,
    canonical_schema,
    datasets,
    make_frame,
)

from tfrules.data.load import load_dataset  # noqa: E402
from tfrules.data.validate import validate  # noqa: E402

D = dt.date
AS_OF = D(2014, 2, 28)


def households(*rows: tuple[str, dt.date | None]) -> pl.DataFrame:
    return make_frame(
        "households", [{"household_id": h, "la_code": "E08000035", "attached_on": a} for h, a in rows]
    )


def persons(*rows: tuple[str, str, dt.date]) -> pl.DataFrame:
    return make_frame(
        "persons", [{"person_id": p, "household_id": h, "date_of_birth": b} for p, h, b in rows]
    )


BASE = {
    "households": households(("H1", D(2013, 1, 1)), ("H2", None)),
    "persons": persons(("P1", "H1", D(2000, 1, 1)), ("P2", "H1", D(1980, 5, 1))),
}


def both(
    rules: str,
    frames: dict[str, pl.DataFrame],
    *,
    missing: frozenset[str] = frozenset(),
    as_of: dt.date = AS_OF,
) -> dict[str, dict[str, object]]:
    """Compile and interpret `rules`; assert they agree; the interpreter's values."""
    ruleset, errors = check_text(f'ruleset gen.t "x"\nuses schema canonical\n{rules}\n')
    assert ruleset is not None, errors
    data = DataSet(frames, missing)
    oracle = interpreted(ruleset, data, as_of)
    assert differences(compiled(ruleset, data, as_of), oracle) == []
    return oracle


# ---------------------------------------------------------------- bare `unknown`


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("criterion r = not unknown", None),
        ("criterion r = unknown is false", False),
        ("criterion r = unknown is true", False),
        ("measure r = if unknown then 1 else 2", None),
        ("measure r = if unknown then 2 else 2", 2),
        ("criterion r = at least 1 of [unknown, true]", True),
        ("criterion r = every member where unknown satisfies true", True),
        ("criterion r = every member where unknown satisfies false", None),
        ("criterion r = any member where unknown", None),
        ("measure r = count members where unknown", None),
        ("criterion r = no member satisfies unknown", None),
    ],
)
def test_bare_unknown_as_a_condition(rule: str, expected: object) -> None:
    """`not unknown`, `if unknown ...`: the bare literal compiled to a Null-typed
    Polars literal, which `~` rejected (InvalidOperationError: dtype Null not
    supported in 'not' operation). Conditions are now compiled as Boolean."""
    values = both(rule, BASE)
    assert values["H1"]["r"] == expected


# ---------------------------------------------------------------- latest / earliest

CLAIMS = make_frame(
    "claims",
    [
        {"household_id": "H1", "claimed_on": D(2014, 2, 1), "claim": "results", "amount": Decimal("1.00")},
        {"household_id": "H1", "claimed_on": D(2014, 2, 2), "claim": "attachment", "amount": Decimal("2.00")},
        {"household_id": "H1", "claimed_on": D(2014, 2, 2), "claim": "employment", "amount": Decimal("3.00")},
    ],
)  # fmt: skip


def test_latest_and_earliest_with_ties() -> None:
    """latest/earliest took the max/min of a (date, value) struct, which Polars 2.1
    cannot do: the in-memory engine silently gave null, streaming raised
    (`min` operation not supported for dtype `struct[2]`). Ties on the date go
    to the highest (latest) or lowest (earliest) value."""
    values = both(
        "criterion a = (earliest claim over claims where in the last 1 month) = attachment\n"
        "measure b = latest claim over claims\n"
        "measure c = earliest amount over claims where claimed_on >= 2014-02-02\n"
        "measure d = latest amount over claims",
        {**BASE, "claims": CLAIMS},
    )
    assert values["H1"] == {"a": False, "b": "employment", "c": Decimal("2.00"), "d": Decimal("3.00")}
    assert values["H2"] == {"a": None, "b": None, "c": None, "d": None}


def test_count_distinct_of_values_with_the_same_name() -> None:
    """`count distinct first_known(unknown, 1), 2 over ...`: both values are named
    `literal` in Polars and the struct of them raised DuplicateError."""
    values = both(
        "measure r = count distinct first_known(unknown, 1), 2 over claims\n"
        "measure s = count distinct claimed_on, claimed_on over claims",
        {**BASE, "claims": CLAIMS},
    )
    assert values["H1"] == {"r": 1, "s": 2}
    assert values["H2"] == {"r": 0, "s": 0}


# ---------------------------------------------------------------- tables not supplied


def test_claims_named_missing_reads_as_empty() -> None:
    """data-model.md: a missing claims table means nothing claimed yet. Named in
    `missing=`, it was dropped from the plan and reading it raised KeyError."""
    rules = "measure r = sum amount over claims\ncriterion s = any claims"
    for frames in ({**BASE, "claims": CLAIMS}, dict(BASE)):
        values = both(rules, frames, missing=frozenset({"claims"}))
        assert values["H1"] == {"r": Decimal("0.00"), "s": False}


def test_a_person_table_not_supplied_read_via_members() -> None:
    """Events of every member from a table left out: unknown where there are
    members, the empty value where there are none (pinned reading 12). The
    plan broadcast a household key onto the absent table's frame (KeyError)."""
    frames = {**BASE, "households": households(("H1", None), ("H2", None))}
    rules = (
        "criterion a = any social_care\n"
        "measure b = count social_care where active\n"
        "criterion c = every member has social_care"
    )
    for missing in (frozenset(), frozenset({"social_care"})):
        values = both(rules, frames, missing=missing)
        assert values["H1"] == {"a": None, "b": None, "c": None}
        assert values["H2"] == {"a": False, "b": 0, "c": True}


def test_member_events_when_some_households_have_no_members() -> None:
    """A household without members next to a quantifier over members' events
    and one over each member's events with a household date in its filter."""
    frames = {
        "households": households(("H1", None), ("H2", D(2012, 1, 1))),
        "persons": persons(("P1", "H2", D(1990, 1, 1))),
        "offences": make_frame(
            "offences", [{"person_id": "P1", "offence_date": D(2013, 1, 1), "proven": True}]
        ),
    }
    values = both(
        "criterion a = any offences\n"
        "criterion b = any member where true has offences where offence_date >= attached_on",
        frames,
    )
    assert values == {"H1": {"a": False, "b": False}, "H2": {"a": True, "b": True}}
    empty = {**frames, "persons": persons(), "offences": make_frame("offences", [])}
    values = both(
        "criterion a = any offences\n"
        "criterion b = any member where true has offences where offence_date >= attached_on",
        empty,
    )
    assert values == {"H1": {"a": False, "b": False}, "H2": {"a": False, "b": False}}


# ---------------------------------------------------------------- the strategies


@settings(max_examples=60, deadline=None)
@given(data=datasets())
def test_generated_data_sets_are_valid(data: DataSet) -> None:
    """What the strategies draw keeps the data contract (validated as a run would)."""
    supplied = {n: f for n, f in data.frames.items() if n not in data.missing}
    validate(load_dataset(supplied, canonical_schema()))
