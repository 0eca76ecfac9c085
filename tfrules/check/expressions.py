"""Types, entity levels and name resolution for expressions.

`ExprChecker.check(node, context)` returns the node's type and records, in
the ruleset's `Annotations`, the type and entity level of every node, what
each name refers to, what each quantifier ranges over and how each row
window reads its row. Every problem becomes a diagnostic; an expression
already found wrong has the type ERROR so one mistake is reported once.
"""

from __future__ import annotations

from tfrules import diagnostics as diag
from tfrules.check import type_rules as R
from tfrules.check.expr_base import BUILTINS, FUNCTIONS, MAX_DEPTH, Environment
from tfrules.check.expr_collections import CollectionChecks
from tfrules.check.expr_names import NameChecks
from tfrules.check.scope import Context
from tfrules.check.slips import CutWhereList, cut_where_list, date_difference_hint
from tfrules.check.wording import PREPOSITIONS, VERBS, a_value, arith_hint, compare_hint, quoted
from tfrules.model import types as T
from tfrules.model.ruleset import Annotations, RuleRef, WindowInfo
from tfrules.model.schema import Level
from tfrules.syntax import ast
from tfrules.syntax.format_expr import flat

__all__ = ["BUILTINS", "FUNCTIONS", "MAX_DEPTH", "Environment", "ExprChecker"]


