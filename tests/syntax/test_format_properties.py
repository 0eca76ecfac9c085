"""Properties of the formatter, on generated trees and on the shipped files:
its output parses back to the same tree, formatting it again changes
nothing, and every comment survives."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies.ast_strategies import EXPR_KINDS, exprs, files, texts

from tfrules.syntax import ast, format_expr
from tfrules.syntax.format_comments import clause_anchors
from tfrules.syntax.formatter import format_file, format_text, layout_file
from tfrules.syntax.grammar import parser
from tfrules.syntax.parser import find_comments, parse_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    *sorted(ROOT.glob("rulesets/**/*.tfr")),
    ROOT / "tests/syntax/sample_all_forms.tfr",
    ROOT / "tests/syntax/sample_mapping.tfr",
]

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _round_trip(tree: ast.File) -> str:
    text = format_file(tree)
    parsed = parse_text(text)
    assert parsed.ok, (text, parsed.diagnostics)
    assert parsed.file == tree, text
    assert format_text(text).text == text
    return text


@FAST
@given(exprs(3))
def test_an_expression_prints_as_text_that_parses_back_to_it(expr: ast.Expr) -> None:
    _round_trip(ast.RulesetFile("r", decls=(ast.RuleDecl("criterion", "c", expr),)))


@settings(FAST, max_examples=100)
@given(files(2))
def test_a_file_prints_as_text_that_parses_back_to_it(tree: ast.File) -> None:
    _round_trip(tree)
    _check_anchors(tree)


@settings(FAST, max_examples=100)
@given(exprs(3))
def test_breaking_lines_keeps_the_tree(expr: ast.Expr) -> None:
    """At a narrow width nearly every expression is broken over lines."""
    with mock.patch.object(format_expr, "WIDTH", 24):
        tree = ast.RulesetFile("r", decls=(ast.RuleDecl("criterion", "c", expr),))
        _round_trip(tree)
        _check_anchors(tree)


def _check_anchors(tree: ast.File) -> None:
    """Laid out again from formatted text, each output line lists as anchors
    exactly positions on that line: what makes comment placement stable."""
    text = format_file(tree)
    parsed = parse_text(text)
    assert parsed.file is not None
    lines = layout_file(parsed.file, clause_anchors(parser().parse(text, start="start")))
    assert len(lines) == text.count("\n")
    for number, line in enumerate(lines, start=1):
        assert line is None or all(pos[0] == number for pos in line.anchors), (number, line)
        assert line is None or line.anchors, (number, line)


# ---------------------------------------------------------------- comments

_STRING = re.compile(r'"([^"\\\n]|\\.)*"')


def _break_points(line: str) -> list[int]:
    """Spaces between two tokens of a line, where a comment and a line break
    may go: outside strings, after the indentation, not inside `12 months`."""
    inside = {i for m in _STRING.finditer(line) for i in range(m.start(), m.end())}
    return [
        i
        for i, char in enumerate(line)
        if char == " " and i not in inside and line[:i].strip() and not line[i - 1].isdigit()
    ]


@st.composite
def commented(draw: st.DrawFn) -> str:
    """A formatted file with comments added: on lines of their own, at the
    ends of lines, and between two tokens of a line."""
    text = format_file(draw(files(2)))
    out: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        where = draw(st.sampled_from(["none", "none", "above", "end", "inside"]))
        comment = "#" + draw(texts)
        points = _break_points(line)
        if where == "above":
            out += [comment, line]
        elif where == "end" and line:
            out.append(f"{line}  {comment}")
        elif where == "inside" and points:
            i = draw(st.sampled_from(points))
            out += [f"{line[:i]} {comment}", line[i + 1 :]]
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _comment_texts(text: str) -> Counter[str]:
    return Counter(c.text for c in find_comments(text))


@settings(FAST, max_examples=80)
@given(commented(), st.sampled_from([100, 30]))
def test_comments_survive_formatting_and_stay_put(text: str, width: int) -> None:
    with mock.patch.object(format_expr, "WIDTH", width):
        _check_comments(text)


def _check_comments(text: str) -> None:
    # format_text itself checks that its output has the tree and comments of
    # its input (or gives no text)
    result = format_text(text)
    assert result.text is not None, (text, result.diagnostics)
    assert _comment_texts(result.text) == _comment_texts(text)
    assert format_text(result.text).text == result.text

    # Without the clause positions (tree and comments only) comments may sit
    # less exactly, but none is lost and the result is stable too.
    parsed = parse_text(text)
    assert parsed.file is not None
    plain = format_file(parsed.file, parsed.comments)
    assert _comment_texts(plain) == _comment_texts(text)
    again = parse_text(plain)
    assert again.file is not None
    assert format_file(again.file, again.comments) == plain


# ---------------------------------------------------------------- shipped files


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_shipped_file_formats_to_the_same_tree_and_comments(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = format_text(text, str(path))
    assert result.text is not None, result.diagnostics
    assert parse_text(result.text).file == parse_text(text).file
    assert _comment_texts(result.text) == _comment_texts(text)
    assert format_text(result.text, str(path)).text == result.text


def test_the_schema_file_is_already_in_canonical_layout() -> None:
    path = ROOT / "rulesets/schema/canonical.tfr"
    text = path.read_text(encoding="utf-8")
    assert format_text(text).text == text


def test_the_strategies_cover_every_kind_of_expression() -> None:
    """A new node class needs a strategy (and a rule in the formatter)."""
    covered = {
        "literal": ast.Literal, "name": ast.Name, "call": ast.Call, "set": ast.SetLiteral,
        "count_of": ast.CountOf, "arith": ast.Arith, "negate": ast.Negate, "compare": ast.Compare,
        "in_set": ast.InSet, "is_known": ast.IsKnown, "is_true": ast.IsTrue,
        "in_window": ast.InWindow, "and": ast.And, "or": ast.Or, "not": ast.Not, "if": ast.If,
        "at": ast.At, "quantified": ast.Quantified, "aggregate": ast.Aggregate,
    }  # fmt: skip
    assert set(covered) == set(EXPR_KINDS)
    # the compiler's own nodes (tfrules.compile.nodes) never reach the formatter
    written = {c for c in ast.Expr.__subclasses__() if c.__module__ == ast.__name__}
    assert written == set(covered.values())
