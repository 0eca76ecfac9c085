"""Regression tests for the mismatches the semantic properties found, one per
case, each pinned to the value the interpreter (the oracle) gives; and two
checks that the strategies themselves keep their promises (valid data,
edges actually drawn).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from semantic_harness import agree, check_text, compiled, differences, interpreted
from strategies.data_strategies import (
    DataSet,
    canonical_schema,
    datasets,
    make_frame,
)

from tfrules.compile.errors import NumberTooLargeInRule
from tfrules.compile.plan import compile_rules
from tfrules.data.load import load_dataset
from tfrules.data.validate import validate
from tfrules.semantics.values import NumberTooLarge

D = dt.date
AS_OF = D(2014, 2, 28)


def households(*rows: tuple[str, dt.date | None]) -> pl.DataFrame:
    return make_frame(
        "households",
        [{"household_id": h, "la_code": "E08000035", "attached_on": a} for h, a in rows],
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


def test_unknown_operands_of_and_or() -> None:
    """`unknown and unknown`: Polars has no `&` for two Null-typed literals."""
    values = both(
        "criterion a = unknown and unknown\ncriterion b = unknown or unknown\n"
        "criterion c = unknown or true\ncriterion d = false and unknown",
        BASE,
    )
    assert values["H1"] == {"a": None, "b": None, "c": True, "d": False}


def test_a_date_moved_by_unknown() -> None:
    """`attached_on + unknown` (unknown takes the duration's place) made a
    Polars duration of a Null-typed value: InvalidOperationError."""
    values = both(
        "measure a = attached_on + unknown\nmeasure b = 2012-01-01 - unknown\n"
        "criterion c = (2012-01-01 - unknown) > 2011-01-01",
        BASE,
    )
    assert values["H1"] == {"a": None, "b": None, "c": None}


# ---------------------------------------------------------------- sets


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("criterion r = attached_on in {}", False),
        ("criterion r = attached_on not in {}", True),
        ("criterion r = la_code in {}", False),
        ("criterion r = attached_on in {2012-01-01}", None),
    ],
)
def test_in_an_empty_set(rule: str, expected: object) -> None:
    """Nothing is in an empty set, not even an unknown value (Kleene `or` of no
    comparisons is false); the plan said unknown for an unknown item."""
    assert both(rule, BASE)["H2"]["r"] is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("criterion r = 1.5 in {1.5, 2}", True),
        ("criterion r = 2 in {1.5, 2, 0.000005}", True),
        ("criterion r = 2 not in {1.5, 2}", False),
        ("criterion r = (count members) in {1.0, 2}", True),
        ("criterion r = (sum 1.5 over members) in {3, 4}", True),
        ("criterion r = 15% in {0.15, 1}", True),
        ("criterion r = 12 months in {1 year, 3 months}", True),
        ("criterion r = (2013-01-04 - attached_on) in {3 days}", True),
    ],
)
def test_sets_of_mixed_numbers_and_of_durations(rule: str, expected: object) -> None:
    """`x in {1.5, 2}` built a Polars series from a Decimal and an int (TypeError);
    `x in {3 days}` one of Duration objects ("Nested object types")."""
    assert both(rule, BASE)["H1"]["r"] is expected


# ---------------------------------------------------------------- decimal literals


def test_decimal_literals_keep_six_places() -> None:
    """Decimals and percentages keep six places (types.py): the plan rounded a
    literal such as 1.0000001 to 1.000000, the interpreter kept all its digits,
    so `1 = 1.0000001` was true compiled and false interpreted."""
    values = both(
        "parameter p = 0.1234565\n"
        "criterion a = 1 = 1.0000001\ncriterion b = (count members) in {2.0000001}\n"
        "measure c = 12.3456785% of 1\nmeasure d = p * 1\nmeasure e = 1.0000005",
        BASE,
    )
    assert values["H1"] == {
        "a": True,
        "b": True,
        "c": Decimal("0.123457"),
        "d": Decimal("0.123456"),
        "e": Decimal("1.000000"),
    }


def _too_large_both_ways(rules: str, frames: dict[str, pl.DataFrame]) -> str:
    """Both engines refuse the rules' value as too large; the compiled plan's message."""
    ruleset, errors = check_text(f'ruleset gen.t "x"\nuses schema canonical\n{rules}\n')
    assert ruleset is not None, errors
    data = DataSet(frames, frozenset())
    with pytest.raises(NumberTooLarge):
        interpreted(ruleset, data, AS_OF)
    with pytest.raises(NumberTooLargeInRule) as found:
        compile_rules(ruleset, data.lazy(), AS_OF).collect()
    return str(found.value)


def test_integer_overflow_is_an_error_in_both_engines() -> None:
    """Whole numbers are 64-bit: beyond, both engines stop with an error rather
    than wrap (Polars' Int64 arithmetic wraps silently)."""
    message = _too_large_both_ways("measure r = 100000 * 100000 * 100000 * 100000", BASE)
    assert "too large" in message and "gen.t" in message


def test_a_sum_past_64_bits_names_its_rule() -> None:
    """A sum of counts beyond 2^63 wrapped: `education` came out false where the
    interpreter said true. Now it is an error naming the rule."""
    terms = make_frame(
        "school_terms",
        [
            {
                "person_id": "P1",
                "academic_year": 2012 + i,
                "term": "autumn",
                "sessions_possible": 2**62,
                "sessions_authorised_absence": 0,
                "sessions_unauthorised_absence": 0,
                "fixed_exclusions": 0,
                "permanently_excluded": False,
                "alternative_provision": False,
                "on_roll": True,
            }
            for i in range(3)
        ],
    )
    message = _too_large_both_ways(
        "measure possible for person = sum sessions_possible over school_terms\n"
        "criterion many = any member where possible > 10",
        {**BASE, "school_terms": terms},
    )
    assert "'possible' (gen.tfr:3)" in message


def test_sums_and_products_near_the_limit_agree() -> None:
    """Just inside the range both engines give the same whole number."""
    values = both(f"measure r = {2**62} + {2**62 - 1}\nmeasure s = -{2**62} * 2", BASE)
    assert values["H1"] == {"r": 2**63 - 1, "s": -(2**63)}


# ---------------------------------------------------------------- latest / earliest

CLAIMS = make_frame(
    "claims",
    [
        {"household_id": "H1", "claimed_on": d, "claim": c, "amount": Decimal(a)}
        for d, c, a in [
            (D(2014, 2, 1), "results", "1.00"),
            (D(2014, 2, 2), "attachment", "2.00"),
            (D(2014, 2, 2), "employment", "3.00"),
        ]
    ],
)


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
    assert values["H1"] == {
        "a": False,
        "b": "employment",
        "c": Decimal("2.00"),
        "d": Decimal("3.00"),
    }
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
    """docs/data-model.md: a missing claims table means nothing claimed yet. Named in
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


def test_strategies_follow_the_schema() -> None:
    """The strategies' picture of the canonical model (tables, owners, how rows
    are placed in time, column types, category values) is the shipped schema's."""
    from strategies import rule_strategies as R
    from strategies.data_strategies import CATEGORIES, EVENT_TABLES, table_dtypes

    from tfrules.model import types as T

    schema = canonical_schema()
    assert set(EVENT_TABLES) == set(R.TABLES) == {t.name for t in schema.event_tables}
    kinds = {
        T.Kind.INT: R.INT,
        T.Kind.BOOL: R.BOOL,
        T.Kind.DATE: R.DATE,
        T.Kind.MONEY: R.MONEY,
        T.Kind.TEXT: R.TEXT,
    }
    for table in schema.event_tables:
        owner, mode, columns = R.TABLES[table.name]
        assert owner == table.owner.removesuffix("s"), table.name
        assert mode == ("termly" if table.term else "span" if table.span else "dated")
        for column in table.columns:
            if column.name == table.owner_key:
                continue
            if column.type.kind is T.Kind.CATEGORY:
                assert columns[column.name] == R.cat(column.name)
                assert CATEGORIES[column.name] == column.type.values
            else:
                assert columns[column.name] == kinds[column.type.kind], column.name
        assert set(columns) == set(table.column_names) - {table.owner_key}
        assert list(table_dtypes(table.name)) == list(table.column_names)


# ---------------------------------------------------------------- constant conditions


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("if true then unknown else sum £0 over school_terms", None),
        ("if not true then unknown else sum £0 over school_terms", True),
        ("if unknown then sum £0 over school_terms else unknown", None),
        ("if 1 > 2 then unknown else sum £0 over school_terms", True),
    ],
)
@pytest.mark.parametrize("engine", ["auto", "in-memory", "streaming"])
def test_a_branch_polars_folds_to_one_value(body: str, expected: object, engine: str) -> None:
    """`if true then unknown else <sum over no rows>` for members: the in-memory
    engine folded the whole expression to one value but did not treat it as
    one, so the member column came back one row long ("Series length 1 doesn't
    match the DataFrame height of 2"). A constant condition now picks its branch
    when compiling, and an unknown branch needs no comparison of the two."""
    text = (
        'ruleset gen.t "x"\nuses schema canonical\n'
        f"measure q for person: money = {body}\n"
        "criterion r = any member satisfies q >= £0\n"
    )
    ruleset, errors = check_text(text)
    assert ruleset is not None, errors
    frames = {
        "households": households(("H1", None)),
        "persons": persons(("P1", "H1", D(1994, 3, 31)), ("P2", "H1", D(1994, 3, 31))),
        "school_terms": make_frame("school_terms", []),
    }
    rows = agree(ruleset, DataSet(frames, frozenset()), D(2012, 3, 31), text=text, engine=engine)
    assert rows["H1"]["r"] is expected


