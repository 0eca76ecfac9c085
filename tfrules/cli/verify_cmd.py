"""`tfrules verify`: re-run an audit bundle and confirm the same outputs."""

from __future__ import annotations

from pathlib import Path

import typer

from tfrules.cli.common import EXIT_ERRORS, EXIT_OK, app, fail
from tfrules.cli.output import console


@app.command("verify")
def verify_command(
    bundle: Path = typer.Argument(
        ..., metavar="DIR", help="An audit bundle (written by --audit-bundle)."
    ),
) -> None:
    """Re-run what an audit bundle records and confirm the same outputs.

    Checks that every rule file and input file is still what it was (by
    SHA-256) and that tfrules, Python and Polars are the versions the run
    used; then runs the same command again, into a scratch folder, and
    compares every output. Exits 0 when everything is the same; otherwise
    names each difference (a changed input file by name, a changed rule file,
    a different version, an output that differs) and exits 1.
    """
    from rich.text import Text

    from tfrules.audit.verify import BundleError, verify

    try:
        with console(stderr=True).status("running the recorded command again"):
            result = verify(bundle)
    except BundleError as exc:
        fail(str(exc))
    terminal = console()
    terminal.print(Text(f"Verified: {result.command_line}", style="bold"))
    if result.same:
        terminal.print(
            Text(f"the same: all {result.outputs_checked} outputs match", style="bold green")
        )
        raise typer.Exit(EXIT_OK)
    for difference in result.differences:
        terminal.print(Text(f"different: {difference}", style="red"))
    raise typer.Exit(EXIT_ERRORS)
