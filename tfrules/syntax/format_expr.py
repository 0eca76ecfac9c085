"""Expressions and literals in canonical form, for `tfrules fmt`.

An expression is printed with exactly the parentheses needed for the text to
parse back to the same tree. Each node has the grammar level it is produced
at (`Precedence`), and each position in the grammar accepts nodes of some level
and up (`Ctx`); a node below what its position accepts goes in parentheses.
The levels, from `grammar/tfrules.lark`:

    expr        if/then/else
    or_expr     a or b          (an `or` inside an `or` keeps its parentheses)
    and_expr    a and b
    not_expr    not a, quantifiers, aggregates
    comparison  a = b, a in S, a not in S, [a] in the last N, a is known, a is true
    sum_expr    a + b, a - b    (left-associative)
    product     a * b, a / b, a of b
    unary       -a, negative numbers
    postfix     a at b          (left-associative; `b` is an atom)
    atom        literals, names, calls, {sets}, at least N of [...], (expr)

List items (call arguments, set elements, `at least` items) accept `or`,
`and`, `not` and comparisons, but a quantifier, aggregate or if/then/else
there needs parentheses; so do filter and `satisfies` conditions, which
accept only `not` and comparisons. That restriction carries down through
`or`/`and`/`not` (`Ctx.restricted`) until the next parentheses.

An expression that does not fit in the width is broken: `or` (then `and`)
operands one per line, if/then/else on three lines, long quantifiers and
aggregates after their commas. Everything else stays on one line, even if
long. The layout depends only on the tree and the starting column, which is
what makes formatting idempotent.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

from tfrules.syntax import ast
from tfrules.syntax.format_literals import collection as collection
from tfrules.syntax.format_literals import field_value as field_value
from tfrules.syntax.format_literals import literal as literal
from tfrules.syntax.format_literals import quote as quote
from tfrules.syntax.format_literals import type_ref as type_ref

WIDTH = 100  # read at each use, so that tests can narrow it to exercise line breaks
INDENT = 4

Pos = tuple[int, int]
"""A (line, column) position in the source file."""


@attrs.frozen
class Line:
    """One output line. `anchors` are the source positions of the nodes that
    start on it, used to put comments back near their code; `top` marks the
    header of a file, declaration or table."""

    indent: int
    text: str
    anchors: tuple[Pos, ...] = ()
    top: bool = False

    def prefixed(self, indent: int, prefix: str, anchors: tuple[Pos, ...] = ()) -> Line:
        return Line(indent, prefix + self.text, anchors + self.anchors, self.top)


class Precedence(enum.IntEnum):
    EXPR = 0
    OR = 1
    AND = 2
    NOT = 3
    COMPARISON = 4
    SUM = 5
    PRODUCT = 6
    UNARY = 7
    POSTFIX = 8
    ATOM = 9


@attrs.frozen
class Ctx:
    """What a position in the grammar accepts without parentheses."""

    level: Precedence
    restricted: bool = False  # no quantifier, aggregate or if/then/else
    #: nodes put in parentheses here although the grammar does not need them,
    #: because they read wrongly without: `(a and b) or c`, `a * (b at c)`
    clarify: tuple[type, ...] = ()


TOP = Ctx(Precedence.EXPR)
ITEM = Ctx(Precedence.OR, restricted=True)
CONDITION = Ctx(Precedence.NOT, restricted=True)
SUM = Ctx(Precedence.SUM)
PRODUCT = Ctx(Precedence.PRODUCT)
UNARY = Ctx(Precedence.UNARY)
POSTFIX = Ctx(Precedence.POSTFIX)
ATOM = Ctx(Precedence.ATOM)

_OPEN_ENDED = (ast.Quantified, ast.Aggregate, ast.If)


# ---------------------------------------------------------------- precedence


def level_of(expr: ast.Expr) -> Precedence:
    match expr:
        case ast.If():
            return Precedence.EXPR
        case ast.Or():
            return Precedence.OR
        case ast.And():
            return Precedence.AND
        case ast.Not() | ast.Quantified() | ast.Aggregate():
            return Precedence.NOT
        case ast.Compare() | ast.InSet() | ast.InWindow() | ast.IsKnown() | ast.IsTrue():
            return Precedence.COMPARISON
        case ast.Arith(op="+" | "-"):
            return Precedence.SUM
        case ast.Arith():
            return Precedence.PRODUCT
        case ast.Negate():
            return Precedence.UNARY
        case ast.Literal() if literal(expr).startswith("-"):
            return Precedence.UNARY
        case ast.At():
            return Precedence.POSTFIX
        case _:
            return Precedence.ATOM


def needs_parens(expr: ast.Expr, ctx: Ctx) -> bool:
    if level_of(expr) < ctx.level:
        return True
    if isinstance(expr, ctx.clarify) and (
        not isinstance(expr, ast.Quantified | ast.Aggregate) or _trails(expr)
    ):
        return True
    return ctx.restricted and isinstance(expr, _OPEN_ENDED)


def _trails(expr: ast.Quantified | ast.Aggregate) -> bool:
    """Whether a quantifier or aggregate ends in a list (`where a, b`) that a
    reader might take to go on past the next `and`."""
    if isinstance(expr, ast.Quantified):
        return bool(expr.where or expr.has or expr.satisfies)
    return bool(expr.where)


def junction_ctx(
    expr: ast.And | ast.Or, restricted: bool, last: bool, one_line: bool = True
) -> Ctx:
    """The context of an operand of `and`/`or`: an `and` inside an `or` gets
    parentheses for the reader, and so does an open-ended operand before the
    last on one line (over several lines, the line breaks show where it ends)."""
    level = Precedence.AND if isinstance(expr, ast.Or) else Precedence.NOT
    clarify: tuple[type, ...] = (ast.And,) if isinstance(expr, ast.Or) else ()
    if one_line and not last:
        clarify += _OPEN_ENDED
    return Ctx(level, restricted, clarify)


ARITH_OPERAND = (ast.At,)


def _inner(expr: ast.Expr, ctx: Ctx) -> Ctx:
    """The context inside the node: a fresh one within parentheses."""
    return TOP if needs_parens(expr, ctx) else ctx


# ---------------------------------------------------------------- one line


def flat(expr: ast.Expr, ctx: Ctx = TOP) -> str:
    """The expression on one line, in parentheses if its position needs them."""
    if needs_parens(expr, ctx):
        return "(" + _flat(expr, TOP) + ")"
    return _flat(expr, ctx)


def _items(items: tuple[ast.Expr, ...]) -> str:
    return ", ".join(flat(item, ITEM) for item in items)


def _flat(expr: ast.Expr, ctx: Ctx) -> str:
    restricted = ctx.restricted
    match expr:
        case ast.Literal():
            return literal(expr)
        case ast.Name():
            return expr.name
        case ast.Call():
            return f"{expr.function}({_items(expr.args)})"
        case ast.SetLiteral():
            return "{" + _items(expr.items) + "}"
        case ast.CountOf():
            return f"{expr.op} {expr.count} of [{_items(expr.items)}]"
        case ast.Arith():
            left, right = (SUM, PRODUCT) if expr.op in ("+", "-") else (PRODUCT, UNARY)
            left = attrs.evolve(left, clarify=ARITH_OPERAND)
            right = attrs.evolve(right, clarify=ARITH_OPERAND)
            return f"{flat(expr.left, left)} {expr.op} {flat(expr.right, right)}"
        case ast.Negate():
            operand = flat(expr.operand, UNARY)
            return "- " + operand if operand.startswith("-") else "-" + operand
        case ast.Compare():
            return f"{flat(expr.left, SUM)} {expr.op} {flat(expr.right, SUM)}"
        case ast.InSet():
            word = "not in" if expr.negated else "in"
            return f"{flat(expr.item, SUM)} {word} {flat(expr.set, POSTFIX)}"
        case ast.IsKnown():
            return f"{flat(expr.operand, SUM)} is {'unknown' if expr.negated else 'known'}"
        case ast.IsTrue():
            return f"{flat(expr.operand, SUM)} is {'true' if expr.value else 'false'}"
        case ast.InWindow():
            date = "" if expr.date is None else flat(expr.date, SUM) + " "
            return f"{date}in the last {_window_length(expr.length)}"
        case ast.Or() | ast.And():
            word = " or " if isinstance(expr, ast.Or) else " and "
            last = len(expr.operands) - 1
            return word.join(
                flat(op, junction_ctx(expr, restricted, i == last))
                for i, op in enumerate(expr.operands)
            )
        case ast.Not():
            return "not " + flat(expr.operand, Ctx(Precedence.NOT, restricted, (ast.At,)))
        case ast.If():
            cond, then, otherwise = (flat(e) for e in (expr.condition, expr.then, expr.otherwise))
            return f"if {cond} then {then} else {otherwise}"
        case ast.At():
            return f"{flat(expr.operand, POSTFIX)} at {flat(expr.date, ATOM)}"
        case ast.Quantified() | ast.Aggregate():
            return " ".join(chunk.text for chunk in _chunks(expr))
    raise TypeError(f"not an expression: {expr!r}")


def _window_length(length: ast.Expr) -> str:
    if isinstance(length, ast.Literal) and length.kind == "duration":
        return literal(length)
    return flat(length, ATOM)


# ---------------------------------------------------------------- anchors


def start(node: object) -> tuple[Pos, ...]:
    """The node's start as an anchor, unless the node has no real span."""
    span = getattr(node, "span", None)
    if span is None or (span.line, span.column, span.end_line, span.end_column) == (1, 1, 1, 1):
        return ()
    return ((span.line, span.column),)


