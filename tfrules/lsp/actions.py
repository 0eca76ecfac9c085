"""Quick fixes: a diagnostic whose hint says "did you mean 'x'?" offers to
write 'x' in place of the mistaken name."""

from __future__ import annotations

import re

import attrs

from tfrules import diagnostics as diag
from tfrules.lsp.text import SourceText
from tfrules.syntax import ast

_SUGGESTIONS = re.compile(r"did you mean (.*)\?")
_QUOTED = re.compile(r"'([^']+)'")


@attrs.frozen
class Fix:
    title: str
    span: ast.Span
    replacement: str


def suggestions(diagnostic: diag.Diagnostic) -> list[str]:
    """The names a diagnostic's hint suggests."""
    match = _SUGGESTIONS.search(diagnostic.hint or "")
    return _QUOTED.findall(match.group(1)) if match else []


def misspelt(diagnostic: diag.Diagnostic) -> str | None:
    """The mistaken name: the first name the message quotes."""
    match = _QUOTED.search(diagnostic.message)
    return match.group(1) if match else None


def fixes(
    source: SourceText, code: str, message: str, hint: str | None, span: ast.Span
) -> list[Fix]:
    """The fixes for one diagnostic, as the editor gives it back (its range
    may be wider than the name: a whole declaration for E405)."""
    problem = diag.Diagnostic(code, message, span, hint=hint)
    wrong = misspelt(problem)
    if wrong is None:
        return []
    where = source.word_span(wrong, span)
    if where is None:
        return []
    return [Fix(f"Change '{wrong}' to '{name}'", where, name) for name in suggestions(problem)]
