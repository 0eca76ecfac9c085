"""Types the rules of a ruleset, each after the rules it uses.

`RuleTyper` is also the environment the expression checker resolves names
in: what a rule or parameter is, how deep a rule goes with the rules it uses,
and which rules use which (for circles and unused rules). Typing never follows
one rule into another: the rules are typed in the order of the names they use
(`rule_graph.dependencies_first`), and a rule that meets one not yet typed
(which that order can miss only among names that use each other) stops, has
that one typed, and is typed again, its diagnostics held until it succeeds.
So a chain of ten thousand rules needs a stack of one rule, and each rule's
depth is the same whatever order the rules are declared in.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from tfrules import diagnostics as diag
from tfrules.check import params as P
from tfrules.check import type_rules as R
from tfrules.check.expressions import ExprChecker
from tfrules.check.rule_graph import dependencies_first, references
from tfrules.check.scope import context_for_level
from tfrules.check.wording import a_value
from tfrules.model import types as T
from tfrules.model.ruleset import Annotations, ParamInfo, RuleInfo
from tfrules.model.schema import Level, Schema
from tfrules.syntax import ast


class _Untyped(Exception):
    """A rule uses a rule not yet typed: type that one first."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@attrs.define
class PendingRule:
    decl: ast.RuleDecl
    layer: str
    level: Level
    declared_from: PendingRule | None = None
    type: T.Type | None = None
    #: how deep the rule's expression goes with the rules it uses (None: too deep, reported)
    depth: int | None = 0
    in_progress: bool = False

    def info(self) -> RuleInfo:
        return RuleInfo(
            self.decl.name,
            self.decl,
            self.level,
            self.type or T.ERROR,
            self.layer,
            abstract=self.decl.abstract,
        )


class RuleTyper:
    def __init__(
        self,
        schema: Schema,
        rules: dict[str, PendingRule],
        params: dict[str, ParamInfo],
        notes: Annotations,
        report: Callable[[diag.Diagnostic], None],
    ) -> None:
        self.schema = schema
        self.rules = rules
        self.params = params
        self._report = report
        self.checker = ExprChecker(schema, self, notes, self.report)
        self.param_uses: set[str] = set()
        self.rule_uses: set[str] = set()
        #: for each rule, the rules it uses and where
        self.edges: dict[str, list[tuple[str, ast.Span]]] = {}
        self._current_rule: list[str] = []
        #: the diagnostics of the rule being typed, held until its typing succeeds
        self._attempt: list[diag.Diagnostic] | None = None

    def report(self, problem: diag.Diagnostic) -> None:
        if self._attempt is None:
            self._report(problem)
        else:
            self._attempt.append(problem)

    def type_all(self) -> None:
        """Type every rule, each after the rules it uses, so typing never
        recurses from rule to rule: a chain of any length is checked with a
        stack of one rule."""
        uses = {name: references(p.decl.body, self.rules) for name, p in self.rules.items()}
        for name in dependencies_first(uses, self.rules):
            self._type_with_dependencies(name)

    def _type_with_dependencies(self, name: str) -> None:
        """Type one rule; should it use a rule not yet typed (the order by
        names alone can miss one, in a circle of names), type that first and
        try again. The rules waiting here are the rules in progress."""
        waiting = [name]
        while waiting:
            current = self.rules[waiting[-1]]
            if current.type is not None:
                waiting.pop()
                continue
            current.in_progress = True
            try:
                self._type_rule(waiting[-1])
            except _Untyped as needed:
                waiting.append(needed.name)
            else:
                current.in_progress = False
                waiting.pop()

    def _type_rule(self, name: str) -> None:
        """One attempt at typing a rule. Its diagnostics are held until it
        succeeds: an attempt cut short by a rule not yet typed is made again."""
        pending = self.rules[name]
        self.edges[name] = []
        self._attempt = []
        self._current_rule.append(name)
        try:
            pending.type, pending.depth = self._rule_type(pending)
        finally:
            self._current_rule.pop()
            held, self._attempt = self._attempt, None
        for problem in held:
            self._report(problem)

    def _rule_type(self, pending: PendingRule) -> tuple[T.Type, int | None]:
        """A rule's type, and how deep its expression goes with the rules it uses."""
        name = pending.decl.name
        declared = (
            P.param_type_ref(pending.decl.type, self.schema, self.report)
            if pending.decl.type
            else None
        )
        abstract = pending.declared_from
        if abstract is not None and declared is None and abstract.decl.type is not None:
            # a definition of an abstract rule has the type the abstract rule declares
            declared = P.param_type_ref(abstract.decl.type, self.schema, self.report)
        found = declared or (T.BOOL if pending.decl.kind == "criterion" else T.NULL)
        depth: int | None = 0
        if pending.decl.body is not None:
            context = context_for_level(self.schema, pending.level)
            self.checker.begin_rule()
            found = self.checker.check(pending.decl.body, context)
            depth = self.checker.end_rule()
            if pending.decl.kind == "criterion" and not R.fits(found, T.BOOL):
                self.report(
                    diag.error(
                        "E210",
                        f"the criterion '{name}' must be true or false, "
                        f"but it gives {a_value(found)}",
                        pending.decl.body.span,
                        _criterion_hint(pending.decl.body) or "make it a measure instead",
                    )
                )
                found = T.BOOL
            if declared is not None:
                if not R.fits(found, declared):
                    self.report(
                        diag.error(
                            "E203",
                            f"'{name}' is declared as {declared} but gives {found}",
                            pending.decl.body.span,
                        )
                    )
                found = declared
            elif found.kind is T.Kind.NULL:
                self.report(
                    diag.error(
                        "E203",
                        f"the type of '{name}' cannot be told from 'unknown'",
                        pending.decl.body.span,
                        f"declare it: {pending.decl.kind} {name}: money = ...",
                    )
                )
                found = T.ERROR
        elif declared is None and pending.decl.kind == "measure":
            self.report(
                diag.error(
                    "E203",
                    f"the abstract measure '{name}' needs a type",
                    pending.decl.span,
                    f"abstract measure {name}: money",
                )
            )
            found = T.ERROR
        return found, depth

    # Environment protocol used by ExprChecker
    def rule_signature(self, name: str, used_at: ast.Span) -> tuple[Level, T.Type] | None:
        if name not in self.rules:
            return None
        if self._current_rule:
            self.edges.setdefault(self._current_rule[-1], []).append((name, used_at))
        self.rule_uses.add(name)
        pending = self.rules[name]
        if pending.type is not None:
            return pending.level, pending.type
        if pending.in_progress:
            return pending.level, T.ERROR  # a circle; reported by _cycles
        raise _Untyped(name)

    def rule_depth(self, name: str) -> int | None:
        """How deep a rule goes with the rules it uses; None when that is not
        to be known: too deep (reported there) or in a circle (reported as such)."""
        pending = self.rules.get(name)
        return None if pending is None or pending.type is None else pending.depth

    def rule_level(self, name: str) -> Level | None:
        """The level a rule is declared about, typed or not (None: no such rule)."""
        pending = self.rules.get(name)
        return None if pending is None else pending.level

    def param(self, name: str) -> ParamInfo | None:
        info = self.params.get(name)
        if info is not None:
            self.param_uses.add(name)
        return info

    def names(self) -> list[str]:
        return [*self.rules, *self.params]


def _criterion_hint(body: ast.Expr) -> str | None:
    if isinstance(body, ast.Aggregate) and body.where:
        return (
            "a count or sum takes every condition after 'where': to compare it, put it in "
            "parentheses, e.g. (count offences where proven) >= 2"
        )
    return None
