"""`--mapping` on eval, explain and report; a mapping found beside the data; and
the warnings no run passes over: files that feed no table, tables not supplied."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from cli_support import AS_OF, expect_exit, run
from strategies.extract_strategies import ColumnDisguise, TableDisguise, write_extract

from tfrules.data.synth import generate

POLICE = TableDisguise(
    "police_incidents",
    "Police Incidents",
    "csv",
    delimiter=";",
    parts=2,
    columns={
        "person_id": ColumnDisguise("Person Ref"),
        "incident_date": ColumnDisguise("Date", picture="dd/mm/yyyy"),
        "category": ColumnDisguise(
            "Type",
            labels=(
                ("burglary", "Burglary"),
                ("domestic_abuse", "Domestic Abuse"),
                ("criminal_damage", "Criminal Damage"),
                ("violence", "Violence"),
                ("other", "Other"),
            ),
        ),
    },
)
PEOPLE = TableDisguise(
    "persons",
    "People",
    "xlsx",
    columns={
        "person_id": ColumnDisguise("Person ID"),
        "household_id": ColumnDisguise("Family ID"),
        "date_of_birth": ColumnDisguise("DOB", picture="dd/mm/yyyy"),
    },
)


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Canonical data, the same as a council's extract, and the extract's mapping."""
    root = tmp_path_factory.mktemp("mapped")
    frames = generate(120, seed=7)
    canonical = root / "canonical"
    canonical.mkdir()
    for name, frame in frames.items():
        frame.write_parquet(canonical / f"{name}.parquet")
    extract = root / "extract"
    text = write_extract(frames, [PEOPLE, POLICE], extract)
    text = text.replace(
        'encoding "utf-8"', 'encoding "utf-8"\n        supplied by "Police" extracted 2015-01-05'
    )
    mapping = root / "anytown.tfr"
    mapping.write_text(text, encoding="utf-8")
    return canonical, extract, mapping


def test_eval_with_a_mapping_gives_the_canonical_results(folders, tmp_path):
    canonical, extract, mapping = folders
    ruleset = "local.leeds.phase2"
    expect_exit(
        run(
            "eval",
            ruleset,
            "--data",
            canonical,
            "--as-of",
            AS_OF,
            "--out",
            tmp_path / "a.parquet",
            "-q",
        ),
        0,
    )
    result = run(
        "eval", ruleset, "--data", extract, "--mapping", mapping, "--as-of", AS_OF,
        "--out", tmp_path / "b.parquet", "-q",
    )  # fmt: skip
    expect_exit(result, 0)
    assert "warning" not in result.stderr
    b_summary = run(
        "eval", ruleset, "--data", extract, "--mapping", mapping, "--as-of", AS_OF,
        "--out", tmp_path / "c.parquet",
    )  # fmt: skip
    said = " ".join(expect_exit(b_summary, 0).stdout.split())
    assert "Sources of the data" in said
    assert "police_incidents │ Police Incidents 1.csv │ Police │ 2015-01-05" in said
    a = pl.read_parquet(tmp_path / "a.parquet")
    b = pl.read_parquet(tmp_path / "b.parquet")
    assert a.equals(b)


