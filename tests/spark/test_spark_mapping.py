"""A council's extract read through its mapping by the Spark engine: exactly
the single-machine results (the worked example of docs/examples, and a
disguised extract as the mapping property tests make them), and bad data
refused with the single-machine messages, naming the council's own file,
heading and line, also across the parts Spark splits a large file into."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from cli_support import REPO, expect_exit, run
from polars.testing import assert_frame_equal

import tfrules
from tfrules.data.errors import DataError
from tfrules.data.load import load_dataset
from tfrules.data.synth import generate
from tfrules.data.validate import validate
from tfrules.run.spark.errors import SparkRunError
from tfrules.run.spark.sources import load_tables
from tfrules.run.spark.validate import validate_in_spark

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS, TESTS / "data"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from mapping_fixtures import BASIC_MAPPING, FAMILIES, PEOPLE, canonical, mapping, write  # noqa: E402
from strategies.extract_strategies import every_disguise, write_extract  # noqa: E402

ANYTOWN = REPO / "docs" / "examples" / "anytown"
TABLES = [
    "households", "persons", "school_terms", "offences", "asb", "benefit_claims",
    "employment_spells", "work_referrals", "social_care", "police_incidents", "health",
    "custody", "housing", "claims",
]  # fmt: skip


def _without_timing(text: str) -> list[str]:
    return text.splitlines()[1:]


def test_the_worked_example_in_spark(spark: object, tmp_path: Path) -> None:
    """The shipped council extract (CSV files in two encodings, a workbook,
    labels, pictures, a table from two files) through its mapping."""
    common = ("eval", "national.phase1", "--data", ANYTOWN, "--as-of", "2015-03-31",
              "--mapping", ANYTOWN / "mapping.tfr", "--reasons")  # fmt: skip
    in_spark = expect_exit(
        run(*common, "--out", tmp_path / "spark.parquet", "--engine", "spark"), 0
    )
    on_one_machine = expect_exit(run(*common, "--out", tmp_path / "polars.parquet"), 0)
    assert "Sources of the data" in in_spark.stdout  # who supplied each source, and when
    assert _without_timing(in_spark.stdout) == _without_timing(on_one_machine.stdout)
    assert_frame_equal(
        pl.read_parquet(tmp_path / "spark.parquet"), pl.read_parquet(tmp_path / "polars.parquet")
    )


def test_the_worked_example_reported_in_spark(spark: object, tmp_path: Path) -> None:
    """`report` reads the example through the mapping beside it, in Spark too."""
    common = ("report", "--data", ANYTOWN, "--as-of", "2015-03-31")
    in_spark = expect_exit(run(*common, "--out", tmp_path / "spark", "--engine", "spark"), 0)
    on_one_machine = expect_exit(run(*common, "--out", tmp_path / "polars"), 0)
    assert "through its mapping" in in_spark.stderr
    for name in ("dashboard.csv", "dashboard.md"):
        assert (tmp_path / "spark" / name).read_text() == (tmp_path / "polars" / name).read_text()
    assert "Sources of the data" in (tmp_path / "spark" / "dashboard.md").read_text()

    def printed(result: object) -> list[str]:  # but where the files were written
        return [line for line in result.stdout.splitlines() if str(tmp_path) not in line]

    assert printed(in_spark) == printed(on_one_machine)


def test_a_disguised_extract_gives_the_single_machine_results(
    spark: object, tmp_path: Path
) -> None:
    """Headings, formats (CSV of every delimiter and encoding, Parquet,
    workbooks), pictures, labels and tables split over files, as tests/data's
    property draws them: here every one of them at once, drawn without chance
    (each draw costs Spark a minute)."""
    rulesets = [tfrules.load("national.phase1"), tfrules.load("local.leeds.phase2")]
    disguised = every_disguise(rulesets[0].schema, TABLES)
    extract = tmp_path / "extract"
    text = write_extract(generate(40, seed=15), disguised, extract)
    (extract / "extract.tfr").write_text(text, encoding="utf-8")
    checked = tfrules.load_mapping(extract / "extract.tfr")
    phase1, leeds = rulesets
    expected = tfrules.evaluate(phase1, extract, "2015-03-31", mapping=checked)
    found = tfrules.evaluate(phase1, str(extract), "2015-03-31", engine="spark", mapping=checked)
    assert_frame_equal(found, expected.sort("household_id"))
    on_one_machine = tfrules.write_results(
        leeds, extract, "2015-03-31", tmp_path / "polars.parquet", mapping=checked
    )
    in_spark = tfrules.write_results(
        leeds, str(extract), "2015-03-31", tmp_path / "spark.parquet", engine="spark",
        mapping=extract / "extract.tfr",
    )  # fmt: skip
    assert_frame_equal(in_spark.scan().collect(), on_one_machine.scan().collect())


# -- bad data: the single-machine messages ----------------------------------------------

REQUIRED = {
    "households": {"la_code", "attached_on"},
    "persons": {"date_of_birth"},
    "police_incidents": {"incident_date", "category"},
    "housing": {"recorded_on", "rent_arrears", "eviction_notice"},
    "offences": {"offence_date", "proven"},
    "claims": {"claimed_on", "claim", "amount"},
    "asb": {"recorded_on"},
}

BAD_MAPPING = (
    BASIC_MAPPING.replace('from "People.csv"', 'from "People *.csv"')
    + """
    table police_incidents
        from "police/North.csv"
        from "police/South.csv" delimiter ";" encoding "windows-1252"
        "Person Ref" or "PERSON_ID" -> person_id
        "Date" -> incident_date
            written "dd/mm/yyyy"
        "Type" -> category
            "Domestic Abuse" means domestic_abuse

    table housing
        from "Rent.parquet"
        "Family" -> household_id
        "Date" -> recorded_on
        "Arrears" -> rent_arrears
        "Notice" -> eviction_notice
            "Yes" means true
            "No" means false

    table claims
        from "Claims.csv" delimiter ";" headings on row 3 encoding "windows-1252"
        "Family ID" -> household_id
        "Claimed" -> claimed_on
            written "dd/mm/yyyy"
        "Type" -> claim
        "Amount" -> amount
            written "£1,234.50"

    table asb
        from "ASB.csv" delimiter ","
        "Person" -> person_id
        "When" -> recorded_on
            written "dd/mm/yyyy"
    """
)


def _bad_extract(folder: Path) -> Path:
    """Every kind of problem a mapped extract can have, one or more in each table."""
    people_b = "Person ID,Family ID,DOB\nP9,F9,01/01/2000\nP2,F2,01/01/2000\n" + (
        '" ",F1,15/01/2001\nP4,"F2 ",31/11/1999\n'
    )
    title = "Anytown claims, January 2015\n\n"
    claims = (
        title + "Family ID;Claimed;Type;Amount\nF1;01/04/2013;results;£1.00\n"
        "F2;01/04/2013;results;£2.00;extra\n"
    ).encode("cp1252")
    write(
        folder,
        {
            "Families.csv": "Family ID,Date Attached\nF1,10/02/2013\nF2,31/11/2013\nF3,\n",
            "People A.csv": PEOPLE,
            "People B.csv": people_b,
            "police/North.csv": "Person Ref,Date,Type\nP1,01/03/2014,Arson\nP1,1/3/14,Arson\n",
            "police/South.csv": "PERSON_ID;Date;Type\nP3;01/03/2014;Arson\nP3;02/03/2014;"
            "Domestic Abuse\n".encode("cp1252"),
            "Claims.csv": claims,
            "offences.csv": "person_id,offence_date,proven\nP1,2013-13-01,yes\n"
            "P9,2013-01-01,true\n",
            "ASB.csv": b"Person,When\nP1,01/01/2014\n" + b"P2,0\xe9/01/2014\n",
            "police.csv": "nothing,here\n",
        },
    )
    pl.DataFrame(
        {
            "Family": ["F1", "F1", "F7"],
            "Date": ["2014-01-01", "2014-02-01", "2014-03-01"],
            "Arrears": [1.5, 1e15, 2.0],
            "Notice": ["Yes", "Maybe", "No"],
        }
    ).write_parquet(folder / "Rent.parquet")
    return folder


def _both(folder: Path, text: str, required: dict) -> tuple[DataError, DataError]:
    """The errors of one machine and of Spark, reading `folder` through `text`."""
    checked = mapping(folder, text)
    with pytest.raises(DataError) as on_one_machine:
        validate(load_dataset(folder, canonical(), required, mapping=checked))
    with pytest.raises(DataError) as in_spark:
        validate_in_spark(load_tables(_spark(), canonical(), required, str(folder), checked))
    return on_one_machine.value, in_spark.value


def _spark():
    from tfrules.run.spark.session import active_session

    return active_session()


def test_bad_mapped_data_is_refused_with_the_single_machine_messages(
    spark: object, tmp_path: Path
) -> None:
    folder = _bad_extract(tmp_path / "data")
    on_one_machine, in_spark = _both(folder, BAD_MAPPING, REQUIRED)
    text = str(on_one_machine)
    assert len(on_one_machine.problems) >= 10
    for said in (
        'Families.csv: column "Date Attached" (attached_on), line 3',
        "People A.csv line 3 and People B.csv line 3",
        '"Arson" is not a value of category',
        "Claims.csv: cannot be read: line 5 has 5 fields where the heading has 4",
        "ASB.csv: cannot be read: line 3 is not UTF-8 text (byte 5 of the line, 0xe9)",
        "there is no household with household_id",
        'Rent.parquet: column "Notice" (eviction_notice), row 2',
        "offences.csv: column offence_date, row 1",
    ):
        assert said in text
    assert str(in_spark) == text


@contextlib.contextmanager
def _small_parts(spark) -> Iterator[None]:
    """Spark reads files in parts of 16 kB (as it reads large files, in 128 MB parts)."""
    keys = {"spark.sql.files.maxPartitionBytes": "16k", "spark.sql.files.openCostInBytes": "1k"}
    before = {key: spark.conf.get(key) for key in keys}
    for key, value in keys.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)


def test_lines_are_numbered_across_the_parts_of_a_large_file(spark: object, tmp_path: Path) -> None:
    """A file read in many parts: its title and heading left out once, its
    lines numbered as in the file, a line that cannot be read found in a
    later part, and a quoted value running from one part into the next refused."""
    people = ["Person ID,Family ID,DOB"] + [f"P{i},F1,15/01/2001" for i in range(3000)]
    people[2500] = "P2499,F1,31/02/2001"  # line 2503 of the file, below two lines of title
    people[2700] = "P2,F1,15/01/2001"  # P2 again
    families = "Family ID,Date Attached\nF1,10/02/2013\n" + "".join(
        f'F{i},"note\n{"x" * 40}\n"\n' for i in range(2, 800)
    )
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": families.replace("Date Attached", "Notes"),
            "People.csv": "Anytown, January 2015\n\n" + "\n".join(people) + "\n",
        },
    )
    text = BASIC_MAPPING.replace('from "People.csv"', 'from "People.csv" headings on row 3')
    text = text.replace('"Date Attached" -> attached_on\n            written "dd/mm/yyyy"\n', "")
    with _small_parts(spark):
        assert _spark().read.text(str(folder / "People.csv")).rdd.getNumPartitions() > 3
        on_one_machine, in_spark = _both(folder, text, {"persons": {"date_of_birth"}})
    assert 'People.csv: column "DOB" (date_of_birth), line 2503' in str(on_one_machine)
    assert "lines 6 and 2703" in str(on_one_machine)
    [spanning] = [p for p in in_spark.problems if p.source == "Families.csv"]
    assert "begins a value in double quotes that runs over several lines" in spanning.message
    others = [p for p in in_spark.problems if p.source != "Families.csv"]
    assert [str(p) for p in others] == [
        str(p) for p in on_one_machine.problems if p.source != "Families.csv"
    ]


def test_database_sources_are_refused_saying_what_to_do(spark: object, tmp_path: Path) -> None:
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": PEOPLE})
    text = BASIC_MAPPING.replace('from "People.csv"', 'from database casework table "people"')
    with pytest.raises(SparkRunError) as refused:
        load_tables(_spark(), canonical(), REQUIRED, str(folder), mapping(folder, text))
    assert str(refused.value).startswith(
        "the mapping reads persons from table people of database casework, and the Spark "
        "engine does not read databases"
    )


def test_the_files_of_a_location_as_spark_sees_them(spark: object, tmp_path: Path) -> None:
    """Listed as on one machine (hidden files and Spark's own left out, a folder of
    Parquet parts one entry), and read through Spark's own file system."""
    from tfrules.run.spark.files import HadoopFiles

    write(
        tmp_path,
        {
            "Families.csv": FAMILIES,
            "police/North.csv": "a\n",
            ".hidden.csv": "a\n",
            "_SUCCESS": "",
            "households.parquet/part-0.parquet": "",
            "households.parquet/_SUCCESS": "",
        },
    )
    (tmp_path / "big.csv").write_bytes(b"x" * 300_000)
    files = HadoopFiles(_spark(), tmp_path.as_uri())
    assert files.list() == ["Families.csv", "big.csv", "households.parquet", "police/North.csv"]
    assert files.head("police/North.csv") == b"a\n"
    assert len(files.head("big.csv")) == 256 * 1024
    assert files.read("police/North.csv") == b"a\n"


def test_a_mapping_beside_data_elsewhere_is_not_applied_unseen(
    spark: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tfrules.run.spark import finders

    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": PEOPLE})
    mapping(folder, BASIC_MAPPING, name="mapping.tfr")
    monkeypatch.setattr(finders, "is_local_folder", lambda _: False)  # as if s3a://...
    with pytest.raises(SparkRunError, match=r"has a mapping \(mapping.tfr\) beside its data"):
        load_tables(_spark(), canonical(), REQUIRED, folder.as_uri())
