"""Walking an expression tree without recursion (trees can be deep)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import attrs

from tfrules.syntax import ast

_NODES = (ast.Expr, ast.Collection)


def walk(node: object) -> Iterator[ast.Expr | ast.Collection]:
    """Every expression and collection inside `node`, itself included."""
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, _NODES):
            continue
        yield current
        for name in _child_fields(type(current)):
            value = getattr(current, name)
            if isinstance(value, _NODES):
                stack.append(value)
            elif isinstance(value, tuple):
                stack.extend(v for v in value if isinstance(v, _NODES))


@functools.cache
def _child_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node class other than its span and id, which hold no node."""
    return tuple(f.name for f in attrs.fields(kind) if f.name not in ("span", "node_id"))
