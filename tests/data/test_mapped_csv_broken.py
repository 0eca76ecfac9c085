"""A council's CSV file that cannot be read through its mapping names the file
and its first broken line, as the file counts its lines: with the mapping's
delimiter, its encoding and a title above the headings, in a table stacked
from several files."""

from __future__ import annotations

from mapping_fixtures import FAMILIES, problems, write
from mapping_fixtures import mapping as checked_mapping

STACKED = """
    mapping anytown "Anytown"

    table households
        from "Families.csv"
        "Family ID" -> household_id
        la_code = "E06000099"
        "Date Attached" -> attached_on
            written "dd/mm/yyyy"

    table persons
        from "People North.csv" delimiter ";" headings on row 3
        from "People South.csv" delimiter ";" headings on row 3 encoding "windows-1252"
        "Person ID" -> person_id
        "Family ID" -> household_id
        "DOB" -> date_of_birth
            written "dd/mm/yyyy"
"""
TITLE = "Anytown extract, January 2015\n\n"
NORTH = TITLE + "Person ID;Family ID;DOB\nP1;F1;15/01/2001\nP2;F1;03/11/1975\n"


def _south(lines: list[str]) -> bytes:
    return (TITLE + "Person ID;Family ID;DOB\n" + "".join(lines)).encode("cp1252")


def test_a_line_with_a_field_too_many_is_named_in_its_own_file(tmp_path):
    south = _south(["P3;F2;29/02/2004\n", "P4;F2;01/01/1990;Zoë\n", "P5;F2;02/02/1992\n"])
    folder = write(
        tmp_path / "data",
        {"Families.csv": FAMILIES, "People North.csv": NORTH, "People South.csv": south},
    )
    [problem] = problems(folder, checked_mapping(folder, STACKED))
    assert problem.source == "People South.csv"
    assert str(problem) == (
        "People South.csv: cannot be read: line 5 has 4 fields where the heading has 3: "
        "a missing or extra ';', or a value with a ';' in it that is not in double quotes"
    )


def test_a_file_said_to_be_utf8_that_is_not_names_its_line(tmp_path):
    north = (NORTH + "P6;F1;0\xe9/01/1990\n").encode("latin-1")
    south = _south(["P3;F2;29/02/2004\n"])
    folder = write(
        tmp_path / "data",
        {"Families.csv": FAMILIES, "People North.csv": north, "People South.csv": south},
    )
    [problem] = problems(folder, checked_mapping(folder, STACKED))
    assert problem.source == "People North.csv"
    assert "line 6 is not UTF-8 text" in str(problem)
    assert "say its encoding" in str(problem)