class ExprChecker(NameChecks, CollectionChecks):
    # ---------------------------------------------------------------- operators
    def _And(self, node: ast.And, ctx: Context) -> tuple[T.Type, Level]:
        return self._junction(node, ctx, "and")

    def _Or(self, node: ast.Or, ctx: Context) -> tuple[T.Type, Level]:
        return self._junction(node, ctx, "or")

    def _junction(self, node: ast.And | ast.Or, ctx: Context, word: str) -> tuple[T.Type, Level]:
        cut = cut_where_list(node, ctx, self.schema, self.env.rule_level)
        if cut is not None:
            return self._cut_where_list(node, cut, ctx, word)
        for operand in node.operands:
            self.check_bool(operand, ctx, f"each side of '{word}'")
        return T.BOOL, self._levels(ctx, *node.operands)

    def _cut_where_list(
        self, node: ast.And | ast.Or, cut: CutWhereList, ctx: Context, word: str
    ) -> tuple[T.Type, Level]:
        """`any member where age >= 18 and adult`: one error that names the
        comma (or, for `or`, the brackets), not the errors the slip gives."""
        for index, operand in enumerate(node.operands):
            if index == cut.index:
                continue
            if operand is cut.cut:
                self.check(operand, ctx)  # a count here is no slip of its own
            else:
                self.check_bool(operand, ctx, f"each side of '{word}'")
        operand = node.operands[cut.index]
        fix = (
            f"separate the conditions after 'where' with commas: {cut.fixed(operand)}"
            if word == "and"
            else f"put conditions joined by 'or' in brackets: {cut.fixed_or(operand)}"
        )
        collection = cut.cut.collection
        about = "one member" if collection.is_members else f"one row of {collection.name}"
        self._error(
            "E301",
            f"'{flat(cut.culprit)}' is about {about}, but the '{word}' before it ends the "
            f"'where' conditions, so it is read at {ctx.describe()}",
            cut.culprit,
            fix,
        )
        return T.ERROR, ctx.level

    def _Not(self, node: ast.Not, ctx: Context) -> tuple[T.Type, Level]:
        self.check_bool(node.operand, ctx, "what follows 'not'")
        return T.BOOL, self.level(node.operand)

    def _If(self, node: ast.If, ctx: Context) -> tuple[T.Type, Level]:
        self.check_bool(node.condition, ctx, "the condition of 'if'")
        then_type = self.check(node.then, ctx)
        else_type = self.check(node.otherwise, ctx)
        result = R.unify(then_type, else_type)
        if result is None:
            self._error(
                "E209",
                f"the two branches of 'if' differ: {a_value(then_type)} after 'then', "
                f"{a_value(else_type)} after 'else'",
                node,
                "both branches must give the same kind of value",
            )
            result = T.ERROR
        return result, self._levels(ctx, node.condition, node.then, node.otherwise)

    def _Compare(self, node: ast.Compare, ctx: Context) -> tuple[T.Type, Level]:
        left, right = self._compare_sides(node.left, node.right, ctx)
        if not R.comparable(left, right, node.op):
            self._error(
                "E205",
                f"cannot compare {a_value(left)} with {a_value(right)} using '{node.op}'",
                node,
                date_difference_hint(node, left, right, self._is_date)
                or compare_hint(left, right, node.op),
            )
        return T.BOOL, self._levels(ctx, node.left, node.right)

    def _is_date(self, node: ast.Expr) -> bool:
        found = self.notes.level_of(node) is not None and self.notes.type_of(node)
        return bool(found) and found.kind is T.Kind.DATE  # type: ignore[union-attr]

    def _value_like(self, node: ast.Expr, ctx: Context) -> bool:
        """A bare name that is not a column here, or a text: maybe a category value."""
        if isinstance(node, ast.Literal):
            return node.kind == "text"
        return isinstance(node, ast.Name) and ctx.find_column(node.name) is None

    def _compare_sides(
        self, left: ast.Expr, right: ast.Expr, ctx: Context
    ) -> tuple[T.Type, T.Type]:
        """Check both sides of `=`; a bare name facing a category is one of its values."""
        if self._value_like(right, ctx) and not self._value_like(left, ctx):
            left_type = self.check(left, ctx)
            return left_type, self._maybe_category(right, left_type, left, ctx)
        if self._value_like(left, ctx) and not self._value_like(right, ctx):
            right_type = self.check(right, ctx)
            return self._maybe_category(left, right_type, right, ctx), right_type
        return self.check(left, ctx), self.check(right, ctx)

    def _maybe_category(
        self, node: ast.Expr, other_type: T.Type, other: ast.Expr, ctx: Context
    ) -> T.Type:
        if other_type.kind is T.Kind.CATEGORY and self._category_value(
            node, other_type, self._label(other)
        ):
            return self.notes.type_of(node)
        return self.check(node, ctx)

    def _InSet(self, node: ast.InSet, ctx: Context) -> tuple[T.Type, Level]:
        item = self.check(node.item, ctx)
        label = self._label(node.item)
        if isinstance(node.set, ast.SetLiteral):
            for element in node.set.items:
                if item.kind is T.Kind.CATEGORY and self._category_value(element, item, label):
                    continue
                element_type = self.check(element, ctx)
                if not R.comparable(item, element_type, "="):
                    found = a_value(element_type)
                    self._error("E208", f"{found} cannot be in a set of {item}", element)
            self.notes.record(node.set, T.set_of(item), self._levels(ctx, *node.set.items))
        else:
            set_type = self.check(node.set, ctx)
            if set_type.kind is T.Kind.ERROR:
                pass
            elif set_type.kind is not T.Kind.SET:
                self._error(
                    "E208",
                    f"'in' needs a set of values, but this is {a_value(set_type)}",
                    node.set,
                    "write the values in braces: {JSA, ESA}",
                )
            elif item.kind is T.Kind.CATEGORY and set_type.element is not None:
                unknown = [v for v in set_type.element.values if v not in item.values]
                if unknown:
                    self._error(
                        "E106",
                        f"{quoted(unknown)} is not an allowed value of {label}"
                        if len(unknown) == 1
                        else f"{quoted(unknown)} are not allowed values of {label}",
                        node.set,
                        f"allowed values: {', '.join(item.values)}",
                    )
            elif set_type.element is not None and not R.comparable(item, set_type.element, "="):
                self._error("E208", f"{a_value(item)} cannot be in {a_value(set_type)}", node)
        return T.BOOL, self._levels(ctx, node.item, node.set)

    def _SetLiteral(self, node: ast.SetLiteral, ctx: Context) -> tuple[T.Type, Level]:
        element: T.Type = T.NULL
        for item in node.items:
            found = self.check(item, ctx)
            merged = R.unify(element, found)
            if merged is None:
                self._error("E208", "the values of a set must all be of one kind", item)
                merged = T.ERROR
            element = merged
        return T.set_of(element), self._levels(ctx, *node.items)

    def _IsKnown(self, node: ast.IsKnown, ctx: Context) -> tuple[T.Type, Level]:
        self.check(node.operand, ctx)
        return T.BOOL, self.level(node.operand)

    def _IsTrue(self, node: ast.IsTrue, ctx: Context) -> tuple[T.Type, Level]:
        self.check_bool(node.operand, ctx, f"what comes before 'is {str(node.value).lower()}'")
        return T.BOOL, self.level(node.operand)

    def _Negate(self, node: ast.Negate, ctx: Context) -> tuple[T.Type, Level]:
        found = self.check(node.operand, ctx)
        if not (found.is_numeric or found.kind in (T.Kind.DURATION, T.Kind.ERROR, T.Kind.NULL)):
            self._error("E201", f"cannot make {a_value(found)} negative", node)
            return T.ERROR, self.level(node.operand)
        return found, self.level(node.operand)

    def _Arith(self, node: ast.Arith, ctx: Context) -> tuple[T.Type, Level]:
        left = self.check(node.left, ctx)
        right = self.check(node.right, ctx)
        result = R.arith_result(node.op, left, right)
        if result is None:
            self._error(
                "E201",
                f"cannot {VERBS[node.op]} {a_value(left)} {PREPOSITIONS[node.op]} {a_value(right)}",
                node,
                arith_hint(node.op, left, right),
            )
            result = T.ERROR
        return result, self._levels(ctx, node.left, node.right)

    def _Call(self, node: ast.Call, ctx: Context) -> tuple[T.Type, Level]:
        arg_types = [self.check(arg, ctx) for arg in node.args]
        level = self._levels(ctx, *node.args)
        if node.function not in FUNCTIONS:
            self._error(
                "E107",
                f"there is no function '{node.function}'",
                node,
                diag.did_you_mean(node.function, FUNCTIONS)
                or f"the functions are {', '.join(FUNCTIONS)}",
            )
            return T.ERROR, level
        if node.function == "financial_year":
            if len(arg_types) != 1 or not R.fits(arg_types[0], T.DATE):
                self._error(
                    "E204", "financial_year takes one date: financial_year(attached_on)", node
                )
            return T.INT, level
        if len(arg_types) < 2:
            self._error("E204", f"{node.function} takes two values or more", node)
            return T.ERROR, level
        result: T.Type | None = arg_types[0]
        for found in arg_types[1:]:
            result = R.unify(result, found) if result is not None else None
        if result is None or (
            node.function in ("min", "max")
            and not (result.is_numeric or result.kind in (T.Kind.DATE, T.Kind.DURATION))
            and result.kind not in (T.Kind.ERROR, T.Kind.NULL)
        ):
            self._error(
                "E204",
                f"the values given to {node.function} are not of one comparable kind: "
                + ", ".join(str(t) for t in arg_types),
                node,
            )
            return T.ERROR, level
        return result, level

    def _CountOf(self, node: ast.CountOf, ctx: Context) -> tuple[T.Type, Level]:
        for item in node.items:
            self.check_bool(item, ctx, f"each item of '{node.op} {node.count} of'")
        if node.count > len(node.items):
            self._error(
                "E204",
                f"'{node.op} {node.count} of' a list of {len(node.items)} can never be met",
                node,
            )
        return T.BOOL, self._levels(ctx, *node.items)

    # ---------------------------------------------------------------- time
    def _At(self, node: ast.At, ctx: Context) -> tuple[T.Type, Level]:
        date_type = self.check(node.date, ctx)
        if not R.fits(date_type, T.DATE):
            self._error(
                "E206",
                f"'at' needs a date, but this is {a_value(date_type)}",
                node.date,
                "for example: education at attached_on",
            )
        operand_type = self.check(node.operand, ctx)
        date_level = self.level(node.date)
        if date_level > Level.HOUSEHOLD and _aggregates(node.operand, self.notes):
            owner = "a member" if date_level is Level.PERSON else "an event"
            self._error(
                "E303",
                "a rule, count or quantifier can be moved to a household's date only, "
                f"but this date belongs to {owner}",
                node.date,
                "use a date of the household (attached_on, as_of) or a fixed date",
            )
        return operand_type, self._levels(ctx, node.operand, node.date)

    def _InWindow(self, node: ast.InWindow, ctx: Context) -> tuple[T.Type, Level]:
        length_type = self._window_length(node.length, ctx)
        unit = length_type.unit if length_type.kind is T.Kind.DURATION else None
        if node.date is not None:
            date_type = self.check(node.date, ctx)
            if not R.fits(date_type, T.DATE):
                self._error(
                    "E206",
                    f"'in the last ...' needs a date, but this is {a_value(date_type)}",
                    node.date,
                )
            return T.BOOL, self.level(node.date)
        table = ctx.table if ctx.level is Level.EVENT else None
        if table is None:
            self._error(
                "E304",
                f"'in the last ...' without a date can only filter the rows of an event table, "
                f"but this is {ctx.describe()}",
                node,
                "give the date: 'attached_on in the last 12 months'",
            )
            return T.BOOL, Level.HOUSEHOLD
        if table.term is not None:
            mode = "termly"
            if unit not in (None, "terms"):
                self._error(
                    "E207",
                    f"{table.name} rows are by school term: use a window in terms",
                    node.length,
                    "for example: in the last 3 terms",
                )
        elif table.span is not None:
            mode = "span"
        elif table.date_column is not None:
            mode = "dated"
        else:
            self._error("E304", f"{table.name} has no date for 'in the last ...' to look at", node)
            return T.BOOL, Level.EVENT
        self.notes.set_window(node, WindowInfo(table, mode))
        return T.BOOL, Level.EVENT

    def _window_length(self, node: ast.Expr, ctx: Context) -> T.Type:
        found = self.check(node, ctx)
        if found.kind not in (T.Kind.DURATION, T.Kind.ERROR):
            self._error(
                "E207",
                "a window's length must be a duration such as 12 months, "
                f"but this is {a_value(found)}",
                node,
            )
        elif isinstance(node, ast.Name) and self.level(node) > Level.HOUSEHOLD:
            self._error("E207", "a window's length must be fixed, not read from the data", node)
        return found


def _aggregates(node: ast.Expr, notes: Annotations) -> bool:
    """Whether an expression reads a rule, a quantifier or an aggregate."""
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Quantified | ast.Aggregate):
            return True
        if isinstance(current, ast.Name) and isinstance(notes.resolution_or_none(current), RuleRef):
            return True
        if isinstance(current, ast.Expr):
            for value in current.__attrs_attrs__:
                child = getattr(current, value.name)
                if isinstance(child, ast.Expr):
                    stack.append(child)
                elif isinstance(child, tuple):
                    stack.extend(c for c in child if isinstance(c, ast.Expr))
    return False
