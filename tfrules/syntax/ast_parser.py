"""The LALR parser whose reductions build the AST directly.

Parsing a file into Lark's tree with positions and then transforming that
tree into the AST made two passes and a tree node for every reduction; Lark
works out the positions of every node, inlined ones too, in Python, and that
alone was a third of the time of parsing a large ruleset. Here each grammar
rule's reduction calls the transformer's method at once (Lark's own child
filtering and inlining still apply), with the rule's extent worked out from
the first and last of its parts that have a position, keywords included, as
Lark's `propagate_positions` does: a value on the parser's stack is a
`Placed` value, its extent with it. The AST is exactly what
`ToAst().transform(parser().parse(text))` gives.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from lark import Lark, Token, Tree
from lark.grammar import Rule

from tfrules.syntax.grammar import load_parser
from tfrules.syntax.transform import ToAst


class Placed:
    """A value built by a reduction and the extent of the text it came from
    (the container's: a parenthesised expression's extent takes in the
    parentheses). Also the `meta` the transformer's methods read spans from."""

    __slots__ = ("column", "end_column", "end_line", "line", "value")

    def __init__(self, line: int | None, column: int, end_line: int, end_column: int) -> None:
        self.line, self.column, self.end_line, self.end_column = line, column, end_line, end_column
        self.value: Any = None

    @property
    def empty(self) -> bool:
        return self.line is None


class _Reductions:
    """The transformer's methods as Lark calls them from the parser, one
    argument (the children), with the extent of the rule being reduced."""

    def __init__(self, builder: ToAst) -> None:
        self.meta: Placed | None = None
        for name in dir(type(builder)):
            if name.startswith("_") or not name[0].islower():
                continue
            method = getattr(builder, name)
            if callable(method):
                setattr(self, name, self._bind(method))

    def _bind(self, method: Callable[[Any, list[Any]], Any]) -> Callable[[list[Any]], Any]:
        return lambda children: method(self.meta, children)

    def __default__(self, data: str, children: list[Any], meta: Any) -> Tree:
        return Tree(data, children)


def _placing(inner: Callable[[list[Any]], Any], reductions: _Reductions) -> Callable:
    """The callback of one rule: its extent, then Lark's filtering and the method."""

    def reduce(children: list[Any]) -> Placed:
        first = last = None
        for child in children:
            kind = child.__class__
            if kind is Token or (kind is Placed and child.line is not None):
                first = child
                break
        if first is None:
            placed = Placed(None, 0, 0, 0)
        else:
            for child in reversed(children):
                kind = child.__class__
                if kind is Token or (kind is Placed and child.line is not None):
                    last = child
                    break
            placed = Placed(first.line, first.column, last.end_line, last.end_column)
        reductions.meta = placed
        placed.value = inner([c.value if c.__class__ is Placed else c for c in children])
        return placed

    return reduce


class _AstLark(Lark):
    """Lark with the callbacks above around the transformer's (its
    `transformer` option is the `_Reductions`)."""

    def _prepare_callbacks(self) -> None:
        super()._prepare_callbacks()
        reductions = self.options.transformer
        for key, callback in list(self._callbacks.items()):
            if isinstance(key, Rule):
                self._callbacks[key] = (
                    _passed_on if _passes_on(key) else _placing(callback, reductions)
                )


def _passes_on(rule: Rule) -> bool:
    """A `?rule` reduced from one part that stays (most reductions of an
    expression: `expr` from `or_expr` from `and_expr` ... from `atom`): its
    value and extent are its part's."""
    if not rule.options.expand1 or rule.alias or len(rule.expansion) != 1:
        return False
    if any(rule.options.empty_indices or ()):
        return False
    symbol = rule.expansion[0]
    if symbol.is_term:
        return not symbol.filter_out
    return not symbol.name.startswith("_")


def _passed_on(children: list[Any]) -> Any:
    return children[0]


class AstParser:
    """Parses a text into the AST in one pass (one file at a time: a lock
    keeps threads from sharing the builder)."""

    def __init__(self) -> None:
        self.builder = ToAst("<text>")
        reductions = _Reductions(self.builder)
        self.lark = load_parser(_AstLark, transformer=reductions, propagate_positions=False)
        self.lock = threading.Lock()

    @property
    def terminals(self) -> list[Any]:
        return self.lark.terminals

    def parse(self, text: str, file: str, start: str) -> tuple[Any, list[Any]]:
        """The AST of `text` from rule `start`, and the diagnostics of bad
        literals; Lark's `UnexpectedInput` for a syntax error."""
        with self.lock:
            self.builder.file = file
            self.builder.diagnostics = []
            placed = self.lark.parse(text, start=start)
            return placed.value, self.builder.diagnostics


@functools.cache
def ast_parser() -> AstParser:
    return AstParser()