@pytest.mark.parametrize(
    "body",
    [
        "financial_year((if true then unknown else attached_on)) in {0}",
        "financial_year((if not true then attached_on else unknown)) in {2012}",
        "(if true then unknown else attached_on) < 2012-04-01",
        "financial_year((unknown)) in {0}",
        "financial_year((if unknown then unknown else unknown)) in {0}",
    ],
)
@pytest.mark.parametrize("engine", ["auto", "in-memory", "streaming"])
def test_a_folded_unknown_keeps_the_type_of_its_if(body: str, engine: str) -> None:
    """A constant condition that picks the bare word `unknown` left a value of
    no type, and Polars could not take the year of it ("`year` operation not
    supported for dtype `null`", found by the property tests). The folded
    branch is an unknown date now, so the answer is unknown."""
    text = f'ruleset gen.t "x"\nuses schema canonical\ncriterion r = {body}\n'
    ruleset, errors = check_text(text)
    assert ruleset is not None, errors
    frames = {
        "households": households(("H1", None), ("H2", D(2012, 5, 1))),
        "persons": persons(),
    }
    rows = agree(ruleset, DataSet(frames, frozenset()), D(2013, 3, 31), text=text, engine=engine)
    assert rows["H1"]["r"] is None
    assert rows["H2"]["r"] is None


