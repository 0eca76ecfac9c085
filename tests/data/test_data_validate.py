"""Each kind of bad input gets one located, plain-English problem (docs/data-model.md,
"Bad input")."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import polars as pl
import pytest
from data_fixtures import SCHEMA, clean_frames, write_dir

from tfrules.data.errors import DataError, DataProblem
from tfrules.data.load import Dataset, load_dataset
from tfrules.data.validate import ROW_RULES, RowRule, validate

FORMATS = ["csv", "parquet"]


def _problems(tmp_path: Path, fmt: str, frames: dict[str, pl.DataFrame]) -> list[DataProblem]:
    source = frames if fmt == "frames" else write_dir(tmp_path / "data", frames, fmt)
    dataset = load_dataset(source, SCHEMA)
    with pytest.raises(DataError) as info:
        validate(dataset)
    return info.value.problems


def _one(tmp_path: Path, fmt: str, frames: dict[str, pl.DataFrame]) -> DataProblem:
    problems = _problems(tmp_path, fmt, frames)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def _set(frames: dict[str, pl.DataFrame], table: str, column: str, values: list) -> None:
    frames[table] = frames[table].with_columns(pl.Series(column, values))


def _source(table: str, fmt: str) -> str:
    return f"{table}.{fmt}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_required_column(tmp_path, fmt):
    frames = clean_frames()
    frames["offences"] = frames["offences"].drop("proven")
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.source) == ("offences", "proven", None, f"offences.{fmt}")
    assert p.message == "the file has no column proven, but the rules use it"
    assert str(p) == f"offences.{fmt}: column proven: " + p.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_id_column(tmp_path, fmt):
    frames = clean_frames()
    frames["persons"] = frames["persons"].drop("household_id")
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column) == ("persons", "household_id")
    assert "links each row to its owner" in p.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_value_that_is_not_a_date(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "offences", "offence_date", ["2012-11-05", "2013-02-30"])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key_column, p.key) == (
        "offences",
        "offence_date",
        2,
        "person_id",
        "P4",
    )
    assert p.value == "2013-02-30"
    assert str(p) == (
        f'offences.{fmt}: column offence_date, row 2 (person_id P4): "2013-02-30" '
        "is not a date (YYYY-MM-DD)"
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("table", "column", "values", "bad", "expected"),
    [
        ("school_terms", "sessions_possible", ["140", "1.5", "140"], "1.5", "a whole number"),
        ("school_terms", "permanently_excluded", ["no", "false", "true"], "no", "true or false"),
        ("claims", "amount", ["£4,000"], "£4,000", "an amount in pounds"),
        ("claims", "amount", ["4000.001"], "4000.001", "at most 2 decimal places"),
        ("households", "attached_on", ["2013-01-05", "5/1/2013", None], "5/1/2013", "a date"),
    ],
)
def test_value_of_the_wrong_type(tmp_path, fmt, table, column, values, bad, expected):
    frames = clean_frames()
    _set(frames, table, column, values)
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.value) == (table, column, values.index(bad) + 1, bad)
    assert p.message.startswith(f'"{bad}" is not ')
    assert expected in p.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_null_in_a_non_nullable_column(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "persons", "date_of_birth", [dt.date(1980, 1, 1), None, None, dt.date(2003, 9, 9)])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key, p.count) == ("persons", "date_of_birth", 2, "P2", 2)
    assert p.message == "date_of_birth is empty, but it must always be filled in"
    assert str(p).endswith("[2 rows in all]")


@pytest.mark.parametrize("fmt", FORMATS)
def test_null_id(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "benefit_claims", "person_id", ["P1", None])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key) == ("benefit_claims", "person_id", 2, None)
    assert "every row must say which person it belongs to" in p.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_nullable_column_may_be_empty(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "benefit_claims", "end_date", [None, None])
    source = write_dir(tmp_path / "data", frames, fmt)
    validate(load_dataset(source, SCHEMA))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("table", "column", "values", "rows"),
    [
        ("households", "household_id", ["H1", "H2", "H2"], (2, 3)),
        ("persons", "person_id", ["P1", "P2", "P3", "P1"], (1, 4)),
    ],
)
def test_duplicated_id(tmp_path, fmt, table, column, values, rows):
    frames = clean_frames()
    _set(frames, table, column, values)
    problems = _problems(tmp_path, fmt, frames)
    p = problems[0]
    assert (p.table, p.column, p.row, p.key) == (table, column, rows[0], values[rows[0] - 1])
    assert f"rows {rows[0]} and {rows[1]}" in p.message
    assert f"{column} must be unique" in p.message


def test_repeated_ids_are_counted_exactly(tmp_path, monkeypatch):
    """Ids are first counted by their hashes; two ids with the same hash (made
    here by hashing every id alike) are counted again, by their text, and are
    not reported as one id used twice. A true repeat is counted exactly."""
    frames = clean_frames()
    source = write_dir(tmp_path / "clean", frames, "parquet")
    monkeypatch.setattr(pl.Expr, "hash", lambda self, *a, **k: self.len().cast(pl.UInt64))
    validate(load_dataset(source, SCHEMA))  # every id hashed alike: still no repeat
    _set(frames, "persons", "person_id", ["P1", "P2", "P1", "P1"])
    problems = _problems(tmp_path, "parquet", frames)
    repeated = [p for p in problems if p.column == "person_id" and "must be unique" in p.message]
    assert [p.count for p in repeated] == [2]


@pytest.mark.parametrize("fmt", FORMATS)
def test_person_whose_household_does_not_exist(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "persons", "household_id", ["H1", "H1", "H9", "H3"])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key, p.value) == ("persons", "household_id", 3, "P3", "H9")
    assert p.message == f'there is no household with household_id "H9" in households.{fmt}'


@pytest.mark.parametrize("fmt", FORMATS)
def test_orphans_on_rows_side_by_side_are_each_counted(tmp_path, fmt):
    """Ids are first looked up with a row repeating the one before it left out;
    every orphan row is still counted, and the first is found."""
    frames = clean_frames()
    _set(frames, "offences", "person_id", ["P99", "P99"])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.value, p.count) == ("offences", "person_id", 1, "P99", 2)


@pytest.mark.parametrize("fmt", FORMATS)
def test_event_whose_person_does_not_exist(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "offences", "person_id", ["P2", "P99"])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key, p.value) == ("offences", "person_id", 2, "P99", "P99")
    assert p.message == f'there is no person with person_id "P99" in persons.{fmt}'


@pytest.mark.parametrize("fmt", FORMATS)
def test_household_event_whose_household_does_not_exist(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "claims", "household_id", ["H7"])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.value) == ("claims", "household_id", 1, "H7")
    assert "there is no household with household_id" in p.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_negative_count(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "school_terms", "fixed_exclusions", [0, -2, 0])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key, p.value) == (
        "school_terms",
        "fixed_exclusions",
        2,
        "P2",
        -2,
    )
    assert p.message == "-2 is negative, but fixed_exclusions is a count and cannot be below 0"


def test_term_columns_are_not_counts(tmp_path):
    frames = clean_frames()
    _set(frames, "school_terms", "academic_year", [-1, 2012, 2012])
    validate(load_dataset(frames, SCHEMA))


@pytest.mark.parametrize("fmt", FORMATS)
def test_absences_greater_than_sessions_possible(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "school_terms", "sessions_unauthorised_absence", [20, 0, 71])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key) == ("school_terms", "sessions_possible", 3, "P4")
    assert p.value == {
        "sessions_authorised_absence": 70,
        "sessions_unauthorised_absence": 71,
        "sessions_possible": 140,
    }
    assert p.message == (
        "absences (70 authorised + 71 unauthorised) are more than the 140 sessions possible"
    )


def test_absence_rule_is_skipped_when_its_columns_are_not_used(tmp_path):
    frames = clean_frames()
    _set(frames, "school_terms", "sessions_unauthorised_absence", [20, 0, 71])
    required = {"school_terms": {"sessions_possible", "sessions_unauthorised_absence"}}
    validate(load_dataset(frames, SCHEMA, required))


def test_row_rules_are_data(tmp_path):
    rule = RowRule(
        column="proven",
        uses=("proven",),
        broken=lambda c: c["proven"],
        describe=lambda r: "no proven offences in this test",
    )
    dataset = load_dataset(clean_frames(), SCHEMA)
    with pytest.raises(DataError) as info:
        validate(dataset, {**ROW_RULES, "offences": (rule,)})
    [p] = info.value.problems
    assert (p.column, p.row, p.message) == ("proven", 1, "no proven offences in this test")


@pytest.mark.parametrize("fmt", FORMATS)
def test_end_date_before_start_date(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "benefit_claims", "end_date", [dt.date(2011, 12, 31), None])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key) == ("benefit_claims", "end_date", 1, "P1")
    assert p.message == "end_date 2011-12-31 is before start_date 2012-01-01"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_category_value(tmp_path, fmt):
    frames = clean_frames()
    _set(frames, "benefit_claims", "benefit", ["JSA", "jsa"])
    p = _one(tmp_path, fmt, frames)
    assert (p.table, p.column, p.row, p.key, p.value) == (
        "benefit_claims",
        "benefit",
        2,
        "P3",
        "jsa",
    )
    assert p.message == (
        '"jsa" is not an allowed value of benefit (allowed: JSA, ESA, IB; capitals matter)'
    )


def test_column_of_an_unusable_dtype(tmp_path):
    frames = clean_frames()
    _set(frames, "offences", "offence_date", [[1], [2]])
    p = _one(tmp_path, "frames", frames)
    assert (p.table, p.column, p.row) == ("offences", "offence_date", None)
    assert "cannot be read as a date" in p.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_is_reported_at_once(tmp_path, fmt):
    frames = clean_frames()
    frames["households"] = frames["households"].drop("la_code")
    _set(frames, "persons", "household_id", ["H1", "H1", "H9", "H3"])
    _set(frames, "school_terms", "term", ["autumn", "winter", "autumn"])
    _set(frames, "school_terms", "fixed_exclusions", [0, 0, -1])
    _set(frames, "offences", "proven", ["yes", "true"])
    problems = _problems(tmp_path, fmt, frames)
    assert [(p.table, p.column) for p in problems] == [
        ("households", "la_code"),
        ("persons", "household_id"),
        ("school_terms", "term"),
        ("school_terms", "fixed_exclusions"),
        ("offences", "proven"),
    ]
    error = DataError(problems, "somewhere")
    lines = str(error).splitlines()
    assert lines[0] == "5 problems in the input data (somewhere):"
    assert lines[3] == (
        f"  school_terms.{fmt}: column term, row 2 (person_id P2): "
        '"winter" is not an allowed value of term '
        "(allowed: autumn, spring, summer; capitals matter)"
    )


def test_dataset_built_by_hand_is_validated_from_its_frames():
    frames = clean_frames()
    _set(frames, "offences", "person_id", ["P2", "P99"])
    lazy = {name: frame.lazy() for name, frame in frames.items()}
    dataset = Dataset(lazy, frozenset(), SCHEMA, "by hand")
    with pytest.raises(DataError) as info:
        validate(dataset)
    [p] = info.value.problems
    assert (p.table, p.column, p.row, p.source) == ("offences", "person_id", 2, "table offences")


def test_data_error_survives_pickling():
    problem = DataProblem("offences", "proven", "P1", 3, "yes", '"yes" is not true or false')
    error = pickle.loads(pickle.dumps(DataError([problem], "here")))
    assert error.problems == [problem]
    assert str(error) == (
        "1 problem in the input data (here):\n"
        '  table offences: column proven, row 3: "yes" is not true or false'
    )