def test_a_mapping_beside_the_data_is_used_and_said(folders, tmp_path):
    _, extract, mapping = folders
    beside = tmp_path / "extract"
    beside.mkdir()
    for path in extract.iterdir():
        (beside / path.name).write_bytes(path.read_bytes())
    (beside / "mapping.tfr").write_text(mapping.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(
        "eval", "national.phase2", "--data", beside, "--as-of", AS_OF, "--out", tmp_path / "r.csv"
    )
    expect_exit(result, 0)
    assert f"through its mapping {beside / 'mapping.tfr'}" in result.stderr.replace("\n", "")


def test_explain_and_report_take_a_mapping(folders, tmp_path):
    _, extract, mapping = folders
    household = pl.read_excel(extract / "People.xlsx")["Family ID"][0]
    result = run(
        "explain", "national.phase2", "--data", extract, "--mapping", mapping, "--as-of", AS_OF,
        "--household", household, "--rules", "identified",
    )  # fmt: skip
    expect_exit(result, 0)
    assert "identified" in result.stdout
    report = run(
        "report",
        "--data",
        extract,
        "--mapping",
        mapping,
        "--as-of",
        AS_OF,
        "--out",
        tmp_path / "rep",
    )
    expect_exit(report, 0)
    assert "warning" not in report.stderr
    markdown = (tmp_path / "rep" / "dashboard.md").read_text(encoding="utf-8")
    assert "## Sources of the data" in markdown
    assert "| police_incidents | Police Incidents 2.csv | Police | 2015-01-05 |" in markdown
    assert '| persons | People.xlsx, sheet "Data" |  |  |' in markdown


def test_a_misnamed_file_is_never_passed_over_in_silence(folders, tmp_path):
    canonical, _, _ = folders
    data = tmp_path / "data"
    data.mkdir()
    for path in canonical.iterdir():
        target = "police.parquet" if path.name == "police_incidents.parquet" else path.name
        (data / target).write_bytes(path.read_bytes())
    for command in (
        [
            "eval",
            "national.phase2",
            "--data",
            data,
            "--as-of",
            AS_OF,
            "--out",
            tmp_path / "r.csv",
            "-q",
        ],
        [
            "explain",
            "national.phase2",
            "--data",
            data,
            "--as-of",
            AS_OF,
            "--household",
            "H000000001",
        ],
        ["report", "--data", data, "--as-of", AS_OF, "--out", tmp_path / "rep"],
    ):
        result = expect_exit(run(*command), 0)
        said = " ".join(result.stderr.split())
        assert "police.parquet (did you mean police_incidents?)" in said, command[0]
        assert "tables not supplied: police_incidents" in said, command[0]


def test_mistakes_in_the_mapping_are_positioned_and_stop_the_run(folders, tmp_path):
    _, extract, mapping = folders
    broken = tmp_path / "broken.tfr"
    broken.write_text(mapping.read_text(encoding="utf-8").replace("-> category", "-> categry"))
    result = run(
        "eval", "national.phase2", "--data", extract, "--mapping", broken, "--as-of", AS_OF,
        "--out", tmp_path / "r.csv",
    )  # fmt: skip
    expect_exit(result, 1)
    assert "broken.tfr:" in result.stdout and "error[E105]" in result.stdout
    assert "did you mean 'category'?" in result.stdout
    assert not (tmp_path / "r.csv").exists()


def test_a_data_error_names_the_councils_file_and_line(folders, tmp_path):
    _, extract, mapping = folders
    data = tmp_path / "data"
    data.mkdir()
    for path in extract.iterdir():
        (data / path.name).write_bytes(path.read_bytes())
    first = data / "Police Incidents 1.csv"
    lines = first.read_text(encoding="utf-8").splitlines()
    person, _, kind = lines[3].split(";")
    lines[3] = f"{person};31/02/2014;{kind}"
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "eval", "national.phase2", "--data", data, "--mapping", mapping, "--as-of", AS_OF,
        "--out", tmp_path / "r.csv",
    )  # fmt: skip
    expect_exit(result, 1)
    said = " ".join(result.stderr.split())
    assert (
        f'Police Incidents 1.csv: column "Date" (incident_date), line 4 (person_id {person})'
        in said
    )
    assert not (tmp_path / "r.csv").exists()


def test_usage_problems_of_the_data_options(folders, tmp_path):
    canonical, _, _ = folders
    missing = run(
        "eval", "national.phase1", "--data", canonical, "--mapping", tmp_path / "none.tfr",
        "--as-of", AS_OF, "--out", tmp_path / "r.csv",
    )  # fmt: skip
    expect_exit(missing, 2)
    bad = run(
        "eval", "national.phase1", "--data", canonical, "--database", "housing",
        "--as-of", AS_OF, "--out", tmp_path / "r.csv",
    )  # fmt: skip
    expect_exit(bad, 2)
    assert "--database takes NAME=ADDRESS" in bad.stderr


def test_a_mapped_file_that_is_not_there_is_said_even_for_a_table_not_read(folders, tmp_path):
    """The rules of phase 1 do not read housing, so its missing file stops
    nothing; the mapping is wrong all the same, and eval says so."""
    canonical, _, _ = folders
    data = tmp_path / "data"
    data.mkdir()
    for path in canonical.iterdir():
        if path.name != "housing.parquet":
            (data / path.name).write_bytes(path.read_bytes())
    mapping = tmp_path / "mapping.tfr"
    mapping.write_text(
        'mapping anytown "Anytown"\n\ntable housing\n    from "Rent Accounts.csv"\n',
        encoding="utf-8",
    )
    command = ["eval", "national.phase1", "--data", data, "--mapping", mapping]
    result = expect_exit(run(*command, "--as-of", AS_OF, "--out", tmp_path / "r.parquet", "-q"), 0)
    said = " ".join(result.stderr.split())
    assert 'the mapping gives "Rent Accounts.csv" for housing, but no file in' in said
    assert "these rules do not read housing" in said
