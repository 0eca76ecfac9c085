"""Checks the `test` declarations of a ruleset: their households, members,
event rows and expectations must fit the schema and the rules."""

from __future__ import annotations

from collections.abc import Callable

from tfrules import diagnostics as diag
from tfrules.check import type_rules as R
from tfrules.check.expressions import ExprChecker
from tfrules.check.params import param_value, widen_set
from tfrules.check.scope import household_context
from tfrules.check.wording import a_value
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Column, Level, Table
from tfrules.syntax import ast

Report = Callable[[diag.Diagnostic], None]

_LITERAL_KINDS = {
    T.Kind.BOOL: {"bool"},
    T.Kind.INT: {"int"},
    T.Kind.DECIMAL: {"int", "decimal"},
    T.Kind.PERCENT: {"percent"},
    T.Kind.MONEY: {"money"},
    T.Kind.DATE: {"date"},
    T.Kind.TEXT: {"text"},
    T.Kind.DURATION: {"duration"},
}


def value_fits(
    value: ast.Literal | ast.Name, expected: T.Type, nullable: bool = True
) -> str | None:
    """Why a written test value does not fit `expected`, or None if it does."""
    if isinstance(value, ast.Literal) and value.kind == "unknown":
        return None if nullable else "this column cannot be unknown"
    if expected.kind is T.Kind.ERROR:
        return None
    if expected.kind is T.Kind.CATEGORY:
        text = value.name if isinstance(value, ast.Name) else value.value
        if text in expected.values:
            return None
        return f"'{text}' is not one of {', '.join(expected.values)}"
    if expected.kind is T.Kind.TEXT and isinstance(value, ast.Name):
        return None
    if isinstance(value, ast.Name):
        return f"'{value.name}' is not {a_value(expected)}"
    if value.kind in _LITERAL_KINDS.get(expected.kind, set()):
        return None
    article = "an" if value.kind[0] in "aeiou" else "a"
    return f"{article} {value.kind} value where {expected} is expected"


_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0"}


def value_hint(value: ast.Literal | ast.Name, expected: T.Type) -> str | None:
    """The fix for the usual slips in a test value: `yes` for true, `500` for £500."""
    written = value.name if isinstance(value, ast.Name) else str(value.value)
    if expected.kind is T.Kind.BOOL:
        meant = "true" if written.lower() in _YES else "false" if written.lower() in _NO else None
        if meant is not None:
            return f"true/false values are written true or false: write {meant}"
        return "true/false values are written true, false or unknown"
    money = expected.kind is T.Kind.MONEY
    if money and isinstance(value, ast.Literal) and value.kind in ("int", "decimal"):
        return f"amounts of money are written in pounds: £{written}"
    return None


def check_tests(
    ruleset: CheckedRuleset, tests: list[ast.TestDecl], checker: ExprChecker, report: Report
) -> None:
    for test in tests:
        _TestChecker(ruleset, test, checker, report).run()


