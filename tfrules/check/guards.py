"""Guard rails: rules that check cleanly but read empty or missing data in a
way their author rarely means, each a warning that names the fix.

- W020 `every` over event rows: true when there are no rows at all (a child
  with no attendance rows "attends every term"). Guarded when the same rule
  compares a count of the same table (`(count school_terms where ...) >= 3`,
  directly or through a measure that is that count) or asks for one of its
  rows (`any school_terms where ...`).
- W021 an optional end date (the end of a spell, empty while the spell goes
  on) compared by `<`, `<=`, `>`, `>=` (unknown for an open spell) or tested
  in a window (false for one: it has not ended). Guarded when the same rule
  asks whether that end date `is known` (or `is unknown`).
- W022 division by a value that can be zero (unknown when it is). Guarded when
  the same rule compares the divisor itself (`before > 0 and ...`); a divisor
  that is a non-zero number or period (`1 week`), a parameter whose every value
  is non-zero, or a `max` with a positive such value, cannot be zero.

Guards are looked for in the whole rule, wherever they stand: a warning
points at a likely slip, it does not prove one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from tfrules import diagnostics as diag
from tfrules.model.ruleset import (
    Annotations,
    ColumnRef,
    DateValues,
    ParamInfo,
    ParamRef,
    RuleRef,
    YearValues,
)
from tfrules.model.schema import Level, Schema
from tfrules.syntax import ast
from tfrules.syntax.format_expr import CONDITION, flat
from tfrules.syntax.walk import walk

_ORDERING = ("<", "<=", ">", ">=")


class _Rule:
    """One rule's body, with what its guards are made of."""

    def __init__(self, body: ast.Expr) -> None:
        self.nodes = [n for n in walk(body) if isinstance(n, ast.Expr)]
        self.compares = [n for n in self.nodes if isinstance(n, ast.Compare)]


