"""What can be read of a file with syntax errors.

`tfrules check` reports a file with a syntax error and checks nothing more of
it. An editor still needs the rest of the file while a declaration is half
written: here the declarations the parser could not read are blanked out
(spaces, so every line and column stays where it was) and the rest is parsed
again, giving the tree of every declaration that is whole.
"""

from __future__ import annotations

import re

from tfrules.lsp.text import SourceText
from tfrules.syntax.parser import ParseResult, parse_text

#: Where a declaration starts: the points at which the parser resumes after an
#: error (a line starting with a declaration's keyword).
DECLARATION_START = re.compile(
    r"^[ \t]*(abstract|overridable|override|parameter|criterion|measure|test|entity|events)\b",
    re.MULTILINE,
)
_SYNTAX_ERRORS = {"E010", "E011", "E012", "E013"}
_MAX_ROUNDS = 5


def declaration_starts(text: str) -> list[int]:
    return [m.start() for m in DECLARATION_START.finditer(text)]


def recover(parsed: ParseResult, file: str) -> ParseResult | None:
    """A parse of the whole declarations of `parsed`'s text, without
    diagnostics; None when even the header cannot be read."""
    if parsed.file is not None:  # only a bad literal (a date that does not exist)
        return ParseResult(parsed.file, (), parsed.text, parsed.comments)
    text = parsed.text
    source = SourceText(text)
    starts = declaration_starts(text)
    blanked = text
    problems = parsed.diagnostics
    for _ in range(_MAX_ROUNDS):
        cuts = []
        for problem in problems:
            if problem.code not in _SYNTAX_ERRORS:
                return None
            offset = source.offset(problem.span.line, problem.span.column)
            cut = _declaration_around(starts, offset, len(text))
            if cut is None:
                return None
            cuts.append(cut)
        before = blanked
        for start, end in cuts:
            blanked = blanked[:start] + re.sub(r"[^\n]", " ", blanked[start:end]) + blanked[end:]
        if blanked == before:
            return None
        result = parse_text(blanked, file)
        if result.file is not None:
            return ParseResult(result.file, (), text, parsed.comments)
        problems = result.diagnostics
    return None


def _declaration_around(starts: list[int], offset: int, end: int) -> tuple[int, int] | None:
    """The declaration an error at `offset` lies in: from the last declaration
    start before it (an error on a declaration's keyword means the one before
    was left unfinished) to the next start after it."""
    before = [s for s in starts if s < offset]
    if not before:
        return None
    after = [s for s in starts if s > offset]
    return before[-1], (after[0] if after else end)