@pytest.mark.parametrize(
    "rule",
    [
        "criterion r = ((if unknown then true else false) = "
        "(any school_terms where in the last 3 terms, unknown)) != unknown",
        "criterion r = ((if unknown then unknown else unknown) = "
        "(any school_terms satisfies unknown)) = unknown",
        "measure r: int = (count school_terms) + (if unknown then unknown else unknown)",
    ],
)
@pytest.mark.parametrize("engine", ["auto", "in-memory", "streaming"])
def test_a_comparison_with_unknown_is_one_unknown_per_household(rule: str, engine: str) -> None:
    """Polars' simplifier folded a comparison with a bare `unknown` to one row,
    and the in-memory engine did not broadcast it ("Series length 1 doesn't
    match the DataFrame height of 2", found by the property tests). A
    comparison or arithmetic with `unknown` is unknown when compiling."""
    text = f'ruleset gen.t "x"\nuses schema canonical\n{rule}\n'
    ruleset, errors = check_text(text)
    assert ruleset is not None, errors
    frames = {
        "households": households(("H1", None), ("H2", D(2012, 5, 1))),
        "persons": persons(("P1", "H1", D(2005, 1, 1)), ("P2", "H2", D(2005, 1, 1))),
        "school_terms": make_frame("school_terms", []),
    }
    rows = agree(ruleset, DataSet(frames, frozenset()), D(2013, 3, 31), text=text, engine=engine)
    assert rows["H1"]["r"] is None and rows["H2"]["r"] is None


@pytest.mark.parametrize(("day", "expected"), [(D(2012, 2, 29), True), (D(2013, 3, 31), False)])
@pytest.mark.parametrize("engine", ["auto", "in-memory", "streaming"])
def test_a_constant_compared_with_an_if_with_an_unknown_branch(
    day: dt.date, expected: bool, engine: str
) -> None:
    """`<constant> < if C then unknown else <date>`: Polars' in-memory engine
    gave one row for it (found by the property tests); the constant now goes
    on the right of the comparison."""
    text = (
        'ruleset gen.t "x"\nuses schema canonical\n'
        "criterion r = as_of < (if any school_terms then unknown else 2012-04-01)\n"
    )
    ruleset, errors = check_text(text)
    assert ruleset is not None, errors
    frames = {
        "households": households(("H1", None), ("H2", D(2012, 5, 1))),
        "persons": persons(("P1", "H1", D(2005, 1, 1))),
        "school_terms": make_frame("school_terms", []),
    }
    rows = agree(ruleset, DataSet(frames, frozenset()), day, text=text, engine=engine)
    assert rows["H1"]["r"] is expected and rows["H2"]["r"] is expected


def test_an_open_spell_has_not_ended_in_any_window() -> None:
    """`end_date in the last 12 months` is false for a spell still going on (an
    empty end), not unknown; true for one that ended in the window; false for one
    that ended before it (docs/language.md, 9.2)."""
    custody = make_frame(
        "custody",
        [
            {"person_id": "P1", "start_date": D(2013, 6, 1), "end_date": None},
            {"person_id": "P2", "start_date": D(2012, 6, 1), "end_date": D(2013, 9, 1)},
        ],
    )
    rules = (
        "criterion open_ended for person = any custody where end_date in the last 12 months\n"
        "criterion someone = any member where open_ended"
    )
    frames = {**BASE, "custody": custody}
    values = both(rules, frames)
    assert values["H1"]["someone"] is True
    only_open = {**BASE, "custody": custody.filter(pl.col("person_id") == "P1")}
    assert both(rules, only_open)["H1"]["someone"] is False
