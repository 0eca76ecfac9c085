"""`tfrules diff`: what a change of rules or parameters does to the families,
and a gate for a council's CI."""

from __future__ import annotations

import enum
import io
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import (
    AS_OF_HELP,
    DATA_HELP,
    DATABASE_HELP,
    EXIT_ERRORS,
    EXIT_OK,
    INCLUDE_HELP,
    MAPPING_HELP,
    PARAM_HELP,
    RULESET_HELP,
    app,
    fail,
    load_checked_data,
    loaded_rules,
    parse_date,
    plain_failures,
    warn_outside_period,
)
from tfrules.cli.interrupts import in_worker
from tfrules.cli.output import console
from tfrules.diffing.defaults import DEFAULT_SAMPLES, DEFAULT_SEED
from tfrules.diffing.errors import DiffError

if TYPE_CHECKING:
    from tfrules.diffing.gate import Verdict
    from tfrules.diffing.result import DiffResult


class DiffFormat(enum.StrEnum):
    TERMINAL = "terminal"
    MARKDOWN = "markdown"
    JSON = "json"


@app.command("diff")
def diff(
    base: str = typer.Argument(
        ..., help="The base version. " + RULESET_HELP, metavar="BASE", show_default=False
    ),
    new: str = typer.Argument(
        None,
        metavar="NEW",
        show_default=False,
        help="The new version (a ruleset name or .tfr file). Left out: BASE with the --param "
        "what-ifs, or BASE against its own text at --base-rev.",
    ),
    data: Path = typer.Option(..., "--data", metavar="DIR", help=DATA_HELP),
    as_of: str = typer.Option(..., "--as-of", metavar="DATE", help=AS_OF_HELP),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=DATABASE_HELP
    ),
    param: list[str] = typer.Option(
        [], "--param", metavar="NAME=VALUE", help=PARAM_HELP + " Applied to the new version."
    ),
    base_rev: str = typer.Option(
        None,
        "--base-rev",
        metavar="REV",
        help="Compare BASE with its text at this git revision (main, a commit, a tag): the "
        "case of a pull request. Every rule file of the comparison that lies in the git "
        "repository of the current folder (BASE, what it builds on, the --include and --local "
        "folders) is read as it was at the revision for the base version.",
    ),
    include: list[Path] = typer.Option([], "--include", metavar="DIR", help=INCLUDE_HELP),
    local: list[Path] = typer.Option(
        [],
        "--local",
        metavar="DIR",
        help="A folder of local rulesets, read for both versions: each council's households "
        "are evaluated by its own. Repeatable.",
    ),
    rules: str = typer.Option(
        None, "--rules", metavar="A,B", help="Only these rules, comma-separated."
    ),
    samples: int = typer.Option(
        DEFAULT_SAMPLES,
        "--samples",
        min=0,
        metavar="N",
        help="Sample households shown per rule and change (e.g. true->false), each with the "
        "first rule whose value differs and the facts that decided it before and after.",
    ),
    seed: int = typer.Option(
        DEFAULT_SEED,
        "--seed",
        min=0,
        metavar="N",
        help="Which sample households: the same seed picks the same households.",
    ),
    output_format: DiffFormat = typer.Option(
        DiffFormat.TERMINAL,
        "--format",
        help="terminal (tables), markdown (for a pull-request comment) or json (for machines).",
    ),
    out: Path = typer.Option(
        None, "--out", metavar="FILE", help="Write to FILE instead of the screen."
    ),
    by_council: bool = typer.Option(
        False, "--by-council", help="On the terminal, the changes of each council too."
    ),
    max_changed: list[str] = typer.Option(
        [],
        "--max-changed",
        metavar="RULE=N|P%",
        help="Fail (exit 1) when more than N households, or P% of them, change value for "
        "RULE. Repeatable.",
    ),
    max_money_change: list[str] = typer.Option(
        [],
        "--max-money-change",
        metavar="RULE=£X",
        help="Fail (exit 1) when the total of the money rule RULE moves by more than £X, up or "
        "down. Repeatable.",
    ),
) -> None:
    """What a change of rules or parameters does to the families: both
    versions evaluated on the same households.

    Compare two rulesets (BASE NEW), one ruleset with what-ifs (BASE
    --param name=value), or a rule file with its text at a git revision
    (BASE --base-rev main). For each rule, over every household and per
    council: how many households went from true, false or unknown to each
    other value, the money and number totals before and after, and which
    rules changed in definition or only through what they use; then sample
    households, each with the first rule whose value differs and the two
    explanations side by side.

    With --max-changed or --max-money-change it is a gate for CI: exit 1
    when a limit is exceeded, 0 otherwise.
    """
    from tfrules.diffing.compute import compare_versions
    from tfrules.diffing.gate import GateError, check_limits, parse_changed, parse_money
    from tfrules.diffing.render_json import render_json
    from tfrules.diffing.render_markdown import render_markdown
    from tfrules.diffing.render_terminal import print_diff
    from tfrules.diffing.versions import load_versions
    from tfrules.run.atomic import write_text

    try:
        limits = [parse_changed(t) for t in max_changed]
        limits += [parse_money(t) for t in max_money_change]
    except GateError as exc:
        fail(str(exc))
    day = parse_date(as_of)
    if new is not None and base_rev is not None:
        fail("give either NEW or --base-rev, not both")
    try:
        versions = loaded_rules(
            lambda: load_versions(
                base, new, params=param, local=local, include=include, base_rev=base_rev
            )
        )
    except DiffError as exc:
        fail(str(exc))
    wanted = _rules(rules)
    dataset = load_checked_data(
        [*versions.base.all, *versions.new.all], data, mapping=mapping, databases=database
    )
    try:
        with plain_failures():
            result = in_worker(
                lambda: compare_versions(
                    versions, dataset, day, rules=wanted, samples=samples, seed=seed
                )
            )
    except ValueError as exc:
        fail(str(exc))
    try:
        verdicts = check_limits(result, limits) if limits else None
    except GateError as exc:
        fail(str(exc))
    if output_format is DiffFormat.TERMINAL and out is None:
        print_diff(result, console(), verdicts, by_council=by_council)
    else:
        if output_format is DiffFormat.JSON:
            text = render_json(result, verdicts)
        elif output_format is DiffFormat.MARKDOWN:
            text = render_markdown(result, verdicts)
        else:
            text = _terminal_text(result, verdicts, by_council)
        if out is None:
            typer.echo(text, nl=False)
        else:
            with plain_failures():
                write_text(out, text)
            console(stderr=True).print(f"wrote the diff to {out}")
    warn_outside_period(versions.new.ruleset, day)
    exceeded = verdicts is not None and any(v.exceeded for v in verdicts)
    raise typer.Exit(EXIT_ERRORS if exceeded else EXIT_OK)


def _rules(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [r.strip() for r in text.split(",") if r.strip()]


def _terminal_text(result: DiffResult, verdicts: list[Verdict] | None, by_council: bool) -> str:
    """The terminal tables as plain text, for --out with --format terminal."""
    from rich.console import Console

    from tfrules.diffing.render_terminal import print_diff

    buffer = io.StringIO()
    print_diff(
        result, Console(file=buffer, width=120, highlight=False), verdicts, by_council=by_council
    )
    return buffer.getvalue()
