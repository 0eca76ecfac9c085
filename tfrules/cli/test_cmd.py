"""`tfrules test`: run the tests written in rule files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, app, fail, plain_failures
from tfrules.cli.output import UNREAD, DiagnosticFormat, console, plural, print_diagnostics

if TYPE_CHECKING:
    from tfrules.model.ruleset import CheckedRuleset
    from tfrules.testing.coverage import Coverage
    from tfrules.testing.runner import CaseResult


@app.command()
def test(
    paths: list[Path] = typer.Argument(..., help="Rule files (.tfr) or folders of them."),
    match: str = typer.Option(
        None, "-k", "--match", help="Run only the tests whose title contains this text."
    ),
    coverage: bool = typer.Option(
        False, "--coverage", help="Report which rules and branches the tests exercised."
    ),
    fail_under: float = typer.Option(
        None,
        "--fail-under",
        metavar="PCT",
        min=0,
        max=100,
        help="Fail if branch coverage of a ruleset is below PCT percent (implies --coverage).",
    ),
    junit: Path = typer.Option(
        None,
        "--junit",
        help="Also write the results as JUnit XML to this file (its folder is created if needed).",
    ),
    output_format: DiagnosticFormat = typer.Option(
        DiagnosticFormat.TEXT, "--format", help="text, json, or github (annotates failures)."
    ),
) -> None:
    """Run the tests in rule files: one line per test, details for failures.

    A failing test shows each expected value beside the actual one, and why
    the household got it (the explain trace of the failing rule). Exit code 0
    when every test passes (and coverage is met), 1 otherwise.
    """
    from tfrules.check import check_paths
    from tfrules.check.workspace import PathError
    from tfrules.run.outputs import check_output_file
    from tfrules.testing.coverage import measure
    from tfrules.testing.junit import write_junit
    from tfrules.testing.runner import cases_of, run_case

    coverage = coverage or fail_under is not None
    if junit is not None:
        with plain_failures():
            check_output_file(junit)
    try:
        report = check_paths(paths)
    except PathError as exc:
        fail(str(exc))
    if report.errors:
        print_diagnostics(
            report.diagnostics,
            report.sources,
            output_format,
            f"the rules have {plural(report.errors, 'error')}: no test was run",
        )
        unread = any(d.code in UNREAD for d in report.diagnostics)
        raise typer.Exit(EXIT_USAGE if unread else EXIT_ERRORS)
    out = console()
    results: list[tuple[str, CaseResult, float]] = []
    coverages: list[Coverage] = []
    for ruleset in report.rulesets:
        cases = [c for c in cases_of(ruleset) if match is None or match in c.title]
        for case in cases:
            started = time.perf_counter()
            result = run_case(ruleset, case)
            elapsed = time.perf_counter() - started
            results.append((ruleset.name, result, elapsed))
            if output_format is DiagnosticFormat.TEXT:
                _print_result(out, ruleset, result, elapsed)
        if coverage and cases:
            coverages.append(measure(ruleset, cases))
    failed = sum(1 for _, r, _ in results if not r.passed)
    passed = len(results) - failed
    if junit is not None:
        with plain_failures():
            write_junit(results, junit)
    if output_format is DiagnosticFormat.JSON:
        typer.echo(json.dumps(_json(results, coverages), indent=2))
    elif output_format is DiagnosticFormat.GITHUB:
        for _, result, _ in results:
            if not result.passed:
                span = result.case.span
                typer.echo(
                    f"::error file={span.file},line={span.line},title=test failed::"
                    f"{result.case.title}"
                )
    low = [c for c in coverages if fail_under is not None and c.branch_percent < fail_under]
    if coverages and output_format is DiagnosticFormat.TEXT:
        _print_coverage(out, coverages, fail_under)
    if output_format is not DiagnosticFormat.JSON:
        typer.echo(f"{passed} passed, {failed} failed")
    if not results:
        what = f"no test title contains {match!r}" if match else "no tests found"
        typer.echo(what, err=True)
        raise typer.Exit(EXIT_ERRORS if match else EXIT_OK)
    raise typer.Exit(EXIT_ERRORS if failed or low else EXIT_OK)


def _print_result(out, ruleset: CheckedRuleset, result: CaseResult, elapsed: float) -> None:
    from rich.text import Text

    from tfrules.testing.report import failure_report

    status = Text("PASS", style="bold green") if result.passed else Text("FAIL", style="bold red")
    out.print(status, Text(f"{ruleset.name}: {result.case.title}  ({elapsed:.2f} s)"))
    for line in failure_report(ruleset, result):
        out.print(Text(line.text, style=line.style))


def _print_coverage(out, coverages: list[Coverage], fail_under: float | None) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Test coverage")
    table.add_column("ruleset")
    table.add_column("rules", justify="right")
    table.add_column("branches", justify="right")
    table.add_column("rules never tested")
    for cov in coverages:
        missed = [name for name, covered in cov.rules.items() if not covered]
        style = "red" if fail_under is not None and cov.branch_percent < fail_under else None
        table.add_row(
            cov.ruleset,
            f"{cov.rule_percent:.0f}%",
            Text(f"{cov.branch_percent:.0f}%", style=style or ""),
            ", ".join(missed[:8]) + (" …" if len(missed) > 8 else ""),
        )
    out.print(table)
    for cov in coverages:
        if fail_under is not None and cov.branch_percent < fail_under:
            out.print(
                Text(
                    f"{cov.ruleset}: branch coverage {cov.branch_percent:.1f}% is below "
                    f"{fail_under:g}%",
                    style="bold red",
                )
            )
            for branch in [b for b in cov.branches if not b.covered][:10]:
                out.print(
                    Text(
                        f"  not seen: {branch.rule}: {branch.description} "
                        f"({branch.span.file}:{branch.span.line})"
                    )
                )


def _json(results: list[tuple[str, CaseResult, float]], coverages: list[Coverage]) -> dict:
    from tfrules.interpret.explain import show

    return {
        "tests": [
            {
                "ruleset": ruleset,
                "title": result.case.title,
                "file": result.case.span.file,
                "line": result.case.span.line,
                "passed": result.passed,
                "seconds": round(seconds, 4),
                "mismatches": [
                    {
                        "household": m.expected.household,
                        "rule": m.expected.rule,
                        "expected": show(m.expected.value),
                        "actual": show(m.actual),
                    }
                    for m in result.mismatches
                ],
            }
            for ruleset, result, seconds in results
        ],
        "coverage": [
            {
                "ruleset": c.ruleset,
                "rules_percent": round(c.rule_percent, 1),
                "branches_percent": round(c.branch_percent, 1),
                "rules_never_tested": [n for n, ok in c.rules.items() if not ok],
            }
            for c in coverages
        ],
    }
