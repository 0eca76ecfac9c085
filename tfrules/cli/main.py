"""The `tfrules` command: check, format, test, evaluate and explain rulesets."""

from __future__ import annotations

import os
import sys
import traceback

import typer

from tfrules import __version__

HELP = """\
Rules for the Troubled Families programme, written in the tfrules language.

Write national and local criteria in .tfr files, check them, test them, and
run them over household data.

Exit codes: 0 success (warnings allowed); 1 errors found in the rules, the
data or the tests; 2 a usage problem or a file that cannot be read;
3 an internal error in tfrules itself (please report it).
"""

app = typer.Typer(
    name="tfrules",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tfrules {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Rules for the Troubled Families programme."""


def _register() -> None:
    from tfrules.cli import (  # noqa: F401  (commands register themselves)
        check_cmd,
        data_cmd,
        doc_cmd,
        eval_cmd,
        fmt_cmd,
        lsp_cmd,
        report_cmd,
        synth_cmd,
        test_cmd,
    )


def run() -> None:
    """The console entry point: a user never sees a Python traceback."""
    _register()
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
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
