"""The `tfrules` console script: interrupts are handled from the first
moment, before the command's modules (Polars, Typer) are imported."""

from __future__ import annotations

from tfrules.cli import interrupts


def run() -> None:
    interrupts.install()
    try:
        from tfrules.cli.main import run as run_command

        run_command()
    except (KeyboardInterrupt, interrupts.Interrupted) as exc:
        interrupts.exit_interrupted(exc)
