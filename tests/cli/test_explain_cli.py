"""`tfrules explain`: why one household got each value, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from cli_support import AS_OF, LEEDS, expect_exit, run, synth_tables, write_tables

from tfrules import api

HOUSEHOLDS = 400


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return synth_tables(HOUSEHOLDS, seed=31)


@pytest.fixture(scope="module")
def data_dir(tables, tmp_path_factory) -> Path:
    return write_tables(tables, tmp_path_factory.mktemp("explain_data"))


@pytest.fixture(scope="module")
def leeds_results(data_dir) -> pl.DataFrame:
    return api.evaluate(api.load("local.leeds.phase1"), data_dir, AS_OF)


@pytest.fixture(scope="module")
def household(tables) -> str:
    """A Leeds household with a proven offence by a member in the year before AS_OF."""
    recent = pl.col("offence_date").is_between(pl.date(2012, 3, 1), pl.date(2013, 1, 1))
    offences = tables["offences"].filter(pl.col("proven"), recent)
    members = tables["persons"].join(offences.select("person_id"), on="person_id", how="semi")
    leeds = tables["households"].filter(pl.col("la_code") == LEEDS)
    found = leeds.join(members.select("household_id"), on="household_id", how="semi")
    assert found.height > 0
    return found["household_id"].sort()[0]


def _value_text(value: object) -> str:
    if value is None:
        return "unknown"
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_text_names_values_layers_members_and_rows(data_dir, household, leeds_results, tables):
    result = run(
        "explain", "local.leeds.phase1", "--data", data_dir, "--as-of", AS_OF,
        "--household", household, "--rules", "local,crime_asb,identified", "--full",
    )  # fmt: skip
    expect_exit(result, 0)
    text = result.stdout
    assert text.startswith(f"household {household}, as of {AS_OF}")
    row = leeds_results.filter(pl.col("household_id") == household).row(0, named=True)
    for rule, layer in (
        ("local", "local.leeds.phase1"),
        ("crime_asb", "national.phase1"),
        ("identified", "national.phase1"),
    ):
        lines = [line for line in text.splitlines() if line.startswith(f"{rule} = ")]
        assert len(lines) == 1, text
        assert lines[0].startswith(f"{rule} = {_value_text(row[rule])}")
        assert f"[defined in {layer}]" in lines[0]
    members = tables["persons"].filter(pl.col("household_id") == household)["person_id"]
    for member in members:
        assert f"member {member}" in text
    assert "offences row: offence_date " in text
    assert "parameters used:" in text
    assert "identification_window = 12 months" in text


def test_json_matches_the_evaluation(data_dir, household, leeds_results):
    result = run(
        "explain", "local.leeds.phase1", "--data", data_dir, "--as-of", AS_OF,
        "--household", household, "--format", "json",
    )  # fmt: skip
    expect_exit(result, 0)
    found = json.loads(result.stdout)
    assert found["household"] == household
    assert found["as_of"] == AS_OF
    row = leeds_results.filter(pl.col("household_id") == household).row(0, named=True)
    rules = {r["rule"]: r for r in found["rules"]}
    assert list(rules) == [c for c in leeds_results.columns if c not in ("household_id", "la_code")]
    for name, explained in rules.items():
        assert {"value", "defined_in", "explanation", "title"} <= set(explained)
        expected = row[name]
        if expected is None or isinstance(expected, bool | int):
            assert explained["value"] == expected, name
        else:
            assert explained["value"] == str(expected), name
        assert explained["defined_in"] in ("local.leeds.phase1", "national.phase1")
    assert rules["local"]["defined_in"] == "local.leeds.phase1"
    assert rules["work"]["defined_in"] == "national.phase1"
    tree = rules["crime_asb"]["explanation"]
    assert tree["value"] == rules["crime_asb"]["value"]
    assert "expression" in tree and tree["because"]
    about = json.dumps(tree)
    assert "offences row:" in about and "member " in about
    assert "identification_window" in found["parameters"]


def test_unknown_household_is_a_usage_error(data_dir):
    result = run(
        "explain", "national.phase1", "--data", data_dir, "--as-of", AS_OF,
        "--household", "H-NOBODY",
    )  # fmt: skip
    expect_exit(result, 2)
    assert "H-NOBODY" in result.stderr
    assert result.stdout == ""


def test_unknown_rule_is_a_usage_error(data_dir, household):
    result = run(
        "explain", "national.phase1", "--data", data_dir, "--as-of", AS_OF,
        "--household", household, "--rules", "identifyed",
    )  # fmt: skip
    expect_exit(result, 2)
    assert "identifyed" in result.stderr


def test_the_summary_shows_the_deciding_offence_first(data_dir, leeds_results, tables):
    """By default, the facts that decided: for a family identified with a
    proven youth offence, that offence is named, with its date, in the first
    screen."""
    formal = tables["asb"].filter(
        pl.col("kind") != "incident",
        pl.col("recorded_on").is_between(pl.date(2012, 1, 16), pl.date(2013, 1, 15)),
    )
    asbo = formal.join(tables["persons"], on="person_id")["household_id"]
    chosen = leeds_results.filter(
        pl.col("crime_asb"), pl.col("identified"), ~pl.col("household_id").is_in(asbo.to_list())
    )
    assert chosen.height > 0
    household = chosen["household_id"].sort()[0]
    result = run(
        "explain", "local.leeds.phase1", "--data", data_dir, "--as-of", AS_OF,
        "--household", household, "--rules", "identified",
    )  # fmt: skip
    expect_exit(result, 0)
    first_screen = "\n".join(result.stdout.splitlines()[:40])
    assert "the whole evaluation: --full" in first_screen
    members = tables["persons"].filter(pl.col("household_id") == household)["person_id"]
    offences = tables["offences"].filter(
        pl.col("person_id").is_in(members.to_list()),
        pl.col("proven"),
        pl.col("offence_date").is_between(pl.date(2012, 1, 16), pl.date(2013, 1, 15)),
    )
    dates = [d.isoformat() for d in offences["offence_date"]]
    assert any(f"offence date {d}" in first_screen for d in dates), first_screen


def test_html_case_page_written_to_a_file(data_dir, household, tmp_path):
    out = tmp_path / "case.html"
    result = run(
        "explain", "local.leeds.phase1", "--data", data_dir, "--as-of", AS_OF,
        "--household", household, "--format", "html", "--out", out,
    )  # fmt: skip
    expect_exit(result, 0)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and f"Household {household}" in page
    assert result.stdout == ""


def test_explain_to_an_unwritable_place_is_a_usage_error(data_dir, household, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(
        "explain", "local.leeds.phase1", "--data", data_dir, "--as-of", AS_OF,
        "--household", household, "--out", blocker / "case.txt",
    )  # fmt: skip
    expect_exit(result, 2)
    assert "cannot write" in result.stderr
