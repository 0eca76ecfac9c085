"""The tests written in the shipped rule files, one pytest test each.

`tfrules test rulesets/` runs them too; here they are part of `pytest`, the
README's test command, so that it is the whole suite. Each is run by the
same runner (`tfrules.testing.runner`: the compiled plan, held to the
reference interpreter) and fails with the lines `tfrules test` prints.
"""

from __future__ import annotations

import functools

import pytest

from tfrules import diagnostics as diag
from tfrules.check import CheckReport, check_paths
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.testing import cases
from tfrules.testing.report import failure_report
from tfrules.testing.runner import cases_of, run_case


@functools.cache
def shipped_rulesets() -> CheckReport:
    return check_paths([bundled_rulesets_dir()])


def written_tests() -> list[tuple[str, int]]:
    """(ruleset name, index of the test in its own file) for every written test."""
    found = []
    for ruleset in shipped_rulesets().rulesets:
        found += [(ruleset.name, index) for index in range(len(cases_of(ruleset)))]
    return found


def case_id(case: tuple[str, int]) -> str:
    """`ruleset: title`, in plain ASCII (pytest would escape a £)."""
    name, index = case
    title = written_case(name, index).title.replace("£", "GBP ")
    return f"{name}: {title}"


@functools.cache
def _cases(name: str) -> list[cases.TestCase]:
    return cases_of(next(r for r in shipped_rulesets().rulesets if r.name == name))


def written_case(name: str, index: int) -> cases.TestCase:
    return _cases(name)[index]


def test_the_shipped_rulesets_check_clean_and_have_tests() -> None:
    report = shipped_rulesets()
    errors = [diag.render_text(d, report.sources) for d in report.diagnostics if d.is_error]
    assert not errors, "\n".join(errors)
    assert len(written_tests()) > 100, "the shipped rulesets' tests were not found"


@pytest.mark.parametrize("case", written_tests(), ids=case_id)
def test_written_in_a_rule_file(case: tuple[str, int]) -> None:
    name, index = case
    ruleset = next(r for r in shipped_rulesets().rulesets if r.name == name)
    result = run_case(ruleset, written_case(name, index))
    if not result.passed:
        lines = [f"FAIL {ruleset.name}: {result.case.title}"]
        lines += [line.text for line in failure_report(ruleset, result)]
        pytest.fail("\n".join(lines), pytrace=False)
