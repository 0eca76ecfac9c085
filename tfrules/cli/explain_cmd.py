"""`tfrules explain`: why one household got each value."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import typer

from tfrules import api
from tfrules.cli.common import (
    AS_OF_HELP,
    DATA_HELP,
    INCLUDE_HELP,
    PARAM_HELP,
    RULESET_HELP,
    app,
    fail,
    load_checked_data,
    load_rules,
    parse_date,
    split_rules,
    warn_outside_period,
)
from tfrules.cli.interrupts import in_worker
from tfrules.interpret.explain import explain_household, render_text, to_json


class ExplainFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


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
    depth: int = typer.Option(8, "--depth", help="How many levels of each rule to show."),
    output_format: ExplainFormat = typer.Option(
        ExplainFormat.TEXT, "--format", help="text or json."
    ),
) -> None:
    """Why one household got each value.

    For every rule: its value, the ruleset (national or local) that defined
    it, and how the value was reached: the value of each part of the rule,
    the members and the event rows each quantifier looked at, and the
    parameters used.
    """
    day = parse_date(as_of)
    checked = load_rules(ruleset, include, param)
    wanted = split_rules(checked, rules)
    dataset = load_checked_data(checked, data)
    found = in_worker(lambda: api.household(checked, dataset, household))
    if found is None:
        fail(f"there is no household {household!r} in {data}")
    explanation = explain_household(checked, found, day, wanted)
    warn_outside_period(checked, day)
    if output_format is ExplainFormat.JSON:
        typer.echo(json.dumps(to_json(explanation, checked), indent=2))
    else:
        typer.echo(render_text(explanation, checked, depth=depth))