class GuardChecker:
    def __init__(
        self,
        schema: Schema,
        notes: Annotations,
        params: Mapping[str, ParamInfo],
        bodies: Mapping[str, ast.Expr | None],
    ) -> None:
        self.schema = schema
        self.notes = notes
        self.params = params
        self.bodies = bodies
        self.found: list[diag.Diagnostic] = []

    def check(self, bodies: Iterable[ast.Expr]) -> list[diag.Diagnostic]:
        for body in bodies:
            rule = _Rule(body)
            for node in rule.nodes:
                if isinstance(node, ast.Quantified) and node.quantifier == "every":
                    self._vacuous_every(node, rule)
                elif isinstance(node, ast.Compare) and node.op in _ORDERING:
                    for side in (node.left, node.right):
                        self._open_end(side, rule, node)
                elif isinstance(node, ast.InWindow) and node.date is not None:
                    self._open_end(node.date, rule, node)
                elif isinstance(node, ast.Arith) and node.op == "/":
                    self._division(node.right, rule)
        return self.found

    def _warn(self, code: str, message: str, node: ast.Expr, hint: str) -> None:
        self.found.append(diag.warning(code, message, node.span, hint))

    # ---------------------------------------------------------------- W020
    def _vacuous_every(self, node: ast.Quantified, rule: _Rule) -> None:
        table_name = node.collection.name
        table = self.schema.table(table_name)
        if table is None or table.level is not Level.EVENT or self._rows_guarded(table_name, rule):
            return
        owner = "member" if self.notes.level_of(node) is Level.PERSON else "household"
        count = ast.Aggregate("count", node.collection, (), node.where)
        guard = ast.Compare("=", count, ast.Literal("int", 0))
        self._warn(
            "W020",
            f"'every {table_name}' is true when there are no {table_name} rows: a {owner} "
            f"with none at all meets it",
            node,
            f"say what no rows means, e.g. if {flat(guard)} then unknown else every "
            f"{table_name} ...; or ask for a row too: (any {table_name} ...) and every ...",
        )

    def _rows_guarded(self, table: str, rule: _Rule) -> bool:
        asked = any(
            isinstance(node, ast.Quantified)
            and node.quantifier == "any"
            and node.collection.name == table
            for node in rule.nodes
        )
        return asked or any(
            self._counts(side, table) for c in rule.compares for side in (c.left, c.right)
        )

    def _counts(self, node: ast.Expr, table: str) -> bool:
        """A count of the rows of `table`, or a measure (or chain of names) that is one."""
        seen: set[str] = set()
        while isinstance(node, ast.Name):
            resolution = self.notes.resolution_or_none(node)
            if not isinstance(resolution, RuleRef) or resolution.name in seen:
                return False
            seen.add(resolution.name)
            body = self.bodies.get(resolution.name)
            if body is None:
                return False
            node = body
        return (
            isinstance(node, ast.Aggregate)
            and node.op in ("count", "count distinct")
            and node.collection.name == table
        )

    # ---------------------------------------------------------------- W021
    def _open_end(self, side: ast.Expr, rule: _Rule, use: ast.Compare | ast.InWindow) -> None:
        column = self._open_end_column(side)
        if column is None or self._end_asked(column, rule):
            return
        name = f"{column.table}.{column.column}"
        end = column.column
        if isinstance(use, ast.InWindow):
            window = flat(use)
            hint = (
                "an open spell has not ended, so this is false for it. For spells going on "
                "at some time in the window write 'in the last ...' with no date; for spells "
                f"going on now, 'active'; for spells that ended in it, '{end} is known and "
                f"{window}'"
            )
        else:
            compared = flat(use)
            ends_before = (use.op in ("<", "<=")) == (side is use.left)
            hint = (
                f"an open spell has not ended: to leave open spells out write "
                f"'{end} is known and {compared}'"
                if ends_before
                else f"an open spell is still going on: to count open spells in write "
                f"'{end} is unknown or {compared}'"
            )
        self._warn(
            "W021",
            f"{name} is empty while a spell goes on: say what an open spell means here",
            side,
            hint,
        )

    def _open_end_column(self, node: ast.Expr) -> ColumnRef | None:
        if not isinstance(node, ast.Name):
            return None
        resolution = self.notes.resolution_or_none(node)
        if not isinstance(resolution, ColumnRef):
            return None
        table = self.schema.table(resolution.table)
        if table is None or table.span is None or table.span[1] != resolution.column:
            return None
        column = table.column(resolution.column)
        return resolution if column is not None and column.nullable else None

    def _end_asked(self, column: ColumnRef, rule: _Rule) -> bool:
        return any(
            isinstance(node, ast.IsKnown)
            and isinstance(node.operand, ast.Name)
            and self.notes.resolution_or_none(node.operand) == column
            for node in rule.nodes
        )

    # ---------------------------------------------------------------- W022
    def _division(self, divisor: ast.Expr, rule: _Rule) -> None:
        found = self.notes.level_of(divisor)
        if found is None or self._never_zero(divisor):
            return
        if any(divisor in (c.left, c.right) for c in rule.compares):
            return
        text = flat(divisor, CONDITION)
        self._warn(
            "W022",
            f"'{flat(divisor)}' can be zero, and a division by zero is unknown",
            divisor,
            f"say what a zero means: guard the division in the same rule, e.g. "
            f"'{text} > 0 and ...' or 'if {text} = 0 then ... else ...'; or compare "
            f"without dividing: 'a >= 60% of {text}' rather than 'a / {text} >= 60%'",
        )

    def _never_zero(self, node: ast.Expr) -> bool:
        if isinstance(node, ast.Literal):
            if isinstance(node.value, ast.Duration):  # `1 week`, `7 days`
                return node.value.amount != 0
            return node.kind in ("int", "decimal", "percent", "money") and node.value != 0
        if isinstance(node, ast.Negate):
            return self._never_zero(node.operand)
        if isinstance(node, ast.Call) and node.function == "max":
            return any(self._positive(arg) for arg in node.args)
        if isinstance(node, ast.Name):
            resolution = self.notes.resolution_or_none(node)
            if isinstance(resolution, ParamRef) and resolution.name in self.params:
                # an unknown value gives unknown anyway: only a zero is a slip
                return all(v != 0 for v in _values(self.params[resolution.name]))
        return False

    def _positive(self, node: ast.Expr) -> bool:
        if isinstance(node, ast.Literal):
            if isinstance(node.value, ast.Duration):
                return node.value.amount > 0
            return node.kind in ("int", "decimal", "percent", "money") and node.value > 0
        if isinstance(node, ast.Name):
            resolution = self.notes.resolution_or_none(node)
            if isinstance(resolution, ParamRef) and resolution.name in self.params:
                return all(_is_positive(v) for v in _values(self.params[resolution.name]))
        return False


def _values(param: ParamInfo) -> list[object]:
    value = param.value
    if isinstance(value, YearValues | DateValues):
        return [v for _, v in value.entries] + [value.otherwise]
    return [value]


def _is_positive(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool) and value > 0
