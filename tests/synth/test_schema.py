"""Tables, columns and dtypes exactly as docs/data-model.md (v1) lists them."""

from __future__ import annotations

import polars as pl

from tfrules.data.synth import CATEGORIES, LA_NAMES, TABLES, generate

#: Written out from docs/data-model.md by hand, so a slip in schema.py is caught.
EXPECTED: dict[str, list[tuple[str, pl.DataType]]] = {
    "households": [("household_id", pl.String), ("la_code", pl.String), ("attached_on", pl.Date)],
    "persons": [("person_id", pl.String), ("household_id", pl.String), ("date_of_birth", pl.Date)],
    "school_terms": [
        ("person_id", pl.String),
        ("academic_year", pl.Int64),
        ("term", pl.String),
        ("sessions_possible", pl.Int64),
        ("sessions_authorised_absence", pl.Int64),
        ("sessions_unauthorised_absence", pl.Int64),
        ("fixed_exclusions", pl.Int64),
        ("permanently_excluded", pl.Boolean),
        ("alternative_provision", pl.Boolean),
        ("on_roll", pl.Boolean),
    ],
    "offences": [("person_id", pl.String), ("offence_date", pl.Date), ("proven", pl.Boolean)],
    "asb": [("person_id", pl.String), ("recorded_on", pl.Date), ("kind", pl.String)],
    "benefit_claims": [
        ("person_id", pl.String),
        ("benefit", pl.String),
        ("start_date", pl.Date),
        ("end_date", pl.Date),
    ],
    "employment_spells": [("person_id", pl.String), ("start_date", pl.Date), ("end_date", pl.Date)],
    "work_referrals": [
        ("person_id", pl.String),
        ("referred_on", pl.Date),
        ("programme", pl.String),
    ],
    "social_care": [
        ("person_id", pl.String),
        ("status", pl.String),
        ("start_date", pl.Date),
        ("end_date", pl.Date),
    ],
    "police_incidents": [
        ("person_id", pl.String),
        ("incident_date", pl.Date),
        ("category", pl.String),
    ],
    "health": [("person_id", pl.String), ("condition", pl.String), ("recorded_on", pl.Date)],
    "custody": [("person_id", pl.String), ("start_date", pl.Date), ("end_date", pl.Date)],
    "housing": [
        ("household_id", pl.String),
        ("recorded_on", pl.Date),
        ("rent_arrears", pl.Decimal(38, 2)),
        ("eviction_notice", pl.Boolean),
    ],
    "claims": [
        ("household_id", pl.String),
        ("claimed_on", pl.Date),
        ("claim", pl.String),
        ("amount", pl.Decimal(38, 2)),
    ],
}


def test_schema_constant_matches_data_model() -> None:
    assert {name: list(cols.items()) for name, cols in TABLES.items()} == EXPECTED


def test_every_table_has_exact_columns_and_dtypes(tables: dict[str, pl.DataFrame]) -> None:
    assert list(tables) == list(EXPECTED)
    for name, frame in tables.items():
        assert list(frame.schema.items()) == EXPECTED[name], name
        assert frame.height > 0, name


def test_every_category_value_occurs(tables: dict[str, pl.DataFrame]) -> None:
    for (name, column), allowed in CATEGORIES.items():
        assert set(tables[name][column].unique().to_list()) == set(allowed), (name, column)


def test_la_codes(tables: dict[str, pl.DataFrame]) -> None:
    codes = set(tables["households"]["la_code"].unique().to_list())
    assert codes == set(LA_NAMES)
    assert LA_NAMES["E08000035"] == "Leeds"


def test_zero_households_gives_empty_canonical_tables() -> None:
    empty = generate(0, seed=1)
    for name, frame in empty.items():
        assert frame.height == 0
        assert list(frame.schema.items()) == EXPECTED[name]


def test_ids_are_well_formed(small_tables: dict[str, pl.DataFrame]) -> None:
    assert small_tables["households"]["household_id"].str.contains(r"^H\d{9}$").all()
    assert small_tables["persons"]["person_id"].str.contains(r"^P\d{10}$").all()
    assert small_tables["households"]["household_id"][0] == "H000000001"
