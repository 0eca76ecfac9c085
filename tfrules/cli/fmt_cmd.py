"""`tfrules fmt`: one canonical layout for every rule file."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, app, fail, plain_failures
from tfrules.cli.output import UNREAD, DiagnosticFormat, plural, print_diagnostics

if TYPE_CHECKING:
    from tfrules import diagnostics as diag


def _rule_files(paths: list[Path]) -> tuple[list[Path], list[diag.Diagnostic]]:
    """The rule files to format, found as `tfrules check` finds them, and
    the files that are not read (links out of a folder, files not .tfr)."""
    from tfrules.check.rule_files import PathError, not_a_rule_file, rule_files_in
    from tfrules.check.workspace import display_path

    files: list[Path] = []
    refused: list[diag.Diagnostic] = []
    for path in paths:
        if path.is_dir():
            try:
                found, problems = rule_files_in(path, str(path), display_path)
            except PathError as exc:
                fail(str(exc))
            files.extend(found)
            refused.extend(problems)
        elif path.is_file():
            problem = not_a_rule_file(path, display_path(path))
            if problem is None:
                files.append(path)
            else:
                refused.append(problem)
        else:
            fail(f"{path}: no such file or folder")
    return files, refused


@app.command()
def fmt(
    paths: list[Path] = typer.Argument(..., help="Rule files (.tfr) or folders of them."),
    check_only: bool = typer.Option(
        False, "--check", help="Change nothing; list the files that are not formatted and exit 1."
    ),
    diff: bool = typer.Option(False, "--diff", help="Show what would change, change nothing."),
) -> None:
    """Lay out rule files in the one canonical layout (comments are kept).

    Formatting never changes what a rule means, and formatting a formatted
    file changes nothing. A file with syntax errors is left alone and its
    errors are reported. Each file is rewritten whole or not at all (a full
    disk never leaves half a file), keeping its permissions; a linked file
    is rewritten where it lives.
    """
    from tfrules import diagnostics as diag
    from tfrules.run.atomic import replace_text
    from tfrules.syntax.formatter import format_text
    from tfrules.syntax.parser import read_source

    sources = diag.SourceCache()
    files, problems = _rule_files(paths)
    changed: list[Path] = []
    broken = 0  # files with syntax errors, or that cannot be read
    for path in files:
        text, unreadable = read_source(path)
        if text is None:
            problems.extend(unreadable)
            broken += 1
            continue
        sources.add(str(path), text)
        result = format_text(text, str(path))
        if result.text is None:
            problems.extend(result.diagnostics)
            broken += 1
            continue
        if result.text == text:
            continue
        changed.append(path)
        if diff:
            typer.echo(
                "".join(
                    difflib.unified_diff(
                        text.splitlines(keepends=True),
                        result.text.splitlines(keepends=True),
                        f"{path} (now)",
                        f"{path} (formatted)",
                    )
                )
            )
        elif not check_only:
            with plain_failures():
                replace_text(path, result.text)
            typer.echo(f"reformatted {path}")
    if problems:
        print_diagnostics(problems, sources, DiagnosticFormat.TEXT)
    if check_only or diff:
        for path in changed:
            typer.echo(f"would reformat {path}")
        typer.echo(
            f"{plural(len(changed), 'file')} would be reformatted, "
            f"{plural(len(files) - len(changed) - broken, 'file')} already formatted"
        )
    else:
        typer.echo(f"{plural(len(changed), 'file')} reformatted")
    if problems:
        raise typer.Exit(EXIT_USAGE if any(p.code in UNREAD for p in problems) else EXIT_ERRORS)
    raise typer.Exit(EXIT_ERRORS if (check_only or diff) and changed else EXIT_OK)
