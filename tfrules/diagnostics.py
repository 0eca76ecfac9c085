"""Diagnostics: what every stage reports to a rule author.

A diagnostic has a code (listed in docs/errors.md), a message, the span it is
about and, where one helps, a hint. It renders as

    rulesets/local/leeds.tfr:12:9: error[E101]: unknown name 'identifed'
       12 |     not identifed
          |         ^^^^^^^^^
          = hint: did you mean 'identified'?

or as JSON, or as GitHub workflow annotations for CI systems.
"""

from __future__ import annotations

import difflib
import enum
import json
from collections.abc import Iterable, Sequence

import attrs

from tfrules.syntax.ast import Span


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Diagnostic:
    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.code)


def error(code: str, message: str, span: Span, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, span, Severity.ERROR, hint)


def warning(code: str, message: str, span: Span, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, span, Severity.WARNING, hint)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean' hint naming the closest candidates, if any are close."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    if not matches:
        return None
    quoted = " or ".join(f"'{m}'" for m in matches)
    return f"did you mean {quoted}?"


class SourceCache:
    """The text of the files diagnostics point into, read once."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str]] = {}

    def add(self, file: str, text: str) -> None:
        self._lines[file] = text.splitlines()

    def line(self, file: str, number: int) -> str | None:
        lines = self._lines.get(file)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


#: How much of a source line is shown, and how much of it before a mistake far along it.
_SHOWN, _BEFORE = 200, 60


def render_text(diagnostic: Diagnostic, sources: SourceCache | None = None) -> str:
    """The human form: a header line, the source line with a caret, a hint."""
    span = diagnostic.span
    out = [
        f"{span.file}:{span.line}:{span.column}: "
        f"{diagnostic.severity.value}[{diagnostic.code}]: {diagnostic.message}"
    ]
    source_line = sources.line(span.file, span.line) if sources else None
    if source_line is not None:
        shown = source_line.expandtabs(1).rstrip()  # a tab counts as one column
        gutter = str(span.line)
        pad = " " * len(gutter)
        start = max(span.column - 1, 0)
        if span.end_line == span.line and span.end_column > span.column:
            width = span.end_column - span.column
        else:
            width = max(len(shown) - start, 1)
        if len(shown) > _SHOWN and start > _SHOWN - _BEFORE:
            # a long line: show the part around the mistake, so the caret stays under it
            shown = "…" + shown[start - _BEFORE :]
            start = _BEFORE + 1
        width = max(1, min(width, max(len(shown) - start, 1), _SHOWN - start))
        if len(shown) > _SHOWN:
            shown = shown[:_SHOWN] + " …"
        out.append(f" {gutter} | {shown}")
        out.append(f" {pad} | {' ' * start}{'^' * width}")
        if diagnostic.hint:
            out.append(f" {pad} = hint: {diagnostic.hint}")
    elif diagnostic.hint:
        out.append(f"    = hint: {diagnostic.hint}")
    return "\n".join(out)


def to_json(diagnostic: Diagnostic) -> dict[str, object]:
    span = diagnostic.span
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps(
        {
            "diagnostics": [to_json(d) for d in diagnostics],
            "errors": sum(1 for d in diagnostics if d.is_error),
            "warnings": sum(1 for d in diagnostics if not d.is_error),
        },
        indent=2,
    )


def _escape_github(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, which the checks page annotates."""
    span = diagnostic.span
    level = "error" if diagnostic.is_error else "warning"
    message = diagnostic.message + (f" (hint: {diagnostic.hint})" if diagnostic.hint else "")
    props = (
        f"file={_escape_github(span.file, property_value=True)},line={span.line},"
        f"col={span.column},endLine={span.end_line},endColumn={span.end_column},"
        f"title={_escape_github(diagnostic.code, property_value=True)}"
    )
    return f"::{level} {props}::{_escape_github(message)}"
