"""Parsing a document declaration by declaration gives exactly the parse of
the whole file (every node and every span), version after version."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import attrs
import pytest

from tfrules.lsp.incremental import DeclarationCache
from tfrules.syntax import ast
from tfrules.syntax.parser import parse_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "check"))
from catalogue_cases import CASES

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "rulesets").rglob("*.tfr"))


def spans(node: object) -> list[tuple[str, ast.Span]]:
    """Every node of a tree with its span, which equality of nodes leaves out."""
    found: list[tuple[str, ast.Span]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple | list):
            stack.extend(current)
        elif attrs.has(type(current)):
            span = getattr(current, "span", None)
            if isinstance(span, ast.Span):
                found.append((type(current).__name__, span))
            stack.extend(getattr(current, f.name) for f in attrs.fields(type(current)))
    return found


def same_parse(text: str, cache: DeclarationCache) -> None:
    whole = parse_text(text, "f.tfr")
    parts = cache.parse(text, "f.tfr")
    assert parts.file == whole.file
    assert spans(parts.file) == spans(whole.file)
    assert parts.diagnostics == whole.diagnostics
    assert parts.comments == whole.comments


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_parse_the_same_in_parts(path: Path) -> None:
    same_parse(path.read_text(encoding="utf-8"), DeclarationCache())


def test_the_error_catalogue_parses_the_same_in_parts() -> None:
    for case in CASES:
        if isinstance(case.source, str):
            same_parse(case.source, DeclarationCache())


def test_edits_keep_the_parse_exact() -> None:
    """Lines inserted, removed and changed, as typing does, in one cache."""
    chooser = random.Random(2012)
    text = (REPO / "rulesets" / "local" / "devon_phase1.tfr").read_text(encoding="utf-8")
    cache = DeclarationCache()
    lines = text.split("\n")
    for _ in range(60):
        at = chooser.randrange(len(lines))
        edit = chooser.choice(["insert", "remove", "change", "break"])
        if edit == "insert":
            lines.insert(at, "")
        elif edit == "remove" and not lines[at].strip():
            del lines[at]
        elif edit == "change":
            lines[at] = lines[at].replace("months", "weeks")
        elif edit == "break":
            lines[at] = lines[at] + " and"
            same_parse("\n".join(lines), cache)
            lines[at] = lines[at][: -len(" and")]
        same_parse("\n".join(lines), cache)


def test_only_changed_declarations_are_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "rulesets" / "local" / "leeds_phase1.tfr").read_text(encoding="utf-8")
    cache = DeclarationCache()
    cache.parse(text, "f.tfr")
    parsed: list[str] = []
    from tfrules.lsp import incremental

    def counting(source: str, file: str):
        parsed.append(source)
        return parse_text(source, file)

    monkeypatch.setattr(incremental, "parse_text", counting)
    changed = text.replace(
        "= burglary_linked or adult_offending_asb", "= adult_offending_asb or burglary_linked"
    )
    assert changed != text
    cache.parse(changed, "f.tfr")
    assert len(parsed) == 2  # the header, and the one declaration that changed
