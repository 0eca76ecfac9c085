"""No command destroys an input or a rule file, and an output that cannot be
written is an ordinary condition: exit 2 with a plain message, never an
internal error, and nothing half-written left behind."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from cli_support import (
    AS_OF,
    LOCAL_LEEDS,
    expect_exit,
    run,
    synth_tables,
    write_rules,
    write_tables,
)
from run_support import read_only_folder

NATIONAL = "national.phase1"
HOUSEHOLDS = 300


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return synth_tables(HOUSEHOLDS, seed=3)


@pytest.fixture(scope="module")
def csv_data(tables, tmp_path_factory) -> Path:
    return write_tables(tables, tmp_path_factory.mktemp("csv_data"), "csv")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _plain(result, *words: str) -> None:
    """Exit 2, the words in the message, and no internal error."""
    expect_exit(result, 2)
    assert "internal error" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr


# ------------------------------------------------------------------ inputs are never outputs


@pytest.mark.parametrize("name", ["persons.csv", "persons.parquet", "offences.csv"])
def test_eval_refuses_to_write_over_its_data(csv_data, name):
    """An input table of the run (or a file the next run would read as one)."""
    before = _snapshot(csv_data)
    result = run("eval", NATIONAL, "--data", csv_data, "--as-of", AS_OF, "--out", csv_data / name)
    _plain(result, str(csv_data / name), "write the results somewhere else")
    assert _snapshot(csv_data) == before


def test_eval_refuses_an_input_reached_through_a_link(csv_data, tmp_path):
    link = tmp_path / "results.csv"
    link.symlink_to(csv_data / "households.csv")
    before = _snapshot(csv_data)
    result = run("eval", NATIONAL, "--data", csv_data, "--as-of", AS_OF, "--out", link)
    _plain(result, "write the results somewhere else")
    assert _snapshot(csv_data) == before


def test_report_refuses_an_existing_file_and_creates_nothing_first(csv_data, tmp_path):
    out = tmp_path / "report"
    out.write_text("an existing file")
    _plain(run("report", "--data", csv_data, "--as-of", AS_OF, "--out", out), "is a file")
    assert out.read_text() == "an existing file"


def test_report_validates_before_creating_its_folder(tables, tmp_path):
    broken = dict(tables)
    broken["persons"] = tables["persons"].drop("date_of_birth")
    data = write_tables(broken, tmp_path / "data")
    out = tmp_path / "report"
    result = run("report", "--data", data, "--as-of", "2015-03-31", "--out", out)
    expect_exit(result, 1)
    assert "date_of_birth" in result.stderr
    assert not out.exists()


def test_report_speaks_as_report(csv_data, tmp_path):
    """A report's messages start `tfrules report:`, not another command's name."""
    rules = tmp_path / "rules"
    write_rules(rules, "a.tfr", LOCAL_LEEDS)
    write_rules(rules, "b.tfr", LOCAL_LEEDS.replace("testshire", "twiceshire"))
    result = run("report", "--data", csv_data, "--as-of", AS_OF, "--local", rules,
                 "--out", tmp_path / "out")  # fmt: skip
    _plain(result, "tfrules report: E08000035 has two local rulesets")
    assert "tfrules eval" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["eval", "doc"])
def test_out_an_existing_folder_or_under_a_file(csv_data, tmp_path, command):
    folder = tmp_path / ("r.parquet" if command == "eval" else "page.md")
    folder.mkdir()
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    under = a_file / ("r.parquet" if command == "eval" else "page.md")
    for out, words in ((folder, "is a folder"), (under, "is a file, not a folder")):
        if command == "eval":
            result = run("eval", NATIONAL, "--data", csv_data, "--as-of", AS_OF, "--out", out)
        else:
            result = run("doc", NATIONAL, "--out", out)
        _plain(result, words)
    assert a_file.read_text() == "x" and list(folder.iterdir()) == []


# ------------------------------------------------------------------ read-only folders


def test_eval_into_a_read_only_folder(csv_data, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "r.csv").write_text("yesterday's results")
    with read_only_folder(out_dir):
        result = run("eval", NATIONAL, "--data", csv_data, "--as-of", AS_OF, "--out",
                     out_dir / "r.csv", "-q")  # fmt: skip
    _plain(result, "cannot write", "r.csv")
    assert _snapshot(out_dir) == {"r.csv": b"yesterday's results"}


def test_fmt_in_a_read_only_folder_keeps_the_rule_file(tmp_path):
    untidy = LOCAL_LEEDS.replace("= any member", "=     any member")
    path = write_rules(tmp_path / "rules", "leeds.tfr", untidy)
    before = path.read_text()
    with read_only_folder(path.parent):
        result = run("fmt", path.parent)
    _plain(result, "cannot write", "leeds.tfr")
    assert path.read_text() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["leeds.tfr"]
    expect_exit(run("fmt", path.parent), 0)  # writable again: formatted
    assert path.read_text() != before


def test_doc_and_report_into_read_only_folders(csv_data, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page.md").write_text("the old page")
    with read_only_folder(folder):
        _plain(run("doc", NATIONAL, "--out", folder / "page.md"), "cannot write")
        result = run("report", "--data", csv_data, "--as-of", AS_OF, "--out", folder)
        _plain(result, "cannot write")
    assert _snapshot(folder) == {"page.md": b"the old page"}


# ------------------------------------------------------------------ other ordinary conditions


def test_doc_all_with_a_very_long_ruleset_name(tmp_path):
    name = "local." + "a" * 400 + ".phase1"
    write_rules(tmp_path / "rules", "long.tfr", LOCAL_LEEDS.replace("local.testshire.phase1", name))
    result = run("doc", "--all", tmp_path / "rules", "--out-dir", tmp_path / "pages")
    _plain(result, "File name too long")
    assert not (tmp_path / "pages").exists() or list((tmp_path / "pages").iterdir()) == []


PASSING = """\
ruleset local.junit.phase1 "Test: one passing test"
    extends national.phase1
    applies to E08000035

