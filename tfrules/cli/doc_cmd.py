"""`tfrules doc`: rulesets rendered in plain English for commissioners and auditors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    RULESET_HELP,
    app,
    fail,
    load_rules,
    plain_failures,
)
from tfrules.cli.output import UNREAD, DiagnosticFormat, print_diagnostics

if TYPE_CHECKING:
    from tfrules.model.ruleset import CheckedRuleset

PAGE_SUFFIXES = (".md", ".html")


def _render(ruleset: CheckedRuleset, suffix: str) -> str:
    from tfrules.report.ruleset_doc import render_html, render_markdown

    return render_html(ruleset) if suffix == ".html" else render_markdown(ruleset)


def _one_page(ruleset: str, out: Path | None) -> None:
    from tfrules.run.atomic import write_text
    from tfrules.run.outputs import check_output_file

    suffix = out.suffix if out is not None else ".md"
    if suffix not in PAGE_SUFFIXES:
        fail("--out must end in .md or .html")
    if out is not None:
        with plain_failures():
            check_output_file(out)
    checked = load_rules(ruleset, [], [])
    text = _render(checked, suffix)
    if out is None:
        typer.echo(text, nl=False)
        return
    with plain_failures():
        write_text(out, text)
    typer.echo(f"wrote {out}")


def _current(page: Path) -> str | None:
    """The page as it is now (None: missing or unreadable, so out of date)."""
    try:
        return page.read_text(encoding="utf-8") if page.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None


def _all_pages(folder: Path, out_dir: Path, check_only: bool) -> int:
    """Render (or, checking, compare) a page per ruleset; the exit code."""
    from tfrules.check import check_paths
    from tfrules.check.workspace import PathError
    from tfrules.report.ruleset_doc import render_markdown
    from tfrules.run.atomic import write_text
    from tfrules.run.outputs import check_output_folder

    try:
        report = check_paths([folder])
    except PathError as exc:
        fail(str(exc))
    if report.errors:
        print_diagnostics(report.diagnostics, report.sources, DiagnosticFormat.TEXT)
        return EXIT_USAGE if any(d.code in UNREAD for d in report.diagnostics) else EXIT_ERRORS
    rulesets = sorted(report.rulesets, key=lambda r: r.name)
    with plain_failures():
        check_output_folder(out_dir, names=[f"{r.name}.md" for r in rulesets])
    stale: list[Path] = []
    for checked in rulesets:
        page = out_dir / f"{checked.name}.md"
        text = render_markdown(checked)
        if _current(page) == text:
            continue
        stale.append(page)
        if not check_only:
            with plain_failures():
                write_text(page, text)
    if check_only:
        for page in stale:
            typer.echo(f"out of date: {page} (run: tfrules doc --all {folder} --out-dir {out_dir})")
        typer.echo(f"{len(stale)} page(s) out of date")
        return EXIT_ERRORS if stale else EXIT_OK
    typer.echo(f"{len(stale)} page(s) written to {out_dir}")
    return EXIT_OK


@app.command()
def doc(
    ruleset: str = typer.Argument(None, help=RULESET_HELP + " Or use --all for a whole folder."),
    out: Path = typer.Option(
        None, "--out", help="FILE.md or FILE.html; without it, Markdown on screen."
    ),
    all_in: Path = typer.Option(
        None, "--all", help="Render every ruleset in this folder, one page each, into --out-dir."
    ),
    out_dir: Path = typer.Option(
        Path("docs/rulesets"), "--out-dir", help="Where --all writes pages."
    ),
    check_only: bool = typer.Option(
        False,
        "--check",
        help="With --all: change nothing, fail if a page is missing or out of date.",
    ),
) -> None:
    """Render rules as pages a commissioner or auditor can read.

    Each rule gets its title, what it is about, its source in the guidance, the
    ruleset that defined it, the rule laid out readably, the parameters it uses
    with their values and dates, and the rules that use it. Each page is
    written whole or not at all.
    """
    if all_in is None:
        if ruleset is None:
            fail("give a RULESET, or --all FOLDER")
        _one_page(ruleset, out)
        raise typer.Exit(EXIT_OK)
    raise typer.Exit(_all_pages(all_in, out_dir, check_only))
