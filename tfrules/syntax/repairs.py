"""Hints in plain words for the common slips that make a rule not parse.

Instead of listing the tokens the grammar would have taken, a syntax error
tries the repairs a rule author most often needs (a comma where `and` was
meant, a forgotten `of` after a percentage, a forgotten `where`, a forgotten
`and`) on the declaration it is in, in that order. A repair that lets the
declaration parse past the place of the error names the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lark import Token
from lark.exceptions import UnexpectedEOF, UnexpectedInput

from tfrules.syntax.grammar import parser

#: Where a declaration starts (the parser resumes there after an error too).
DECL_START = re.compile(
    r"^[ \t]*(abstract|overridable|override|parameter|criterion|measure|test|entity|events)\b",
    re.MULTILINE,
)
_PERCENT = re.compile(r"(\d+(\.\d+)?%)\s*$")
_OPENING = re.compile(r"\b(any|every|no|count|sum|lowest|highest|latest|earliest)\b")


def repair_hint(text: str, token: Token) -> str | None:
    """The fix for a slip at `token`, if one of the usual repairs makes the
    declaration it is in parse past it."""
    pos = token.start_pos
    if pos is None:
        return None
    starts = [m.start() for m in DECL_START.finditer(text)]
    begin = max((s for s in starts if s <= pos), default=None)
    if begin is None:
        return None  # in the header of the file: no repair to try
    end = min((s for s in starts if s > pos), default=len(text))
    declaration, at = text[begin:end], pos - begin
    for repaired, past, hint in _repairs(declaration, at, token):
        if _parses_past(repaired, past):
            return hint
    return None


def _repairs(declaration: str, at: int, token: Token) -> Iterator[tuple[str, int, str]]:
    """(the repaired declaration, a place it must parse past, the hint)."""
    value = str(token)
    before, after = declaration[:at], declaration[at:]
    if value == ",":
        yield (
            before + " and " + after[1:],
            at + 5,
            "join conditions with 'and': commas separate only the conditions after 'where' "
            "or 'satisfies' and the items of a list",
        )
        return
    percent = _PERCENT.search(before)
    if percent is not None:
        yield (
            before + "of " + after,
            at + 3 + len(value),
            f"a share of a value is written with 'of': {percent[1]} of {value}",
        )
    openings = list(_OPENING.finditer(before))
    if openings:
        head = " ".join(before[openings[-1].start() :].split())
        if len(head) > 60:
            head = "... " + head[-56:]
        yield (
            before + "where " + after,
            at + 6 + len(value),
            f"conditions follow 'where': {head} where {value} ...",
        )
    words = before.split()
    if words and token.type == "NAME":
        yield (
            before + "and " + after,
            at + 4 + len(value),
            f"two conditions side by side: join them with 'and' or 'or', "
            f"e.g. {words[-1]} and {value}",
        )


def _parses_past(declaration: str, place: int) -> bool:
    try:
        parser().parse(declaration, start="decls")
    except UnexpectedEOF:
        return True  # every word was taken: the declaration is only unfinished
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        if token is not None and token.type == "$END":
            return True
        return (getattr(exc, "pos_in_stream", None) or 0) > place
    return True
