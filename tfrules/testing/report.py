"""What is shown under a failing rule-file test, in words a rule author reads.

`tfrules test` prints these lines (styled); the pytest module that runs the
shipped rulesets' tests fails with the same lines, so a failure reads the
same whichever command found it.
"""

from __future__ import annotations

import attrs

from tfrules.interpret.explain import explain_household, render_text, show
from tfrules.model.ruleset import CheckedRuleset
from tfrules.testing.runner import CaseResult, case_ruleset

#: How many failing expectations get an explanation of why.
EXPLAINED = 3


@attrs.frozen
class ReportLine:
    text: str
    style: str = ""  # a rich style: "dim", "red"


def failure_report(ruleset: CheckedRuleset, result: CaseResult) -> list[ReportLine]:
    """Where the failing test is, each expected value beside the actual one,
    any disagreement of the engines, and why the household got its value (the
    explain trace of the first few failing rules). Empty for a passing test."""
    if result.passed:
        return []
    span = result.case.span
    lines = [ReportLine(f"     at {span.file}:{span.line}", "dim")]
    for mismatch in result.mismatches:
        expected = mismatch.expected
        kind = ruleset.rules[expected.rule].type
        where = f"{expected.span.file}:{expected.span.line}"
        lines.append(
            ReportLine(
                f"     {expected.household}.{expected.rule}: expected "
                f"{show(expected.value, kind)}, got {show(mismatch.actual, kind)}   ({where})"
            )
        )
    for disagreement in result.disagreements:
        lines.append(
            ReportLine(
                f"     internal error (please report): engines disagree on {disagreement}", "red"
            )
        )
    for mismatch in result.mismatches[:EXPLAINED]:
        household = next(
            (h for h in result.households if h.id == mismatch.expected.household), None
        )
        if household is None:
            continue
        rules = case_ruleset(ruleset, result.case)
        explanation = explain_household(
            rules, household, result.case.as_of, [mismatch.expected.rule], result.case.fixed
        )
        trace = render_text(explanation, rules, depth=5)
        lines.append(ReportLine("     why:", "dim"))
        for line in trace.splitlines()[2:]:
            if line.startswith("parameters used"):
                break
            lines.append(ReportLine("       " + line, "dim"))
    return lines
