"""Both engines agree on data at the ends of the supported date range, and on
amounts just under the largest one data may hold (issue 18, item 11).

Dates outside EARLIEST_DATE..LATEST_DATE and larger amounts are rejected at
load (tests/data/test_data_contract_gaps.py), so these are the extremes the
engines can be given. The data here is first put through the loader's own
validation, to show that it is data `eval` would accept.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from semantic_harness import agree, check_text
from strategies.data_strategies import DataSet, make_frame
from test_semantics_edges import edge_data, edge_rules

from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.data.load import load_dataset
from tfrules.data.validate import validate
from tfrules.model.ruleset import CheckedRuleset
from tfrules.semantics.calendar import EARLIEST_DATE, LATEST_DATE
from tfrules.semantics.values import LARGEST_AMOUNT

#: Run dates near each end: the edges (a year or so before each, births 18
#: years before that, the next term's first day after) then stay inside the range.
RUN_DATES = (
    dt.date(EARLIEST_DATE.year + 20, 1, 1),
    dt.date(EARLIEST_DATE.year + 20, 4, 6),
    dt.date(LATEST_DATE.year, 7, 29),
    dt.date(LATEST_DATE.year, 3, 31),
)


@pytest.fixture(scope="module")
def ruleset() -> CheckedRuleset:
    found, errors = check_text(edge_rules())
    assert found is not None, errors
    return found


def _accepted(data: DataSet, ruleset: CheckedRuleset) -> None:
    dataset = load_dataset(dict(data.frames), ruleset.schema)
    validate(dataset)


@pytest.mark.parametrize("as_of", RUN_DATES, ids=str)
def test_engines_agree_near_the_ends_of_the_date_range(ruleset, as_of):
    data = edge_data(as_of)
    _accepted(data, ruleset)
    dates = pl.concat(
        [frame.select(pl.col(pl.Date)).unpivot() for frame in data.frames.values()],
        how="vertical",
    )["value"].drop_nulls()
    # the data does reach close to an end of the range
    near = dt.timedelta(days=800)
    assert dates.min() <= EARLIEST_DATE + near or dates.max() >= LATEST_DATE - near
    agree(ruleset, data, as_of, text=edge_rules())


def test_engines_agree_on_the_first_and_last_day_themselves(ruleset):
    """Households attached on the first and the last supported day, members born on them."""
    households = [
        {"household_id": "A", "la_code": "x", "attached_on": EARLIEST_DATE},
        {"household_id": "B", "la_code": "x", "attached_on": LATEST_DATE},
    ]
    persons = [
        {"person_id": "A1", "household_id": "A", "date_of_birth": EARLIEST_DATE},
        {"person_id": "B1", "household_id": "B", "date_of_birth": LATEST_DATE},
    ]
    offences = [
        {"person_id": "A1", "offence_date": EARLIEST_DATE, "proven": True},
        {"person_id": "B1", "offence_date": LATEST_DATE, "proven": True},
    ]
    data = DataSet(
        {
            "households": make_frame("households", households),
            "persons": make_frame("persons", persons),
            "offences": make_frame("offences", offences),
        },
        missing=frozenset({"custody", "social_care", "employment_spells", "school_terms"}),
    )
    _accepted(data, ruleset)
    for as_of in (EARLIEST_DATE, LATEST_DATE):
        agree(ruleset, data, as_of, text=edge_rules())


MONEY_RULES = """ruleset gen.t "x"
uses schema canonical
measure claimed = sum amount over claims
measure arrears = sum rent_arrears over housing
measure share = claimed * 15%
measure third = claimed / 3
criterion above = claimed > £999,999,999,999.98
"""


def test_engines_agree_on_amounts_just_under_the_limit():
    ruleset, errors = check_text(MONEY_RULES)
    assert ruleset is not None, errors
    top = LARGEST_AMOUNT - Decimal("0.01")
    money = pl.Decimal(38, 2)
    claims = pl.DataFrame(
        {
            "household_id": ["A", "A", "A", "B"],
            "claimed_on": [dt.date(2013, 4, 1)] * 4,
            "claim": ["attachment", "results", "employment", "attachment"],
            "amount": [top, top, -top, Decimal("0.01")],
        },
        schema_overrides={"amount": money},
    )
    housing = pl.DataFrame(
        {
            "household_id": ["A", "B"],
            "recorded_on": [dt.date(2013, 4, 1)] * 2,
            "rent_arrears": [top, -top],
            "eviction_notice": [False, False],
        },
        schema_overrides={"rent_arrears": money},
    )
    data = DataSet(
        {
            "households": make_frame(
                "households",
                [
                    {"household_id": h, "la_code": "x", "attached_on": dt.date(2013, 1, 1)}
                    for h in "AB"
                ],
            ),
            "persons": make_frame(
                "persons",
                [{"person_id": "P", "household_id": "A", "date_of_birth": dt.date(1980, 1, 1)}],
            ),
            "claims": claims,
            "housing": housing,
        }
    )
    _accepted(data, ruleset)
    rows = agree(ruleset, data, dt.date(2014, 1, 1), text=MONEY_RULES)
    assert rows["A"]["claimed"] == top
    assert rows["A"]["above"] is True


def test_the_canonical_schema_is_what_these_tests_load():
    assert (bundled_rulesets_dir() / "schema" / "canonical.tfr").is_file()
