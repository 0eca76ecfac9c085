"""`tfrules fmt`: one canonical layout for every rule file."""

from __future__ import annotations

from pathlib import Path

import typer

from tfrules.check.workspace import RULE_SUFFIX
from tfrules.cli.main import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, app
from tfrules.cli.output import DiagnosticFormat, plural, print_diagnostics
from tfrules.diagnostics import SourceCache
from tfrules.syntax.parser import read_source


def _rule_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob(f"*{RULE_SUFFIX}")))
        elif path.is_file():
            files.append(path)
        else:
            typer.echo(f"tfrules fmt: {path}: no such file or folder", err=True)
            raise typer.Exit(EXIT_USAGE)
    return files


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
    errors are reported.
    """
    import difflib

    from tfrules.syntax.formatter import format_text

    sources = SourceCache()
    problems = []
    changed: list[Path] = []
    files = _rule_files(paths)
    for path in files:
        text, unreadable = read_source(path)
        if text is None:
            problems.extend(unreadable)
            continue
        sources.add(str(path), text)
        result = format_text(text, str(path))
        if result.text is None:
            problems.extend(result.diagnostics)
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
            path.write_text(result.text, encoding="utf-8")
    if problems:
        print_diagnostics(problems, sources, DiagnosticFormat.TEXT)
    if check_only or diff:
        for path in changed:
            typer.echo(f"would reformat {path}")
        typer.echo(
            f"{plural(len(changed), 'file')} would be reformatted, "
            f"{plural(len(files) - len(changed) - len(problems), 'file')} already formatted"
        )
    else:
        for path in changed:
            typer.echo(f"reformatted {path}")
        typer.echo(f"{plural(len(changed), 'file')} reformatted")
    if problems:
        raise typer.Exit(EXIT_USAGE if any(p.code in ("E003",) for p in problems) else EXIT_ERRORS)
    raise typer.Exit(EXIT_ERRORS if (check_only or diff) and changed else EXIT_OK)
