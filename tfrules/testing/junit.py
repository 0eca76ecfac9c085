"""JUnit XML for CI systems that show test results (`tfrules test --junit`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from tfrules.interpret.explain import show
from tfrules.run.atomic import write_text
from tfrules.testing.runner import CaseResult


def write_junit(results: Sequence[tuple[str, CaseResult, float]], path: Path) -> None:
    """`results` holds (ruleset name, result, seconds) for every test run."""
    suites: dict[str, list[tuple[CaseResult, float]]] = {}
    for ruleset, result, seconds in results:
        suites.setdefault(ruleset, []).append((result, seconds))
    root = ET.Element("testsuites")
    for ruleset, items in suites.items():
        failures = sum(1 for r, _ in items if not r.passed)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=ruleset,
            tests=str(len(items)),
            failures=str(failures),
            time=f"{sum(s for _, s in items):.3f}",
        )
        for result, seconds in items:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=ruleset,
                name=result.case.title,
                file=result.case.span.file,
                line=str(result.case.span.line),
                time=f"{seconds:.3f}",
            )
            if not result.passed:
                lines = [
                    f"{m.expected.household}.{m.expected.rule}: expected {show(m.expected.value)}, "
                    f"got {show(m.actual)}"
                    for m in result.mismatches
                ] + list(result.disagreements)
                failure = ET.SubElement(case, "failure", message=lines[0] if lines else "failed")
                failure.text = "\n".join(lines)
    ET.indent(root)
    write_text(path, ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
