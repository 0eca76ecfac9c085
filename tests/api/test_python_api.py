"""The Python API (`tfrules.api`): load, check, load_data, compile_plan, evaluate."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import polars as pl
import pytest

import tfrules
from tfrules import api
from tfrules.data.load import Dataset
from tfrules.data.synth import generate, write_dataset
from tfrules.model.ruleset import CheckedRuleset

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2013-01-15"
HOUSEHOLDS = 500

LOCAL = """\
ruleset local.apitest.phase1 "Test: a local ruleset"
    extends national.phase1
    applies to E08000035

criterion local "A member with a proven offence"
    = any member has offences where proven
"""

BROKEN = """\
ruleset local.apibroken.phase1 "Test: two mistakes"
    extends national.phase1
    applies to E08000035

criterion local "Misspelt"
    = any member has offences where provn

criterion other "Unknown rule"
    = workk
"""


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return generate(HOUSEHOLDS, seed=77)


@pytest.fixture(scope="module")
def data_dir(tables, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("api_data")
    write_dataset(tables, folder, format="parquet")
    return folder


@pytest.fixture(scope="module")
def phase1() -> CheckedRuleset:
    return api.load("national.phase1")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ------------------------------------------------------------------ load


def test_load_by_name(phase1):
    assert isinstance(phase1, CheckedRuleset)
    assert phase1.name == "national.phase1"
    assert "identified" in phase1.output_rules
    assert "local" in phase1.abstract_rules


def test_load_by_path_gives_the_same_ruleset(phase1):
    by_path = api.load(REPO / "rulesets" / "national" / "phase1.tfr")
    assert by_path.name == phase1.name
    assert by_path.output_rules == phase1.output_rules
    by_text = api.load(str(REPO / "rulesets" / "national" / "phase1.tfr"))
    assert by_text.name == phase1.name


def test_load_a_local_file(tmp_path):
    local = api.load(_write(tmp_path, "local.tfr", LOCAL))
    assert local.name == "local.apitest.phase1"
    assert local.chain[-1] == local.name and "national.phase1" in local.chain
    assert local.applies_to == ("E08000035",)
    assert local.rules["local"].layer == local.name
    assert local.rules["work"].layer == "national.phase1"


def test_load_with_include_folder(tmp_path):
    _write(tmp_path / "rules", "local.tfr", LOCAL)
    local = api.load("local.apitest.phase1", include=[tmp_path / "rules"])
    assert local.name == "local.apitest.phase1"


def test_load_with_params(phase1):
    what_if = api.load("national.phase1", params=["absence_threshold=10%"])
    assert what_if.params["absence_threshold"].value != phase1.params["absence_threshold"].value
    assert str(what_if.params["absence_threshold"].value) in ("0.1", "0.10", "0.100000")


def test_rules_error_carries_diagnostics(tmp_path):
    path = _write(tmp_path, "broken.tfr", BROKEN)
    with pytest.raises(api.RulesError) as caught:
        api.load(path)
    error = caught.value
    errors = [d for d in error.diagnostics if d.is_error]
    assert {d.code for d in errors} == {"E101"}
    assert sorted(d.span.line for d in errors) == [6, 9]
    assert all(d.span.file.endswith("broken.tfr") for d in errors)
    text = str(error)
    assert "broken.tfr:6:" in text and "broken.tfr:9:" in text
    assert "provn" in text and "workk" in text
    assert "did you mean" in text


def test_unknown_ruleset_name():
    with pytest.raises(api.RulesError) as caught:
        api.load("national.phase9")
    assert any(d.code == "E103" for d in caught.value.diagnostics)
    assert "national.phase1" in str(caught.value)  # the hint


def test_check_reports_every_file(tmp_path):
    _write(tmp_path, "broken.tfr", BROKEN)
    _write(tmp_path, "local.tfr", LOCAL)
    report = api.check([tmp_path])
    assert report.errors == 2
    assert len(report.files) == 2
    errors = [d for d in report.diagnostics if d.is_error]
    assert {Path(d.span.file).name for d in errors} == {"broken.tfr"}
    assert api.check([REPO / "rulesets"]).errors == 0


def test_load_locals(phase1, tmp_path):
    _write(tmp_path, "local.tfr", LOCAL)
    found = api.load_locals(phase1, [tmp_path])
    assert [r.name for r in found] == ["local.apitest.phase1"]


# ------------------------------------------------------------------ data


def test_load_data_validates(phase1, data_dir):
    dataset = api.load_data(phase1, data_dir)
    assert isinstance(dataset, Dataset)
    assert dataset.missing_tables == frozenset()
    households = dataset.frames["households"].collect()
    assert households.height == HOUSEHOLDS


def test_load_data_raises_data_error(phase1, tables, tmp_path):
    persons = tables["persons"]
    broken = dict(tables)
    broken["persons"] = pl.concat([persons, persons.head(1)])
    write_dataset(broken, tmp_path, format="parquet")
    with pytest.raises(api.DataError) as caught:
        api.load_data(phase1, tmp_path)
    [problem] = caught.value.problems
    assert (problem.table, problem.column) == ("persons", "person_id")
    assert problem.key == persons["person_id"][0]
    assert "must be unique" in str(caught.value)


def test_load_data_from_frames(phase1, tables):
    dataset = api.load_data(phase1, tables)
    assert dataset.frames["persons"].collect().height == tables["persons"].height
    broken = {**tables, "households": tables["households"].drop("la_code")}
    with pytest.raises(api.DataError, match="la_code"):
        api.load_data(phase1, broken)


def test_missing_data_folder(phase1, tmp_path):
    with pytest.raises(api.DataError, match="nowhere"):
        api.load_data(phase1, tmp_path / "nowhere")


# ------------------------------------------------------------------ evaluate, compile_plan


@pytest.fixture(scope="module")
def results(phase1, data_dir) -> pl.DataFrame:
    return api.evaluate(phase1, data_dir, AS_OF)


def test_evaluate_returns_a_frame(results, phase1, tables):
    assert isinstance(results, pl.DataFrame)
    assert results.columns == ["household_id", "la_code", *phase1.output_rules]
    assert results.height == HOUSEHOLDS
    assert results["household_id"].to_list() == sorted(tables["households"]["household_id"])


def test_evaluate_takes_dates_frames_and_rule_lists(results, phase1, tables):
    chosen = api.evaluate(phase1, tables, dt.date(2013, 1, 15), rules=["identified", "work"])
    assert chosen.columns == ["household_id", "la_code", "identified", "work"]
    assert chosen.equals(results.select(chosen.columns))
    with pytest.raises(ValueError, match="identifyed"):
        api.evaluate(phase1, tables, AS_OF, rules=["identifyed"])
    with pytest.raises(ValueError, match="not a date"):
        api.evaluate(phase1, tables, "15/01/2013")


def test_compile_plan_returns_a_lazy_frame(results, phase1, data_dir):
    dataset = api.load_data(phase1, data_dir)
    plan = api.compile_plan(phase1, dataset, AS_OF)
    assert isinstance(plan, pl.LazyFrame)
    assert plan.collect_schema().names() == results.columns
    assert plan.collect().equals(results)


def test_evaluate_a_local_ruleset(tmp_path, data_dir, results):
    local = api.load(_write(tmp_path, "local.tfr", LOCAL))
    found = api.evaluate(local, data_dir, AS_OF, rules=["local", "work"])
    assert found["local"].null_count() == 0
    assert found["work"].equals(results["work"])


def test_the_package_exports_the_api():
    for name in api.__all__:
        if name == "check":  # tfrules.check is the checker's package
            assert tfrules.check_files is api.check
        else:
            assert getattr(tfrules, name) is getattr(api, name)
