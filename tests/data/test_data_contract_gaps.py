"""Gaps in the data contract found by probing (issue 18, items 7, 8 and 11):
blank and padded ids, repeated headings, dates outside the supported range,
amounts too large for exact arithmetic. Each is a located data error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from data_fixtures import SCHEMA, clean_frames, write_dir

from tfrules.data.errors import DataError, DataProblem
from tfrules.data.load import load_dataset
from tfrules.data.validate import validate
from tfrules.semantics.calendar import EARLIEST_DATE, LATEST_DATE


def _problems(tmp_path: Path, frames: dict[str, pl.DataFrame], fmt: str) -> list[DataProblem]:
    source = frames if fmt == "frames" else write_dir(tmp_path / "data", frames, fmt)
    dataset = load_dataset(source, SCHEMA)
    with pytest.raises(DataError) as info:
        validate(dataset)
    return info.value.problems


def _write_csv(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.csv").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- item 7: blank and padded ids


@pytest.mark.parametrize("blank", ['""', '" "', '"   "'])
def test_blank_household_id_in_csv_is_rejected(tmp_path, blank):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    _write_csv(
        directory,
        "households",
        f"household_id,la_code,attached_on\nH1,E1,2013-01-05\n{blank},E1,\nH3,E1,\n",
    )
    _write_csv(directory, "persons", "person_id,household_id,date_of_birth\nP1,H1,1980-01-01\n")
    problems = _problems_of_dir(directory)
    [problem] = [p for p in problems if p.table == "households"]
    assert (problem.source, problem.column, problem.row) == ("households.csv", "household_id", 2)
    expected = "every row needs one (it is the row's id)"
    assert problem.message.endswith(expected)
    assert ("only spaces" in problem.message) == (blank != '""')


def _problems_of_dir(directory: Path) -> list[DataProblem]:
    dataset = load_dataset(directory, SCHEMA, {"persons": set(), "households": set()})
    with pytest.raises(DataError) as info:
        validate(dataset)
    return info.value.problems


@pytest.mark.parametrize("fmt", ["csv", "parquet", "frames"])
def test_ids_differing_by_surrounding_spaces_are_rejected(tmp_path, fmt):
    frames = clean_frames()
    frames["households"] = frames["households"].with_columns(
        pl.Series("household_id", ["H1", "H2 ", "H3"])
    )
    frames["persons"] = frames["persons"].with_columns(
        pl.Series("household_id", ["H1", " H1", "H2 ", "H3"])
    )
    problems = _problems(tmp_path, frames, fmt)
    padded = {(p.table, p.column, p.row): p for p in problems if "spaces" in p.message}
    assert set(padded) == {("households", "household_id", 2), ("persons", "household_id", 2)}
    message = padded[("persons", "household_id", 2)].message
    assert message.startswith('" H1" has spaces at its start or end')
    # the padded person's household " H1" does not exist either: said separately
    assert any("no household" in p.message and p.table == "persons" for p in problems)


def test_blank_person_id_in_parquet_is_rejected(tmp_path):
    frames = clean_frames()
    frames["persons"] = frames["persons"].with_columns(
        pl.Series("person_id", ["P1", " ", "P3", ""])
    )
    problems = _problems(tmp_path, frames, "parquet")
    blank = [p for p in problems if (p.table, p.column) == ("persons", "person_id")]
    assert [(p.row, p.count) for p in blank] == [(2, 2)]
    assert blank[0].message == '" " is only spaces, but every row needs one (it is the row\'s id)'


# ---------------------------------------------------------------- item 8: repeated headings


def test_repeated_heading_in_csv_is_an_error_naming_file_and_column(tmp_path):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    _write_csv(
        directory,
        "households",
        "household_id,la_code,household_id,attached_on\nH1,E1,H9,\nH2,E1,H8,\nH3,E1,H7,\n",
    )
    with pytest.raises(DataError) as info:
        load_dataset(directory, SCHEMA)
    [problem] = info.value.problems
    assert (problem.source, problem.column) == ("households.csv", "household_id")
    assert "two columns headed household_id (columns 1 and 3)" in problem.message


def test_repeated_heading_of_a_column_not_used_is_still_an_error(tmp_path):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    _write_csv(directory, "offences", "person_id,note,offence_date,note,proven\n")
    with pytest.raises(DataError, match="two columns headed note"):
        load_dataset(directory, SCHEMA)


# ---------------------------------------------------------------- item 11: dates and amounts


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1799, 12, 31)])
def test_dates_outside_the_supported_range_are_data_errors(tmp_path, fmt, day):
    frames = clean_frames()
    frames["households"] = frames["households"].with_columns(
        pl.Series("attached_on", [dt.date(2013, 1, 5), day, None])
    )
    [problem] = _problems(tmp_path, frames, fmt)
    assert (problem.table, problem.column, problem.row) == ("households", "attached_on", 2)
    assert problem.source == f"households.{fmt}"
    assert problem.message.startswith(f"{day.isoformat()} is outside the dates tfrules works with")
    assert f"({EARLIEST_DATE} to {LATEST_DATE})" in problem.message


def test_the_ends_of_the_range_are_accepted(tmp_path):
    frames = clean_frames()
    frames["households"] = frames["households"].with_columns(
        pl.Series("attached_on", [EARLIEST_DATE, LATEST_DATE, None])
    )
    validate(load_dataset(write_dir(tmp_path / "data", frames, "csv"), SCHEMA))


@pytest.mark.parametrize(
    "amount",
    ["9" * 35 + ".00", "1000000000000", "-1000000000000.00", "00001000000000000"],
)
def test_an_amount_too_large_for_exact_sums_is_a_data_error(tmp_path, amount):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    _write_csv(
        directory,
        "claims",
        f"household_id,claimed_on,amount\nH1,2013-04-01,4000\nH2,2013-04-01,{amount}\n",
    )
    [problem] = _problems_of_dir_all(directory)
    assert (problem.source, problem.column, problem.row) == ("claims.csv", "amount", 2)
    assert "is too large" in problem.message
    assert "less than 1,000,000,000,000" in problem.message


def test_the_largest_amount_below_the_limit_is_accepted(tmp_path):
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    _write_csv(
        directory,
        "claims",
        "household_id,claimed_on,amount\nH1,2013-04-01,999999999999.99\nH2,2013-04-01,-5\n",
    )
    dataset = load_dataset(directory, SCHEMA)
    validate(dataset)
    amounts = dataset.frames["claims"].collect()["amount"].to_list()
    assert [str(a) for a in amounts] == ["999999999999.99", "-5.00"]


def test_a_large_parquet_amount_is_a_data_error(tmp_path):
    frames = clean_frames()
    frames["claims"] = pl.DataFrame(
        {"household_id": ["H1"], "claimed_on": [dt.date(2013, 4, 1)], "amount": [3.5e15]}
    )
    [problem] = _problems(tmp_path, frames, "parquet")
    assert (problem.column, problem.row) == ("amount", 1)
    assert "is too large" in problem.message


def _problems_of_dir_all(directory: Path) -> list[DataProblem]:
    dataset = load_dataset(directory, SCHEMA)
    with pytest.raises(DataError) as info:
        validate(dataset)
    return info.value.problems