class _TestChecker:
    def __init__(
        self, ruleset: CheckedRuleset, test: ast.TestDecl, checker: ExprChecker, report: Report
    ) -> None:
        self.ruleset = ruleset
        self.schema = ruleset.schema
        self.test = test
        self.checker = checker
        self.report = report
        self.households: dict[str, ast.TestHousehold] = {}
        self.members: dict[str, ast.TestMember] = {}

    def _error(self, code: str, message: str, span: ast.Span, hint: str | None = None) -> None:
        self.report(diag.error(code, message, span, hint))

    def run(self) -> None:
        items = self.test.items
        as_of = [i for i in items if isinstance(i, ast.TestAsOf)]
        if len(as_of) != 1:
            self._error(
                "E504",
                "a test needs one 'as of DATE' line"
                if not as_of
                else "a test has one 'as of' line",
                self.test.span,
                "for example: as of 2013-01-15",
            )
        for item in items:
            if isinstance(item, ast.TestHousehold):
                self._household(item)
        if not self.households:
            self._error("E501", "the test has no household", self.test.span, "household H1 ...")
        for item in items:
            if isinstance(item, ast.TestParam):
                self._param(item)
            elif isinstance(item, ast.TestRow):
                self._row(item)
            elif isinstance(item, ast.TestMissing):
                for name in item.tables:
                    table = self.schema.table(name)
                    if table is None or table.level is not Level.EVENT:
                        self._unknown_table(name, item.span)
            elif isinstance(item, ast.TestExpect):
                self._expect(item)

    def _household(self, item: ast.TestHousehold) -> None:
        if item.name in self.households:
            self._error("E102", f"the household '{item.name}' appears twice", item.span)
        self.households[item.name] = item
        self._fields(item.fields, self.schema.households, item.span)
        for member in item.members:
            if member.name in self.members or member.name in self.households:
                self._error("E102", f"'{member.name}' is used twice in this test", member.span)
            self.members[member.name] = member
            self._fields(member.fields, self.schema.persons, member.span)

    def _fields(self, fields: tuple[ast.Field, ...], table: Table, span: ast.Span) -> None:
        given = set()
        for field in fields:
            column = table.column(field.column)
            if column is None or field.column in (table.key, table.owner_key):
                self._error(
                    "E105",
                    f"{table.name} has no column '{field.column}' to set here",
                    field.span,
                    diag.did_you_mean(field.column, table.column_names),
                )
                continue
            if field.column in given:
                self._error("E102", f"'{field.column}' is given twice", field.span)
            given.add(field.column)
            problem = value_fits(field.value, column.type, column.nullable)
            if problem:
                self._error(
                    "E502",
                    f"{table.name}.{field.column}: {problem}",
                    field.value.span,
                    value_hint(field.value, column.type),
                )
        for column in table.columns:
            if column.name in (table.key, table.owner_key, table.aged_by) or column.name in given:
                continue
            if _needs_value(column):
                self._error(
                    "E502",
                    f"{table.name} rows need a value for '{column.name}'",
                    span,
                    f"add: {column.name} ...",
                )

    def _unknown_table(self, name: str, span: ast.Span) -> None:
        tables = [t.name for t in self.schema.event_tables]
        self._error(
            "E502",
            f"there is no event table '{name}'",
            span,
            diag.did_you_mean(name, tables) or f"the tables are {', '.join(tables)}",
        )

    def _row(self, item: ast.TestRow) -> None:
        table = self.schema.table(item.table)
        if table is None or table.level is not Level.EVENT:
            self._unknown_table(item.table, item.span)
            return
        owners = self.members if table.owner == self.schema.persons.name else self.households
        if item.owner not in owners:
            kind = "member" if owners is self.members else "household"
            self._error(
                "E501",
                f"there is no {kind} '{item.owner}' in this test",
                item.span,
                diag.did_you_mean(item.owner, owners),
            )
        self._fields(item.fields, table, item.span)

    def _param(self, item: ast.TestParam) -> None:
        param = self.ruleset.params.get(item.name)
        rule = self.ruleset.rules.get(item.name)
        if param is None and (rule is None or not rule.abstract):
            hint = "only parameters, and rules left abstract, can be set by a test"
            self._error("E503", f"a test cannot set '{item.name}'", item.span, hint)
            return
        expected = param.type if param is not None else rule.type  # type: ignore[union-attr]
        if expected.kind is T.Kind.SET and isinstance(item.value, ast.SetLiteral):
            _, written = param_value(item.value, self.report)
            written = widen_set(written, self.schema)
            if not R.fits(written, expected):
                self._error("E502", f"'{item.name}' is {expected}, not {written}", item.value.span)
            return
        found = self.checker.check(item.value, household_context(self.schema))
        if not R.fits(found, expected) and not (
            expected.kind is T.Kind.SET and isinstance(item.value, ast.SetLiteral)
        ):
            self._error("E502", f"'{item.name}' is {expected}, not {found}", item.value.span)

    def _expect(self, item: ast.TestExpect) -> None:
        if item.household is not None and item.household not in self.households:
            self._error(
                "E501",
                f"there is no household '{item.household}' in this test",
                item.span,
                diag.did_you_mean(item.household, self.households),
            )
        if item.household is None and len(self.households) > 1:
            self._error(
                "E501",
                "this test has several households: say which one is meant",
                item.span,
                "expect H1: identified = true",
            )
        for expectation in item.expectations:
            rule = self.ruleset.rules.get(expectation.rule)
            if rule is None or rule.level is not Level.HOUSEHOLD:
                self._error(
                    "E503",
                    f"there is no household rule '{expectation.rule}' to expect a value of",
                    expectation.span,
                    diag.did_you_mean(
                        expectation.rule,
                        [n for n, r in self.ruleset.rules.items() if r.level is Level.HOUSEHOLD],
                    ),
                )
                continue
            problem = value_fits(expectation.value, rule.type)
            if problem:
                self._error(
                    "E502",
                    f"{expectation.rule}: {problem}",
                    expectation.value.span,
                    value_hint(expectation.value, rule.type),
                )


def _needs_value(column: Column) -> bool:
    """Whether a test must give this column (no default can stand in)."""
    if column.nullable or column.default is not None:
        return False
    return column.type.kind in (T.Kind.DATE, T.Kind.CATEGORY)
