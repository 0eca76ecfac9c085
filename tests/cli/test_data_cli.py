"""`tfrules data check` and `tfrules data init`."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from cli_support import expect_exit, run

from tfrules.check import check_paths
from tfrules.data.synth import generate
from tfrules.semantics import calendar


@pytest.fixture(scope="module")
def canonical(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("canonical")
    for name, frame in generate(60, seed=3).items():
        frame.write_parquet(folder / f"{name}.parquet")
    return folder


def _copy(source: Path, target: Path, rename: dict[str, str] | None = None) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / (rename or {}).get(path.name, path.name)).write_bytes(path.read_bytes())
    return target


def test_data_check_lists_tables_files_gaps_and_terms(canonical, tmp_path):
    data = _copy(canonical, tmp_path / "d", {"police_incidents.parquet": "police.parquet"})
    result = expect_exit(
        run("data", "check", "national.phase2", "--data", data, "--format", "json"), 0
    )
    report = json.loads(result.stdout)
    tables = {t["table"]: t for t in report["tables"]}
    assert tables["persons"]["rows"] == pl.read_parquet(canonical / "persons.parquet").height
    assert tables["households"]["nulls"]["attached_on"] == (
        pl.read_parquet(canonical / "households.parquet")["attached_on"].null_count()
    )
    assert report["unmatched_files"] == [
        {"file": "police.parquet", "did_you_mean": "police_incidents"}
    ]
    [missing] = report["not_supplied"]
    assert missing["table"] == "police_incidents" and "identified" in missing["rules"]
    assert len(report["school_terms"]) == 6 and report["ok"] is True


def test_school_term_coverage_counts_the_children_without_a_row(canonical, tmp_path):
    data = _copy(canonical, tmp_path / "d")
    terms = pl.read_parquet(data / "school_terms.parquet")
    latest = terms.select(pl.col("academic_year").max()).item()
    autumn = (pl.col("academic_year") == latest) & (pl.col("term") == "autumn")
    # three children of school age (5 to 15 on the term's first day) with a row that term
    first_day = calendar.term_bounds(calendar.term_index_of(latest, "autumn"))[0]
    born = dict(
        pl.read_parquet(data / "persons.parquet").select("person_id", "date_of_birth").rows()
    )
    dropped = [
        person
        for person in terms.filter(autumn)["person_id"].unique().sort().to_list()
        if 5 <= calendar.age(born[person], first_day) <= 15
    ][:3]
    assert len(dropped) == 3
    terms.filter(~(autumn & pl.col("person_id").is_in(dropped))).write_parquet(
        data / "school_terms.parquet"
    )
    before = json.loads(
        run(
            "data", "check", "--data", canonical, "--format", "json", "--as-of", f"{latest}-12-31"
        ).stdout
    )
    after = json.loads(
        run(
            "data", "check", "--data", data, "--format", "json", "--as-of", f"{latest}-12-31"
        ).stdout
    )
    [old] = [
        t for t in before["school_terms"] if (t["academic_year"], t["term"]) == (latest, "autumn")
    ]
    [new] = [
        t for t in after["school_terms"] if (t["academic_year"], t["term"]) == (latest, "autumn")
    ]
    assert new["without_a_row"] == old["without_a_row"] + len(dropped)
    assert new["school_age_children"] == old["school_age_children"]


def test_data_check_reports_contract_errors_and_exits_1(canonical, tmp_path):
    data = _copy(canonical, tmp_path / "d")
    persons = pl.read_parquet(data / "persons.parquet")
    persons.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit("NOBODY"))
        .otherwise("household_id")
        .alias("household_id")
    ).write_parquet(data / "persons.parquet")
    result = expect_exit(run("data", "check", "--data", data), 1)
    said = " ".join(result.stdout.split())
    assert "1 problem(s) that stop tfrules eval" in said
    assert "persons.parquet: column household_id, row 5" in said
    assert 'there is no household with household_id "NOBODY"' in said


def test_data_init_writes_a_mapping_that_checks_and_never_overwrites(tmp_path):
    data = tmp_path / "extract"
    data.mkdir()
    frames = generate(20, seed=5)
    frames["households"].select(
        pl.col("household_id").alias("Family Ref"),
        pl.col("la_code").alias("Council"),
        pl.col("attached_on").dt.strftime("%d/%m/%Y").alias("Date Attached"),
    ).write_csv(data / "Families.csv", separator=";")
    people = frames["persons"].select(
        pl.col("person_id").alias("Person ID"),
        pl.col("household_id").alias("Family Ref"),
        pl.col("date_of_birth").dt.strftime("%d/%m/%Y").alias("DOB"),
    )
    (data / "People.csv").write_bytes(
        people.write_csv().replace("Person ID", "Person Réf").encode("cp1252")
    )
    expect_exit(run("data", "init", "--data", data), 0)
    text = (data / "mapping.tfr").read_text(encoding="utf-8")
    assert 'from "Families.csv" delimiter ";"' in text
    assert 'encoding "windows-1252"' in text
    assert '"Date Attached" -> attached_on' in text and 'written "dd/mm/yyyy"' in text
    assert '"DOB" -> date_of_birth' in text
    assert "# check" in text
    assert check_paths([data / "mapping.tfr"]).errors == 0
    again = expect_exit(run("data", "init", "--data", data), 2)
    assert "already exists" in again.stderr
    expect_exit(run("data", "init", "--data", data, "--force"), 0)


def test_data_init_on_a_folder_without_data(tmp_path):
    result = expect_exit(run("data", "init", "--data", tmp_path), 2)
    assert "no CSV, Parquet or Excel files" in result.stderr
