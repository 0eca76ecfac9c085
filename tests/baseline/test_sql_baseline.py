"""The DuckDB SQL baseline (bench/baseline/sql.py) is a third oracle for phase 1.

Its output must equal the Polars baseline's on the random boundary-dense data sets
(tables left out at random included), and the output of `tfrules eval` itself on
synthetic data, nulls included, on both kinds of cohort and with both local
criteria the benchmark uses (the Leeds burglary rule, and `local = false`).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from bench.baseline import OUTPUT_COLUMNS, Params, phase1
from bench.baseline.sql import connect_frames, connect_parquet, phase1_relation, phase1_sql
from tfrules.cli.main import app
from tfrules.data.synth import DEFAULT_RATES, generate_to_dir

from .builders import table
from .test_baseline_random import random_dataset

BENCH = Path(__file__).resolve().parents[2] / "bench"
AS_OF = date(2014, 6, 15)


class LocalFalse(Params):
    """The local criterion false for every household (bench/local_false.tfr)."""

    local_police_category = None


RULES = {Params: BENCH / "leeds_burglary.tfr", LocalFalse: BENCH / "local_false.tfr"}


@pytest.mark.parametrize("params", [Params, LocalFalse], ids=["burglary", "local_false"])
@pytest.mark.parametrize("seed", range(12))
def test_sql_equals_the_polars_baseline(params: type[Params], seed: int) -> None:
    rows, as_of, missing = random_dataset(seed)
    frames = {name: table(name, r) for name, r in rows.items() if name not in missing}
    expected = phase1(frames, as_of, params=params).collect()
    con, supplied = connect_frames(frames)
    got = phase1_relation(con, as_of, supplied, params).pl()
    assert got.columns == list(OUTPUT_COLUMNS)
    assert_frame_equal(got, expected, check_dtypes=False)


def test_a_table_left_out_is_read_as_not_supplied() -> None:
    """Leaving a table out changes the answer (unknowns), so the SQL differs too."""
    rows, as_of, _ = random_dataset(0)
    frames = {name: table(name, r) for name, r in rows.items()}
    whole = phase1_sql(as_of, list(frames))
    without = phase1_sql(as_of, [n for n in frames if n != "benefit_claims"])
    assert "benefit_claims" in whole and "benefit_claims" not in without
    with pytest.raises(KeyError, match="persons"):
        phase1_sql(as_of, ["households"])


@pytest.fixture(scope="module", params=[None, 0.75], ids=["national", "results"])
def cohort(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic data set: a national extract (few attached) or a results cohort."""
    folder = tmp_path_factory.mktemp("cohort")
    rates = (
        DEFAULT_RATES
        if request.param is None
        else dataclasses.replace(DEFAULT_RATES, attached_share=request.param)
    )
    generate_to_dir(1_500, 7, folder, rates=rates)
    return folder


@pytest.mark.parametrize("params", [Params, LocalFalse], ids=["burglary", "local_false"])
def test_sql_equals_tfrules_eval(cohort: Path, params: type[Params], tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    command = ["eval", str(RULES[params]), "--data", str(cohort), "--as-of", str(AS_OF)]
    result = CliRunner().invoke(app, [*command, "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    ours = pl.read_parquet(out).sort("household_id")
    con, supplied = connect_parquet(cohort)
    theirs = phase1_relation(con, AS_OF, supplied, params).pl()
    attached = theirs["local_at_attachment"].is_not_null().sum()
    assert attached > 0  # the attached households' results are compared too
    assert_frame_equal(ours.select(OUTPUT_COLUMNS), theirs, check_dtypes=False)
