"""Positions in a rule file's text.

Spans count lines and columns from 1, in characters, with an exclusive end
column (as Lark reports them); these helpers turn them into offsets and back
and find the words the AST does not give a span of its own (a declaration's
name, a test's column names).
"""

from __future__ import annotations

import bisect
import functools
import re

from tfrules.syntax import ast

#: A quoted text or a comment, as the grammar's STRING and COMMENT tokens.
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_WORD_CHARS = re.compile(r"[A-Za-z0-9_]")


class SourceText:
    """A file's text with its line starts, and the same text with quoted texts
    and comments blanked out (so that searching for a word never finds it in a
    title or a comment)."""

    def __init__(self, text: str, file: str = "") -> None:
        self.text = text
        self.file = file
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    @functools.cached_property
    def masked(self) -> str:
        def blank(match: re.Match[str]) -> str:
            found = match.group()
            return found[0] + " " * (len(found) - 1) if found.startswith('"') else " " * len(found)

        return _STRING_OR_COMMENT.sub(blank, self.text)

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column, kept within the text."""
        line = min(max(line, 1), len(self.line_starts))
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return min(start + max(column, 1) - 1, end)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset."""
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> ast.Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return ast.Span(self.file, line, column, end_line, end_column)

    def offsets(self, span: ast.Span) -> tuple[int, int]:
        return self.offset(span.line, span.column), self.offset(span.end_line, span.end_column)

    def find(self, pattern: str, within: ast.Span, group: int = 1) -> ast.Span | None:
        """The span of `group` of the first match of `pattern` inside `within`,
        searched in the masked text."""
        start, end = self.offsets(within)
        match = re.compile(pattern).search(self.masked, start, max(end, start))
        if match is None:
            return None
        return self.span(match.start(group), match.end(group))

    def word_span(self, word: str, within: ast.Span) -> ast.Span | None:
        """The first whole-word occurrence of `word` inside `within`."""
        return self.find(rf"(?<![A-Za-z0-9_.])({re.escape(word)})(?![A-Za-z0-9_])", within)

    def name_after(self, keyword: str, within: ast.Span) -> ast.Span | None:
        """The name that follows `keyword` inside `within` (`criterion NAME`)."""
        return self.find(rf"\b{keyword}\s+({NAME})", within)

    def prefix_span(self, span: ast.Span, length: int) -> ast.Span:
        """The first `length` characters of a span (a name at its start)."""
        return ast.Span(span.file, span.line, span.column, span.line, span.column + length)

    def word_before(self, offset: int) -> str:
        """The part of a name that ends at `offset` (what is being typed)."""
        start = offset
        while start > 0 and _WORD_CHARS.match(self.text[start - 1]):
            start -= 1
        return self.text[start:offset]

    def in_string_or_comment(self, offset: int) -> bool:
        """Whether `offset` is inside a quoted text or a comment of its line."""
        line, _ = self.position(offset)
        in_string = escaped = False
        for char in self.text[self.line_starts[line - 1] : offset]:
            if in_string:
                in_string = escaped or char != '"'
                escaped = not escaped and char == "\\"
            elif char == '"':
                in_string = True
            elif char == "#":
                return True
        return in_string


def contains(span: ast.Span, line: int, column: int) -> bool:
    """Whether a 1-based position lies in a span, its end included (a cursor
    just after a name is on that name)."""
    if (line, column) < (span.line, span.column):
        return False
    return (line, column) <= (span.end_line, span.end_column)


def span_size(span: ast.Span) -> tuple[int, int]:
    return (span.end_line - span.line, span.end_column - span.column)
