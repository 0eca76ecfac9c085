"""`tfrules eval`: the output file, the summary, what-if parameters, bad data,
multi-council runs with local rulesets, and mistakes in the rules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from cli_support import (
    AS_OF,
    BROKEN,
    HOUSEHOLDS,
    LEEDS,
    LOCAL_LEEDS,
    LOCAL_LEEDS_AGAIN,
    REPO,
    counts,
    expect_exit,
    number,
    run,
    summary_row,
    synth_tables,
    write_rules,
    write_tables,
)

from tfrules import api
from tfrules.model import types as T
from tfrules.run.atomic import write_file
from tfrules.run.slices import sink

NATIONAL = "national.phase1"


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return synth_tables()


@pytest.fixture(scope="module")
def data_dir(tables, tmp_path_factory) -> Path:
    return write_tables(tables, tmp_path_factory.mktemp("eval_data"))


@pytest.fixture(scope="module")
def phase1():
    return api.load(NATIONAL)


@pytest.fixture(scope="module")
def national_run(data_dir, tmp_path_factory):
    """One full run of national.phase1 to Parquet: (output frame, stdout)."""
    out = tmp_path_factory.mktemp("eval_out") / "results.parquet"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out)
    expect_exit(result, 0)
    return pl.read_parquet(out), result.stdout


def _no_output(out: Path) -> None:
    """Nothing at all was written: no result, no temporary part-file."""
    if out.parent.exists():
        assert sorted(p.name for p in out.parent.iterdir()) == []


# ------------------------------------------------------------------ the output


def test_one_row_per_household_sorted_by_id(national_run, tables):
    frame, _ = national_run
    households = tables["households"]
    assert frame.height == households.height == HOUSEHOLDS
    assert frame["household_id"].n_unique() == HOUSEHOLDS
    assert frame["household_id"].to_list() == sorted(households["household_id"].to_list())
    joined = frame.select("household_id", "la_code").join(
        households.select("household_id", pl.col("la_code").alias("given")), on="household_id"
    )
    assert joined.height == HOUSEHOLDS
    assert (joined["la_code"] == joined["given"]).all()


def test_columns_and_dtypes(national_run, phase1):
    frame, _ = national_run
    assert frame.columns == ["household_id", "la_code", *phase1.output_rules]
    assert frame.schema["household_id"] == pl.String
    assert frame.schema["la_code"] == pl.String
    expected = {
        T.Kind.BOOL: pl.Boolean(),
        T.Kind.MONEY: pl.Decimal(38, 2),
        T.Kind.INT: pl.Int64(),
    }
    kinds = set()
    for rule in phase1.output_rules:
        kind = phase1.rules[rule].type.kind
        kinds.add(kind)
        assert frame.schema[rule] == expected[kind], rule
    assert {T.Kind.BOOL, T.Kind.MONEY} <= kinds


def test_results_are_not_trivial(national_run):
    """The synthetic data exercises true, false and unknown (so the checks below bite)."""
    frame, _ = national_run
    true, false, unknown = counts(frame, "identified")
    assert true > 0 and false > 0 and unknown > 0
    assert frame["local"].null_count() == HOUSEHOLDS  # abstract in the national ruleset
    assert frame["payment_due"].sum() > 0


def test_summary_counts_and_totals_overall_and_by_council(national_run, tables):
    frame, stdout = national_run
    assert f"{HOUSEHOLDS:,} households" in stdout
    for rule in ("identified", "crime_asb", "turned_around", "local"):
        cells = summary_row(stdout, "all councils", rule)
        assert [number(c) for c in cells] == counts(frame, rule), rule
    total = frame["payment_due"].sum()
    assert summary_row(stdout, "all councils", "payment_due") == [f"£{total:,.2f}", "0"]
    codes = sorted(tables["households"]["la_code"].unique().to_list())
    assert len(codes) > 1
    for code in codes:
        mine = frame.filter(pl.col("la_code") == code)
        cells = summary_row(stdout, code, "identified")
        assert [number(c) for c in cells] == counts(mine, "identified"), code
        amount = mine["attachment_fee"].sum()
        assert summary_row(stdout, code, "attachment_fee") == [f"£{amount:,.2f}", "0"]


def test_csv_output_and_chosen_rules(national_run, data_dir, tmp_path):
    """CSV has the same values; --rules picks the columns, in the order given.

    `local` is unknown for every household: the summary must still read it
    back as a criterion (it once crashed reading the CSV as text).
    """
    frame, _ = national_run
    out = tmp_path / "out" / "results.csv"
    rules = ["payment_due", "identified", "local"]
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--rules", ", ".join(rules),
    )  # fmt: skip
    expect_exit(result, 0)
    header = out.read_text().splitlines()[0]
    assert header == ",".join(["household_id", "la_code", *rules])
    written = pl.read_csv(
        out,
        schema={
            "household_id": pl.String,
            "la_code": pl.String,
            "payment_due": pl.Decimal(38, 2),
            "identified": pl.Boolean,
            "local": pl.Boolean,
        },
    )
    assert written.equals(frame.select("household_id", "la_code", *rules))
    assert [number(c) for c in summary_row(result.stdout, "all councils", "local")] == [
        0,
        0,
        HOUSEHOLDS,
    ]
    assert sorted(p.name for p in out.parent.iterdir()) == ["results.csv"]


def test_rules_option_parquet(national_run, data_dir, tmp_path):
    frame, _ = national_run
    out = tmp_path / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--rules", "work,crime_asb", "--quiet",
    )  # fmt: skip
    expect_exit(result, 0)
    assert result.stdout == ""  # --quiet: no summary
    written = pl.read_parquet(out)
    assert written.columns == ["household_id", "la_code", "work", "crime_asb"]
    assert written.equals(frame.select(written.columns))


def test_unknown_rule_is_a_usage_error(data_dir, tmp_path):
    out = tmp_path / "out" / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--rules", "identified,identifed_typo",
    )  # fmt: skip
    expect_exit(result, 2)
    assert "identifed_typo" in result.stderr
    _no_output(out)


def test_bad_date_is_a_usage_error(data_dir, tmp_path):
    out = tmp_path / "out" / "r.parquet"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", "2013-13-01", "--out", out)
    expect_exit(result, 2)
    assert "not a date" in result.stderr
    _no_output(out)


def test_output_must_be_parquet_or_csv(data_dir, tmp_path):
    out = tmp_path / "out" / "r.txt"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out)
    expect_exit(result, 2)
    assert "--out must end in .parquet or .csv" in result.stderr
    _no_output(out)


def test_missing_data_folder_is_a_usage_error(tmp_path):
    out = tmp_path / "out" / "r.parquet"
    result = run("eval", NATIONAL, "--data", tmp_path / "nowhere", "--as-of", AS_OF, "--out", out)
    expect_exit(result, 2)
    assert "nowhere" in result.stderr
    _no_output(out)


# ------------------------------------------------------------------ what-if parameters


def test_param_changes_results_in_the_expected_direction(national_run, data_dir, tmp_path):
    """A lower absence threshold finds more education problems: every household
    education was true for stays true, every one false at 10% was false at 15%."""
    frame, _ = national_run
    out = tmp_path / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--rules", "education", "--param", "absence_threshold=10%", "-q",
    )  # fmt: skip
    expect_exit(result, 0)
    lower = pl.read_parquet(out).rename({"education": "lower"})
    both = frame.select("household_id", "education").join(lower, on="household_id")
    was_true = both.filter(pl.col("education"))
    assert was_true["lower"].fill_null(False).all()
    now_false = both.filter(pl.col("lower") == False)  # noqa: E712
    assert now_false["education"].fill_null(True).not_().all()
    assert both["lower"].sum() > both["education"].sum()


@pytest.mark.parametrize(
    ("param", "words"),
    [
        ("no_such_parameter=3", ["no_such_parameter", "no such parameter"]),
        ("absence_threshold=£5", ["absence_threshold", "percent", "money"]),
        ("identification_window=10", ["identification_window", "duration"]),
        ("absence_threshold", ["name=value"]),
        ("out_of_work_benefits={JSA, XYZ}", ["XYZ"]),
    ],
    ids=["unknown-name", "money-for-percent", "int-for-duration", "no-value", "bad-category"],
)
def test_bad_param_is_a_usage_error(data_dir, tmp_path, param, words):
    out = tmp_path / "out" / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out, "--param", param
    )
    expect_exit(result, 2)
    for word in words:
        assert word in result.stderr
    assert "--param" in result.stderr
    _no_output(out)


# ------------------------------------------------------------------ bad data

Mutation = Callable[[dict[str, pl.DataFrame]], tuple[str, str, str | None]]
ROW = 3  # the data row (from 0) each mutation breaks


def _set(frame: pl.DataFrame, column: str, value: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == ROW).then(value).otherwise(pl.col(column)).alias(column)
    )


def _missing_column(t):
    t["persons"] = t["persons"].drop("date_of_birth")
    return "persons", "date_of_birth", None


def _duplicate_id(t):
    t["households"] = pl.concat([t["households"], t["households"].slice(ROW, 1)])
    return "households", "household_id", t["households"]["household_id"][ROW]


def _null_id(t):
    t["persons"] = _set(t["persons"], "person_id", pl.lit(None, pl.String))
    return "persons", "person_id", f"row {ROW + 1}"


def _orphan_person(t):
    extra = (
        t["persons"]
        .slice(0, 1)
        .with_columns(person_id=pl.lit("P-ORPHAN"), household_id=pl.lit("H-NOWHERE"))
    )
    t["persons"] = pl.concat([t["persons"], extra])
    return "persons", "household_id", "H-NOWHERE"


def _orphan_event(t):
    extra = t["offences"].slice(0, 1).with_columns(person_id=pl.lit("P-NOBODY"))
    t["offences"] = pl.concat([t["offences"], extra])
    return "offences", "person_id", "P-NOBODY"


def _negative_count(t):
    t["school_terms"] = _set(t["school_terms"], "fixed_exclusions", pl.lit(-2))
    return "school_terms", "fixed_exclusions", t["school_terms"]["person_id"][ROW]


def _wrong_type(t):
    frame = t["school_terms"].with_columns(pl.col("sessions_possible").cast(pl.String))
    t["school_terms"] = _set(frame, "sessions_possible", pl.lit("lots"))
    return "school_terms", "sessions_possible", t["school_terms"]["person_id"][ROW]


def _absences_over_possible(t):
    too_many = pl.col("sessions_possible") + 1
    t["school_terms"] = _set(t["school_terms"], "sessions_unauthorised_absence", too_many)
    return "school_terms", "sessions_possible", t["school_terms"]["person_id"][ROW]


def _end_before_start(t):
    early = pl.col("start_date") - pl.duration(days=5)
    t["benefit_claims"] = _set(t["benefit_claims"], "end_date", early)
    return "benefit_claims", "end_date", t["benefit_claims"]["person_id"][ROW]


def _unknown_category(t):
    t["benefit_claims"] = _set(t["benefit_claims"], "benefit", pl.lit("XYZ"))
    return "benefit_claims", "benefit", t["benefit_claims"]["person_id"][ROW]


BAD_DATA: dict[str, Mutation] = {
    "missing-column": _missing_column,
    "duplicate-id": _duplicate_id,
    "null-id": _null_id,
    "orphan-person": _orphan_person,
    "orphan-event": _orphan_event,
    "negative-count": _negative_count,
    "wrong-type": _wrong_type,
    "absences-over-possible": _absences_over_possible,
    "end-before-start": _end_before_start,
    "unknown-category": _unknown_category,
}

#: Reads both kinds of absence, so the data contract's absences rule applies.
ABSENCE_RULES = """\
ruleset local.absence.phase1 "Test: reads both kinds of absence"
    extends national.phase1
    applies to E08000035