criterion local "A member with a proven offence"
    = any member has offences where proven

test "a proven offence counts"
    as of 2013-01-15
    household H1: la_code E08000035
        member A born 1980-05-01
    offences A: offence_date 2012-09-01, proven true
    expect local = true
"""


def test_junit_into_a_missing_folder_or_under_a_file(tmp_path):
    rules = write_rules(tmp_path / "rules", "junit.tfr", PASSING)
    report = tmp_path / "reports" / "ci" / "junit.xml"
    expect_exit(run("test", rules, "--junit", report), 0)
    assert report.read_text().startswith("<?xml")
    (tmp_path / "a_file").write_text("x")
    _plain(run("test", rules, "--junit", tmp_path / "a_file" / "junit.xml"), "is a file")


def test_fail_under_implies_coverage(tmp_path):
    """--fail-under without --coverage used to be ignored silently."""
    rules = write_rules(tmp_path / "rules", "junit.tfr", PASSING)
    result = expect_exit(run("test", rules, "--fail-under", "100"), 1)
    assert "Test coverage" in result.stdout
    assert "is below 100%" in result.stdout
    expect_exit(run("test", rules, "--fail-under", "10"), 0)
    assert "--coverage" in run("test", "--help").stdout.split("--fail-under")[1][:200]


@pytest.mark.parametrize("date", ["20130115", "2013-W03-2", "0001-01-01", "2501-01-01"])
@pytest.mark.parametrize("command", ["eval", "explain", "report"])
def test_as_of_must_be_a_supported_yyyy_mm_dd(csv_data, tmp_path, command, date):
    args = {
        "eval": ["eval", NATIONAL, "--out", tmp_path / "r.csv"],
        "explain": ["explain", NATIONAL, "--household", "H000000001"],
        "report": ["report", "--out", tmp_path / "report"],
    }[command]
    result = run(*args, "--data", csv_data, "--as-of", date)
    _plain(result, f"tfrules {command}: --as-of", date)
    assert list(tmp_path.iterdir()) == []


def test_fmt_check_counts_files_not_errors(tmp_path):
    """One formatted file and one with two syntax errors: 1 already formatted."""
    folder = tmp_path / "rules"
    write_rules(folder, "good.tfr", LOCAL_LEEDS)
    expect_exit(run("fmt", folder), 0)
    write_rules(folder, "bad.tfr", LOCAL_LEEDS + "\ncriterion x = = 1\n\ncriterion y = ) 2\n")
    result = expect_exit(run("fmt", "--check", folder), 1)
    assert result.stdout.count("error[E010]") == 2
    assert "0 files would be reformatted, 1 file already formatted" in result.stdout
