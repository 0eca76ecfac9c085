"""Parsing a document again after a keystroke without parsing all of it.

A ruleset is its header and a list of declarations that the grammar reads
independently of each other. Each declaration is parsed on its own, in a
copy of the file with every other declaration blanked out (so its lines and
columns stay where they are), and kept; after a change, only declarations
whose text changed are parsed again (one that only moved up or down, after a
line was added or removed above it, gets its spans moved). When any part has a
problem, or the file is a schema, the whole file is parsed as
`tfrules check` parses it, so diagnostics are always exactly its.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from tfrules.lsp.recovery import declaration_starts
from tfrules.syntax import ast
from tfrules.syntax.parser import ParseResult, find_comments, parse_text

_SCHEMA_FILE = re.compile(r"\s*(#[^\n]*\s*)*schema\b")


class DeclarationCache:
    """The parses of one document's declarations, kept from its last version."""

    def __init__(self) -> None:
        #: (header, declaration text) -> (its first line, its declarations)
        self._parts: dict[tuple[str, str], tuple[int, tuple[ast.Decl, ...]]] = {}

    def parse(self, text: str, file: str) -> ParseResult:
        starts = declaration_starts(text)
        if not starts or _SCHEMA_FILE.match(text):
            return parse_text(text, file)
        header_text = text[: starts[0]]
        header = self._part(header_text, header_text, file)
        if header is None or not isinstance(header.file, ast.RulesetFile) or header.file.decls:
            return parse_text(text, file)
        kept: dict[tuple[str, str], tuple[int, tuple[ast.Decl, ...]]] = {}
        decls: list[ast.Decl] = []
        ends = [*starts[1:], len(text)]
        line = 1
        previous = 0
        for start, end in zip(starts, ends, strict=True):
            chunk = text[start:end]
            line += text.count("\n", previous, start)
            previous = start
            key = (header_text, chunk)
            cached = self._parts.get(key)
            if cached is None:
                blank = re.sub(r"[^\n]", " ", text[len(header_text) : start])
                part = self._part(header_text + blank + chunk, header_text, file)
                if part is None:
                    return parse_text(text, file)
                assert isinstance(part.file, ast.RulesetFile)
                found = part.file.decls
            elif cached[0] != line:
                found = _moved(cached[1], line - cached[0])
            else:
                found = cached[1]
            kept[key] = (line, found)
            decls.extend(found)
        self._parts = kept
        top = header.file.span
        end_span = decls[-1].span if decls else top
        span = ast.Span(file, top.line, top.column, end_span.end_line, end_span.end_column)
        tree = attrs.evolve(header.file, decls=tuple(decls), span=span)
        return ParseResult(tree, (), text, find_comments(text))

    @staticmethod
    def _part(text: str, header_text: str, file: str) -> ParseResult | None:
        """A parse of a part of the file, or None if it has any problem."""
        result = parse_text(text, file)
        return result if result.ok and not result.diagnostics else None


def _moved(node: Any, lines: int) -> Any:
    """A tree with every span moved down by `lines` (up, if negative)."""
    if isinstance(node, ast.Span):
        return attrs.evolve(node, line=node.line + lines, end_line=node.end_line + lines)
    if isinstance(node, tuple):
        return tuple(_moved(item, lines) for item in node)
    if attrs.has(type(node)):
        changes = {}
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            moved = _moved(value, lines)
            if moved is not value:
                changes[field.name] = moved
        return attrs.evolve(node, **changes) if changes else node
    return node
