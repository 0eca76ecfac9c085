"""A CSV file Polars cannot read is located: the first line that is not UTF-8
text, or whose number of fields differs from the heading's."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_fixtures import SCHEMA, clean_frames, write_dir

from tfrules.data.csv_locate import first_broken_line
from tfrules.data.errors import DataError
from tfrules.data.load import load_dataset
from tfrules.data.validate import validate

HOUSEHOLDS = "household_id,la_code,attached_on\nH1,E1,2013-01-05\nH2,E1,\nH3,E1,\n"


def _message(directory: Path) -> str:
    every = {"household_id", "la_code", "attached_on"}
    dataset = load_dataset(directory, SCHEMA, {"persons": set(), "households": every})
    with pytest.raises(DataError) as info:
        validate(dataset)
    [problem] = [p for p in info.value.problems if p.table == "households"]
    assert problem.source == "households.csv"
    return problem.message


def _write(tmp_path: Path, households: bytes) -> Path:
    directory = write_dir(tmp_path / "data", clean_frames(), "csv")
    (directory / "households.csv").write_bytes(households)
    persons = "person_id,household_id,date_of_birth\nP1,H1,1980-01-01\n"
    (directory / "persons.csv").write_text(persons, encoding="utf-8")
    return directory


def test_a_line_that_is_not_utf8_is_named(tmp_path):
    # Windows-1252's pound sign, as a council's export might write it
    text = HOUSEHOLDS.encode() + b"H4,E1,\nH5 \xa3,E1,\n"
    message = _message(_write(tmp_path, text))
    assert "line 6 is not UTF-8 text" in message and "0xa3" in message


def test_a_line_with_an_extra_field_is_named(tmp_path):
    text = HOUSEHOLDS.replace("H2,E1,\n", "H2,E1,,extra\n").encode()
    message = _message(_write(tmp_path, text))
    assert "line 3 has 4 fields where the heading has 3" in message


def test_a_quoted_value_over_two_lines_and_with_a_comma_is_not_broken(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b\n"x, y",1\n"two\nlines",2\n3,4,5\n', encoding="utf-8")
    broken = first_broken_line(path)
    assert broken is not None and broken.line == 5


def test_a_readable_file_has_no_broken_line(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("\ufeffa,b\n1,2\n", encoding="utf-8")
    assert first_broken_line(path) is None
    assert first_broken_line(tmp_path / "absent.csv") is None
