"""Database sources, against a real PostgreSQL server started for these tests
(no mocks): a table and a query read through ADBC give the canonical
results, only the columns needed are asked for, data errors are located, and a
password never appears in anything tfrules prints."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from postgres_server import PASSWORD, Server, Unavailable, start
from typer.testing import CliRunner

import tfrules
from tfrules.cli.main import app
from tfrules.data.database import DatabaseProblem, clean, read_database
from tfrules.data.errors import DataError
from tfrules.data.synth import generate
from tfrules.model.mapping import SourceSpec

AS_OF = dt.date(2015, 3, 31)
MAPPING = """\
mapping council_db "The council's database"

table households
    from database council table "families"
    "family_ref" -> household_id
    "la" -> la_code
    "attached" -> attached_on

table persons
    from database council query "select * from people where person_ref is not null"
        supplied by "Anytown Council, case system" extracted 2015-03-01
    "person_ref" -> person_id
    "family_ref" -> household_id
    "born" -> date_of_birth
        written "dd/mm/yyyy"
"""


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    try:
        starting = start()
        running = next(starting)
    except Unavailable as why:
        if os.environ.get("TFRULES_CI"):  # CI installs PostgreSQL: never pass without it
            pytest.fail(f"PostgreSQL is needed in CI: {why}")
        pytest.skip(f"NO POSTGRESQL: the database tests did not run: {why}")
    yield running
    next(starting, None)


@pytest.fixture(scope="module")
def data(server: Server, tmp_path_factory) -> tuple[Path, Path, Path]:
    """Canonical data; the same with households and persons in the database; the mapping."""
    frames = generate(80, seed=11)
    root = tmp_path_factory.mktemp("db")
    canonical, extract = root / "canonical", root / "extract"
    canonical.mkdir()
    extract.mkdir()
    for name, frame in frames.items():
        frame.write_parquet(canonical / f"{name}.parquet")
        if name not in ("households", "persons"):
            frame.write_parquet(extract / f"{name}.parquet")
    households = frames["households"].rename(
        {"household_id": "family_ref", "la_code": "la", "attached_on": "attached"}
    )
    server.load("families", households, {"family_ref": "text", "la": "text", "attached": "date"})
    persons = frames["persons"].select(
        pl.col("person_id").alias("person_ref"),
        pl.col("household_id").alias("family_ref"),
        pl.col("date_of_birth").dt.strftime("%d/%m/%Y").alias("born"),
        pl.lit("not read").alias("notes"),
    )
    server.load(
        "people",
        persons,
        {"person_ref": "text", "family_ref": "text", "born": "text", "notes": "text"},
    )
    mapping = root / "council.tfr"
    mapping.write_text(MAPPING, encoding="utf-8")
    return canonical, extract, mapping


def test_a_table_and_a_query_give_the_canonical_results(server, data):
    canonical, extract, mapping = data
    ruleset = tfrules.load("national.phase1")
    expected = tfrules.evaluate(ruleset, canonical, AS_OF)
    loaded = tfrules.load_data(
        ruleset, extract, mapping=mapping, connections={"council": server.address}
    )
    assert tfrules.evaluate(ruleset, loaded, AS_OF).equals(expected)
    [place] = loaded.provenance()["persons"]
    assert place.name == "a query of database council"
    assert (place.supplied_by, place.extracted) == (
        "Anytown Council, case system",
        dt.date(2015, 3, 1),
    )


def test_only_the_columns_needed_are_asked_for(server):
    spec = SourceSpec("table", "people", "council")
    frame = read_database(spec, {"council": server.address}, {"person_ref", "born"})
    assert frame.columns == ["person_ref", "born"]
    query = SourceSpec("query", "select person_ref, notes from people;", "council")
    assert read_database(query, {"council": server.address}, {"notes"}).columns == ["notes"]


def test_the_address_may_come_from_the_environment(server, data, monkeypatch):
    _, extract, mapping = data
    monkeypatch.setenv("TFRULES_DATABASE_COUNCIL", server.address)
    ruleset = tfrules.load("national.dwp_fmp")
    assert tfrules.evaluate(ruleset, extract, AS_OF, mapping=mapping).height == 80


def test_a_data_error_in_a_database_row_is_located(server, data):
    _, extract, mapping = data
    server.psql(
        "UPDATE people SET born = '31/02/1980' "
        "WHERE person_ref = (SELECT min(person_ref) FROM people)"
    )
    try:
        with pytest.raises(DataError) as info:
            tfrules.load_data(
                tfrules.load("national.phase1"),
                extract,
                mapping=mapping,
                connections={"council": server.address},
            )
    finally:
        server.psql("UPDATE people SET born = '01/01/1980' WHERE born = '31/02/1980'")
    [problem] = info.value.problems
    assert problem.source == "a query of database council"
    assert (problem.heading, problem.value, problem.row_word) == ("born", "31/02/1980", "row")


# ---------------------------------------------------------------- secrets


def _cli(*args: object, env: dict[str, str] | None = None):
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", **(env or {})})
    return runner.invoke(app, [str(a) for a in args])


def _never_shown(result, *secrets: str) -> None:
    shown = result.output + (result.stderr if result.stderr_bytes is not None else "")
    for secret in secrets:
        assert secret not in shown, shown
    assert "Traceback" not in shown


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda a: a.replace(PASSWORD, PASSWORD + "x"), "password authentication failed"),
        (lambda a: a.rsplit(":", 1)[0] + ":1/council", "cannot be read"),
        (lambda a: a, None),
    ],
    ids=["wrong password", "nothing listening", "right password"],
)
def test_a_password_never_appears_in_what_is_printed(server, data, tmp_path, change, said):
    _, extract, mapping = data
    address = change(server.address)
    result = _cli(
        "eval", "national.phase1", "--data", extract, "--mapping", mapping, "--as-of", AS_OF,
        "--out", tmp_path / "r.csv", "--database", f"council={address}",
    )  # fmt: skip
    _never_shown(result, PASSWORD, address, PASSWORD + "x")
    if said is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert said in " ".join(result.output.split())
        assert "database council" in result.output


def test_a_password_in_the_environment_never_appears_either(server, data, tmp_path):
    _, extract, mapping = data
    broken = mapping.with_name("broken.tfr")
    broken.write_text(MAPPING.replace('table "families"', 'table "no_such_table"'))
    result = _cli(
        "eval", "national.phase1", "--data", extract, "--mapping", broken, "--as-of", AS_OF,
        "--out", tmp_path / "r.csv",
        env={"TFRULES_DATABASE_COUNCIL": server.address},
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no_such_table" in result.output
    _never_shown(result, PASSWORD, server.address)


def test_an_audit_bundle_names_the_database_sources_but_never_their_address(server, data, tmp_path):
    _, extract, mapping = data
    bundle = tmp_path / "bundle"
    result = _cli(
        "eval", "national.phase1", "--data", extract, "--mapping", mapping, "--as-of", AS_OF,
        "--out", tmp_path / "r.parquet", "--database", f"council={server.address}",
        "--audit-bundle", bundle, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (bundle / "manifest.json").read_text(encoding="utf-8")
    assert PASSWORD not in text and server.address not in text and "--database" not in text
    sources = {s["table"]: s for s in json.loads(text)["database_sources"]}
    assert sources["persons"]["source"] == "a query of database council"
    assert sources["persons"]["extracted"] == "2015-03-01"
    assert set(sources) == {"households", "persons"}
    # a later check takes the address from the environment, as the bundle says
    verified = _cli("verify", bundle, env={"TFRULES_DATABASE_COUNCIL": server.address})
    assert verified.exit_code == 0, verified.output
    _never_shown(verified, PASSWORD, server.address)


def test_a_database_without_an_address_is_a_usage_problem(data, tmp_path, monkeypatch):
    _, extract, mapping = data
    monkeypatch.delenv("TFRULES_DATABASE_COUNCIL", raising=False)
    result = _cli(
        "eval", "national.phase1", "--data", extract, "--mapping", mapping, "--as-of", AS_OF,
        "--out", tmp_path / "r.csv",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--database council=ADDRESS" in result.output
    assert "TFRULES_DATABASE_COUNCIL" in result.output


def test_clean_takes_out_the_address_the_password_and_the_user():
    address = "postgresql://anne:p%40ss@db.example:5432/x"
    text = f"failed to connect to {address} as anne:p%40ss with p@ss"
    assert clean(text, address) == "failed to connect to *** as *** with ***"


def test_an_unreachable_database_is_a_plain_problem():
    spec = SourceSpec("table", "t", "council")
    address = f"postgresql://u:{PASSWORD}@127.0.0.1:1/x"
    with pytest.raises(DatabaseProblem) as info:
        read_database(spec, {"council": address}, set())
    assert PASSWORD not in str(info.value) and address not in str(info.value)


def test_the_server_is_really_postgresql(server):
    spec = SourceSpec("query", "select version() as v", "council")
    frame = read_database(spec, {"council": server.address}, set())
    assert frame["v"][0].startswith("PostgreSQL")
    assert os.environ.get("TFRULES_DATABASE_COUNCIL") in (None, server.address)


def test_amounts_of_numeric_columns_are_read_exactly(server, tmp_path):
    server.psql(
        "DROP TABLE IF EXISTS rents; CREATE TABLE rents (family_ref text, on_date date, "
        "arrears numeric(14, 2), notice boolean); INSERT INTO rents VALUES "
        "('H000000001', '2014-04-01', 1234.55, true), ('H000000001', '2014-05-01', -0.01, false)"
    )
    spec = SourceSpec("table", "rents", "council")
    frame = read_database(spec, {"council": server.address}, set())
    assert frame.schema["on_date"] == pl.Date and frame.schema["notice"] == pl.Boolean
    assert frame["arrears"].to_list() == ["1234.55", "-0.01"]


def test_an_address_that_is_not_postgresql_is_refused_plainly():
    spec = SourceSpec("table", "t", "council")
    with pytest.raises(DatabaseProblem, match="tfrules reads PostgreSQL databases"):
        read_database(spec, {"council": f"mssql://sa:{PASSWORD}@host/db"}, set())
