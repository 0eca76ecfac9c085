"""The frame of the transformer from Lark's parse tree to the AST: how its
methods are called, spans, diagnostics and the clauses on their way into
their declarations."""

from __future__ import annotations

import re
from typing import Any

from lark import Token, Transformer_NonRecursive, Tree
from lark.tree import Meta

from tfrules import diagnostics as diag
from tfrules.syntax import ast


def unescape(text: str) -> str:
    """The value of a quoted string token."""
    return re.sub(r"\\(.)", r"\1", text[1:-1])


class Clause:
    """A ruleset or table clause on its way into its declaration."""

    def __init__(self, kind: str, value: Any, span: ast.Span) -> None:
        self.kind, self.value, self.span = kind, value, span


class ToAstBase(Transformer_NonRecursive):
    """Builds AST nodes bottom-up; collects diagnostics for bad literals.

    Every method takes (meta, children). They are called directly rather than
    through Lark's `v_args(meta=True)`, whose wrapper is rebuilt for every node
    and cost a quarter of the time of turning a large file into its AST.
    """

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file
        self.diagnostics: list[diag.Diagnostic] = []
        self._methods: dict[str, Any] = {}

    def _call_userfunc(self, tree: Tree, new_children: list[Any] | None = None) -> Any:
        children = new_children if new_children is not None else tree.children
        method = self._methods.get(tree.data)
        if method is None:
            method = getattr(self, str(tree.data), None)
            if method is None:
                return self.__default__(tree.data, children, tree.meta)
            self._methods[tree.data] = method
        return method(tree.meta, children)

    # ---------------------------------------------------------------- helpers
    def _span(self, meta: Meta) -> ast.Span:
        if getattr(meta, "empty", True):
            return ast.Span.unknown(self.file)
        return ast.Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _token_span(self, token: Token) -> ast.Span:
        return ast.Span(
            self.file,
            token.line or 1,
            token.column or 1,
            token.end_line or token.line or 1,
            token.end_column or token.column or 1,
        )

    def _bad(self, code: str, message: str, span: ast.Span, hint: str | None = None) -> None:
        self.diagnostics.append(diag.error(code, message, span, hint))