def _children(expr: object) -> Iterator[object]:
    for field in attrs.fields(type(expr)):
        value = getattr(expr, field.name)
        if isinstance(value, ast.Expr | ast.Collection):
            yield value
        elif isinstance(value, tuple):
            yield from (v for v in value if isinstance(v, ast.Expr | ast.Collection))


def starts(expr: object) -> tuple[Pos, ...]:
    """Anchors of the node and every node inside it."""
    found: list[Pos] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        found.extend(start(node))
        stack.extend(_children(node))
    return tuple(found)


# ---------------------------------------------------------------- chunks


@attrs.frozen
class _Chunk:
    """A piece of a quantifier, aggregate or list after which a line may
    break: `prefix`, then an expression (or nothing), then `suffix`."""

    prefix: str
    expr: ast.Expr | None = None
    ctx: Ctx = TOP
    suffix: str = ""
    anchors: tuple[Pos, ...] = ()

    @property
    def text(self) -> str:
        middle = "" if self.expr is None else flat(self.expr, self.ctx)
        return self.prefix + middle + self.suffix

    @property
    def all_anchors(self) -> tuple[Pos, ...]:
        return self.anchors + (() if self.expr is None else starts(self.expr))


def _list(opening: str, items: tuple[ast.Expr, ...], ctx: Ctx, closing: str) -> list[_Chunk]:
    """`opening` item, item, ... `closing`, one chunk per item."""
    last = len(items) - 1
    return [
        _Chunk(opening if i == 0 else "", item, ctx, closing if i == last else ",")
        for i, item in enumerate(items)
    ]


