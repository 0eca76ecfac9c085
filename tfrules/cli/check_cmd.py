"""`tfrules check`: every error in the rule files, with where and how to fix it."""

from __future__ import annotations

from pathlib import Path

import typer

from tfrules.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, app, fail
from tfrules.cli.output import UNREAD, DiagnosticFormat, plural, print_diagnostics


@app.command()
def check(
    paths: list[Path] = typer.Argument(
        ..., help="Rule files (.tfr) or folders of them, checked with everything they extend."
    ),
    output_format: DiagnosticFormat = typer.Option(
        DiagnosticFormat.TEXT,
        "--format",
        help="text for people; json for tools; github for GitHub Actions annotations.",
    ),
    include: list[Path] = typer.Option(
        [],
        "--include",
        metavar="DIR",
        help="Folders of rule files to find the rulesets and schemas that PATHS extend "
        "(the shipped rulesets always are); repeatable. Only PATHS are checked.",
    ),
) -> None:
    """Check rule files: names, types, entity levels, overrides and tests.

    Reports every error of every file in one run, each as
    FILE:LINE:COL: error[CODE]: message, with the line and a caret under the
    problem, and a hint where one helps. The codes are explained in
    docs/errors.md.

    Folders are read with their sub-folders; links that lead out of a
    folder, and files that are not .tfr files, are reported and not read.

    Exit code 0 when there are no errors (warnings allowed), 1 when there are,
    2 when a path does not exist or a file cannot be read.
    """
    from tfrules.check import check_paths
    from tfrules.check.workspace import PathError

    try:
        report = check_paths(paths, include=include)
    except PathError as exc:
        fail(str(exc))
    summary = (
        f"checked {plural(len(report.files), 'file')}: "
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}"
    )
    print_diagnostics(report.diagnostics, report.sources, output_format, summary)
    if any(d.code in UNREAD for d in report.diagnostics):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ERRORS if report.errors else EXIT_OK)
