"""Finds the Lark grammar and builds the parser once per process."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from lark import Lark

GRAMMAR_FILE = "tfrules.lark"
START_RULES = ["start", "decls", "table_decls", "table_maps"]


def grammar_text() -> str:
    """The grammar, from inside the installed package or, in a source
    checkout, from the repository's `grammar/` folder."""
    packaged = resources.files("tfrules").joinpath("grammar", GRAMMAR_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_FILE
    return checkout.read_text(encoding="utf-8")


@functools.cache
def parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        strict=True,
        propagate_positions=True,
        maybe_placeholders=True,
        start=START_RULES,
    )
