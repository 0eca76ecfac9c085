"""Workbooks through a mapping: a sheet by name or the first, headings below a
title, real date cells beside dates typed as text, and errors located on the
sheet's own rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from mapping_fixtures import FAMILIES, load, mapping, problems, rows, write

from tfrules.data.errors import DataError

PEOPLE_MAPPING = """
    mapping anytown "Anytown"

    table households
        from "Families.csv"
        "Family ID" -> household_id
        la_code = "E06000099"
        "Date Attached" -> attached_on
            written "dd/mm/yyyy"

    table persons
        from "Extract.xlsx" {options}
        "Person ID" -> person_id
        "Family ID" -> household_id
        "DOB" -> date_of_birth
            written "dd/mm/yyyy" or excel
"""


def _workbook(path: Path, people: list[list[object]], *, title: bool = False) -> None:
    """A workbook with a cover sheet, then the people (under a title, if asked)."""
    book = xlsxwriter.Workbook(str(path))
    cover = book.add_worksheet("Read me")
    cover.write(0, 0, "Anytown extract, January 2015")
    sheet = book.add_worksheet("People")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    top = 0
    if title:
        sheet.write(0, 0, "People known to the Families team")
        top = 2
    for r, values in enumerate(people):
        for c, value in enumerate(values):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(top + r, c, value, dates)
            elif value is not None:
                sheet.write(top + r, c, value)
    book.close()


PEOPLE_ROWS: list[list[object]] = [
    ["Person ID", "Family ID", "DOB"],
    ["P1", "F1", dt.datetime(2001, 1, 15)],
    ["P2", "F1", "03/11/1975"],
    ["P3", "F2", 38046],  # an Excel day number typed into a cell formatted as a number
]


def _folder(tmp_path: Path, people: list[list[object]], options: str, title: bool = False):
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES})
    _workbook(folder / "Extract.xlsx", people, title=title)
    return folder, mapping(folder, PEOPLE_MAPPING.format(options=options))


@pytest.mark.parametrize("options", ['sheet "People"', 'sheet " people"'])
def test_a_sheet_by_name_with_date_cells_text_dates_and_day_numbers(tmp_path, options):
    folder, checked = _folder(tmp_path, PEOPLE_ROWS, options)
    dataset = load(folder, checked)
    assert rows(dataset, "persons") == [
        ("P1", "F1", dt.date(2001, 1, 15)),
        ("P2", "F1", dt.date(1975, 11, 3)),
        ("P3", "F2", dt.date(2004, 2, 29)),
    ]
    [place] = dataset.provenance()["persons"]
    assert place.name == 'Extract.xlsx, sheet "People"'


def test_headings_below_a_title_and_errors_on_the_sheets_own_rows(tmp_path):
    people = [*PEOPLE_ROWS[:2], ["P2", "F1", "31/11/1975"], PEOPLE_ROWS[3]]
    folder, checked = _folder(tmp_path, people, 'sheet "People" headings on row 3', title=True)
    [problem] = problems(folder, checked)
    assert (problem.source, problem.heading, problem.row_word, problem.row) == (
        'Extract.xlsx, sheet "People"',
        "DOB",
        "row",
        5,
    )
    assert problem.value == "31/11/1975"


def test_the_first_sheet_is_read_when_none_is_named(tmp_path):
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES})
    book = xlsxwriter.Workbook(str(folder / "Extract.xlsx"))
    sheet = book.add_worksheet("Everyone")
    for r, values in enumerate(PEOPLE_ROWS[:3]):
        sheet.write_row(r, 0, [str(v.date()) if isinstance(v, dt.datetime) else v for v in values])
    book.close()
    checked = mapping(folder, PEOPLE_MAPPING.format(options=""))
    assert len(rows(load(folder, checked), "persons")) == 2


def test_a_sheet_that_is_not_there_has_a_did_you_mean(tmp_path):
    folder, checked = _folder(tmp_path, PEOPLE_ROWS, 'sheet "Peeple"')
    with pytest.raises(DataError) as info:
        load(folder, checked)
    message = "Extract.xlsx: the workbook has no sheet \"Peeple\"; did you mean 'People'?"
    assert message in str(info.value)


def test_a_heading_twice_in_a_sheet(tmp_path):
    people = [["Person ID", "Family ID", "DOB", "DOB"], ["P1", "F1", "01/01/2000", "x"]]
    folder, checked = _folder(tmp_path, people, 'sheet "People"')
    with pytest.raises(DataError, match='sheet "People": the file has two columns headed DOB'):
        load(folder, checked)


def test_a_file_that_is_not_a_workbook(tmp_path):
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "Extract.xlsx": "not a workbook"})
    checked = mapping(folder, PEOPLE_MAPPING.format(options=""))
    with pytest.raises(DataError, match=r"Extract\.xlsx: it is not a readable Excel workbook"):
        load(folder, checked)
