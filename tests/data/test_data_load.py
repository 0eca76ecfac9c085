"""Loading a data set: sources, formats, canonical dtypes, missing and extra tables/columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from data_fixtures import SCHEMA, clean_frames, write_dir

from tfrules.data.errors import DataError
from tfrules.data.load import load_dataset
from tfrules.data.validate import validate
from tfrules.model.schema import Column, Level, Schema, Table
from tfrules.model.types import DATE, DECIMAL, TEXT


def _load(tmp_path: Path, fmt: str, frames: dict[str, pl.DataFrame], **kwargs):
    source = frames if fmt == "frames" else write_dir(tmp_path / "data", frames, fmt)
    return load_dataset(source, SCHEMA, **kwargs)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "frames"])
def test_clean_data_loads_with_canonical_dtypes_and_validates(tmp_path, fmt):
    dataset = _load(tmp_path, fmt, clean_frames())
    validate(dataset)
    assert dataset.missing_tables == frozenset()
    terms = dataset.frames["school_terms"].collect_schema()
    assert terms["academic_year"] == pl.Int64
    assert terms["term"] == pl.String
    assert terms["permanently_excluded"] == pl.Boolean
    assert dataset.frames["benefit_claims"].collect_schema()["start_date"] == pl.Date
    claims = dataset.frames["claims"].collect()
    assert claims.schema["amount"] == pl.Decimal(38, 2)
    assert claims["amount"].to_list() == [Decimal("4000.00")]
    persons = dataset.frames["persons"].collect().sort("person_id")
    assert persons["date_of_birth"][0] == dt.date(1980, 1, 1)


def test_csv_values_are_parsed_as_documented(tmp_path):
    frames = clean_frames()
    frames["offences"] = pl.DataFrame(
        {
            "person_id": ["P1", "P2", "P3", "P4"],
            "offence_date": ["2012-01-31"] * 4,
            "proven": ["TRUE", "false", "1", "0"],
        }
    )
    frames["claims"] = pl.DataFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "claimed_on": ["2013-04-01"] * 3,
            "amount": ["1234.50", "-3", "0.1"],
        }
    )
    dataset = _load(tmp_path, "csv", frames)
    validate(dataset)
    offences = dataset.frames["offences"].collect()
    assert offences["proven"].to_list() == [True, False, True, False]
    assert offences["offence_date"].to_list() == [dt.date(2012, 1, 31)] * 4
    amounts = dataset.frames["claims"].collect()["amount"].to_list()
    assert amounts == [Decimal("1234.50"), Decimal("-3.00"), Decimal("0.10")]


def test_parquet_float_money_is_rounded_to_the_penny(tmp_path):
    frames = clean_frames()
    frames["claims"] = pl.DataFrame(
        {
            "household_id": ["H1", "H2"],
            "claimed_on": [dt.date(2013, 4, 1)] * 2,
            "amount": [0.1 + 0.2, 1234.567],
        }
    )
    dataset = _load(tmp_path, "parquet", frames)
    validate(dataset)
    amounts = dataset.frames["claims"].collect()["amount"].to_list()
    assert amounts == [Decimal("0.30"), Decimal("1234.57")]


def test_integer_ids_in_parquet_are_read_as_text(tmp_path):
    frames = clean_frames()
    frames["households"] = frames["households"].with_columns(household_id=pl.Series([1, 2, 3]))
    frames["persons"] = frames["persons"].with_columns(household_id=pl.Series([1, 1, 2, 3]))
    frames["claims"] = frames["claims"].with_columns(household_id=pl.Series([1]))
    dataset = _load(tmp_path, "parquet", frames)
    validate(dataset)
    assert dataset.frames["households"].collect()["household_id"].sort().to_list() == [
        "1",
        "2",
        "3",
    ]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "frames"])
def test_optional_tables_left_out_are_missing_and_claims_read_empty(tmp_path, fmt):
    frames = clean_frames()
    for name in ("school_terms", "offences", "claims"):
        del frames[name]
    dataset = _load(tmp_path, fmt, frames)
    validate(dataset)
    assert dataset.missing_tables == frozenset({"school_terms", "offences"})
    assert "school_terms" not in dataset.frames
    claims = dataset.frames["claims"].collect()
    assert claims.height == 0
    assert claims.schema["amount"] == pl.Decimal(38, 2)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "frames"])
def test_core_table_missing_is_an_error(tmp_path, fmt):
    frames = clean_frames()
    del frames["persons"]
    with pytest.raises(DataError) as info:
        _load(tmp_path, fmt, frames)
    [problem] = info.value.problems
    assert problem.table == "persons"
    assert "persons table is required" in problem.message


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_only_required_columns_must_be_present(tmp_path, fmt):
    frames = clean_frames()
    frames["school_terms"] = frames["school_terms"].drop("fixed_exclusions", "permanently_excluded")
    frames["households"] = frames["households"].drop("la_code")
    required = {
        "households": {"attached_on"},
        "school_terms": {"sessions_possible", "sessions_unauthorised_absence"},
    }
    dataset = _load(tmp_path, fmt, frames, required=required)
    validate(dataset)
    assert dataset.frames["school_terms"].collect_schema().names() == [
        "person_id",
        "sessions_possible",
        "sessions_unauthorised_absence",
    ]
    assert dataset.frames["households"].collect_schema().names() == [
        "household_id",
        "attached_on",
    ]
    assert dataset.frames["persons"].collect_schema().names() == ["person_id", "household_id"]
    # Optional tables the ruleset does not use are not loaded at all.
    assert set(dataset.frames) == {"households", "persons", "school_terms"}
    assert dataset.missing_tables == frozenset()


def test_unknown_required_names_are_a_callers_bug(tmp_path):
    with pytest.raises(ValueError, match="unknown table"):
        load_dataset(clean_frames(), SCHEMA, {"nonsense": set()})
    with pytest.raises(ValueError, match="unknown columns"):
        load_dataset(clean_frames(), SCHEMA, {"offences": {"nonsense"}})


@pytest.mark.parametrize("fmt", ["csv", "parquet", "frames"])
def test_extra_columns_are_ignored(tmp_path, fmt):
    frames = clean_frames()
    frames["persons"] = frames["persons"].with_columns(
        shoe_size=pl.lit("not a number"), notes=pl.lit(None, dtype=pl.String)
    )
    dataset = _load(tmp_path, fmt, frames)
    validate(dataset)
    assert "shoe_size" not in dataset.frames["persons"].collect_schema()


def test_both_csv_and_parquet_for_one_table_is_an_error(tmp_path):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    clean_frames()["offences"].write_parquet(directory / "offences.parquet")
    with pytest.raises(DataError) as info:
        load_dataset(directory, SCHEMA)
    [problem] = info.value.problems
    assert problem.table == "offences"
    assert "offences.parquet and offences.csv" in problem.message


def test_unreadable_parquet_file_names_the_path(tmp_path):
    directory = write_dir(tmp_path / "data", clean_frames(), "parquet")
    (directory / "offences.parquet").write_text("person_id,offence_date\nP1,2012-01-01\n")
    with pytest.raises(DataError) as info:
        load_dataset(directory, SCHEMA)
    [problem] = info.value.problems
    assert problem.table == "offences"
    assert str(directory / "offences.parquet") in problem.message
    assert "not a readable Parquet file" in problem.message


def test_csv_that_is_not_utf8_is_reported_with_its_path(tmp_path):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    text = "person_id,offence_date,proven\nP1,2012-01-01,true\nP2,2012-01-01,vrai é\n"
    (directory / "offences.csv").write_bytes(text.encode("latin-1"))
    dataset = load_dataset(directory, SCHEMA)  # only the header is read here
    with pytest.raises(DataError) as info:
        validate(dataset)
    [problem] = info.value.problems
    assert problem.table == "offences"
    assert str(directory / "offences.csv") in problem.message
    assert "UTF-8" in problem.message


def test_csv_header_that_is_not_utf8_fails_at_load(tmp_path):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    (directory / "offences.csv").write_bytes("person_id,d\xe9lit\nP1,x\n".encode("latin-1"))
    with pytest.raises(DataError, match="not valid UTF-8"):
        load_dataset(directory, SCHEMA)


def test_source_that_is_not_a_directory(tmp_path):
    with pytest.raises(DataError, match="is not a directory"):
        load_dataset(tmp_path / "nowhere", SCHEMA)


def test_columns_are_read_under_their_source_name(tmp_path):
    households = Table(
        "households",
        Level.HOUSEHOLD,
        (Column("household_id", TEXT, source_name="HH_REF"), Column("score", DECIMAL)),
        key="household_id",
    )
    persons = Table(
        "persons",
        Level.PERSON,
        (Column("person_id", TEXT), Column("household_id", TEXT), Column("born", DATE)),
        key="person_id",
        owner="household",
        owner_key="household_id",
    )
    schema = Schema("renamed", (households, persons))
    frames = {
        "households": pl.DataFrame({"HH_REF": ["A"], "score": ["0.1234567"]}),
        "persons": pl.DataFrame(
            {"person_id": ["P"], "household_id": ["B"], "born": [dt.date(2000, 1, 1)]}
        ),
    }
    dataset = load_dataset(frames, schema)
    assert dataset.frames["households"].collect_schema().names() == ["household_id", "score"]
    with pytest.raises(DataError) as info:
        validate(dataset)
    messages = [(p.table, p.column, p.message) for p in info.value.problems]
    assert messages == [
        (
            "households",
            "score",
            '"0.1234567" is not a decimal number with at most 6 decimal places',
        ),
        (
            "persons",
            "household_id",
            'there is no household with household_id "B" in table households',
        ),
    ]