def _quantified_chunks(q: ast.Quantified, nested: bool) -> list[_Chunk]:
    coll = collection(q.collection, singular=True)
    if nested:  # `has offences` means `has any offences`
        head = f"has {coll}" if q.quantifier == "any" else f"has {q.quantifier} {coll}"
    else:
        head = f"{q.quantifier} {coll}"
    chunks = [_Chunk(head, anchors=start(q) + start(q.collection))]
    chunks += _list("where ", q.where, CONDITION, "")
    if q.has is not None:
        chunks += _quantified_chunks(q.has, nested=True)
    elif q.satisfies:
        chunks += _list("satisfies ", q.satisfies, CONDITION, "")
    return chunks


def _aggregate_chunks(agg: ast.Aggregate) -> list[_Chunk]:
    coll = collection(agg.collection, singular=False)
    if agg.op == "count":
        chunks = [_Chunk(f"count {coll}", anchors=start(agg.collection))]
    else:
        chunks = _list(f"{agg.op} ", agg.values, SUM, "") or [_Chunk(agg.op)]
        chunks.append(_Chunk(f"over {coll}", anchors=start(agg.collection)))
    chunks[0] = attrs.evolve(chunks[0], anchors=start(agg) + chunks[0].anchors)
    return chunks + _list("where ", agg.where, CONDITION, "")


def _chunks(expr: ast.Expr) -> list[_Chunk]:
    """The chunks of an expression laid out by filling lines."""
    match expr:
        case ast.Quantified():
            return _quantified_chunks(expr, nested=False)
        case ast.Aggregate():
            return _aggregate_chunks(expr)
        case ast.Call():
            return _list(f"{expr.function}(", expr.args, ITEM, ")")
        case ast.SetLiteral():
            return _list("{", expr.items, ITEM, "}")
        case ast.CountOf():
            return _list(f"{expr.op} {expr.count} of [", expr.items, ITEM, "]")
    raise TypeError(f"not a filled expression: {expr!r}")


def _hanging(expr: ast.Expr, col: int) -> int:
    """Where the continuation lines of a filled expression start: one step in
    for quantifiers and aggregates, under the first item for lists."""
    if isinstance(expr, ast.Quantified | ast.Aggregate):
        return col + INDENT
    return col + len(_chunks(expr)[0].prefix)


# ---------------------------------------------------------------- lines


