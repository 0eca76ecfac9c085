"""Between tfrules' spans and diagnostics and the protocol's ranges and
diagnostics. Spans count characters from 1; the protocol counts from 0, in
the units the editor asked for (UTF-16 unless it chose otherwise)."""

from __future__ import annotations

from lsprotocol import types as L
from pygls.workspace.position_codec import PositionCodec

from tfrules import diagnostics as diag
from tfrules.lsp.text import SourceText
from tfrules.syntax import ast

SOURCE = "tfrules"


def to_range(span: ast.Span, source: SourceText, codec: PositionCodec) -> L.Range:
    lines = source.lines
    start = L.Position(max(span.line - 1, 0), max(span.column - 1, 0))
    end = L.Position(max(span.end_line - 1, 0), max(span.end_column - 1, 0))
    return codec.range_to_client_units(lines, L.Range(start, end))


def from_position(
    position: L.Position, source: SourceText, codec: PositionCodec
) -> tuple[int, int]:
    """A protocol position as a 1-based line and column in characters."""
    found = codec.position_from_client_units(source.lines, position)
    return found.line + 1, found.character + 1


def to_span(range_: L.Range, source: SourceText, codec: PositionCodec) -> ast.Span:
    start = codec.position_from_client_units(source.lines, range_.start)
    end = codec.position_from_client_units(source.lines, range_.end)
    return ast.Span(
        source.file, start.line + 1, start.character + 1, end.line + 1, end.character + 1
    )


def to_diagnostic(
    problem: diag.Diagnostic, source: SourceText, codec: PositionCodec
) -> L.Diagnostic:
    """The message and hint as `tfrules check` prints them; the hint also in
    `data`, where the quick fixes read it back."""
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return L.Diagnostic(
        range=to_range(problem.span, source, codec),
        message=message,
        severity=L.DiagnosticSeverity.Error if problem.is_error else L.DiagnosticSeverity.Warning,
        code=problem.code,
        source=SOURCE,
        data={"message": problem.message, "hint": problem.hint},
    )
