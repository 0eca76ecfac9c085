"""The parser's speed-ups change nothing: the AST built in the parser's
reductions is the one the tree and the transformer give, spans and node ids
included; the parser kept in the cache is the grammar's own, named by
everything it depends on, and a cache that is missing, damaged or
unwritable only means building the parser again."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from lark import Lark
from strategies.ast_strategies import files

from tfrules.syntax import ast, grammar
from tfrules.syntax.ast_parser import ast_parser
from tfrules.syntax.formatter import format_file
from tfrules.syntax.parser import parse_text
from tfrules.syntax.transform import ToAst

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    *sorted(ROOT.glob("rulesets/**/*.tfr")),
    ROOT / "tests/syntax/sample_all_forms.tfr",
    ROOT / "tests/syntax/sample_mapping.tfr",
    *sorted(ROOT.glob("docs/examples/**/*.tfr")),
]


def _by_transformer(text: str, file: str) -> tuple[Any, list[Any]]:
    """The AST the slower way: Lark's tree with positions, then the transformer."""
    builder = ToAst(file)
    with ast.numbered_from(ast.file_id_base(file, text)):
        tree = builder.transform(grammar.parser().parse(text, start="start"))
    return tree, builder.diagnostics


def _nodes(root: object) -> list[tuple[str, int | None, ast.Span | None]]:
    """Every node in order with its id and span (which `==` does not compare)."""
    found: list[tuple[str, int | None, ast.Span | None]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple | list):
            stack.extend(reversed(node))
        elif attrs.has(type(node)) and not isinstance(node, ast.Span):
            found.append(
                (type(node).__name__, getattr(node, "node_id", None), getattr(node, "span", None))
            )
            stack.extend(getattr(node, f.name) for f in reversed(attrs.fields(type(node))))
    return found


def _same_either_way(text: str, file: str) -> None:
    slow, slow_problems = _by_transformer(text, file)
    parsed = parse_text(text, file)
    assert parsed.file == slow
    assert _nodes(parsed.file) == _nodes(slow)
    assert list(parsed.diagnostics) == slow_problems


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_shipped_files_parse_to_the_same_ast_either_way(path: Path) -> None:
    _same_either_way(path.read_text(encoding="utf-8"), str(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files(2))
def test_generated_files_parse_to_the_same_ast_either_way(tree: ast.File) -> None:
    _same_either_way(format_file(tree), "generated.tfr")


def test_spans_of_parenthesised_and_keyword_led_forms() -> None:
    """Extents take in leading keywords and the parentheses around a part."""
    text = (
        'ruleset r "R"\n\ncriterion c "C" = (a or b) and not (x)\n'
        "measure m = if c then 1 else -(2)\n"
    )
    _same_either_way(text, "spans.tfr")
    decl = parse_text(text, "spans.tfr").file.decls[0]  # type: ignore[union-attr]
    assert (decl.span.line, decl.span.column) == (3, 1)
    conjunction = decl.body
    assert (conjunction.span.column, conjunction.span.end_column) == (19, 39)
    disjunction = conjunction.operands[0]  # its own extent: the parentheses are around it
    assert (disjunction.span.column, disjunction.span.end_column) == (20, 26)


def test_literal_problems_are_reported_the_same() -> None:
    _same_either_way('ruleset r "R"\n\ncriterion c = d = 2013-02-30\n', "dates.tfr")
    assert [d.code for d in parse_text('ruleset r "R"\n\nmeasure m = 2013-02-30\n').diagnostics]


def test_parsing_leaves_the_cycle_collector_as_it_was() -> None:
    parse_text('ruleset r "R"\n\ncriterion c = true\n')
    assert gc.isenabled()
    gc.disable()
    try:
        parse_text('ruleset r "R"\n\ncriterion c = true\n')
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_ast_parser_knows_the_grammars_terminals() -> None:
    assert {t.name for t in ast_parser().terminals} == {t.name for t in grammar.parser().terminals}


# ---------------------------------------------------------------- the cache


def test_the_cache_name_follows_the_grammar_lark_and_python(monkeypatch) -> None:
    text = grammar.grammar_text()
    assert grammar.cache_key(text) == grammar.cache_key(text)
    assert grammar.cache_key(text + "\n// changed\n") != grammar.cache_key(text)
    before = grammar.cache_key(text)
    monkeypatch.setattr(grammar.lark, "__version__", "0.0.0")
    assert grammar.cache_key(text) != before


def test_the_cache_folder_can_be_chosen(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(grammar.CACHE_ENV, str(tmp_path))
    assert grammar.cache_dir() == tmp_path
    assert grammar.cache_file("x").parent == tmp_path


def _tables_behave_as_the_grammar(saved: dict[str, Any]) -> None:
    loaded = Lark._load_from_dict(saved["data"], saved["memo"])
    fresh = grammar.build(grammar.grammar_text())
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        assert loaded.parse(text, start="start") == fresh.parse(text, start="start"), path


def test_the_kept_parser_is_current(tmp_path: Path) -> None:
    """Built once into the cache, then read back, it parses every shipped
    file to the tree a parser built from the grammar now gives."""
    text = grammar.grammar_text()
    built = grammar.cached_tables(text, tmp_path)
    assert grammar.cache_file(text, tmp_path).is_file()
    again = grammar.cached_tables(text, tmp_path)
    assert again == built
    _tables_behave_as_the_grammar(again)


def test_a_kept_parser_is_read_not_rebuilt(monkeypatch, tmp_path: Path) -> None:
    text = grammar.grammar_text()
    grammar.cached_tables(text, tmp_path)

    def no_building(_: str) -> Lark:
        raise AssertionError("the parser was built again")

    monkeypatch.setattr(grammar, "build", no_building)
    assert grammar.cached_tables(text, tmp_path)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, damage: bytes) -> None:
    text = grammar.grammar_text()
    path = grammar.cache_file(text, tmp_path)
    path.write_bytes(damage)
    saved = grammar.cached_tables(text, tmp_path)
    _tables_behave_as_the_grammar(saved)
    assert grammar.cached_tables(text, tmp_path) == saved  # and written back whole


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("", encoding="utf-8")
    text = grammar.grammar_text()
    saved = grammar.cached_tables(text, blocker / "cache")
    assert saved["data"] and not (blocker / "cache").exists()


def test_no_half_written_file_is_left_behind(tmp_path: Path) -> None:
    grammar.cached_tables(grammar.grammar_text(), tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".parser-")] == []
    assert all(os.access(p, os.R_OK) for p in tmp_path.iterdir())
