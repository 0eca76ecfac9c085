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
        "--household", household, "--rules", "local,crime_asb,identified",
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
