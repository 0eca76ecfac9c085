"""Checks a ruleset with everything it extends and builds the `CheckedRuleset`.

Layers apply base first: a local ruleset may define the rules its national
ruleset leaves abstract, add rules of its own, and give new values to the
parameters marked `overridable`, and nothing else.
"""

from __future__ import annotations

import attrs

from tfrules import diagnostics as diag
from tfrules.check import params as P
from tfrules.check import type_rules as R
from tfrules.check.council_codes import council_code_problems
from tfrules.check.expressions import BUILTINS
from tfrules.check.guards import GuardChecker
from tfrules.check.periods import check_period
from tfrules.check.rule_graph import circles
from tfrules.check.rule_typing import PendingRule, RuleTyper
from tfrules.check.schema_build import build_schema
from tfrules.check.test_cases import check_tests
from tfrules.check.workspace import SourceFile, Workspace
from tfrules.model import types as T
from tfrules.model.ruleset import (
    Annotations,
    CheckedRuleset,
    ParamInfo,
    ParamRef,
    RuleRef,
)
from tfrules.model.schema import Level, Schema
from tfrules.syntax import ast
from tfrules.syntax.collection import collection_paused
from tfrules.syntax.words import RESERVED_WORDS


@attrs.frozen
class CheckResult:
    ruleset: CheckedRuleset | None
    diagnostics: tuple[diag.Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.ruleset is not None and not any(d.is_error for d in self.diagnostics)


def check_schema_file(source: SourceFile) -> tuple[Schema | None, list[diag.Diagnostic]]:
    tree = source.ast
    if not isinstance(tree, ast.SchemaFile):
        return None, []
    schema, problems = build_schema(tree)
    return schema, problems


def check_ruleset(workspace: Workspace, name: str) -> CheckResult:
    with collection_paused():
        return _RulesetChecker(workspace, name).run()


class _RulesetChecker:
    def __init__(self, workspace: Workspace, name: str) -> None:
        self.workspace = workspace
        self.name = name
        self.problems: list[diag.Diagnostic] = []
        self.notes = Annotations()
        self.rules: dict[str, PendingRule] = {}
        self.params: dict[str, ParamInfo] = {}

    def report(self, problem: diag.Diagnostic) -> None:
        self.problems.append(problem)

    # ---------------------------------------------------------------- driver
    def run(self) -> CheckResult:
        chain = self._chain()
        if chain is None:
            return CheckResult(None, tuple(self.problems))
        files = [source.ast for source in chain]
        assert all(isinstance(f, ast.RulesetFile) for f in files)
        rulesets: list[ast.RulesetFile] = files  # type: ignore[assignment]
        schema = self._schema(rulesets)
        if schema is None:
            return CheckResult(None, tuple(self.problems))
        self.schema = schema
        for layer in rulesets:
            self._declare(layer)
        self._abstract_left_undefined(rulesets)
        self._type_params()
        self.typer = RuleTyper(schema, self.rules, self.params, self.notes, self.report)
        self.typer.type_all()
        top = rulesets[-1]
        self.problems.extend(council_code_problems(top))
        self._cycles(top.name)
        self._unused(top)
        self._guards(top.name)
        tests = [
            (decl, layer.name)
            for layer in rulesets
            for decl in layer.decls
            if isinstance(decl, ast.TestDecl)
        ]
        checked = CheckedRuleset(
            name=top.name,
            title=top.title,
            chain=tuple(r.name for r in rulesets),
            files={source.ast.name: source.display for source in chain},  # type: ignore[union-attr]
            schema=schema,
            rules={n: p.info() for n, p in self.rules.items()},
            params=self.params,
            tests=tests,
            applies_to=top.applies_to,
            annotations=self.notes,
            sources=top.sources,
            period=check_period(rulesets, self.report),
        )
        check_tests(
            checked, [t for t, layer in tests if layer == top.name], self.typer.checker, self.report
        )
        return CheckResult(checked, tuple(self.problems))

    def _chain(self) -> list[SourceFile] | None:
        chain: list[SourceFile] = []
        name: str | None = self.name
        span: ast.Span | None = None
        while name is not None:
            source = self.workspace.ruleset(name)
            if source is None or source.ast is None:
                if source is None:
                    self.report(
                        diag.error(
                            "E103",
                            f"there is no ruleset '{name}'",
                            span or ast.Span.unknown(name),
                            diag.did_you_mean(name, self.workspace.known_ruleset_names()),
                        )
                    )
                return None
            if any(s is source for s in chain):
                # named from the ruleset whose `extends` closes the circle, where it is reported
                start = next(i for i, s in enumerate(chain) if s is source)
                names = [s.ast.name for s in (chain[-1], *chain[start:])]  # type: ignore[union-attr]
                cycle = " → ".join(names)
                self.report(
                    diag.error(
                        "E406", f"the rulesets extend each other: {cycle}", span or ast.NO_SPAN
                    )
                )
                return None
            chain.append(source)
            tree = source.ast
            assert isinstance(tree, ast.RulesetFile)
            name, span = tree.extends, tree.span
        return list(reversed(chain))

    def _schema(self, rulesets: list[ast.RulesetFile]) -> Schema | None:
        named = [(r.schema, r) for r in rulesets if r.schema is not None]
        if not named:
            self.report(
                diag.error(
                    "E103",
                    f"the ruleset '{rulesets[0].name}' does not say which schema it uses",
                    rulesets[0].span,
                    "add the line 'uses schema canonical'",
                )
            )
            return None
        schema_name, first = named[0]
        for other_name, other in named[1:]:
            if other_name != schema_name:
                self.report(
                    diag.error(
                        "E407",
                        f"'{other.name}' uses schema '{other_name}' but '{first.name}', which it "
                        f"builds on, uses '{schema_name}'",
                        other.span,
                    )
                )
        source = self.workspace.schema(schema_name)
        if source is None or not isinstance(source.ast, ast.SchemaFile):
            if source is None:
                self.report(
                    diag.error(
                        "E103",
                        f"there is no schema '{schema_name}'",
                        first.span,
                        diag.did_you_mean(schema_name, self.workspace.known_names("schema")),
                    )
                )
            return None
        schema, problems = build_schema(source.ast)
        self.problems.extend(problems)
        if any(p.is_error for p in problems):
            return None
        return schema

    # ---------------------------------------------------------------- declarations
    def _declare(self, layer: ast.RulesetFile) -> None:
        for decl in layer.decls:
            if isinstance(decl, ast.ParamDecl):
                self._declare_param(decl, layer.name)
            elif isinstance(decl, ast.RuleDecl):
                self._declare_rule(decl, layer.name)

    def _reserved(self, name: str, span: ast.Span) -> bool:
        """Report a name that is a word of the language or a built-in."""
        if name not in RESERVED_WORDS and name not in BUILTINS:
            return False
        what = "a built-in value" if name in BUILTINS else "a word of the language"
        self.report(
            diag.error(
                "E109",
                f"'{name}' is {what}, so it cannot name a rule or parameter",
                span,
                f"choose another name, such as '{name}_value'",
            )
        )
        return True

    def _declare_param(self, decl: ast.ParamDecl, layer: str) -> None:
        if self._reserved(decl.name, decl.span):
            return
        existing = self.params.get(decl.name)
        if decl.name in self.rules:
            self.report(
                diag.error("E102", f"'{decl.name}' is already the name of a rule", decl.span)
            )
            return
        value, found = P.param_value(decl.value, self.report)
        found = P.widen_set(found, self.schema)
        declared = P.param_type_ref(decl.type, self.schema, self.report) if decl.type else None
        if declared is not None:
            if not R.fits(found, declared):
                self.report(
                    diag.error(
                        "E203",
                        f"'{decl.name}' is declared as {declared} but its value is {found}",
                        decl.span,
                    )
                )
            value = P.coerce(value, found, declared)
            found = declared
        if decl.modifier == "override":
            if existing is None:
                self.report(
                    diag.error(
                        "E405",
                        f"there is no parameter '{decl.name}' to override",
                        decl.span,
                        diag.did_you_mean(decl.name, self.params),
                    )
                )
                return
            if not existing.overridable:
                self.report(
                    diag.error(
                        "E404",
                        f"'{decl.name}' is set by {existing.layer}, which does not let other "
                        "rulesets change it",
                        decl.span,
                        "only parameters declared 'overridable parameter' can be overridden",
                    )
                )
                return
            if not R.fits(found, existing.type) and found.kind is not T.Kind.ERROR:
                self.report(
                    diag.error(
                        "E203",
                        f"'{decl.name}' is {existing.type} in {existing.layer}, but the new "
                        f"value is {found}",
                        decl.span,
                    )
                )
                return
            value = P.coerce(value, found, existing.type)
            self.params[decl.name] = ParamInfo(
                decl.name, decl, existing.type, value, layer, overridable=True
            )
            return
        if existing is not None:
            hint = (
                "to give it another value here, write 'override parameter'"
                if existing.overridable and existing.layer != layer
                else None
            )
            self.report(
                diag.error(
                    "E102",
                    f"the parameter '{decl.name}' is already declared (in {existing.layer})",
                    decl.span,
                    hint,
                )
            )
            return
        self.params[decl.name] = ParamInfo(
            decl.name, decl, found, value, layer, overridable=decl.modifier == "overridable"
        )

    def _declare_rule(self, decl: ast.RuleDecl, layer: str) -> None:
        if self._reserved(decl.name, decl.span):
            return
        if decl.name in self.params:
            self.report(diag.error("E102", f"'{decl.name}' is already a parameter", decl.span))
            return
        level = self._rule_level(decl)
        existing = self.rules.get(decl.name)
        if existing is not None:
            if existing.decl.abstract and not decl.abstract and existing.layer != layer:
                if existing.decl.kind != decl.kind or existing.level is not level:
                    self.report(
                        diag.error(
                            "E403",
                            f"'{decl.name}' is declared in {existing.layer} as a "
                            f"{existing.decl.kind} about the {existing.level.label}; "
                            "define it the same way",
                            decl.span,
                        )
                    )
                    return
                self._needs_body(decl, may_be_abstract=False)
                self.rules[decl.name] = PendingRule(decl, layer, level, declared_from=existing)
                return
            if existing.layer != layer:
                self.report(
                    diag.error(
                        "E403",
                        f"'{decl.name}' is already defined by {existing.layer}, and only its "
                        "abstract rules can be defined again",
                        decl.span,
                        "give your rule another name",
                    )
                )
            else:
                self.report(diag.error("E102", f"'{decl.name}' is defined twice", decl.span))
            return
        if decl.abstract and decl.body is not None:  # pragma: no cover - the grammar rules it out
            self.report(diag.error("E102", "an abstract rule has no definition", decl.span))
        self._needs_body(decl)
        self.rules[decl.name] = PendingRule(decl, layer, level)

    def _needs_body(self, decl: ast.RuleDecl, *, may_be_abstract: bool = True) -> None:
        """A rule that is not abstract, including one defining an inherited abstract rule,
        needs a definition."""
        if not decl.abstract and decl.body is None:
            hint = "write '= ...' after it" + (
                f", or declare it 'abstract {decl.kind}'" if may_be_abstract else ""
            )
            self.report(diag.error("E012", f"'{decl.name}' has no definition", decl.span, hint))

    def _rule_level(self, decl: ast.RuleDecl) -> Level:
        if decl.level is None:
            return Level.HOUSEHOLD
        for table in (self.schema.households, self.schema.persons):
            if decl.level in (table.entity, table.name):
                return table.level
        self.report(
            diag.error(
                "E110",
                f"a rule can be about the {self.schema.households.entity} or a "
                f"{self.schema.persons.entity}, not '{decl.level}'",
                decl.span,
            )
        )
        return Level.HOUSEHOLD

    def _abstract_left_undefined(self, rulesets: list[ast.RulesetFile]) -> None:
        top = rulesets[-1]
        for name, rule in self.rules.items():
            if rule.decl.abstract and rule.layer != top.name:
                self.report(
                    diag.error(
                        "E402",
                        f"'{name}' is left for each council to define ({rule.layer} declares it "
                        f"abstract), but {top.name} does not define it",
                        top.span,
                        f"add: {rule.decl.kind} {name} = ...",
                    )
                )

    # ---------------------------------------------------------------- typing
    def _type_params(self) -> None:
        for info in self.params.values():
            if info.type.kind is T.Kind.NULL:
                self.report(
                    diag.error(
                        "E203",
                        f"the type of '{info.name}' cannot be told from 'unknown'",
                        info.decl.span,
                        f"declare it: parameter {info.name}: money = unknown",
                    )
                )

    # ---------------------------------------------------------------- whole-ruleset checks
    def _cycles(self, top: str) -> None:
        """Report circles from a rule of the ruleset being checked where there is
        one, at that rule's first step into the circle, so a council sees the
        circle it made in its own file; a rule is named in one circle only."""
        starts = sorted(self.rules, key=lambda name: self.rules[name].layer != top)
        for start, steps in circles(self.typer.edges, starts):
            names = [start, *(n for n, _ in steps)]
            self.report(
                diag.error(
                    "E401",
                    "these rules depend on each other in a circle: " + " → ".join(names),
                    steps[0][1],
                    "a rule cannot depend on itself; break the circle",
                )
            )

    def _guards(self, top: str) -> None:
        """The guard-rail warnings (W020-W022) of the ruleset's own rules."""
        bodies = {name: pending.decl.body for name, pending in self.rules.items()}
        own = [p.decl.body for p in self.rules.values() if p.layer == top and p.decl.body]
        checker = GuardChecker(self.schema, self.notes, self.params, bodies)
        for warning in checker.check(own):
            self.report(warning)

    def _unused(self, top: ast.RulesetFile) -> None:
        for name, info in self.params.items():
            if (
                info.layer == top.name
                and name not in self.typer.param_uses
                and info.decl.modifier != "override"
            ):
                self.report(
                    diag.warning(
                        "W001",
                        f"the parameter '{name}' is never used",
                        info.decl.span,
                        "remove it, or use it in a rule",
                    )
                )
        for name, pending in self.rules.items():
            if (
                pending.layer == top.name
                and pending.level is Level.PERSON
                and name not in self.typer.rule_uses
            ):
                self.report(
                    diag.warning(
                        "W002",
                        f"the member rule '{name}' is never used",
                        pending.decl.span,
                        "member rules only matter where a household rule uses them",
                    )
                )


__all__ = ["CheckResult", "ParamRef", "RuleRef", "check_ruleset", "check_schema_file"]
