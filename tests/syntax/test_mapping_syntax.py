"""Mapping files: what they parse to, the mistakes the parser reports, and their
canonical layout (the round-trip properties over generated mapping trees are in
test_format_properties.py, with the other kinds of file)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from tfrules.syntax import ast
from tfrules.syntax.formatter import format_text
from tfrules.syntax.parser import parse_text

SAMPLE = Path(__file__).with_name("sample_mapping.tfr")


def _parse(text: str) -> ast.MappingFile:
    parsed = parse_text(textwrap.dedent(text).lstrip())
    assert parsed.ok, parsed.diagnostics
    assert isinstance(parsed.file, ast.MappingFile)
    return parsed.file


def _codes(text: str) -> list[tuple[str, int]]:
    parsed = parse_text(textwrap.dedent(text).lstrip())
    return [(d.code, d.span.line) for d in parsed.diagnostics]


def test_the_sample_parses_to_every_part_of_a_mapping():
    tree = parse_text(SAMPLE.read_text(encoding="utf-8")).file
    assert isinstance(tree, ast.MappingFile)
    assert (tree.name, tree.schema, tree.ignore) == (
        "anytown",
        "canonical",
        ("README.txt", "notes/*.docx"),
    )
    households, persons, police, housing, care = tree.tables
    [families] = households.sources
    assert families == ast.SourceDecl(
        "file",
        "Families.csv",
        delimiter=";",
        encoding="windows-1252",
        supplied_by="Anytown Council, Early Help",
        extracted=dt.date(2015, 1, 10),
    )
    family, council, attached = households.columns
    assert family == ast.ColumnMap("household_id", headings=("Family ID",))
    assert council == ast.ColumnMap("la_code", pieces=(ast.Piece("E06000099"),))
    assert attached.formats == ("dd/mm/yyyy",) and attached.excel_dates
    assert attached.labels == (ast.ValueLabel(("Not known", "N/K"), "unknown"),)
    assert persons.sources[0].sheet == "People" and persons.sources[0].header_row == 2
    assert persons.columns[1].pieces == (
        ast.Piece("AT-"),
        ast.Piece("Person ID", True, "before", "/"),
    )
    assert [s.kind for s in police.sources] == ["file", "query"]
    assert police.sources[1].database == "south_police"
    assert police.columns[0].headings == ("Person Ref", "PERSON_ID")
    assert police.columns[2].labels[0] == ast.ValueLabel(("Domestic Abuse", "DA"), "domestic_abuse")
    assert housing.sources[0] == ast.SourceDecl("table", "rent_accounts", "housing")
    assert housing.columns[0].formats == ("£1,234.50",)
    assert [label.value for label in housing.columns[1].labels] == ["true", "false"]
    assert care.sources[0].target == "Care/*.parquet"


def test_a_quoted_meaning_is_text():
    tree = _parse(
        """
        mapping m
        table households
            "LA" -> la_code
                "Leeds" means "E08000035"
        """
    )
    label = tree.tables[0].columns[0].labels[0]
    assert (label.value, label.quoted) == ("E08000035", True)


def test_lines_about_a_column_need_a_column_above_them():
    assert _codes(
        """
        mapping m
        table households
            from "a.csv"
            written "dd/mm/yyyy"
            "Yes" means true
            "A" -> household_id
        """
    ) == [("E603", 4), ("E603", 5)]


def test_written_twice_and_an_option_twice_are_reported():
    assert _codes(
        """
        mapping m
        table households
            from "a.csv" sheet "x" sheet "y"
            "A" -> attached_on
                written "dd/mm/yyyy"
                written excel
        """
    ) == [("E015", 3), ("E015", 6)]


def test_the_parser_resumes_at_the_next_table_after_a_syntax_error():
    codes = _codes(
        """
        mapping m
        table households
            "A" => household_id
        table persons
            "B" -> person_id
        table offences
            "C" -> -> person_id
        """
    )
    assert [code for code, _ in codes] == ["E010", "E010"]
    assert [line for _, line in codes] == [3, 7]


def test_the_sample_is_in_canonical_layout():
    text = SAMPLE.read_text(encoding="utf-8")
    assert format_text(text).text == text


def test_the_formatter_lays_out_a_mapping_written_on_few_lines():
    text = textwrap.dedent(
        """\
        mapping m "M" uses schema canonical
        table households from "F.csv" supplied by "Team" extracted 2015-01-10
          "Family ID" -> household_id "Date" -> attached_on written "dd/mm/yyyy"
                or excel   "N/K" means unknown
        # the people
        table persons
        from "P.xlsx" sheet "People"   # a workbook
        household_id = column "Ref" after "/" + "x"
        """
    )
    assert format_text(text).text == textwrap.dedent(
        """\
        mapping m "M"
            uses schema canonical

        table households
            from "F.csv"
                supplied by "Team" extracted 2015-01-10
            "Family ID" -> household_id
            "Date" -> attached_on
                written "dd/mm/yyyy" or excel
                "N/K" means unknown

        # the people
        table persons
            from "P.xlsx" sheet "People"  # a workbook
            household_id = column "Ref" after "/" + "x"
        """
    )
