"""`tfrules eval --engine spark` and `tfrules report --engine spark`: the same
files and the same summary as on one machine; bad data refused the same way."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from cli_support import expect_exit, run
from polars.testing import assert_frame_equal

from tfrules.check.workspace import bundled_rulesets_dir

LOCAL = bundled_rulesets_dir() / "local"


def _without_timing(text: str) -> list[str]:
    """The printed summary but its first line (which says how long the run took)."""
    return text.splitlines()[1:]


def test_eval_on_spark(spark: object, synthetic: Path, tmp_path: Path) -> None:
    common = ("eval", "national.phase1", "--data", synthetic, "--as-of", "2014-06-30",
              "--local", LOCAL)  # fmt: skip
    in_spark = expect_exit(
        run(*common, "--out", tmp_path / "spark.parquet", "--engine", "spark"), 0
    )
    on_one_machine = expect_exit(run(*common, "--out", tmp_path / "polars.parquet"), 0)
    assert "households evaluated" in in_spark.stdout
    assert _without_timing(in_spark.stdout) == _without_timing(on_one_machine.stdout)
    assert_frame_equal(
        pl.read_parquet(tmp_path / "spark.parquet"), pl.read_parquet(tmp_path / "polars.parquet")
    )


def test_eval_on_spark_refuses_bad_data(spark: object, synthetic: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for path in synthetic.glob("*.parquet"):
        (data / path.name).write_bytes(path.read_bytes())
    persons = pl.read_parquet(data / "persons.parquet")
    persons.with_columns(pl.lit("H-NOWHERE").alias("household_id")).write_parquet(
        data / "persons.parquet"
    )
    common = ("eval", "national.phase1", "--data", data, "--as-of", "2014-06-30")
    in_spark = expect_exit(run(*common, "--out", tmp_path / "s.parquet", "--engine", "spark"), 1)
    on_one_machine = expect_exit(run(*common, "--out", tmp_path / "p.parquet"), 1)
    assert "there is no household with household_id" in in_spark.stderr
    assert in_spark.stderr == on_one_machine.stderr
    assert not (tmp_path / "s.parquet").exists()


def test_report_on_spark(spark: object, synthetic: Path, tmp_path: Path) -> None:
    common = ("report", "--data", synthetic, "--as-of", "2015-03-31")
    expect_exit(run(*common, "--out", tmp_path / "spark", "--engine", "spark"), 0)
    expect_exit(run(*common, "--out", tmp_path / "polars"), 0)
    for name in ("dashboard.csv", "dashboard.md"):
        spark_text = (tmp_path / "spark" / name).read_text()
        assert spark_text == (tmp_path / "polars" / name).read_text()
    for results in (tmp_path / "polars").glob("*.parquet"):
        assert_frame_equal(
            pl.read_parquet(tmp_path / "spark" / results.name), pl.read_parquet(results)
        )


def test_what_spark_cannot_do_is_refused_before_it_starts(tmp_path: Path) -> None:
    """Refused with a reason and exit 2, before any Spark session or data is touched."""
    data = tmp_path / "no-data-needed"
    common = ("--data", data, "--as-of", "2014-06-30", "--engine", "spark")
    cases = [
        (("eval", "national.phase1", *common, "--out", tmp_path / "r.parquet",
          "--audit-bundle", tmp_path / "bundle"), "hashes every input file"),
        (("eval", "national.phase1", *common, "--out", tmp_path / "r.parquet", "--slices", "4"),
         "Spark cuts the households into buckets"),
        (("eval", "national.phase1", *common, "--out", tmp_path / "r.csv"), "writes Parquet"),
        (("report", *common, "--out", tmp_path / "rep",
          "--html", tmp_path / "d.html"), "run the report on one machine"),
        (("eval", "national.phase1", "--data", data, "--as-of", "2014-06-30",
          "--out", tmp_path / "r.parquet", "--spark-master", "local[2]"), "for --engine spark"),
    ]  # fmt: skip
    for arguments, reason in cases:
        found = expect_exit(run(*arguments), 2)
        assert reason in found.stderr, (arguments, found.stderr)
        assert "Traceback" not in found.stderr
    assert not (tmp_path / "r.parquet").exists() and not (tmp_path / "bundle").exists()
