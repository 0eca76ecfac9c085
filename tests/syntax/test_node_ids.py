"""Node ids: every expression and collection has one, unique within a file,
the same every time the same text is parsed, distinct between files, kept by
copies and pickles, new for nodes made by `attrs.evolve`; and never part of a
node's equality, hash or repr, so the formatter's round trip still compares
trees by what they say."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from strategies.ast_strategies import exprs, files

from tfrules.syntax import ast
from tfrules.syntax.formatter import format_file
from tfrules.syntax.parser import parse_text
from tfrules.syntax.walk import walk

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(ROOT.glob("rulesets/**/*.tfr"))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = """\
ruleset local.ids "Ids"
    extends national.phase1

criterion local = any member where age >= 18, (any benefit_claims where start_date < as_of)
measure m = (count offences where proven) + (count offences where proven)

test "t"
    as of 2013-01-15
    with absence_threshold = 10%
    household H1
        member A born 1980-05-01
    expect local = false
"""


def nodes(tree: object) -> list[ast.Expr | ast.Collection]:
    """Every expression and collection of a file, declarations and tests included."""
    found: list[ast.Expr | ast.Collection] = []
    stack = [tree]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Expr | ast.Collection):
            found.extend(walk(current))
        elif isinstance(current, tuple | list):
            stack.extend(current)
        elif attrs.has(type(current)):
            stack.extend(getattr(current, f.name) for f in attrs.fields(type(current)))
    return found


def parsed(text: str, file: str = "<text>") -> ast.File:
    result = parse_text(text, file)
    assert result.ok and result.file is not None, result.diagnostics
    return result.file


def test_every_node_of_a_file_has_its_own_id() -> None:
    found = nodes(parsed(TEXT))
    assert len(found) > 15
    assert len({n.node_id for n in found}) == len(found)


def test_the_same_text_gives_the_same_ids() -> None:
    first, second = nodes(parsed(TEXT)), nodes(parsed(TEXT))
    assert [n.node_id for n in first] == [n.node_id for n in second]


def test_the_files_of_a_ruleset_have_ids_of_their_own() -> None:
    seen: set[int] = set()
    for path in SHIPPED:
        ids = {n.node_id for n in nodes(parsed(path.read_text(encoding="utf-8"), str(path)))}
        assert not ids & seen, path
        seen |= ids
    same_text_elsewhere = {n.node_id for n in nodes(parsed(TEXT, "other.tfr"))}
    assert not same_text_elsewhere & {n.node_id for n in nodes(parsed(TEXT))}


def test_equal_nodes_at_two_places_are_equal_but_keep_their_ids() -> None:
    tree = parsed(TEXT)
    measure = next(d for d in tree.decls if isinstance(d, ast.RuleDecl) and d.name == "m")
    assert isinstance(measure.body, ast.Arith)
    left, right = measure.body.left, measure.body.right
    assert left == right and hash(left) == hash(right) and repr(left) == repr(right)
    assert left.node_id != right.node_id
    assert "node_id" not in repr(left)


def test_copies_keep_ids_and_evolved_nodes_get_new_ones() -> None:
    tree = parsed(TEXT)
    rule = next(d for d in tree.decls if isinstance(d, ast.RuleDecl))
    body = rule.body
    assert body is not None
    for same in (copy.copy(body), copy.deepcopy(body), pickle.loads(pickle.dumps(body))):
        assert [n.node_id for n in walk(same)] == [n.node_id for n in walk(body)]
    assert isinstance(body, ast.Quantified)
    evolved = attrs.evolve(body, quantifier="every")
    assert evolved.node_id != body.node_id
    assert evolved.collection.node_id == body.collection.node_id  # its parts are the same nodes


def test_nodes_built_after_parsing_get_ids_apart_from_parsed_ones() -> None:
    built = [ast.Name("x"), ast.Name("x"), ast.Collection("members")]
    assert len({n.node_id for n in built}) == 3
    assert not {n.node_id for n in built} & {n.node_id for n in nodes(parsed(TEXT))}


@FAST
@given(exprs(3))
def test_a_generated_expression_has_an_id_on_every_node(expr: ast.Expr) -> None:
    found = list(walk(expr))
    assert len({n.node_id for n in found}) == len(found)


@FAST
@given(files(2))
def test_a_generated_file_round_trips_with_ids_of_its_own(tree: ast.File) -> None:
    """The formatter's text parses back to an equal tree; the ids of the
    parsed tree are its own, unique, and the same on a second parse."""
    text = format_file(tree)
    again = parsed(text)
    assert again == tree
    ids = [n.node_id for n in nodes(again)]
    assert len(set(ids)) == len(ids)
    assert ids == [n.node_id for n in nodes(parsed(text))]
    assert not set(ids) & {n.node_id for n in nodes(tree)}
