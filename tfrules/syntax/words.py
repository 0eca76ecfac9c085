"""The words of the language: none of them can name a rule or a parameter.

One list, read by the parser (to explain a word used where a name was
expected) and by the checker (error E109 for a declaration that takes one).
"""

from __future__ import annotations

RESERVED_WORDS = frozenset(
    {
        # quantifiers and aggregates
        "any", "every", "no", "count", "distinct", "sum", "lowest", "highest", "latest",
        "earliest", "member", "members", "where", "has", "satisfies", "over",
        # time
        "at", "in",
        # logic and comparison
        "is", "not", "and", "or", "if", "then", "else", "of", "exactly",
        # values
        "true", "false", "unknown",
    }
)  # fmt: skip
