"""Expressions and literals in canonical form, for `tfrules fmt`.

An expression is printed with exactly the parentheses needed for the text to
parse back to the same tree. Each node has the grammar level it is produced
at (`Level`), and each position in the grammar accepts nodes of some level
and up (`Ctx`); a node below what its position accepts goes in parentheses.
The levels, from `grammar/tfrules.lark`:

    expr        if/then/else
    or_expr     a or b          (an `or` inside an `or` keeps its parentheses)
    and_expr    a and b
    not_expr    not a, quantifiers, aggregates
    comparison  a = b, a in S, a not in S, [a] in the last N, a is known
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
from decimal import Decimal

import attrs

from tfrules.syntax import ast

WIDTH = 100
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


class Level(enum.IntEnum):
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

    level: Level
    restricted: bool = False  # no quantifier, aggregate or if/then/else


TOP = Ctx(Level.EXPR)
ITEM = Ctx(Level.OR, restricted=True)
CONDITION = Ctx(Level.NOT, restricted=True)
SUM = Ctx(Level.SUM)
PRODUCT = Ctx(Level.PRODUCT)
UNARY = Ctx(Level.UNARY)
POSTFIX = Ctx(Level.POSTFIX)
ATOM = Ctx(Level.ATOM)

_COMPARISONS = (ast.Compare, ast.InSet, ast.InWindow, ast.IsKnown)
_OPEN_ENDED = (ast.Quantified, ast.Aggregate, ast.If)


# ---------------------------------------------------------------- literals


def quote(text: str) -> str:
    """A quoted string token whose value is `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(lit: ast.Literal) -> str:
    """The canonical spelling of a literal: `£3,200`, `£3,200.50`, `12.5%`,
    `12 months`, `1 month`, `2013-04-01`."""
    value = lit.value
    match lit.kind:
        case "int":
            return str(value)
        case "decimal":
            assert isinstance(value, Decimal)
            text = format(value, "f")
            return text if "." in text else text + ".0"
        case "percent":
            assert isinstance(value, Decimal)
            return format((value * 100).normalize(), "f") + "%"
        case "money":
            assert isinstance(value, Decimal)
            return _money(value)
        case "date":
            return value.isoformat()  # type: ignore[union-attr]
        case "duration":
            return str(value)
        case "text":
            assert isinstance(value, str)
            return quote(value)
        case "bool":
            return "true" if value else "false"
        case _:
            return "unknown"


def _money(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    amount = abs(value).quantize(Decimal("0.01"))
    pounds = int(amount)
    pence = int((amount - pounds) * 100)
    return f"{sign}£{pounds:,}" + (f".{pence:02d}" if pence else "")


def field_value(value: ast.Literal | ast.Name) -> str:
    return value.name if isinstance(value, ast.Name) else literal(value)


def type_ref(ref: ast.TypeRef) -> str:
    if ref.element is not None:
        return "set of " + type_ref(ref.element)
    if ref.column is not None:
        return f"{ref.column[0]}.{ref.column[1]}"
    if ref.values:
        return "{" + ", ".join(ref.values) + "}"
    return ref.name or ""


def collection(coll: ast.Collection, singular: bool) -> str:
    """`member` after a quantifier (`any adult member`), `members` after an
    aggregate (`count adult members`); the tree does not keep which."""
    if not coll.is_members:
        return coll.name
    word = "member" if singular else "members"
    return f"{coll.qualifier} {word}" if coll.qualifier else word


# ---------------------------------------------------------------- precedence


def level_of(expr: ast.Expr) -> Level:
    match expr:
        case ast.If():
            return Level.EXPR
        case ast.Or():
            return Level.OR
        case ast.And():
            return Level.AND
        case ast.Not() | ast.Quantified() | ast.Aggregate():
            return Level.NOT
        case ast.Compare() | ast.InSet() | ast.InWindow() | ast.IsKnown():
            return Level.COMPARISON
        case ast.Arith(op="+" | "-"):
            return Level.SUM
        case ast.Arith():
            return Level.PRODUCT
        case ast.Negate():
            return Level.UNARY
        case ast.Literal() if literal(expr).startswith("-"):
            return Level.UNARY
        case ast.At():
            return Level.POSTFIX
        case _:
            return Level.ATOM


def needs_parens(expr: ast.Expr, ctx: Ctx) -> bool:
    if level_of(expr) < ctx.level:
        return True
    return ctx.restricted and isinstance(expr, _OPEN_ENDED)


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
        case ast.InWindow():
            date = "" if expr.date is None else flat(expr.date, SUM) + " "
            return f"{date}in the last {_window_length(expr.length)}"
        case ast.Or():
            return " or ".join(flat(op, Ctx(Level.AND, restricted)) for op in expr.operands)
        case ast.And():
            return " and ".join(flat(op, Ctx(Level.NOT, restricted)) for op in expr.operands)
        case ast.Not():
            return "not " + flat(expr.operand, Ctx(Level.NOT, restricted))
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


# ---------------------------------------------------------------- quantifiers


@attrs.frozen
class _Chunk:
    """A piece of a quantifier or aggregate that a line break may follow."""

    text: str
    anchors: tuple[Pos, ...] = ()


def _list_chunks(keyword: str, conditions: tuple[ast.Expr, ...]) -> list[_Chunk]:
    chunks = []
    for i, condition in enumerate(conditions):
        text = flat(condition, CONDITION)
        if i == 0:
            text = f"{keyword} {text}"
        if i < len(conditions) - 1:
            text += ","
        chunks.append(_Chunk(text, starts(condition)))
    return chunks


def _quantified_chunks(q: ast.Quantified, nested: bool) -> list[_Chunk]:
    coll = collection(q.collection, singular=True)
    if nested:  # `has offences` means `has any offences`
        head = f"has {coll}" if q.quantifier == "any" else f"has {q.quantifier} {coll}"
    else:
        head = f"{q.quantifier} {coll}"
    chunks = [_Chunk(head, start(q) + start(q.collection))]
    chunks += _list_chunks("where", q.where)
    if q.has is not None:
        chunks += _quantified_chunks(q.has, nested=True)
    elif q.satisfies:
        chunks += _list_chunks("satisfies", q.satisfies)
    return chunks


def _aggregate_chunks(agg: ast.Aggregate) -> list[_Chunk]:
    coll = collection(agg.collection, singular=False)
    if agg.op == "count":
        chunks = [_Chunk(f"count {coll}", start(agg) + start(agg.collection))]
    else:
        values = list(agg.values)
        chunks = []
        for i, value in enumerate(values):
            text = flat(value, SUM)
            if i == 0:
                text = f"{agg.op} {text}"
            if i < len(values) - 1:
                text += ","
            chunks.append(_Chunk(text, starts(value)))
        if not chunks:
            chunks = [_Chunk(agg.op)]
        chunks[0] = _Chunk(chunks[0].text, start(agg) + chunks[0].anchors)
        chunks.append(_Chunk(f"over {coll}", start(agg.collection)))
    return chunks + _list_chunks("where", agg.where)


def _chunks(expr: ast.Quantified | ast.Aggregate) -> list[_Chunk]:
    if isinstance(expr, ast.Quantified):
        return _quantified_chunks(expr, nested=False)
    return _aggregate_chunks(expr)


# ---------------------------------------------------------------- lines


def layout(expr: ast.Expr, col: int, ctx: Ctx = TOP) -> list[Line]:
    """The expression as lines, the first starting at column `col` (the
    caller puts it after its own prefix) and the others indented from it."""
    text = flat(expr, ctx)
    if col + len(text) <= WIDTH or not _breakable(expr):
        return [Line(col, text, starts(expr))]
    if needs_parens(expr, ctx):
        lines = _broken(expr, col + 1, TOP)
        first, last = lines[0], lines[-1]
        lines[0] = first.prefixed(col, "(")
        lines[-1] = Line(last.indent, last.text + ")", last.anchors)
        if len(lines) == 1:
            lines[0] = Line(col, lines[0].text + ")", lines[0].anchors)
        return lines
    return _broken(expr, col, ctx)


def _breakable(expr: ast.Expr) -> bool:
    if isinstance(expr, ast.Not):
        return _breakable(expr.operand)
    return isinstance(expr, ast.Or | ast.And | ast.If | ast.Quantified | ast.Aggregate)


def _operands(
    operands: tuple[ast.Expr, ...], word: str, col: int, ctx: Ctx
) -> list[Line]:
    lines = layout(operands[0], col, ctx)
    for operand in operands[1:]:
        more = layout(operand, col + len(word) + 1, ctx)
        lines += [more[0].prefixed(col, word + " "), *more[1:]]
    return lines


def _broken(expr: ast.Expr, col: int, ctx: Ctx) -> list[Line]:
    restricted = ctx.restricted
    match expr:
        case ast.Or():
            lines = _operands(expr.operands, "or", col, Ctx(Level.AND, restricted))
        case ast.And():
            lines = _operands(expr.operands, "and", col, Ctx(Level.NOT, restricted))
        case ast.Not():
            operand = layout(expr.operand, col + 4, Ctx(Level.NOT, restricted))
            lines = [operand[0].prefixed(col, "not "), *operand[1:]]
        case ast.If():
            lines = []
            for word, part in (("if", expr.condition), ("then", expr.then), ("else", expr.otherwise)):
                sub = layout(part, col + len(word) + 1)
                lines += [sub[0].prefixed(col, word + " "), *sub[1:]]
        case ast.Quantified() | ast.Aggregate():
            lines = _fill(_chunks(expr), col)
        case _:  # pragma: no cover - _breakable admits only the cases above
            return [Line(col, flat(expr, ctx), starts(expr))]
    lines[0] = Line(lines[0].indent, lines[0].text, start(expr) + lines[0].anchors)
    return lines


def _fill(chunks: list[_Chunk], col: int) -> list[Line]:
    """Chunks joined by spaces, starting a new line (indented one step from
    `col`) before a chunk that would pass the width."""
    lines: list[Line] = []
    text, anchors, indent = chunks[0].text, chunks[0].anchors, col
    for chunk in chunks[1:]:
        if indent + len(text) + 1 + len(chunk.text) <= WIDTH:
            text, anchors = f"{text} {chunk.text}", anchors + chunk.anchors
            continue
        lines.append(Line(indent, text, anchors))
        text, anchors, indent = chunk.text, chunk.anchors, col + INDENT
    lines.append(Line(indent, text, anchors))
    return lines
