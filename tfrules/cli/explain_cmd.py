"""`tfrules explain`: why one household got each value."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import typer

from tfrules.cli.common import (
    AS_OF_HELP,
    DATA_HELP,
    DATABASE_HELP,
    INCLUDE_HELP,
    MAPPING_HELP,
    PARAM_HELP,
    RULESET_HELP,
    app,
    fail,
    load_checked_data,
    load_rules,
    parse_date,
    plain_failures,
    split_rules,
    warn_outside_period,
)
from tfrules.cli.interrupts import in_worker
from tfrules.cli.output import console


class ExplainFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"


@app.command()
def explain(
    ruleset: str = typer.Argument(..., help=RULESET_HELP),
    data: Path = typer.Option(..., "--data", metavar="DIR", help=DATA_HELP),
    as_of: str = typer.Option(..., "--as-of", metavar="DATE", help=AS_OF_HELP),
    household: str = typer.Option(
        ..., "--household", metavar="ID", help="The household_id to explain."
    ),
    rules: str = typer.Option(
        None, "--rules", metavar="A,B", help="Only these rules, comma-separated."
    ),
    param: list[str] = typer.Option([], "--param", metavar="NAME=VALUE", help=PARAM_HELP),
    include: list[Path] = typer.Option([], "--include", metavar="DIR", help=INCLUDE_HELP),
    depth: int = typer.Option(8, "--depth", min=1, help="How many levels of each rule to show."),
    full: bool = typer.Option(
        False,
        "--full",
        help="The whole evaluation of each rule, every step, member and row, instead of the "
        "facts that decided it.",
    ),
    output_format: ExplainFormat = typer.Option(
        ExplainFormat.TEXT,
        "--format",
        help="text (on screen), json (the deciding facts and the whole evaluation), or html "
        "(a case page: one self-contained file).",
    ),
    out: Path = typer.Option(
        None, "--out", metavar="FILE", help="Write to FILE (e.g. case.html) instead of the screen."
    ),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=DATABASE_HELP
    ),
) -> None:
    """Why one household got each value.

    By default, for every rule: its value, the ruleset (national or local)
    that defined it, and the facts that decided it: for 'any', the members
    and rows that made it true; for an 'or' that is true, every true part;
    for an unknown, which facts were missing and from which table. With
    --full, the whole evaluation: every part of the rule, every member and
    row each quantifier looked at. Then the parameters used.
    """
    from tfrules import api
    from tfrules.interpret.explain import explain_household, render_text, to_json
    from tfrules.interpret.explain_html import render_html
    from tfrules.interpret.explain_text import render_summary
    from tfrules.run.atomic import write_text

    day = parse_date(as_of)
    checked = load_rules(ruleset, include, param)
    wanted = split_rules(checked, rules)
    dataset = load_checked_data(checked, data, mapping=mapping, databases=database)
    found = in_worker(lambda: api.household(checked, dataset, household))
    if found is None:
        fail(f"there is no household {household!r} in {data}")
    explanation = explain_household(checked, found, day, wanted)
    warn_outside_period(checked, day)
    if output_format is ExplainFormat.JSON:
        text = json.dumps(to_json(explanation, checked), indent=2) + "\n"
    elif output_format is ExplainFormat.HTML:
        text = render_html(explanation, checked, found, depth=depth)
    elif full:
        text = render_text(explanation, checked, depth=depth)
    else:
        text = render_summary(explanation, checked, depth=depth)
    if out is None:
        typer.echo(text, nl=False)
        return
    with plain_failures():
        write_text(out, text)
    console(stderr=True).print(f"wrote the explanation of household {household} to {out}")
