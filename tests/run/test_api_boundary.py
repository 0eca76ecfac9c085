"""The API checks what it is given where it comes in (a TypeError or
ValueError naming the argument, never a failure deep inside Polars), and
runs one council or many through one entry point, `write_results`."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import polars as pl
import pytest

from tfrules import api
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.data.synth import generate, write_dataset
from tfrules.run.atomic import OutputError
from tfrules.run.councils import CouncilError

AS_OF = dt.date(2013, 1, 15)
LEEDS = "E08000035"
HOUSEHOLDS = 400

LOCAL_LEEDS = """\
ruleset local.boundary.phase1 "Test: a local criterion for Leeds"
    extends national.phase1
    applies to E08000035

criterion local "A member with a proven offence"
    = any member has offences where proven
"""


@pytest.fixture(scope="module")
def phase1():
    return api.load("national.phase1")


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return generate(HOUSEHOLDS, seed=5)


@pytest.fixture(scope="module")
def data_dir(tables, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("boundary_data")
    write_dataset(tables, folder)
    return folder


@pytest.fixture(scope="module")
def dataset(phase1, data_dir):
    return api.load_data(phase1, data_dir)


@pytest.fixture(scope="module")
def leeds(tmp_path_factory, phase1):
    folder = tmp_path_factory.mktemp("boundary_local")
    (folder / "leeds.tfr").write_text(textwrap.dedent(LOCAL_LEEDS), encoding="utf-8")
    return api.load_locals(phase1, [folder])


# ------------------------------------------------------------------ misuse


@pytest.mark.parametrize(
    ("as_of", "error", "words"),
    [
        (20130115, TypeError, ["as_of", "int"]),
        (dt.datetime(2013, 1, 15, 9, 30), TypeError, ["as_of", "datetime", ".date()"]),
        ("20130115", ValueError, ["as_of", "YYYY-MM-DD"]),
        ("2013-W03-2", ValueError, ["as_of", "YYYY-MM-DD"]),
        ("2013-02-30", ValueError, ["as_of", "not a date"]),
        (dt.date(1, 1, 1), ValueError, ["as_of", "1800-01-01", "2299-12-31"]),
        ("2501-01-01", ValueError, ["as_of", "outside the dates"]),
    ],
)
def test_a_bad_as_of_names_the_argument(phase1, tables, as_of, error, words):
    with pytest.raises(error) as caught:
        api.evaluate(phase1, tables, as_of)
    for word in words:
        assert word in str(caught.value)


def test_rules_given_as_one_string(phase1, tables):
    with pytest.raises(TypeError, match=r"rules must be a list.*rules=\['identified'\]"):
        api.evaluate(phase1, tables, AS_OF, rules="identified")


def test_a_ruleset_name_instead_of_a_loaded_ruleset(tables, dataset):
    with pytest.raises(TypeError, match=r"ruleset must be a loaded ruleset.*tfrules\.load"):
        api.evaluate("national.phase1", tables, AS_OF)
    with pytest.raises(TypeError, match="ruleset must be a loaded ruleset"):
        api.explain("national.phase1", dataset, AS_OF, "H000000001")


def test_an_int_household_id(phase1, dataset):
    with pytest.raises(TypeError, match="household_id must be text"):
        api.explain(phase1, dataset, AS_OF, 42)
    with pytest.raises(TypeError, match="household_id must be text"):
        api.household(phase1, dataset, 42)


def test_data_of_the_wrong_kind(phase1):
    with pytest.raises(TypeError, match="data must be a folder"):
        api.evaluate(phase1, 42, AS_OF)
    with pytest.raises(TypeError, match="'households' is list"):
        api.evaluate(phase1, {"households": [1, 2]}, AS_OF)
    with pytest.raises(TypeError, match=r"data must be a loaded data set .* not str"):
        api.compile_plan(phase1, "extract/", AS_OF)


def test_an_unknown_engine(phase1, dataset, tmp_path):
    with pytest.raises(ValueError, match="no engine 'duckdb'; the engines are: polars, spark"):
        api.write_results(phase1, dataset, AS_OF, tmp_path / "r.parquet", engine="duckdb")
    with pytest.raises(ValueError, match="no engine"):
        api.evaluate(phase1, dataset, AS_OF, engine="duckdb")
    assert list(tmp_path.iterdir()) == []


def test_bad_slices_and_out(phase1, dataset, tmp_path):
    with pytest.raises(ValueError, match="slices must be 0"):
        api.write_results(phase1, dataset, AS_OF, tmp_path / "r.parquet", slices=-1)
    with pytest.raises(TypeError, match="slices must be a whole number"):
        api.write_results(phase1, dataset, AS_OF, tmp_path / "r.parquet", slices=2.5)
    with pytest.raises(TypeError, match="out must be a file path"):
        api.write_results(phase1, dataset, AS_OF, 7)


def test_a_local_ruleset_not_in_a_list(phase1, tables, leeds):
    with pytest.raises(TypeError, match="local must be a list of loaded local rulesets"):
        api.evaluate(phase1, tables, AS_OF, local=leeds[0])


# ------------------------------------------------------------------ write_results


def test_write_results_takes_a_folder_as_data(phase1, data_dir, dataset, tmp_path):
    """A path to the data is loaded and validated, as evaluate does."""
    written = api.write_results(phase1, data_dir, AS_OF, tmp_path / "r.parquet")
    assert written.path == tmp_path / "r.parquet"
    assert written.ruleset == "national.phase1"
    assert written.elapsed >= 0
    frame = pl.read_parquet(written.path)
    assert frame.equals(api.evaluate(phase1, dataset, AS_OF))
    assert written.scan().collect().equals(frame)
    assert written.without_local == {} and written.covered == {}


def test_write_results_refuses_an_input_as_output(phase1, tables, tmp_path):
    folder = tmp_path / "data"
    write_dataset(tables, folder, format="csv")
    before = (folder / "persons.csv").read_bytes()
    for name in ("persons.csv", "persons.parquet"):
        with pytest.raises(OutputError, match="persons"):
            api.write_results(phase1, folder, AS_OF, folder / name)
    assert (folder / "persons.csv").read_bytes() == before
    assert not (folder / "persons.parquet").exists()


def test_evaluate_and_write_results_for_many_councils(phase1, dataset, leeds, tmp_path):
    """The multi-council run has an API entry point: each council's households
    by its own local ruleset, the rest by the national rules alone."""
    together = api.evaluate(phase1, dataset, AS_OF, local=leeds, rules=["local", "identified"])
    assert together.columns == ["household_id", "la_code", "local", "identified", "ruleset_applied"]
    mine = together.filter(pl.col("la_code") == LEEDS)
    rest = together.filter(pl.col("la_code") != LEEDS)
    assert mine.height and rest.height
    assert (mine["ruleset_applied"] == "local.boundary.phase1").all()
    assert mine["local"].null_count() == 0
    assert (rest["ruleset_applied"] == "national.phase1").all()
    assert rest["local"].null_count() == rest.height

    written = api.write_results(
        phase1, dataset, AS_OF, tmp_path / "r.csv", local=leeds, rules=["local", "identified"],
        slices=3,
    )  # fmt: skip
    assert written.scan().collect().equals(together)
    assert written.covered == {LEEDS: "local.boundary.phase1"}
    expected = dict(rest.group_by("la_code").len().iter_rows())
    assert written.without_local == expected
    assert written.abstract == ("local",)


def test_local_rulesets_held_to_the_national_ruleset_of_the_run(tmp_path, dataset):
    """Locals found beside another copy of national.phase1 do not run with
    the shipped one: their national rules would not be the run's."""
    shipped = bundled_rulesets_dir() / "national" / "phase1.tfr"
    own = tmp_path / "own"
    own.mkdir()
    (own / "phase1.tfr").write_text(
        shipped.read_text(encoding="utf-8").replace("60%", "50%"), encoding="utf-8"
    )
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "leeds.tfr").write_text(textwrap.dedent(LOCAL_LEEDS), "utf-8")
    with pytest.warns(api.RulesWarning, match="replaces the one shipped"):
        ours = api.load("national.phase1", include=[own])
    built_on_ours = api.load_locals(ours, [tmp_path / "local"], include=[own])  # warned once
    api.evaluate(ours, dataset, AS_OF, local=built_on_ours, rules=["identified"])
    shipped_national = api.load("national.phase1")
    with pytest.raises(CouncilError, match=r"builds on national\.phase1 from"):
        api.evaluate(shipped_national, dataset, AS_OF, local=built_on_ours)