measure authorised_recent "Authorised absences over the last 3 terms" for person
    = sum sessions_authorised_absence over school_terms where in the last 3 terms

criterion local "A member with more than 10 authorised absences in the last 3 terms"
    = any member where authorised_recent > 10
"""


def _bad_data_run(tables, tmp_path: Path, mutate: Mutation, ruleset: str, fmt: str = "parquet"):
    broken = {name: frame.clone() for name, frame in tables.items()}
    expected = mutate(broken)
    folder = write_tables(broken, tmp_path / "data", fmt)
    out = tmp_path / "out" / "results.parquet"
    result = run("eval", ruleset, "--data", folder, "--as-of", AS_OF, "--out", out)
    return result, expected, out


@pytest.mark.parametrize("case", list(BAD_DATA), ids=list(BAD_DATA))
def test_bad_data_stops_the_run_before_writing(tables, tmp_path, case):
    ruleset = NATIONAL
    if case == "absences-over-possible":
        ruleset = str(write_rules(tmp_path / "rules", "absence.tfr", ABSENCE_RULES))
    result, (table, column, key), out = _bad_data_run(tables, tmp_path, BAD_DATA[case], ruleset)
    expect_exit(result, 1)
    message = result.stderr
    assert "nothing was written" in message
    assert f"{table}.parquet" in message
    assert f"column {column}" in message
    if key is not None:
        assert key in message
    _no_output(out)


def test_absences_over_possible_caught_for_phase1(tables, tmp_path):
    result, _, out = _bad_data_run(tables, tmp_path, _absences_over_possible, NATIONAL)
    assert result.exit_code == 1
    _no_output(out)


def test_bad_csv_data_is_located_by_row(tables, tmp_path):
    result, (table, column, key), out = _bad_data_run(
        tables, tmp_path, _unknown_category, NATIONAL, fmt="csv"
    )
    expect_exit(result, 1)
    assert f"{table}.csv: column {column}, row {ROW + 1} (person_id {key})" in result.stderr
    assert '"XYZ" is not an allowed value of benefit' in result.stderr
    _no_output(out)


def test_csv_input_gives_the_same_results(national_run, tables, tmp_path):
    frame, _ = national_run
    folder = write_tables(tables, tmp_path / "csv_data", "csv")
    out = tmp_path / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", folder, "--as-of", AS_OF, "--out", out, "-q",
        "--rules", "identified,payment_due",
    )  # fmt: skip
    expect_exit(result, 0)
    assert pl.read_parquet(out).equals(frame.select(pl.read_parquet(out).columns))


def test_a_failed_write_leaves_no_file(tmp_path):
    """Output is written to a temporary file and renamed: a failure midway leaves nothing."""
    plan = pl.LazyFrame({"x": [1, 2, 300]}).select(pl.col("x").cast(pl.UInt8, strict=True))
    for name in ("r.parquet", "r.csv"):
        out = tmp_path / "out" / name
        with pytest.raises(pl.exceptions.PolarsError):
            write_file(out, lambda path: sink(plan, path))
        assert list(out.parent.iterdir()) == []
        time.sleep(0.2)  # a Polars sink once created its file just after failing
        assert list(out.parent.iterdir()) == []


# ------------------------------------------------------------------ local rulesets, many councils


@pytest.fixture(scope="module")
def local_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("local_rules")
    write_rules(folder, "testshire.tfr", LOCAL_LEEDS)
    return folder


def test_local_rulesets_apply_to_their_own_council(
    national_run, data_dir, local_folder, tmp_path, tables
):
    frame, _ = national_run
    out = tmp_path / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--local", local_folder, "--rules", "local,identified,payment_due",
    )  # fmt: skip
    expect_exit(result, 0)
    written = pl.read_parquet(out)
    assert written.height == HOUSEHOLDS
    assert written["household_id"].to_list() == frame["household_id"].to_list()
    assert set(written.columns) == {
        "household_id", "la_code", "local", "identified", "payment_due", "ruleset_applied"
    }  # fmt: skip

    leeds = written.filter(pl.col("la_code") == LEEDS)
    others = written.filter(pl.col("la_code") != LEEDS)
    assert leeds.height > 0 and others.height > 0
    assert (leeds["ruleset_applied"] == "local.testshire.phase1").all()
    assert leeds["local"].null_count() == 0
    assert leeds["local"].any() and not leeds["local"].all()
    assert (others["ruleset_applied"] == NATIONAL).all()
    assert others["local"].null_count() == others.height

    # the other councils get exactly the national results
    national = frame.select("household_id", "identified", "payment_due")
    assert others.select(national.columns).equals(
        national.join(others.select("household_id"), on="household_id", how="semi")
    )
    # Leeds gets exactly what the local ruleset gives on its own
    alone = api.evaluate(
        api.load(local_folder / "testshire.tfr"), data_dir, AS_OF, rules=["local", "identified"]
    )
    alone = alone.filter(pl.col("la_code") == LEEDS).select("household_id", "local", "identified")
    assert leeds.select(alone.columns).equals(alone)

    # the summary names every council that had no local ruleset, with its households
    stdout = result.stdout
    assert "No local ruleset for" in stdout
    for code, n in others.group_by("la_code").len().iter_rows():
        assert code in stdout
        assert f"{n:,}" in stdout
    assert [number(c) for c in summary_row(stdout, LEEDS, "local")] == counts(leeds, "local")


def test_two_local_rulesets_for_one_council(data_dir, local_folder, tmp_path):
    second = write_rules(tmp_path / "more", "othershire.tfr", LOCAL_LEEDS_AGAIN).parent
    out = tmp_path / "out" / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--local", local_folder, "--local", second,
    )  # fmt: skip
    expect_exit(result, 2)
    for word in (LEEDS, "local.testshire.phase1", "local.othershire.phase1"):
        assert word in result.stderr
    _no_output(out)


NO_COUNCILS = """\
ruleset local.nowhere.phase1 "Test: says no council"
    extends national.phase1

