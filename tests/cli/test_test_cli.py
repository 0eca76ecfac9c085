"""`tfrules test`: the tests written in rule files, their report, JUnit XML,
JSON, coverage and the -k filter."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from cli_support import BROKEN, expect_exit, run, write_rules

PASSING = """\
ruleset local.passing.phase1 "Test: passing tests"
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

test "an unproven offence does not count"
    as of 2013-01-15
    household H1: la_code E08000035
        member A born 1980-05-01
    offences A: offence_date 2012-09-01, proven false
    expect local = false
"""

FAILING = """\
ruleset local.failing.phase1 "Test: a failing test"
    extends national.phase1
    applies to E08000021

criterion local "A member with a proven offence or an anti-social behaviour record"
    = any member has offences where proven
      or any member has asb

test "a proven offence counts"
    as of 2013-01-15
    household H1: la_code E08000021
        member A born 1980-05-01
    offences A: offence_date 2012-09-01, proven true
    expect local = true

test "wrongly expects an unproven offence to count"
    as of 2013-01-15
    household H1: la_code E08000021
        member A born 1980-05-01
    offences A: offence_date 2012-09-01, proven false
    expect local = true

test "without offence data the criterion is unknown"
    as of 2013-01-15
    household H1: la_code E08000021
        member A born 1980-05-01
    missing offences
    expect local = unknown
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rule_tests")
    write_rules(folder, "passing.tfr", PASSING)
    write_rules(folder, "failing.tfr", FAILING)
    return folder


def _lines(text: str, prefix: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(prefix)]


def test_passing_tests(rules):
    result = expect_exit(run("test", rules / "passing.tfr"), 0)
    lines = _lines(result.stdout, "PASS ")
    assert [line.split("  (")[0] for line in lines] == [
        "PASS local.passing.phase1: a proven offence counts",
        "PASS local.passing.phase1: an unproven offence does not count",
    ]
    assert all(re.search(r"\(\d+\.\d\d s\)$", line) for line in lines)
    assert _lines(result.stdout, "FAIL") == []
    assert "2 passed, 0 failed" in result.stdout


def test_failing_test_shows_expected_actual_and_why(rules):
    result = expect_exit(run("test", rules / "failing.tfr"), 1)
    text = result.stdout
    assert len(_lines(text, "PASS local.failing.phase1: ")) == 2
    failed = _lines(text, "FAIL local.failing.phase1: ")
    assert len(failed) == 1 and "wrongly expects an unproven offence to count" in failed[0]
    assert re.search(r"^     at \S*failing.tfr:16$", text, re.M)
    assert "H1.local: expected true, got false" in text
    assert re.search(r"expected true, got false   \(\S*failing.tfr:21\)", text)
    why = text[text.index("why:") :]
    assert "local = " in why and "[defined in local.failing.phase1]" in why
    assert "offences row: offence_date 2012-09-01, proven false" in why
    assert "2 passed, 1 failed" in text


def test_a_folder_runs_every_file(rules):
    result = expect_exit(run("test", rules), 1)
    assert len(_lines(result.stdout, "PASS ")) == 4
    assert len(_lines(result.stdout, "FAIL ")) == 1
    assert "4 passed, 1 failed" in result.stdout


def test_junit_xml(rules, tmp_path):
    report = tmp_path / "junit.xml"
    expect_exit(run("test", rules, "--junit", report), 1)
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"local.passing.phase1", "local.failing.phase1"}
    for name, tests, failures in (
        ("local.passing.phase1", 2, 0),
        ("local.failing.phase1", 3, 1),
    ):
        suite = suites[name]
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases) == tests
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure")) == failures
        for case in cases:
            assert case.get("classname") == name
            assert float(case.get("time")) >= 0
            assert int(case.get("line")) > 0
    failure = suites["local.failing.phase1"].find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "H1.local: expected true, got false"
    names = [c.get("name") for c in suites["local.failing.phase1"].iter("testcase")]
    assert "wrongly expects an unproven offence to count" in names


def test_json_report(rules):
    result = expect_exit(run("test", rules / "failing.tfr", "--format", "json"), 1)
    found = json.loads(result.stdout)
    tests = found["tests"]
    assert [t["passed"] for t in tests] == [True, False, True]
    failed = tests[1]
    assert failed["ruleset"] == "local.failing.phase1"
    assert failed["line"] == 16
    assert failed["file"].endswith("failing.tfr")
    assert failed["mismatches"] == [
        {"household": "H1", "rule": "local", "expected": "true", "actual": "false"}
    ]
    assert found["coverage"] == []


def test_match_filter(rules):
    result = expect_exit(run("test", rules, "-k", "unproven"), 1)
    lines = _lines(result.stdout, "PASS ") + _lines(result.stdout, "FAIL ")
    assert len(lines) == 2
    assert all("unproven" in line for line in lines)
    assert "1 passed, 1 failed" in result.stdout

    result = expect_exit(run("test", rules, "-k", "does not count"), 0)
    assert "1 passed, 0 failed" in result.stdout

    # a filter that matches nothing is a mistake worth failing on, in CI above all
    result = expect_exit(run("test", rules, "-k", "no test has this title"), 1)
    assert "0 passed, 0 failed" in result.stdout
    assert "no test title contains 'no test has this title'" in result.stderr


def test_coverage_table(rules):
    result = expect_exit(run("test", rules / "passing.tfr", "--coverage", "--fail-under", "100"), 0)
    assert "Test coverage" in result.stdout
    assert ["local.passing.phase1", "100%", "100%", ""] in [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    ]


def test_fail_under_fails_when_branches_are_missed(rules):
    # no test sees the asb operand true, so some branch is missed
    result = expect_exit(run("test", rules / "failing.tfr", "-k", "proven offence counts",
                             "--coverage", "--fail-under", "100"), 1)  # fmt: skip
    assert "1 passed, 0 failed" in result.stdout
    assert "local.failing.phase1: branch coverage" in result.stdout
    assert "is below 100%" in result.stdout
    assert "not seen: local:" in result.stdout

    # the same run without --fail-under passes
    result = expect_exit(
        run("test", rules / "failing.tfr", "-k", "proven offence counts", "--coverage"), 0
    )
    assert "Test coverage" in result.stdout


def test_coverage_in_json(rules):
    result = expect_exit(run("test", rules / "passing.tfr", "--coverage", "--format", "json"), 0)
    coverage = json.loads(result.stdout)["coverage"]
    assert coverage == [
        {
            "ruleset": "local.passing.phase1",
            "rules_percent": 100.0,
            "branches_percent": 100.0,
            "rules_never_tested": [],
        }
    ]


def test_github_annotations(rules):
    result = expect_exit(run("test", rules / "failing.tfr", "--format", "github"), 1)
    annotations = _lines(result.stdout, "::error ")
    assert len(annotations) == 1
    assert "line=16" in annotations[0] and "failing.tfr" in annotations[0]


def test_rules_with_errors_run_no_tests(tmp_path):
    path = write_rules(tmp_path, "broken.tfr", BROKEN)
    report = tmp_path / "junit.xml"
    result = expect_exit(run("test", path, "--junit", report), 1)
    assert "broken.tfr:6:" in result.stdout and "error[E101]" in result.stdout
    assert "no test was run" in result.stdout
    assert _lines(result.stdout, "PASS") == [] and _lines(result.stdout, "FAIL") == []
    assert not report.exists()


def test_missing_path_is_a_usage_error(tmp_path):
    result = expect_exit(run("test", tmp_path / "nowhere.tfr"), 2)
    assert "nowhere.tfr" in result.stderr
