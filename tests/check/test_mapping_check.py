"""Checking mapping files: every mistake positioned, with did-you-mean, and what a
correct mapping is checked into."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tfr_helpers import check_files, summary, tfr, where

from tfrules import api
from tfrules.check import check_paths
from tfrules.semantics.pictures import AmountPicture

SAMPLE = Path(__file__).resolve().parents[1] / "syntax" / "sample_mapping.tfr"


def _check(tmp_path: Path, text: str):
    return check_files(tmp_path, {"anytown.tfr": tfr(text)})


def _only(tmp_path: Path, text: str) -> tuple[tuple[str, str, int, int], str | None]:
    report = _check(tmp_path, text)
    assert len(report.diagnostics) == 1, summary(report)
    found = report.diagnostics[0]
    return where(found), found.hint


def test_the_sample_mapping_checks_clean():
    report = check_paths([SAMPLE])
    assert report.errors == 0, summary(report)


def test_a_mapping_is_checked_into_its_tables_columns_and_readings():
    mapping = api.load_mapping(SAMPLE)
    assert mapping.name == "anytown" and mapping.schema.name == "canonical"
    assert set(mapping.tables) == {
        "households",
        "persons",
        "police_incidents",
        "housing",
        "social_care",
    }
    households = mapping.tables["households"]
    [source] = households.sources
    assert (source.delimiter, source.encoding, source.header_row) == (";", "windows-1252", 1)
    assert (source.supplied_by, source.extracted) == (
        "Anytown Council, Early Help",
        dt.date(2015, 1, 10),
    )
    attached = households.columns["attached_on"]
    assert [p.format for p in attached.dates] == ["%d/%m/%Y"] and attached.excel_dates
    assert attached.labels == {"not known": None, "n/k": None}
    category = mapping.tables["police_incidents"].columns["category"]
    assert category.labels == {
        "domestic abuse": "domestic_abuse",
        "da": "domestic_abuse",
        "burglary dwelling": "burglary",
    }
    housing = mapping.tables["housing"].columns
    assert housing["rent_arrears"].amount == AmountPicture("£1,234.50", "£", ",", ".")
    assert housing["eviction_notice"].labels == {"yes": True, "y": True, "no": False, "n": False}
    assert mapping.tables["persons"].sources[0].header_row == 2


def test_an_unknown_table_has_a_did_you_mean(tmp_path):
    found, hint = _only(
        tmp_path,
        """
        mapping m
        table househlds
            from "a.csv"
        """,
    )
    assert found == ("E104", "anytown.tfr", 2, 1)
    assert hint == "did you mean 'households'?"


def test_an_unknown_column_points_at_its_name(tmp_path):
    found, hint = _only(
        tmp_path,
        """
        mapping m
        table persons
            from "a.csv"
            "DOB" -> date_of_brith
        """,
    )
    assert found == ("E105", "anytown.tfr", 4, 14)
    assert hint == "did you mean 'date_of_birth'?"


def test_an_unknown_derived_column_points_at_its_name(tmp_path):
    found, _ = _only(
        tmp_path,
        """
        mapping m
        table households
            from "a.csv"
            la_cod = "E1"
        """,
    )
    assert found == ("E105", "anytown.tfr", 4, 5)


def test_a_label_meaning_no_value_of_the_category(tmp_path):
    found, hint = _only(
        tmp_path,
        """
        mapping m
        table police_incidents
            from "a.csv"
            "Type" -> category
                "DA" means domestic_abus
        """,
    )
    assert found == ("E106", "anytown.tfr", 5, 20)
    assert hint == "did you mean 'domestic_abuse'?"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"dd/mm/yy"', "two-digit year"),
        ('"mm/yyyy"', "has no day"),
        ('"dd/mm/yyyy/dd"', "the day twice"),
        ('"ddd mm yyyy"', "the day twice"),
        ('"yyyy-mm-ddThh"', "'T' is not part of a date picture"),
    ],
)
def test_a_bad_date_picture(tmp_path, written, message):
    report = _check(
        tmp_path,
        f"""
        mapping m
        table households
            from "a.csv"
            "Date" -> attached_on
                written {written}
        """,
    )
    [found] = report.diagnostics
    assert where(found) == ("E601", "anytown.tfr", 5, 9)
    assert message in found.message


def test_a_bad_amount_picture(tmp_path):
    found, _ = _only(
        tmp_path,
        """
        mapping m
        table claims
            from "a.csv"
            "Amount" -> amount
                written "£1,23,4.5"
        """,
    )
    assert found[0] == "E601"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('"Proven" -> proven\n        written "dd/mm/yyyy"', "'written' is for dates and amounts"),
        ('"Proven" -> proven\n        "Yes" means proven', "a label means true, false or unknown"),
        ('"Date" -> offence_date\n        "Jan" means "x"', "its labels can only mean unknown"),
        ('"Proven" -> proven\n        written excel', "cannot be written as an Excel date"),
    ],
)
def test_a_reading_that_does_not_fit_the_column(tmp_path, lines, message):
    report = _check(
        tmp_path,
        'mapping m\ntable offences\n    from "a.csv"\n    ' + lines + "\n",
    )
    [found] = report.diagnostics
    assert found.code == "E602" and message in found.message, summary(report)


def test_a_label_given_two_meanings(tmp_path):
    found, hint = _only(
        tmp_path,
        """
        mapping m
        table offences
            from "a.csv"
            "Proven" -> proven
                "Yes" means true
                " YES" means false
        """,
    )
    assert found == ("E604", "anytown.tfr", 6, 9)
    assert '"Yes" is the same label' in str(hint)


def test_the_same_label_twice_with_one_meaning_is_fine(tmp_path):
    report = _check(
        tmp_path,
        """
        mapping m
        table offences
            from "a.csv"
            "Proven" -> proven
                "Yes", "YES" means true
        """,
    )
    assert report.errors == 0, summary(report)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('from "a.xls"', "it reads CSV, Parquet and Excel files"),
        ('from "a.csv" sheet "x"', "only an Excel workbook has sheets"),
        ('from "a.parquet" delimiter ";"', "only for CSV files"),
        ('from "a.csv" delimiter ";;"', "not one character"),
        ('from "a.csv" encoding "ebcdic"', "does not know the encoding"),
        ('from "../a.csv"', "is not a file of the data folder"),
        ('from "/etc/a.csv"', "is not a file of the data folder"),
        ('from "a.csv" headings on row 0', "row 1 or below"),
        ('from database x table "t" sheet "s"', "a database source has no 'sheet'"),
    ],
)
def test_a_source_that_cannot_be_read_as_written(tmp_path, source, message):
    report = _check(tmp_path, f"mapping m\ntable persons\n    {source}\n")
    [found] = report.diagnostics
    assert where(found) == ("E605", "anytown.tfr", 3, 5)
    assert message in found.message, summary(report)


def test_a_table_or_column_mapped_twice(tmp_path):
    report = _check(
        tmp_path,
        """
        mapping m
        table persons
            from "a.csv"
            "A" -> person_id
            "B" -> person_id
        table persons
            from "b.csv"
        """,
    )
    assert [where(d) for d in report.diagnostics] == [
        ("E102", "anytown.tfr", 5, 5),
        ("E102", "anytown.tfr", 6, 1),
    ]


def test_an_unknown_schema(tmp_path):
    found, _ = _only(tmp_path, "mapping m\n    uses schema canonicl\ntable persons\n")
    assert found[0] == "E103"


def test_a_table_without_sources_is_read_by_its_own_name(tmp_path):
    report = _check(
        tmp_path,
        """
        mapping m
        table offences
            "Proven?" -> proven
        """,
    )
    assert report.errors == 0, summary(report)


def test_a_folder_with_rulesets_and_a_mapping_checks_both(tmp_path):
    report = check_files(
        tmp_path,
        {
            "local.tfr": 'ruleset local.x "X"\n    extends national.phase1\n\n'
            "criterion local = crime_asb\n",
            "mapping.tfr": 'mapping m\ntable persons\n    from "a.csv"\n    "DOB" -> dob\n',
        },
    )
    assert [d.code for d in report.diagnostics] == ["E105"]
    assert [r.name for r in report.rulesets] == ["local.x"]


def test_load_mapping_refuses_a_ruleset(tmp_path):
    path = tmp_path / "r.tfr"
    path.write_text('ruleset local.x "X"\n    extends national.phase1\n\ncriterion local = true\n')
    with pytest.raises(api.RulesError, match="this file is not a mapping"):
        api.load_mapping(path)
