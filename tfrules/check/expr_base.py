"""The expression checker's frame: its entry points, its depth limits and
how it reports problems. `ExprChecker` (expressions.py) checks operators and
time, `NameChecks` (expr_names.py) resolves names and `CollectionChecks`
(expr_collections.py) quantifiers and aggregates, all on this base."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from tfrules import diagnostics as diag
from tfrules.check import type_rules as R
from tfrules.check.scope import Context
from tfrules.check.wording import a_value, bool_hint
from tfrules.model import types as T
from tfrules.model.ruleset import Annotations, ParamInfo
from tfrules.model.schema import Level, Schema
from tfrules.syntax import ast

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


class ExprCheckerBase:
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
