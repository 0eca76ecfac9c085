"""Putting comments back into formatted text.

The formatter lays out the tree without comments: each output `Line` lists
`anchors`, the source positions of the nodes that start on it. A comment is
then placed by its own source position:

- an own-line comment goes on its own line just before the output line
  holding the first node that follows it in the source (at the end of the
  file if none does);
- an end-of-line comment stays at the end of the output line holding the
  last node that starts before it. If several end on the same output line
  (because lines were joined), the last stays there and the others go on
  their own lines just before it.

Because comments only ever go just before an anchored line or at its end,
formatting the output again puts every comment back where it is: the layout
does not depend on comments, so formatting is idempotent. Before a file,
declaration or table header, and at the end of the file, a blank line that
separated comments in the source is kept (at most one); elsewhere comment
lines are packed.

Some lines print parts of the tree that carry no span (a ruleset's `extends`,
a declaration's `source`, a table's `key`, who supplied a mapping's source);
`clause_anchors` finds their positions in the Lark parse tree, keyed as the
formatter asks for them. Without them those lines have no anchors and comments
near them move to the nearest anchored line.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from lark import Token, Tree

from tfrules.syntax import ast
from tfrules.syntax.format_expr import Line, Pos

ClauseAnchors = Mapping[tuple[object, ...], tuple[Pos, ...]]
"""Positions of span-less clauses: ("extends",), ("uses",), ("applies",),
("source", k), ("decl", i, "source", k), ("decl", i, "key") and the like."""

_FILE_CLAUSES = {
    "extends_clause": "extends",
    "uses_clause": "uses",
    "applies_clause": "applies",
    "runs_clause": "runs",
    "ignore_clause": "ignore",
}
_TABLE_CLAUSES = {
    "table_clause": "table",
    "key_clause": "key",
    "council_clause": "council",
    "owner_clause": "owner",
    "aged_clause": "aged",
    "dated_clause": "dated",
    "span_clause": "spanning",
    "term_clause": "termly",
    "empty_clause": "empty",
}
_DECLS = {"param_decl", "rule_decl", "test_decl", "entity_decl", "events_decl", "table_map"}
_SOURCES = {"from_file", "from_database"}
_PROVENANCE = {"supplied_option", "extracted_option"}


# ---------------------------------------------------------------- clause anchors


def clause_anchors(tree: Tree) -> ClauseAnchors:
    """Positions of the clauses that the AST keeps without a span."""
    root = tree.children[0] if tree.data == "start" else tree
    assert isinstance(root, Tree)
    found: defaultdict[tuple[object, ...], list[Pos]] = defaultdict(list)
    sources = decls = 0
    for child in _subtrees(root):
        if child.data in _FILE_CLAUSES:
            found[(_FILE_CLAUSES[child.data],)].append(_pos(child))
        elif child.data == "source":
            found[("source", sources)].append(_pos(child))
            sources += 1
        elif child.data in _DECLS:
            _decl_anchors(child, decls, found)
            decls += 1
    return {key: tuple(positions) for key, positions in found.items()}


def _decl_anchors(decl: Tree, i: int, found: defaultdict[tuple[object, ...], list[Pos]]) -> None:
    sources = mapped = 0
    for child in _subtrees(decl):
        if child.data in _SOURCES:  # a mapping's `from`: who supplied it goes on a line below
            for option in _subtrees(child):
                if option.data in _PROVENANCE:
                    found[("decl", i, "from", mapped, "provenance")].append(_pos(option))
            mapped += 1
        elif child.data == "source":
            found[("decl", i, "source", sources)].append(_pos(child))
            sources += 1
        elif child.data in _TABLE_CLAUSES:
            found[("decl", i, _TABLE_CLAUSES[child.data])].append(_pos(child))
    if decl.data == "events_decl":  # events NAME title? "of" OWNER "by" KEY
        owner = [c for c in decl.children if isinstance(c, Token)][1]
        found[("decl", i, "of")].append((owner.line or 1, owner.column or 1))


def _subtrees(tree: Tree) -> Iterable[Tree]:
    return (c for c in tree.children if isinstance(c, Tree))


def _pos(tree: Tree) -> Pos:
    return (tree.meta.line, tree.meta.column)


# ---------------------------------------------------------------- placement


def _position(comment: ast.Comment) -> Pos:
    return (comment.line, comment.column)


def render(lines: Sequence[Line | None], comments: Iterable[ast.Comment], end_line: int) -> str:
    """The text of `lines` (None is a blank line) with the comments placed;
    `end_line` is the source line where the file's code ends."""
    index = sorted((pos, i) for i, line in enumerate(lines) if line for pos in line.anchors)
    keys = [pos for pos, _ in index]
    before: defaultdict[int, list[ast.Comment]] = defaultdict(list)
    after: defaultdict[int, list[ast.Comment]] = defaultdict(list)
    at_end: list[ast.Comment] = []
    for comment in sorted(comments, key=_position):
        pos = _position(comment)
        if comment.own_line:
            k = bisect.bisect_right(keys, pos)
            (before[index[k][1]] if k < len(index) else at_end).append(comment)
        else:
            k = bisect.bisect_left(keys, pos) - 1
            if k >= 0:
                after[index[k][1]].append(comment)
            else:  # no code before it: the start of the file
                (before[index[0][1]] if index else at_end).append(comment)
    trailing: dict[int, ast.Comment] = {}
    for i, found in after.items():
        *others, trailing[i] = found
        before[i] = sorted(before[i] + others, key=_position)

    out: list[str] = []
    for i, line in enumerate(lines):
        if line is None:
            out.append("")
            continue
        if before.get(i):
            next_line = min(line.anchors)[0] if line.anchors else None
            out += _group(before[i], line.indent, line.top, next_line)
        text = " " * line.indent + line.text
        out.append(text + "  " + trailing[i].text if i in trailing else text)
    if at_end:
        if out and at_end[0].line - end_line >= 2:
            out.append("")
        out += _group(at_end, 0, True, None)
    return "\n".join(out) + "\n"


def _group(
    comments: list[ast.Comment], indent: int, keep_blanks: bool, next_line: int | None
) -> list[str]:
    """Comment lines; with `keep_blanks`, a blank line where the source had
    one between two comments or between the last comment and `next_line`."""
    out: list[str] = []
    for j, comment in enumerate(comments):
        if keep_blanks and j > 0 and comment.line - comments[j - 1].line >= 2:
            out.append("")
        out.append(" " * indent + comment.text)
    if keep_blanks and next_line is not None and next_line - comments[-1].line >= 2:
        out.append("")
    return out
