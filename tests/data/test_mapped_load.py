"""Reading a council's extract through a mapping: every feature of a mapping, and
every data error located in the council's own file, heading and line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from mapping_fixtures import (
    BASIC_MAPPING,
    FAMILIES,
    PEOPLE,
    load,
    mapping,
    problems,
    rows,
    write,
)

from tfrules.data.errors import DataError

d = dt.date


def _basic(tmp_path, **extra):
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": PEOPLE, **extra})
    return folder, mapping(folder, BASIC_MAPPING)


def test_renames_constants_and_dates_written_the_councils_way(tmp_path):
    folder, checked = _basic(tmp_path)
    dataset = load(folder, checked)
    assert rows(dataset, "households") == [
        ("F1", "E06000099", d(2013, 2, 10)),
        ("F2", "E06000099", None),
    ]
    assert rows(dataset, "persons", "person_id", "date_of_birth") == [
        ("P1", d(2001, 1, 15)),
        ("P2", d(1975, 11, 3)),
        ("P3", d(2004, 2, 29)),
    ]


def test_a_value_that_does_not_read_is_located_in_the_councils_file(tmp_path):
    people = PEOPLE.replace("03/11/1975", "31/11/1975")
    folder, checked = _basic(tmp_path, **{"People.csv": people})
    [problem] = problems(folder, checked)
    assert (problem.source, problem.column, problem.heading) == (
        "People.csv",
        "date_of_birth",
        "DOB",
    )
    assert (problem.row_word, problem.row, problem.value) == ("line", 3, "31/11/1975")
    assert str(problem) == (
        'People.csv: column "DOB" (date_of_birth), line 3 (person_id P2): "31/11/1975" is '
        "not a date written dd/mm/yyyy or a date written yyyy-mm-dd"
    )


def test_a_heading_the_file_lacks_is_named_with_a_did_you_mean(tmp_path):
    people = PEOPLE.replace("DOB", "D.O.B")
    folder, checked = _basic(tmp_path, **{"People.csv": people})
    [problem] = problems(folder, checked)
    assert (problem.source, problem.column) == ("People.csv", "date_of_birth")
    assert problem.message.startswith('the file has no column headed "DOB" for date_of_birth')
    assert "did you mean 'D.O.B'?" in problem.message


def test_a_file_the_mapping_names_that_is_not_there(tmp_path):
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "Persons.csv": PEOPLE})
    checked = mapping(folder, BASIC_MAPPING)
    with pytest.raises(DataError) as info:
        load(folder, checked)
    [problem] = info.value.problems
    assert "no file in" in problem.message and '"People.csv"' in problem.message
    assert "did you mean 'Persons.csv'?" in problem.message


@pytest.mark.parametrize(
    ("delimiter", "declared"),
    [(";", None), (";", ";"), ("\t", "tab"), ("|", None), (",", ",")],
)
def test_csv_with_any_delimiter(tmp_path, delimiter, declared):
    people = PEOPLE.replace(",", delimiter)
    option = f' delimiter "{declared}"' if declared else ""
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": people})
    checked = mapping(
        folder, BASIC_MAPPING.replace('from "People.csv"', f'from "People.csv"{option}')
    )
    assert len(rows(load(folder, checked), "persons")) == 3


def test_a_byte_order_mark_and_windows_line_ends(tmp_path):
    people = "\ufeff" + "\r\n".join(line.strip() for line in PEOPLE.strip().splitlines()) + "\r\n"
    folder, checked = _basic(tmp_path, **{"People.csv": people.encode("utf-8")})
    assert rows(load(folder, checked), "persons", "person_id")[0] == ("P1",)


def test_windows_1252_is_read_when_the_mapping_says_so(tmp_path):
    families = "Family ID,Notes,Date Attached\nF1,café £5,10/02/2013\nF2,,\n".encode("cp1252")
    folder = write(tmp_path / "data", {"Families.csv": families, "People.csv": PEOPLE})
    text = BASIC_MAPPING.replace(
        'from "Families.csv"', 'from "Families.csv" encoding "windows-1252"'
    )
    dataset = load(folder, mapping(folder, text))
    assert rows(dataset, "households", "attached_on") == [(d(2013, 2, 10),), (None,)]


def test_windows_1252_without_saying_so_is_reported_with_a_hint(tmp_path):
    families = "Family ID,Date Attached\nF1,10/02/2013\nF\xe9,\n".encode("latin-1")
    folder, checked = _basic(tmp_path, **{"Families.csv": families})
    with pytest.raises(DataError) as info:
        load(folder, checked)
    text = str(info.value)
    assert "Families.csv" in text and "UTF-8" in text


def test_headings_below_a_title(tmp_path):
    people = "Anytown extract, January 2015\n\n" + PEOPLE.strip().replace("\n    ", "\n")
    bad = people.replace("29/02/2004", "30/02/2004")
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": bad})
    text = BASIC_MAPPING.replace('from "People.csv"', 'from "People.csv" headings on row 3')
    [problem] = problems(folder, mapping(folder, text))
    assert (problem.row_word, problem.row) == ("line", 6)


def test_stacked_sources_with_patterns_and_alternative_headings(tmp_path):
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": FAMILIES,
            "People.csv": PEOPLE,
            "police/North 2014.csv": "Person Ref,Date,Type\nP1,01/03/2014,Domestic Abuse\n",
            "police/NORTH 2015.CSV": "Person Ref,Date,Type\nP2,02/03/2015,burglary\n",
            "police/South.csv": "PERSON_ID,Date,Type\nP3,2015-01-01,DA\nP3,2015-01-02,BURGLARY \n",
        },
    )
    checked = mapping(
        folder,
        BASIC_MAPPING
        + """
        table police_incidents
            from "police/north *.csv" supplied by "North Police" extracted 2015-01-05
            from "police/South.csv" supplied by "South Police"
            "Person Ref" or "PERSON_ID" -> person_id
            "Date" -> incident_date
                written "dd/mm/yyyy"
            "Type" -> category
                "Domestic Abuse", "DA" means domestic_abuse
        """,
    )
    dataset = load(
        folder, checked, {**_required(), "police_incidents": {"incident_date", "category"}}
    )
    assert rows(dataset, "police_incidents") == [
        ("P1", d(2014, 3, 1), "domestic_abuse"),
        ("P2", d(2015, 3, 2), "burglary"),
        ("P3", d(2015, 1, 1), "domestic_abuse"),
        ("P3", d(2015, 1, 2), "burglary"),
    ]
    places = dataset.provenance()["police_incidents"]
    assert [(p.name, p.supplied_by, p.extracted) for p in places] == [
        ("police/North 2014.csv", "North Police", d(2015, 1, 5)),
        ("police/NORTH 2015.CSV", "North Police", d(2015, 1, 5)),
        ("police/South.csv", "South Police", None),
    ]


def _required():
    from mapping_fixtures import REQUIRED

    return dict(REQUIRED)


def test_an_unmapped_label_is_named_with_its_file_heading_line_and_count(tmp_path):
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": FAMILIES,
            "People.csv": PEOPLE,
            "North.csv": "Person Ref,Date,Type\nP1,01/03/2014,Arson\n",
            "South.csv": "Person Ref,Date,Type\nP2,01/03/2014,violence\nP3,01/03/2014,Arson\n"
            "P3,02/03/2014,Arson\n",
        },
    )
    checked = mapping(
        folder,
        BASIC_MAPPING
        + """
        table police_incidents
            from "North.csv"
            from "South.csv"
            "Person Ref" -> person_id
            "Date" -> incident_date
                written "dd/mm/yyyy"
            "Type" -> category
        """,
    )
    [problem] = problems(folder, checked, {**_required(), "police_incidents": {"category"}})
    assert (problem.source, problem.heading, problem.row, problem.count) == (
        "North.csv",
        "Type",
        2,
        3,
    )
    assert problem.message.startswith(
        '"Arson" is not a value of category and the mapping gives it no meaning'
    )
    assert str(problem).endswith('such as "Arson" means other [3 rows in all]')


def test_duplicate_ids_across_two_files_name_both_places(tmp_path):
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": FAMILIES,
            "People A.csv": PEOPLE,
            "People B.csv": "Person ID,Family ID,DOB\nP9,F2,01/01/2000\nP2,F2,01/01/2000\n",
        },
    )
    text = BASIC_MAPPING.replace('from "People.csv"', 'from "People *.csv"')
    [problem] = problems(folder, mapping(folder, text))
    assert problem.message == (
        '"P2" is used on more than one row (People A.csv line 3 and People B.csv line 3), '
        "but person_id must be unique"
    )


def test_derived_columns_cut_and_joined(tmp_path):
    people = "Person Ref,DOB\nF1/01,15/01/2001\nF1/02,03/11/1975\nF2/01,29/02/2004\n"
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": people})
    text = BASIC_MAPPING.replace(
        """"Person ID" -> person_id
        "Family ID" -> household_id""",
        '''person_id = "AT-" + column "Person Ref"
        household_id = column "Person Ref" before "/"''',
    )
    dataset = load(folder, mapping(folder, text))
    assert rows(dataset, "persons", "person_id", "household_id") == [
        ("AT-F1/01", "F1"),
        ("AT-F1/02", "F1"),
        ("AT-F2/01", "F2"),
    ]


def test_dates_in_several_pictures_excel_numbers_and_labels_for_unknown(tmp_path):
    families = (
        "Family ID,Date Attached\nF1,10/02/2013\nF2,41289\nF3,5 Mar 2013\nF4,Not known\n"
        "F5,2013-04-01\n"
    )
    people = "Person ID,Family ID,DOB\nP1,F1,01/01/2000\n"
    folder = write(tmp_path / "data", {"Families.csv": families, "People.csv": people})
    text = BASIC_MAPPING.replace(
        'written "dd/mm/yyyy"\n\n',
        'written "dd/mm/yyyy" or "d mmm yyyy" or excel\n            "Not known" means unknown\n\n',
        1,
    )
    dataset = load(folder, mapping(folder, text))
    assert rows(dataset, "households", "attached_on") == [
        (d(2013, 2, 10),),
        (d(2013, 1, 15),),
        (d(2013, 3, 5),),
        (None,),
        (d(2013, 4, 1),),
    ]


def test_yes_no_money_with_pounds_and_labels_of_text(tmp_path):
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": FAMILIES.replace("Family ID,", "Family ID,LA,")
            .replace("F1,", "F1,Leeds,")
            .replace("F2,", "F2,E10000012,"),
            "People.csv": PEOPLE,
            "Rent.csv": 'Family ID,Date,Arrears,Notice\nF1,01/04/2014,"£1,234.50",Yes\n'
            "F2,01/04/2014,-£3,N\nF2,02/04/2014,£0.5,no\n",
        },
    )
    text = BASIC_MAPPING.replace(
        'la_code = "E06000099"', '"LA" -> la_code\n            "Leeds" means "E08000035"'
    )
    text += """
    table housing
        from "Rent.csv"
        "Family ID" -> household_id
        "Date" -> recorded_on
            written "dd/mm/yyyy"
        "Arrears" -> rent_arrears
            written "£1,234.50"
        "Notice" -> eviction_notice
            "Yes", "Y" means true
            "No", "N" means false
    """
    required = {**_required(), "housing": {"rent_arrears", "eviction_notice", "recorded_on"}}
    dataset = load(folder, mapping(folder, text), required)
    assert rows(dataset, "households", "la_code") == [("E08000035",), ("E10000012",)]
    assert rows(dataset, "housing", "rent_arrears", "eviction_notice") == [
        (Decimal("1234.50"), True),
        (Decimal("-3.00"), False),
        (Decimal("0.50"), False),
    ]


def test_an_amount_written_the_continental_way(tmp_path):
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": FAMILIES,
            "People.csv": PEOPLE,
            "claims.csv": "household_id;claimed_on;claim;amount\nF1;2013-04-01;results;1.234,5\n",
        },
    )
    text = (
        BASIC_MAPPING
        + """
    table claims
        from "claims.csv"
        "amount" -> amount
            written "1.234,50"
    """
    )
    required = {**_required(), "claims": {"amount", "claimed_on", "claim"}}
    assert rows(load(folder, mapping(folder, text), required), "claims", "amount") == [
        (Decimal("1234.50"),)
    ]


def test_an_amount_too_large_through_a_picture(tmp_path):
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": FAMILIES,
            "People.csv": PEOPLE,
            "claims.csv": "household_id,claimed_on,claim,amount\nF1,2013-04-01,results,"
            '"£1,000,000,000,000.00"\n',
        },
    )
    text = (
        BASIC_MAPPING
        + """
    table claims
        from "claims.csv"
        "amount" -> amount
            written "£1,234.50"
    """
    )
    required = {**_required(), "claims": {"amount"}}
    [problem] = problems(folder, mapping(folder, text), required)
    assert (problem.source, problem.row, problem.row_word) == ("claims.csv", 2, "line")
    assert "is too large" in problem.message


def test_repeated_heading_in_a_mapped_csv(tmp_path):
    folder, checked = _basic(tmp_path, **{"People.csv": "Person ID,DOB,DOB\nP1,x,y\n"})
    with pytest.raises(DataError, match="two columns headed DOB"):
        load(folder, checked)


def test_blank_and_padded_ids_through_a_mapping(tmp_path):
    people = 'Person ID,Family ID,DOB\nP1,F1,15/01/2001\n" ",F1,15/01/2001\nP3,"F2 ",15/01/2001\n'
    folder, checked = _basic(tmp_path, **{"People.csv": people})
    found = [(p.heading, p.row, p.message) for p in problems(folder, checked)]
    assert any(
        h == "Person ID" and r == 3 and m.startswith('" " is only spaces') for h, r, m in found
    )
    assert any(
        h == "Family ID" and r == 4 and m.startswith('"F2 " has spaces at its start or end')
        for h, r, m in found
    )


def test_a_mapped_table_read_alongside_canonical_files(tmp_path):
    folder, checked = _basic(
        tmp_path,
        **{"offences.csv": "person_id,offence_date,proven\nP1,2013-01-01,true\n"},
    )
    dataset = load(folder, checked, {**_required(), "offences": {"offence_date", "proven"}})
    assert rows(dataset, "offences") == [("P1", d(2013, 1, 1), True)]
    assert dataset.inventory is not None
    assert dataset.inventory.sources["offences"] == ("offences.csv",)
    assert dataset.inventory.sources["persons"] == ("People.csv",)


def test_the_evaluation_frame_carries_no_locating_columns(tmp_path):
    folder, checked = _basic(tmp_path)
    frame = load(folder, checked).frames["persons"]
    assert frame.collect_schema().names() == ["person_id", "household_id", "date_of_birth"]
    assert frame.collect_schema()["date_of_birth"] == pl.Date
