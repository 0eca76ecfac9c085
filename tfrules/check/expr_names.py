"""Resolving names: columns in reach, rules, parameters, built-in values and
the values of categories."""

from __future__ import annotations

from tfrules import diagnostics as diag
from tfrules.check.expr_base import BUILTINS, MAX_DEPTH, ExprCheckerBase
from tfrules.check.scope import Context
from tfrules.check.slips import category_value_hint
from tfrules.model import types as T
from tfrules.model.ruleset import BuiltinRef, CategoryValue, ColumnRef, ParamRef, RuleRef
from tfrules.model.schema import Level
from tfrules.syntax import ast


class NameChecks(ExprCheckerBase):
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
