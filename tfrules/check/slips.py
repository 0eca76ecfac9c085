"""The common slips of rule authors that check as something else, found so
that the diagnostic names the fix rather than what the slip turned into.

- `any member where age >= 18 and adult`: an `and` ends the `where` list, so
  `adult` lands at household level. The fix is a comma.
- `where looked_after`: a value of a category used as if it were a name. The
  fix is `status = looked_after`.
- `as_of - attached_on >= 6 months`: two dates give days, which do not
  compare with months. The fix moves the months to a date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs

from tfrules.check.scope import Context
from tfrules.model import types as T
from tfrules.model.schema import Level, Schema, Table
from tfrules.syntax import ast
from tfrules.syntax.format_expr import flat

#: Built-in names about a member, and about a row of a table of spells.
_MEMBER_BUILTINS = ("age",)
_SPELL_BUILTINS = ("active", "lasted")


@attrs.frozen
class CutWhereList:
    """An `and` that ends a `where` list early: `operand` belongs in `cut`'s list."""

    cut: ast.Quantified | ast.Aggregate
    index: int  # of the operand of the `and`
    culprit: ast.Expr  # the part of it that cannot be read where it landed

    def fixed(self, operand: ast.Expr) -> str:
        """The quantifier or aggregate with the operand moved into its `where` list."""
        return flat(attrs.evolve(self.cut, where=(*self.cut.where, operand)))

    def fixed_or(self, operand: ast.Expr) -> str:
        """The same for `or`: the last condition and the operand, in brackets."""
        *kept, last = self.cut.where or (operand,)
        joined = ast.Or((last, operand)) if self.cut.where else operand
        return flat(attrs.evolve(self.cut, where=(*kept, joined)))


def cut_where_list(
    node: ast.And | ast.Or,
    ctx: Context,
    schema: Schema,
    rule_level: Callable[[str], Level | None],
) -> CutWhereList | None:
    """An operand of `node` that reads the rows of the quantifier or aggregate
    just before it, and that nothing at the level of `node` could give."""
    for index in range(1, len(node.operands)):
        before = node.operands[index - 1]
        while isinstance(before, ast.Not):
            before = before.operand
        if not isinstance(before, ast.Quantified | ast.Aggregate):
            continue
        if isinstance(before, ast.Quantified) and (before.has or before.satisfies):
            continue  # its list is not the last thing in it
        table = _rows_of(before.collection, schema)
        if table is None:
            continue
        for part in _own_parts(node.operands[index]):
            if _reads_rows(part, table, ctx, schema, rule_level):
                return CutWhereList(before, index, part)
    return None


def _rows_of(collection: ast.Collection, schema: Schema) -> Table | None:
    if collection.is_members:
        return schema.persons
    table = schema.table(collection.name)
    return table if table is not None and table.level is Level.EVENT else None


def _own_parts(node: ast.Expr) -> Iterator[ast.Expr]:
    """The parts of an expression outside any quantifier or aggregate inside it."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, ast.Quantified | ast.Aggregate):
            continue
        for field in attrs.fields(type(current)):
            value = getattr(current, field.name)
            if isinstance(value, ast.Expr):
                stack.append(value)
            elif isinstance(value, tuple):
                stack.extend(v for v in value if isinstance(v, ast.Expr))


def _reads_rows(
    part: ast.Expr,
    table: Table,
    ctx: Context,
    schema: Schema,
    rule_level: Callable[[str], Level | None],
) -> bool:
    if isinstance(part, ast.InWindow) and part.date is None:
        return table.level is Level.EVENT and ctx.level is not Level.EVENT
    if not isinstance(part, ast.Name) or ctx.find_column(part.name) is not None:
        return False
    name = part.name
    if table.level is Level.PERSON:
        level = rule_level(name)
        if level is not None:
            return level is Level.PERSON and ctx.person() is None
        return ctx.person() is None and (name in _MEMBER_BUILTINS or table.column(name) is not None)
    if rule_level(name) is not None:
        return False
    return table.column(name) is not None or (table.span is not None and name in _SPELL_BUILTINS)


# ---------------------------------------------------------------- category values


def category_value_hint(name: str, ctx: Context, schema: Schema) -> str | None:
    """`'looked_after' is a value of social_care.status: write status = looked_after`,
    for a name that is no name but a value of a category column (one in reach
    preferred)."""
    reach = [c.table for c in ctx.chain()]
    tables = reach + [t for t in schema.tables if t not in reach]
    for table in tables:
        for column in table.columns:
            if column.type.kind is T.Kind.CATEGORY and name in column.type.values:
                return (
                    f"'{name}' is a value of {table.name}.{column.name}, not a name: "
                    f"write {column.name} = {name}"
                )
    return None


# ---------------------------------------------------------------- dates


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def date_difference_hint(
    node: ast.Compare, left: T.Type, right: T.Type, is_date: Callable[[ast.Expr], bool]
) -> str | None:
    """For `as_of - attached_on >= 6 months`: `attached_on + 6 months <= as_of`."""
    if left.kind is not T.Kind.DURATION or right.kind is not T.Kind.DURATION:
        return None
    difference, length, op = node.left, node.right, node.op
    if not _date_difference(difference, is_date):
        difference, length, op = node.right, node.left, _FLIPPED[node.op]
    if not _date_difference(difference, is_date):
        return None
    unit = (left if length is node.left else right).unit
    if unit not in ("months", "years"):
        return None
    assert isinstance(difference, ast.Arith)
    moved = ast.Compare(_FLIPPED[op], ast.Arith("+", difference.right, length), difference.left)
    return (
        f"two dates give the days between them, which do not compare with {unit}: "
        f"move the {unit} to a date instead, {flat(moved)}"
    )


def _date_difference(node: ast.Expr, is_date: Callable[[ast.Expr], bool]) -> bool:
    return (
        isinstance(node, ast.Arith)
        and node.op == "-"
        and is_date(node.left)
        and is_date(node.right)
    )
