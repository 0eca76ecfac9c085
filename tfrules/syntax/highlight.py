"""A Pygments lexer for rule files, so rules are highlighted wherever they
are shown: `tfrules doc` pages, documentation built with Pygments (Sphinx,
MkDocs: fence a block with ```tfr), and `pygmentize -l tfr`.

The words it highlights are read from the grammar itself, so a keyword added
to the language is highlighted without a change here.
"""

from __future__ import annotations

import functools
import re

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

from tfrules.check.expressions import BUILTINS, FUNCTIONS
from tfrules.syntax.grammar import grammar_text

#: Words that start a declaration or a clause of one.
DECLARATION_WORDS = frozenset(
    {
        "ruleset", "schema", "extends", "uses", "applies", "to", "source", "parameter",
        "overridable", "override", "criterion", "measure", "abstract", "for", "test",
        "entity", "events", "table", "key", "aged", "dated", "spanning", "termly",
        "optional", "default", "empty", "when", "missing", "expect", "household", "born",
    }
)  # fmt: skip
CONSTANT_WORDS = frozenset({"true", "false", "unknown"})
OPERATOR_WORDS = frozenset({"and", "or", "not"})


@functools.cache
def language_words() -> frozenset[str]:
    """Every word of the language, as the grammar spells it."""
    return frozenset(re.findall(r'"([a-z_]+)"', grammar_text()))


def _other_words() -> list[str]:
    return sorted(language_words() - DECLARATION_WORDS - CONSTANT_WORDS - OPERATOR_WORDS)


_NAME = r"[A-Za-z_][A-Za-z0-9_]*"


class TfrulesLexer(RegexLexer):
    """Rule files of the tfrules language (.tfr)."""

    name = "tfrules"
    aliases = ["tfrules", "tfr"]  # noqa: RUF012 (Pygments reads these class attributes)
    filenames = ["*.tfr"]  # noqa: RUF012
    mimetypes = ["text/x-tfrules"]  # noqa: RUF012
    url = "https://pypi.org/project/tfrules/"

    tokens = {  # noqa: RUF012
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            (
                rf"\b(criterion|measure)(\s+)({_NAME})",
                bygroups(Keyword.Declaration, Whitespace, Name.Function),
            ),
            (
                rf"\b(parameter)(\s+)({_NAME})",
                bygroups(Keyword.Declaration, Whitespace, Name.Constant),
            ),
            (
                rf"\b(ruleset|extends)(\s+)({_NAME}(?:\.{_NAME})*)",
                bygroups(Keyword.Declaration, Whitespace, Name.Namespace),
            ),
            (
                rf"\b(entity|events)(\s+)({_NAME})",
                bygroups(Keyword.Declaration, Whitespace, Name.Class),
            ),
            (r"\d{4}-\d{2}-\d{2}", Literal.Date),
            (r"£(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?", Number),
            (r"\d+(\.\d+)?%", Number),
            (r"\d+[ \t]+(days?|weeks?|months?|years?|terms?)\b", Number),
            (r"\d+\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            (words(sorted(DECLARATION_WORDS), suffix=r"\b"), Keyword.Declaration),
            (words(sorted(CONSTANT_WORDS), suffix=r"\b"), Keyword.Constant),
            (words(sorted(OPERATOR_WORDS), suffix=r"\b"), Operator.Word),
            (words(_other_words(), suffix=r"\b"), Keyword),
            (words(BUILTINS + FUNCTIONS, suffix=r"\b"), Name.Builtin),
            (_NAME, Name),
            (r"!=|<=|>=|[=<>+\-*/]", Operator),
            (r"[(){}\[\],:.]", Punctuation),
            (r".", Text),
        ]
    }