def layout(expr: ast.Expr, col: int, ctx: Ctx = TOP) -> list[Line]:
    """The expression as lines, the first starting at column `col` (the
    caller puts it after its own prefix) and the others indented from it."""
    text = flat(expr, ctx)
    if col + len(text) <= WIDTH or not _breakable(expr):
        return [Line(col, text, starts(expr))]
    if needs_parens(expr, ctx):
        lines = _broken(expr, col + 1, TOP)
        lines[0] = lines[0].prefixed(col, "(")
        last = lines[-1]
        lines[-1] = Line(last.indent, last.text + ")", last.anchors)
        return lines
    return _broken(expr, col, ctx)


def _breakable(expr: ast.Expr) -> bool:
    match expr:
        case ast.Not():
            return _breakable(expr.operand)
        case ast.Call():
            return bool(expr.args)
        case ast.SetLiteral() | ast.CountOf():
            return bool(expr.items)
    breakable = (ast.Or, ast.And, ast.If, ast.Quantified, ast.Aggregate, ast.Arith, ast.Compare)
    return isinstance(expr, breakable)


def _operands(operands: list[tuple[str, ast.Expr, Ctx]], col: int) -> list[Line]:
    """The first operand, then `op operand` per line, all starting at `col`."""
    lines: list[Line] = []
    for word, operand, ctx in operands:
        prefix = f"{word} " if word else ""
        more = layout(operand, col + len(prefix), ctx)
        lines += [more[0].prefixed(col, prefix), *more[1:]]
    return lines


def _arith_chain(expr: ast.Arith) -> list[tuple[str, ast.Expr, Ctx]]:
    """`a + b - c` as [("", a), ("+", b), ("-", c)], for one precedence level."""
    level = level_of(expr)
    left, right = (SUM, PRODUCT) if level == Precedence.SUM else (PRODUCT, UNARY)
    left = attrs.evolve(left, clarify=ARITH_OPERAND)
    right = attrs.evolve(right, clarify=ARITH_OPERAND)
    chain: list[tuple[str, ast.Expr, Ctx]] = []
    node: ast.Expr = expr
    while isinstance(node, ast.Arith) and level_of(node) == level:
        chain.insert(0, (node.op, node.right, right))
        node = node.left
    return [("", node, left), *chain]


def _broken(expr: ast.Expr, col: int, ctx: Ctx) -> list[Line]:
    restricted = ctx.restricted
    match expr:
        case ast.Or() | ast.And():
            word = "or" if isinstance(expr, ast.Or) else "and"
            last = len(expr.operands) - 1
            lines = _operands(
                [
                    (word if i else "", op, junction_ctx(expr, restricted, i == last, False))
                    for i, op in enumerate(expr.operands)
                ],
                col,
            )
        case ast.Not():
            lines = _operands(
                [("not", expr.operand, Ctx(Precedence.NOT, restricted, (ast.At,)))], col
            )
        case ast.If():
            parts = [("if", expr.condition), ("then", expr.then), ("else", expr.otherwise)]
            lines = _operands([(word, part, TOP) for word, part in parts], col)
        case ast.Arith():
            lines = _operands(_arith_chain(expr), col)
            inner = expr.left
            while isinstance(inner, ast.Arith) and level_of(inner) == level_of(expr):
                # `a + b` inside `a + b - c` starts where the whole chain does
                lines[0] = Line(lines[0].indent, lines[0].text, start(inner) + lines[0].anchors)
                inner = inner.left
        case ast.Compare():
            lines = _operands([("", expr.left, SUM), (expr.op, expr.right, SUM)], col)
        case _:
            lines = _fill(_chunks(expr), col, _hanging(expr, col))
    lines[0] = Line(lines[0].indent, lines[0].text, start(expr) + lines[0].anchors)
    return lines


def _fill(chunks: list[_Chunk], col: int, hang: int) -> list[Line]:
    """Chunks joined by spaces (lists: no space after the opening), a new
    line at `hang` before a chunk that would pass the width; a chunk too long
    for a line of its own is laid out over several."""
    lines: list[Line] = []
    current: Line | None = None
    for chunk in chunks:
        text = chunk.text
        if current is not None:
            joined = f"{current.text} {text}"
            if current.indent + len(joined) <= WIDTH:
                current = Line(current.indent, joined, current.anchors + chunk.all_anchors)
                continue
            lines.append(current)
        indent = hang if lines or current is not None else col
        current = None
        if indent + len(text) <= WIDTH or chunk.expr is None or not _breakable(chunk.expr):
            current = Line(indent, text, chunk.all_anchors)
            continue
        sub = layout(chunk.expr, indent + len(chunk.prefix), chunk.ctx)
        sub[0] = sub[0].prefixed(indent, chunk.prefix, chunk.anchors)
        sub[-1] = Line(sub[-1].indent, sub[-1].text + chunk.suffix, sub[-1].anchors)
        lines += sub
    if current is not None:
        lines.append(current)
    return lines
