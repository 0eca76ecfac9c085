"""Types, entity levels and name resolution for expressions.

`ExprChecker.check(node, context)` returns the node's type and records, in
the ruleset's `Annotations`, the type and entity level of every node, what
each name refers to, what each quantifier ranges over and how each row
window reads its row. Every problem becomes a diagnostic; an expression
already found wrong has the type ERROR so one mistake is reported once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from tfrules import diagnostics as diag
from tfrules.check import type_rules as R
from tfrules.check.scope import Context
from tfrules.check.slips import (
    CutWhereList,
    category_value_hint,
    cut_where_list,
    date_difference_hint,
)
from tfrules.check.wording import (
    PREPOSITIONS,
    VERBS,
    a_value,
    arith_hint,
    bool_hint,
    compare_hint,
    quoted,
)
from tfrules.model import types as T
from tfrules.model.ruleset import (
    Annotations,
    BuiltinRef,
    CategoryValue,
    CollectionInfo,
    ColumnRef,
    ParamInfo,
    ParamRef,
    RuleRef,
    WindowInfo,
)
from tfrules.model.schema import Level, Schema
from tfrules.syntax import ast
from tfrules.syntax.format_expr import flat

BUILTINS = ("as_of", "age", "active", "lasted")
#: How deeply an expression may nest, with the rules it uses (their own depth
#: counted where they are used), before it is reported as too deep: the
#: interpreter and the compiler follow rules into rules, and Python's stack must
#: never run out. The checker itself types each rule on its own.
MAX_DEPTH = 150
FUNCTIONS = ("min", "max", "first_known", "financial_year")


class Environment(Protocol):
    """What the expression checker needs to know of the ruleset around it."""

    def rule_signature(self, name: str, used_at: ast.Span) -> tuple[Level, T.Type] | None: ...
    def rule_depth(self, name: str) -> int | None: ...
    def rule_level(self, name: str) -> Level | None: ...
    def param(self, name: str) -> ParamInfo | None: ...
    def names(self) -> list[str]: ...


class ExprChecker:
    def __init__(
        self,
        schema: Schema,
        env: Environment,
        notes: Annotations,
        report: Callable[[diag.Diagnostic], None],
    ) -> None:
        self.schema = schema
        self.env = env
        self.notes = notes
        self.report = report
        self._depth = 0
        self._too_deep = False
        #: the deepest level reached in the rule being checked, with the rules it uses
        self._reach = 0
        #: the rule being checked is too deep through the rules it uses, or uses a
        #: circle of rules: reported once, where it is found
        self._deep_rules = False

    # ---------------------------------------------------------------- entry
    def begin_rule(self) -> None:
        """Start measuring how deep a rule's body goes, with the rules it uses."""
        self._reach = 0
        self._deep_rules = False

    def end_rule(self) -> int | None:
        """How deep the rule's body went, with the rules it uses; None if that
        was too deep (and reported)."""
        return None if self._deep_rules else self._reach

    def check(self, node: ast.Expr, ctx: Context) -> T.Type:
        if self._depth >= MAX_DEPTH:
            self._deep_rules = True  # rules that use this one are not reported again
            if not self._too_deep:  # once, not once for every branch cut off
                self._too_deep = True
                self._error(
                    "E013",
                    f"the expression is nested more than {MAX_DEPTH} levels deep",
                    node,
                    "split it into named rules, each a few levels deep",
                )
            return T.ERROR
        if self._depth == 0:
            self._too_deep = False
        method = getattr(self, f"_{type(node).__name__}")
        self._depth += 1
        self._reach = max(self._reach, self._depth)
        try:
            result_type, level = method(node, ctx)
        finally:
            self._depth -= 1
        self.notes.record(node, result_type, level)
        return result_type

    def check_bool(self, node: ast.Expr, ctx: Context, what: str) -> T.Type:
        found = self.check(node, ctx)
        if not R.fits(found, T.BOOL):
            self._error(
                "E202",
                f"{what} must be true or false, but this is {a_value(found)}",
                node,
                bool_hint(node),
            )
        return found

    def level(self, node: ast.Expr) -> Level:
        return self.notes.level_of(node) or Level.HOUSEHOLD

    # ---------------------------------------------------------------- helpers
    def _error(self, code: str, message: str, node: object, hint: str | None = None) -> None:
        self.report(diag.error(code, message, getattr(node, "span", ast.NO_SPAN), hint))

    def _levels(self, ctx: Context, *nodes: ast.Expr | None) -> Level:
        found = [self.level(n) for n in nodes if n is not None]
        return max(found, default=Level.HOUSEHOLD)

    # ---------------------------------------------------------------- leaves
    def _Literal(self, node: ast.Literal, ctx: Context) -> tuple[T.Type, Level]:
        if node.kind == "duration":
            assert isinstance(node.value, ast.Duration)
            return T.duration(node.value.unit), Level.HOUSEHOLD
        return T.LITERAL_TYPES[node.kind], Level.HOUSEHOLD

    def _Name(self, node: ast.Name, ctx: Context) -> tuple[T.Type, Level]:
        name = node.name
        found = ctx.find_column(name)
        if found is not None:
            table, column = found
            self.notes.resolve(node, ColumnRef(table.name, column.name, table.level))
            return column.type, table.level
        param = self.env.param(name)
        signature = None if param is not None else self.env.rule_signature(name, node.span)
        if signature is not None:
            rule_level, rule_type = signature
            if rule_level > ctx.level or (rule_level is Level.PERSON and ctx.person() is None):
                self._error(
                    "E301",
                    f"'{name}' is about one member, but this is {ctx.describe()}",
                    node,
                    f"use a quantifier, e.g. 'any member where {name}'",
                )
                return T.ERROR, Level.HOUSEHOLD
            self.notes.resolve(node, RuleRef(name))
            self._through_rule(node)
            return rule_type, rule_level
        if param is not None:
            self.notes.resolve(node, ParamRef(name))
            return param.type, Level.HOUSEHOLD
        if name in BUILTINS:
            return self._builtin(node, ctx)
        finer = self._finer_owner(name, ctx)
        if finer is not None:
            self._error(
                "E301",
                f"'{name}' is a column of {finer}, which is not in reach at {ctx.describe()}",
                node,
                "reach it through a quantifier or an aggregate, e.g. 'any member where ...' "
                "or 'count offences where ...'",
            )
            return T.ERROR, Level.HOUSEHOLD
        self._error(
            "E101",
            f"unknown name '{name}'",
            node,
            category_value_hint(name, ctx, self.schema)
            or diag.did_you_mean(name, self._visible_names(ctx)),
        )
        return T.ERROR, Level.HOUSEHOLD

    def _through_rule(self, node: ast.Name) -> None:
        """Count the depth of the rule used here into the depth of this one."""
        depth = self.env.rule_depth(node.name)
        if depth is None:  # too deep itself, or in a circle: reported as such
            self._deep_rules = True
            return
        total = self._depth + depth
        self._reach = max(self._reach, total)
        if total > MAX_DEPTH and not self._deep_rules:
            self._deep_rules = True
            self._error(
                "E013",
                f"the expression, with the rules it uses, is nested more than {MAX_DEPTH} "
                f"levels deep: '{node.name}' goes {depth} levels deeper",
                node,
                "split it into named rules that use fewer rules in a chain",
            )

    def _visible_names(self, ctx: Context) -> list[str]:
        names = [c.name for context in ctx.chain() for c in context.table.columns]
        return [*names, *self.env.names(), *BUILTINS]

    def _finer_owner(self, name: str, ctx: Context) -> str | None:
        for table in self.schema.tables:
            if table.column(name) is not None and table.level > ctx.level:
                return table.name
        return None

    def _builtin(self, node: ast.Name, ctx: Context) -> tuple[T.Type, Level]:
        name = node.name
        if name == "as_of":
            self.notes.resolve(node, BuiltinRef(name))
            return T.DATE, Level.HOUSEHOLD
        if name == "age":
            if ctx.person() is None:
                self._error(
                    "E301",
                    f"'age' is a member's age, but this is {ctx.describe()}",
                    node,
                    "use it about a member: 'any member where age >= 18'",
                )
                return T.ERROR, Level.HOUSEHOLD
            self.notes.resolve(node, BuiltinRef(name))
            return T.INT, Level.PERSON
        # active, lasted: about the row of a table of spells
        if ctx.level is not Level.EVENT or ctx.table.span is None:
            spans = ", ".join(t.name for t in self.schema.event_tables if t.span) or "none"
            self._error(
                "E305",
                f"'{name}' is about a spell (a row with a start and an end date), "
                f"but this is {ctx.describe()}",
                node,
                f"use it in a filter of a table of spells ({spans})",
            )
            return T.ERROR, Level.HOUSEHOLD
        self.notes.resolve(node, BuiltinRef(name))
        return (T.BOOL if name == "active" else T.DAYS), Level.EVENT

    def _category_value(self, node: ast.Expr, category: T.Type, column_label: str) -> bool:
        """Resolve a bare name (or text) against a category's values, reporting unknown ones.

        Returns True when `node` was taken as a category value (or reported)."""
        if isinstance(node, ast.Literal) and node.kind == "text":
            value = node.value
        elif isinstance(node, ast.Name):
            value = node.name
            if value not in category.values and self._resolves(node):
                return False
        else:
            return False
        assert isinstance(value, str)
        if value not in category.values:
            self._error(
                "E106",
                f"'{value}' is not an allowed value of {column_label}",
                node,
                f"allowed values: {', '.join(category.values)}"
                + (f" ({hint})" if (hint := diag.did_you_mean(value, category.values)) else ""),
            )
        else:
            self.notes.resolve(node, CategoryValue(value))
        self.notes.record(node, category, Level.HOUSEHOLD)
        return True

    def _resolves(self, node: ast.Name) -> bool:
        return (
            self.env.param(node.name) is not None
            or node.name in self.env.names()
            or node.name in BUILTINS
        )

    def _label(self, node: ast.Expr) -> str:
        resolution = self.notes.resolution_or_none(node)
        if isinstance(resolution, ColumnRef):
            return f"{resolution.table}.{resolution.column}"
        if isinstance(node, ast.Name):
            return f"'{node.name}'"
        return "this value"

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

    # ---------------------------------------------------------------- quantifiers
    def collection_context(self, collection: ast.Collection, ctx: Context) -> Context | None:
        """The context of one element of `collection` seen from `ctx`."""
        persons = self.schema.persons
        if ctx.level is Level.EVENT:
            self._error(
                "E302",
                f"cannot look at {collection.name} from inside a row of {ctx.table.name}",
                collection,
                "move this part into a rule of its own about the household or the member",
            )
            return None
        if collection.is_members:
            if ctx.level is not Level.HOUSEHOLD:
                self._error(
                    "E302",
                    "'members' is about a household, but this is already about one member",
                    collection,
                )
                return None
            self.notes.set_collection(collection, CollectionInfo(persons))
            inner = Context(Level.PERSON, persons, ctx)
            if collection.qualifier is not None:
                self._qualifier(collection, inner)
            return inner
        table = self.schema.table(collection.name)
        if table is None or table.level is not Level.EVENT:
            candidates = [t.name for t in self.schema.event_tables] + ["members"]
            self._error(
                "E104",
                f"there is no event table '{collection.name}'",
                collection,
                diag.did_you_mean(collection.name, candidates)
                or f"the tables are {', '.join(candidates)}",
            )
            return None
        if table.owner == persons.name:
            if ctx.level is Level.HOUSEHOLD:
                self.notes.set_collection(collection, CollectionInfo(table, via_members=True))
                person = Context(Level.PERSON, persons, ctx)
                return Context(Level.EVENT, table, person)
            self.notes.set_collection(collection, CollectionInfo(table))
            return Context(Level.EVENT, table, ctx)
        household = next(c for c in ctx.chain() if c.level is Level.HOUSEHOLD)
        self.notes.set_collection(collection, CollectionInfo(table))
        return Context(Level.EVENT, table, household)

    def _qualifier(self, collection: ast.Collection, inner: Context) -> None:
        # the qualifier is checked as a name of its own, made here and then
        # forgotten: only the collection's qualifier annotation is kept
        name = ast.Name(collection.qualifier or "", span=collection.span)
        found = self.check(name, inner)
        resolution = self.notes.resolution_or_none(name)
        self.notes.forget(name)
        if not R.fits(found, T.BOOL):
            self._error(
                "E202",
                f"'{collection.qualifier} members' needs '{collection.qualifier}' to be a "
                f"criterion about a member, but it is {a_value(found)}",
                collection,
            )
        elif isinstance(resolution, RuleRef):
            self.notes.set_qualifier(collection, collection.qualifier or "")
        elif found.kind is not T.Kind.ERROR:
            self._error(
                "E202",
                f"'{collection.qualifier} members' needs a criterion about a member",
                collection,
            )

    def _Quantified(self, node: ast.Quantified, ctx: Context) -> tuple[T.Type, Level]:
        inner = self.collection_context(node.collection, ctx)
        if inner is None:
            return T.ERROR, ctx.level
        for condition in node.where:
            self.check_bool(condition, inner, "a condition after 'where'")
        if node.has is not None:
            self.check(node.has, inner)
        for condition in node.satisfies:
            self.check_bool(condition, inner, "a condition after 'satisfies'")
        return T.BOOL, ctx.level

    def _Aggregate(self, node: ast.Aggregate, ctx: Context) -> tuple[T.Type, Level]:
        inner = self.collection_context(node.collection, ctx)
        if inner is None:
            return T.ERROR, ctx.level
        for condition in node.where:
            self.check_bool(condition, inner, "a condition after 'where'")
        value_types = [self.check(value, inner) for value in node.values]
        if node.op in ("count", "count distinct"):
            return T.INT, ctx.level
        value = value_types[0]
        if node.op == "sum" and not (
            value.is_numeric or value.kind in (T.Kind.ERROR, T.Kind.DURATION)
        ):
            self._error("E201", f"cannot add up {a_value(value)}", node.values[0])
            return T.ERROR, ctx.level
        if node.op in ("lowest", "highest") and not (
            value.is_numeric or value.kind in (T.Kind.DATE, T.Kind.DURATION, T.Kind.ERROR)
        ):
            self._error("E201", f"{a_value(value)} has no {node.op} value", node.values[0])
            return T.ERROR, ctx.level
        if node.op in ("latest", "earliest"):
            table = inner.table
            if inner.level is not Level.EVENT or not (
                table.date_column or table.span or table.term
            ):
                self._error(
                    "E304",
                    f"'{node.op}' needs rows with a date, and {node.collection.name} has none",
                    node.collection,
                )
        return value, ctx.level

    def _Collection(self, node: ast.Collection, ctx: Context) -> tuple[T.Type, Level]:
        raise AssertionError("collections are checked by their quantifier")  # pragma: no cover


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
