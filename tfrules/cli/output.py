"""Printing diagnostics for people (text with carets) and for machines
(JSON, GitHub annotations)."""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # imported when something is printed, not at start-up
    from rich.console import Console

    from tfrules import diagnostics as diag

#: Diagnostics of files that were not read (unreadable, a link out of the
#: folder, not a rule file): a command that meets one exits 2, not 1.
UNREAD = frozenset({"E003", "E004", "E005"})


class DiagnosticFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def print_diagnostics(
    found: Sequence[diag.Diagnostic],
    sources: diag.SourceCache,
    fmt: DiagnosticFormat,
    summary: str | None = None,
) -> None:
    from tfrules import diagnostics as diag

    if fmt is DiagnosticFormat.JSON:
        sys.stdout.write(diag.render_json(found) + "\n")
        return
    if fmt is DiagnosticFormat.GITHUB:
        for item in found:
            sys.stdout.write(diag.render_github(item) + "\n")
        for item in found:
            sys.stdout.write(diag.render_text(item, sources) + "\n")
        if summary:
            sys.stdout.write(summary + "\n")
        return
    # Plain text through Typer, styled only on a terminal: printing the
    # diagnostics of `tfrules check` does not wait for rich to be imported.
    color = False if os.environ.get("NO_COLOR") else None
    for item in found:
        text = diag.render_text(item, sources).expandtabs(8)
        header, _, rest = text.partition("\n")
        typer.secho(header, fg="red" if item.is_error else "yellow", bold=True, color=color)
        if rest:
            typer.echo(rest, color=color)
        typer.echo()
    if summary:
        errors = any(d.is_error for d in found)
        typer.secho(summary, fg="red" if errors else "green", bold=True, color=color)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