criterion local "A member with an anti-social behaviour record"
    = any member has asb
"""


def test_local_ruleset_without_councils_is_a_usage_error(data_dir, tmp_path):
    folder = write_rules(tmp_path / "rules", "nowhere.tfr", NO_COUNCILS).parent
    out = tmp_path / "out" / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out, "--local", folder
    )
    expect_exit(result, 2)
    assert "local.nowhere.phase1" in result.stderr and "applies to" in result.stderr
    _no_output(out)


UNMATCHED = """\
ruleset local.typo.phase1 "Test: a council code with no households"
    extends national.phase1
    applies to E08000025

criterion local "A member with an anti-social behaviour record"
    = any member has asb
"""


def test_local_ruleset_whose_council_has_no_households_is_warned_about(data_dir, tmp_path):
    """An `applies to` that matches no household (a typo of a real code, or the
    wrong extract) is said, even with --quiet; the run still completes."""
    folder = write_rules(tmp_path / "rules", "typo.tfr", UNMATCHED).parent
    out = tmp_path / "out" / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--local", folder, "-q",
    )  # fmt: skip
    expect_exit(result, 0)
    flat = " ".join(result.stderr.split())
    assert "Warning: local.typo.phase1 applies to Birmingham (E08000025)" in flat
    assert "no household in the data has the council code E08000025" in flat
    assert out.exists()


def test_local_ruleset_with_errors(data_dir, tmp_path):
    folder = write_rules(tmp_path / "rules", "broken.tfr", BROKEN).parent
    out = tmp_path / "out" / "r.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out, "--local", folder
    )
    expect_exit(result, 1)
    assert "broken.tfr:6:" in result.stdout and "error[E101]" in result.stdout
    _no_output(out)


def test_ruleset_given_as_a_file(national_run, data_dir, local_folder, tmp_path):
    frame, _ = national_run
    out = tmp_path / "national.parquet"
    path = REPO / "rulesets" / "national" / "phase1.tfr"
    args = ("--data", data_dir, "--as-of", AS_OF, "-q")
    expect_exit(run("eval", path, *args, "--out", out, "--rules", "identified"), 0)
    assert pl.read_parquet(out).equals(frame.select("household_id", "la_code", "identified"))

    out = tmp_path / "local.parquet"
    expect_exit(run("eval", local_folder / "testshire.tfr", *args, "--out", out), 0)
    written = pl.read_parquet(out)
    assert written.height == HOUSEHOLDS
    assert written["local"].null_count() == 0  # defined for every household, whatever its council


def test_rules_with_errors(data_dir, tmp_path):
    path = write_rules(tmp_path / "rules", "broken.tfr", BROKEN)
    out = tmp_path / "out" / "r.parquet"
    result = run("eval", path, "--data", data_dir, "--as-of", AS_OF, "--out", out)
    expect_exit(result, 1)
    assert "broken.tfr:6:" in result.stdout
    assert "error[E101]" in result.stdout
    assert "'provn'" in result.stdout and "proven" in result.stdout
    _no_output(out)


def test_unknown_ruleset_name(data_dir, tmp_path):
    out = tmp_path / "out" / "r.parquet"
    result = run("eval", "national.phase9", "--data", data_dir, "--as-of", AS_OF, "--out", out)
    expect_exit(result, 1)
    assert "national.phase9" in result.stdout
    _no_output(out)


# ------------------------------------------------------------------ the installed command


def test_console_script(data_dir, tmp_path, national_run):
    """The installed `tfrules` runs in its own process; a bad run exits cleanly too."""
    frame, _ = national_run
    script = shutil.which("tfrules", path=str(Path(sys.executable).parent))
    assert script is not None
    out = tmp_path / "r.csv"
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(
        [script, "eval", NATIONAL, "--data", str(data_dir), "--as-of", AS_OF,
         "--out", str(out), "--rules", "identified"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Criteria" in done.stdout
    written = pl.read_csv(out, schema_overrides={"identified": pl.Boolean})
    assert written.equals(frame.select("household_id", "la_code", "identified"))

    done = subprocess.run(
        [script, "eval", NATIONAL, "--data", str(data_dir), "--as-of", AS_OF,
         "--out", str(tmp_path / "x.parquet"), "--rules", "nope"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "nope" in done.stderr


# ------------------------------------------------------------------ slices


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_slices_give_the_same_results(national_run, data_dir, tmp_path, suffix):
    """Households evaluated a slice at a time: the same file, nothing left behind."""
    frame, stdout = national_run
    out = tmp_path / "out" / f"r{suffix}"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
                 "--slices", "3")  # fmt: skip
    expect_exit(result, 0)
    if suffix == ".parquet":
        written = pl.read_parquet(out)
    else:
        written = pl.read_csv(out, schema=frame.schema)
    assert written.equals(frame)
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
    # the summary is the run's, whatever the slices
    assert summary_row(result.stdout, "E08000035", "identified") == summary_row(
        stdout, "E08000035", "identified"
    )


def test_slices_with_local_rulesets(data_dir, local_folder, tmp_path):
    whole, sliced = tmp_path / "whole.parquet", tmp_path / "sliced.parquet"
    for out, slices in ((whole, "1"), (sliced, "4")):
        result = run(
            "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
            "--local", local_folder, "--rules", "local,identified", "--slices", slices, "-q",
        )  # fmt: skip
        expect_exit(result, 0)
    assert pl.read_parquet(sliced).equals(pl.read_parquet(whole))


def test_slices_of_data_in_no_order(national_run, tables, tmp_path):
    """Events (and people) in no particular order: a slice's range of person ids
    then lets in other slices' events, which must change nothing."""
    shuffled = {
        name: frame.sample(fraction=1.0, shuffle=True, seed=7) for name, frame in tables.items()
    }
    folder = write_tables(shuffled, tmp_path / "data")
    out = tmp_path / "r.parquet"
    result = run("eval", NATIONAL, "--data", folder, "--as-of", AS_OF, "--out", out,
                 "--slices", "4", "-q")  # fmt: skip
    expect_exit(result, 0)
    assert pl.read_parquet(out).equals(national_run[0])


