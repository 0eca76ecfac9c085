"""The `tfrules` command: check, format, test, evaluate and explain rulesets.

Each command lives in a module of its own and registers itself on the app of
`tfrules.cli.common` when imported; this module imports them all, and no
command module imports another.
"""

from __future__ import annotations

import os
import sys
import traceback

import typer

from tfrules import __version__
from tfrules.cli import (  # noqa: F401  (each registers its commands)
    check_cmd,
    claims_cmd,
    data_cmd,
    diff_cmd,
    doc_cmd,
    eval_cmd,
    explain_cmd,
    fmt_cmd,
    lsp_cmd,
    report_cmd,
    synth_cmd,
    test_cmd,
    verify_cmd,
)
from tfrules.cli.common import EXIT_INTERNAL, app, set_command


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tfrules {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    context: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Rules for the Troubled Families programme."""
    set_command(context.invoked_subcommand)


def run() -> None:
    """Run the command line: a user never sees a Python traceback (an
    interrupt is handled by `tfrules.cli.entry`, the console script)."""
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:  # an internal bug: say so, plainly
        sys.stderr.write(
            f"internal error in tfrules {__version__}: {type(exc).__name__}: {exc}\n"
            "This is a bug in tfrules, not in your rules or data. Please report it, with the "
            "command you ran.\n"
        )
        if os.environ.get("TFRULES_DEBUG"):
            traceback.print_exc()
        else:
            sys.stderr.write("(set TFRULES_DEBUG=1 to see the details)\n")
        sys.exit(EXIT_INTERNAL)


__all__ = ["app", "run"]
