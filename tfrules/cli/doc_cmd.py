"""`tfrules doc`: rulesets rendered in plain English for commissioners and auditors."""

from __future__ import annotations

from pathlib import Path

import typer

from tfrules.check import check_paths
from tfrules.check.workspace import PathError
from tfrules.cli.eval_cmd import load_rules
from tfrules.cli.main import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, app
from tfrules.cli.output import DiagnosticFormat, print_diagnostics
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.ruleset_doc import render_html, render_markdown


def _render(ruleset: CheckedRuleset, suffix: str) -> str:
    return render_html(ruleset) if suffix == ".html" else render_markdown(ruleset)


@app.command()
def doc(
    ruleset: str = typer.Argument(
        None, help="A ruleset name or .tfr file (or use --all for a whole folder)."
    ),
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
    with their values and dates, and the rules that use it.
    """
    if all_in is None:
        if ruleset is None:
            typer.echo("tfrules doc: give a RULESET, or --all FOLDER", err=True)
            raise typer.Exit(EXIT_USAGE)
        checked = load_rules(ruleset, [], [])
        suffix = out.suffix if out is not None else ".md"
        if suffix not in (".md", ".html"):
            typer.echo("tfrules doc: --out must end in .md or .html", err=True)
            raise typer.Exit(EXIT_USAGE)
        text = _render(checked, suffix)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {out}")
        raise typer.Exit(EXIT_OK)
    try:
        report = check_paths([all_in])
    except PathError as exc:
        typer.echo(f"tfrules doc: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if report.errors:
        print_diagnostics(report.diagnostics, report.sources, DiagnosticFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS)
    stale: list[Path] = []
    for checked in sorted(report.rulesets, key=lambda r: r.name):
        page = out_dir / f"{checked.name}.md"
        text = render_markdown(checked)
        current = page.read_text(encoding="utf-8") if page.exists() else None
        if current == text:
            continue
        stale.append(page)
        if not check_only:
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(text, encoding="utf-8")
    if check_only:
        for page in stale:
            typer.echo(f"out of date: {page} (run: tfrules doc --all {all_in} --out-dir {out_dir})")
        typer.echo(f"{len(stale)} page(s) out of date")
        raise typer.Exit(EXIT_ERRORS if stale else EXIT_OK)
    typer.echo(f"{len(stale)} page(s) written to {out_dir}")
    raise typer.Exit(EXIT_OK)
