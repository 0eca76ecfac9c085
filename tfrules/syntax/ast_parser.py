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
from lark.parse_tree_builder import maybe_create_child_filter

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


Reduce = Callable[[list[Any]], Any]


def _reducer(rule: Rule, builder: ToAst) -> Reduce:
    """The callback of one rule: its extent, then Lark's filtering of its
    parts (keywords dropped, `_rules` inlined, placeholders for `[...]`),
    then the builder's method, or the part itself for a `?rule` with one."""
    if _passes_on(rule, builder):
        return _passed_on
    name = str(rule.alias or rule.options.template_source or rule.origin.name)
    method = getattr(builder, name, None)
    inline = method is None and name.startswith("_")
    include, append_none = _included(rule)
    expand1 = bool(rule.options.expand1) and not rule.alias

    def reduce(children: list[Any]) -> Placed:
        # the first and last parts with a place (a token, or a value with
        # an extent), written out: this runs for every reduction
        first = last = None
        for child in children:
            if child.__class__ is Token or child.line is not None:
                first = child
                break
        if first is None:
            placed = Placed(None, 0, 0, 0)
        else:
            for child in reversed(children):
                if child.__class__ is Token or child.line is not None:
                    last = child
                    break
            placed = Placed(first.line, first.column, last.end_line, last.end_column)
        values: list[Any] = []
        for index, expand, add_none in include:
            if add_none:
                values += [None] * add_none
            child = children[index]
            value = child.value if child.__class__ is Placed else child
            if not expand:
                values.append(value)
            elif values:
                values += value
            else:  # the left-recursive list of a `*`, extended in place
                values = value
        if append_none:
            values += [None] * append_none
        if expand1 and len(values) == 1:
            placed.value = values[0]
        elif inline:
            placed.value = values
        elif method is not None:
            placed.value = method(placed, values)
        else:
            placed.value = Tree(name, values)
        return placed

    return reduce


def _included(rule: Rule) -> tuple[list[tuple[int, bool, int]], int]:
    """Which parts of a rule are kept (index, inlined, placeholders before),
    and the placeholders after them, as Lark's tree builder decides."""
    made = maybe_create_child_filter(
        rule.expansion, rule.options.keep_all_tokens, False, rule.options.empty_indices
    )
    if made is None:
        return [(i, False, 0) for i in range(len(rule.expansion))], 0
    if len(made.args) == 2:
        return list(made.args[0]), made.args[1]
    return [(i, expand, 0) for i, expand in made.args[0]], 0


class _AstLark(Lark):
    """Lark with the callbacks above in place of its tree builder's (its
    `transformer` option is the `ToAst` whose methods they call)."""

    def _prepare_callbacks(self) -> None:
        super()._prepare_callbacks()
        builder = self.options.transformer
        for rule in self.rules:
            self._callbacks[rule] = _reducer(rule, builder)


def _passes_on(rule: Rule, builder: ToAst) -> bool:
    """A rule reduced from one part that stays, as it is (most reductions of
    an expression: `expr` from `or_expr` from `and_expr` ... from `atom`):
    its value and extent are its part's. So is a `?rule`'s, and so is that
    of a rule whose method gives back its only part unchanged."""
    if len(rule.expansion) != 1 or any(rule.options.empty_indices or ()):
        return False
    if rule.alias and rule.alias not in builder.ONE_PART_UNCHANGED:
        return False
    if not rule.alias and not rule.options.expand1:
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
        self.lark = load_parser(_AstLark, transformer=self.builder, propagate_positions=False)
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