def test_household_ranges_cover_every_household_once(data_dir, phase1):
    from tfrules.run.slices import household_ranges, slice_frames

    dataset = api.load_data(phase1, data_dir)
    schema = phase1.schema
    seen: list[str] = []
    events = 0
    ranges = household_ranges(dataset.frames, schema, 5)
    assert len(ranges) == 5
    for low, high in ranges:
        frames = slice_frames(dataset.frames, schema, low, high)
        ids = frames["households"].collect()["household_id"].to_list()
        members = frames["persons"].collect()
        assert set(members["household_id"]) <= set(ids)
        offences = frames["offences"].collect()
        # the generated events are in the order of their people: a slice reads its own
        assert set(offences["person_id"]) <= set(members["person_id"])
        events += offences.height
        seen += ids
    assert sorted(seen) == sorted(dataset.frames["households"].collect()["household_id"])
    assert len(seen) == len(set(seen))
    assert events == dataset.frames["offences"].collect().height


@pytest.mark.parametrize("slices", [1, 3])
def test_write_results_api(national_run, data_dir, phase1, tmp_path, slices):
    dataset = api.load_data(phase1, data_dir)
    written = api.write_results(phase1, dataset, AS_OF, tmp_path / "r.parquet", slices=slices)
    assert pl.read_parquet(written.path).equals(national_run[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.parquet"]
    with pytest.raises(ValueError, match="must end in"):
        api.write_results(phase1, dataset, AS_OF, tmp_path / "r.txt")


def test_reasons_beside_each_criterion(national_run, data_dir, tmp_path):
    """--reasons: a `<rule>_reason` column right after each criterion, the values
    unchanged; an identified household's reason names criteria that hold."""
    frame, _ = national_run
    out = tmp_path / "why.parquet"
    result = run(
        "eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
        "--rules", "crime_asb,identified,payment_due", "--reasons",
    )  # fmt: skip
    expect_exit(result, 0)
    written = pl.read_parquet(out)
    assert written.columns == [
        "household_id", "la_code", "crime_asb", "crime_asb_reason", "identified",
        "identified_reason", "payment_due",
    ]  # fmt: skip
    assert written.select("crime_asb", "identified", "payment_due").equals(
        frame.select("crime_asb", "identified", "payment_due")
    )
    unknown = written.filter(pl.col("identified").is_null())["identified_reason"]
    assert all(r.startswith("unknown: ") for r in unknown.to_list())
    for reason in written.filter(pl.col("identified"))["identified_reason"].to_list():
        assert set(reason.split("+")) <= {"crime_asb", "education", "work", "local"}
