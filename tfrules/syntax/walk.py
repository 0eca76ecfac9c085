"""Walking an expression tree without recursion (trees can be deep)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from tfrules.syntax import ast


def walk(node: object) -> Iterator[ast.Expr | ast.Collection]:
    """Every expression and collection inside `node`, itself included."""
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, ast.Expr | ast.Collection):
            continue
        yield current
        for field in attrs.fields(type(current)):
            value = getattr(current, field.name)
            if isinstance(value, ast.Expr | ast.Collection):
                stack.append(value)
            elif isinstance(value, tuple):
                stack.extend(v for v in value if isinstance(v, ast.Expr | ast.Collection))
