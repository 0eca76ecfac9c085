"""Completion: what may be written at the cursor.

The grammar itself says what may stand there: the text of the declaration up
to the cursor is fed to Lark's LALR parser, which then tells which tokens it
accepts next (so keywords are offered exactly where they may stand) and holds
what it has read so far on its stack (so the quantifiers still open around
the cursor give the table a `where` filters, and the name before `=` or `in`
the column whose values to offer). Names in scope come from the checked
ruleset; the scope inside quantifiers is made by the checker's own
`collection_context`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs
from lark import Token, Tree
from lark.exceptions import LarkError
from lark.lexer import PatternStr

from tfrules import diagnostics as diag
from tfrules.check.expressions import BUILTINS, FUNCTIONS, ExprChecker
from tfrules.check.scope import Context, context_for_level
from tfrules.data.councils import COUNCIL_NAMES
from tfrules.lsp.hover import BUILTIN_MEANINGS, describe, type_words
from tfrules.lsp.occurrences import ColumnTarget, ParamTarget, RuleTarget, TableTarget
from tfrules.lsp.recovery import declaration_starts
from tfrules.model import types as T
from tfrules.model.ruleset import Annotations, CheckedRuleset, ParamInfo
from tfrules.model.schema import Level, Schema
from tfrules.syntax import ast
from tfrules.syntax.grammar import parser

if TYPE_CHECKING:
    from tfrules.lsp.analysis import Analysis

#: Suggestions are listed by rank, then name.
VALUE, COLUMN, OUTER_COLUMN, NAME, BUILTIN, KEYWORD = range(6)


@attrs.frozen
class Suggestion:
    label: str
    kind: str  # rule, parameter, column, value, table, keyword, builtin, function, ruleset, ...
    rank: int = NAME
    detail: str | None = None
    documentation: str | None = None
    #: How many characters before the cursor the suggestion replaces (a dotted name).
    replaces: int | None = None


def complete(analysis: Analysis, line: int, column: int) -> list[Suggestion]:
    source = analysis.view.source
    offset = source.offset(line, column)
    if source.in_string_or_comment(offset):
        return []
    header = _header_completion(analysis, source.text[source.line_starts[line - 1] : offset])
    if header is not None:
        return header
    prefix = source.word_before(offset)
    return _Completer(analysis, source.text, offset - len(prefix)).run()


def _header_completion(analysis: Analysis, before: str) -> list[Suggestion] | None:
    workspace = analysis.view.workspace
    if match := re.search(r"\bextends\s+([\w.]*)$", before):
        return [
            Suggestion(n, "ruleset", replaces=len(match.group(1)))
            for n in workspace.known_ruleset_names()
        ]
    if re.search(r"\buses\s+schema\s+\w*$", before):
        return [Suggestion(n, "schema") for n in workspace.known_names("schema")]
    if re.search(r"\bapplies\s+to\s+(\w+\s*,\s*)*\w*$", before):
        return [Suggestion(code, "value", VALUE, name) for code, name in COUNCIL_NAMES.items()]
    return None


class _NoReport:
    def __call__(self, problem: diag.Diagnostic) -> None:
        """Scopes are worked out again here: their problems are the checker's to report."""


@attrs.define
class _Environment:
    """What `ExprChecker` needs of a ruleset, read from a checked one."""

    checked: CheckedRuleset

    def rule_signature(self, name: str, used_at: ast.Span) -> tuple[Level, T.Type] | None:
        rule = self.checked.rules.get(name)
        return (rule.level, rule.type) if rule is not None else None

    def rule_depth(self, name: str) -> int | None:
        return 0  # completion reads rules already checked: their depth is no concern here

    def rule_level(self, name: str) -> Level | None:
        rule = self.checked.rules.get(name)
        return rule.level if rule is not None else None

    def param(self, name: str) -> ParamInfo | None:
        return self.checked.params.get(name)

    def names(self) -> list[str]:
        return [*self.checked.rules, *self.checked.params]


def _kind(item: Any) -> str:
    if isinstance(item, Token):
        return str(item) if item.type != "NAME" else "NAME"
    if isinstance(item, Tree):
        return str(item.data)
    return ""


def _name_in(item: Any) -> str | None:
    """The name an operand on the parser's stack is, if it is a bare name."""
    while isinstance(item, Tree) and len(item.children) == 1:
        item = item.children[0]
    return str(item) if isinstance(item, Token) and item.type == "NAME" else None


class _Completer:
    def __init__(self, analysis: Analysis, text: str, cut: int) -> None:
        self.analysis = analysis
        self.view = analysis.view
        self.checked = self.view.checked
        self.schema: Schema | None = self.view.schema
        self.text = text
        self.cut = cut
        self.out: list[Suggestion] = []

    # ---------------------------------------------------------------- driver
    def run(self) -> list[Suggestion]:
        state = self._parse()
        if state is None:
            self._names(self._base_context(None))
            return self._sorted()
        accepts, stack = state
        first = _kind(stack[0]) if stack else ""
        if first == "test":
            self._test(stack, accepts)
        elif first in ("rule_kind", "abstract", "parameter", "param_modifier"):
            self._declaration(stack, accepts)
        for name in sorted(accepts):
            terminal = self._terminals().get(name)
            if terminal is not None and isinstance(terminal.pattern, PatternStr):
                word = terminal.pattern.value
                if word.isalpha():
                    self.out.append(Suggestion(word, "keyword", KEYWORD))
        return self._sorted()

    def _terminals(self) -> dict[str, Any]:
        return {t.name: t for t in parser().terminals}

    def _parse(self) -> tuple[set[str], list[Any]] | None:
        starts = [s for s in declaration_starts(self.text) if s < self.cut]
        is_schema = re.match(r"\s*(#[^\n]*\s*)*schema\b", self.text) is not None
        if starts:
            fragment = self.text[starts[-1] : self.cut]
            start = "table_decls" if is_schema else "decls"
        else:
            fragment, start = self.text[: self.cut], "start"
        try:
            interactive = parser().parse_interactive(fragment, start=start)
            interactive.exhaust_lexer()
            return set(interactive.accepts()), list(interactive.parser_state.value_stack)
        except LarkError:
            return None

    def _sorted(self) -> list[Suggestion]:
        seen: set[str] = set()
        unique = []
        for item in sorted(self.out, key=lambda s: (s.rank, s.label)):
            if item.label not in seen:
                seen.add(item.label)
                unique.append(item)
        return unique

    # ---------------------------------------------------------------- declarations
    def _declaration(self, stack: list[Any], accepts: set[str]) -> None:
        kinds = [_kind(item) for item in stack]
        top = kinds[-1]
        if top == "for" and self.schema is not None:
            for table in (self.schema.households, self.schema.persons):
                self.out.append(Suggestion(table.entity or table.name, "entity", VALUE))
            return
        if "=" not in kinds:
            if top in (":", "of"):
                for name in T.SCALAR_TYPE_NAMES:
                    self.out.append(Suggestion(name, "type", VALUE))
            return
        if "NAME" in accepts:
            self._expression(stack, self._base_context(stack))

    def _base_context(self, stack: list[Any] | None) -> Context | None:
        if self.schema is None:
            return None
        level = Level.HOUSEHOLD
        for item in stack or []:
            if _kind(item) == "level":
                entity = _name_in(item)
                if entity in (self.schema.persons.entity, self.schema.persons.name):
                    level = Level.PERSON
        return context_for_level(self.schema, level)

    # ---------------------------------------------------------------- expressions
    def _expression(self, stack: list[Any], context: Context | None) -> None:
        if context is None or self.schema is None:
            return
        for item in stack:
            collection = self._collection(item)
            if collection is not None and context is not None:
                context = self._checker().collection_context(collection, context)
        if context is None:
            return
        top = _kind(stack[-1])
        if top in ("has", "over", "count", "quant", "any", "every", "no"):
            self._collections(context)
            return
        operand = self._compared(stack)
        if operand is not None:
            self._values(self._type_of(operand, context))
        self._names(context)

    def _checker(self) -> ExprChecker:
        assert self.schema is not None and self.checked is not None
        return ExprChecker(self.schema, _Environment(self.checked), Annotations(), _NoReport())

    def _collection(self, item: Any) -> ast.Collection | None:
        kind = _kind(item)
        if kind == "members":
            return ast.Collection("members")
        if kind == "qualified_members":
            return ast.Collection("members", str(item.children[0]))
        if kind == "table_ref":
            return ast.Collection(str(item.children[0]))
        return None

    def _compared(self, stack: list[Any]) -> str | None:
        """The name compared with what comes next: `x =`, `x !=`, `x in {a, `."""
        position = len(stack) - 1
        if _kind(stack[position]) in ("=", "!=") and position > 0:
            return _name_in(stack[position - 1])
        while position >= 0 and _kind(stack[position]) not in ("{", "in"):
            if isinstance(stack[position], Token) and _kind(stack[position]) not in (",",):
                return None
            position -= 1
        if position > 0 and _kind(stack[position]) == "{":
            position -= 1
        if position > 0 and _kind(stack[position]) == "in":
            before = stack[position - 1]
            if _kind(before) == "not" and position > 1:
                before = stack[position - 2]
            return _name_in(before)
        return None

    def _type_of(self, name: str, context: Context) -> T.Type | None:
        found = context.find_column(name)
        if found is not None:
            return found[1].type
        if self.checked is not None:
            if name in self.checked.rules:
                return self.checked.rules[name].type
            if name in self.checked.params:
                kind = self.checked.params[name].type
                return kind.element if kind.kind is T.Kind.SET else kind
        return None

    def _values(self, kind: T.Type | None) -> None:
        if kind is None:
            return
        if kind.kind is T.Kind.CATEGORY:
            detail = type_words(kind)
            self.out += [Suggestion(v, "value", VALUE, detail) for v in kind.values]
        elif kind.kind is T.Kind.BOOL:
            self.out += [Suggestion(v, "keyword", VALUE) for v in ("true", "false", "unknown")]

    def _collections(self, context: Context) -> None:
        assert self.schema is not None
        for table in self.schema.event_tables:
            self.out.append(
                Suggestion(
                    table.name,
                    "table",
                    COLUMN,
                    table.title,
                    describe(self.analysis, TableTarget(table.name)),
                )
            )
        if context.level is Level.HOUSEHOLD and self.checked is not None:
            for name, rule in self.checked.rules.items():
                if rule.level is Level.PERSON and rule.type.kind is T.Kind.BOOL:
                    self.out.append(
                        Suggestion(name, "rule", NAME, f"{name} members: members where {name}")
                    )

    def _names(self, context: Context | None) -> None:
        if context is not None:
            for depth, scope in enumerate(context.chain()):
                for column in scope.table.columns:
                    self.out.append(
                        Suggestion(
                            column.name,
                            "column",
                            COLUMN if depth == 0 else OUTER_COLUMN,
                            f"{scope.table.name}: {type_words(column.type)}",
                            describe(self.analysis, ColumnTarget(scope.table.name, column.name)),
                        )
                    )
        checked = self.checked
        if checked is None:
            return
        with_person = context is not None and context.person() is not None
        for name, rule in checked.rules.items():
            if rule.level is Level.PERSON and not with_person:
                continue
            self.out.append(
                Suggestion(
                    name,
                    "rule",
                    NAME,
                    rule.title or rule.decl.kind,
                    describe(self.analysis, RuleTarget(name)),
                )
            )
        for name, info in checked.params.items():
            self.out.append(
                Suggestion(
                    name, "parameter", NAME, info.title, describe(self.analysis, ParamTarget(name))
                )
            )
        for name in BUILTINS:
            usable = (
                name == "as_of"
                or (name == "age" and with_person)
                or (
                    context is not None
                    and context.level is Level.EVENT
                    and context.table.span is not None
                )
            )
            if usable:
                self.out.append(Suggestion(name, "builtin", BUILTIN, None, BUILTIN_MEANINGS[name]))
        for name in FUNCTIONS:
            self.out.append(Suggestion(name, "function", BUILTIN, None, BUILTIN_MEANINGS[name]))

    # ---------------------------------------------------------------- tests
    def _test(self, stack: list[Any], accepts: set[str]) -> None:
        item = self._current_item(stack)
        kinds = [_kind(i) for i in item]
        schema = self.schema
        checked = self.checked
        if schema is None or checked is None:
            return
        last = kinds[-1] if kinds else ""
        if not kinds:
            if "NAME" in accepts:  # a row of an event table: `offences A: ...`
                for table in schema.event_tables:
                    self.out.append(Suggestion(table.name, "table", COLUMN, table.title))
            return
        head = kinds[0]
        if head == "with":
            if len(kinds) == 1:
                for name, info in checked.params.items():
                    self.out.append(Suggestion(name, "parameter", NAME, info.title))
                for name, rule in checked.rules.items():
                    if rule.abstract:
                        self.out.append(Suggestion(name, "rule", NAME, rule.title))
            elif "NAME" in accepts:
                self._expression(item, context_for_level(schema, Level.HOUSEHOLD))
            return
        if head == "expect":
            if last in ("expect", ",", ":"):
                for name in checked.output_rules:
                    rule = checked.rules[name]
                    self.out.append(Suggestion(name, "rule", NAME, rule.title))
            elif last == "=" and len(kinds) > 1:
                rule = checked.rules.get(_name_in(item[-2]) or "")
                self._values(rule.type if rule is not None else None)
            return
        if head == "missing":
            for table in schema.event_tables:
                self.out.append(Suggestion(table.name, "table", COLUMN, table.title))
            return
        if head in ("household", "member"):
            table = schema.persons if "member" in kinds else schema.households
            start = len(kinds) - 1 - kinds[::-1].index("member") if "member" in kinds else 0
            self._fields(table, item[start:], last)
            if "NAME" in accepts and isinstance(item[-1], Token) and item[-1].type == "DATE":
                for table in schema.event_tables:  # the next line may be a row of events
                    self.out.append(Suggestion(table.name, "table", COLUMN, table.title))
            return
        if head == "NAME":
            table = schema.table(str(item[0]))
            if len(kinds) == 1 and table is not None:  # the member or household it is about
                owners = schema.persons if table.owner == schema.persons.name else None
                self.out += [
                    Suggestion(n, "value", VALUE)
                    for n in self._test_names(stack, owners is not None)
                ]
            elif table is not None:
                self._fields(table, item, last)

    def _fields(self, table: Any, item: list[Any], last: str) -> None:
        if last in (":", ","):
            keys = (table.key, table.owner_key, table.aged_by)
            for column in table.columns:
                if column.name not in keys:
                    self.out.append(
                        Suggestion(column.name, "column", COLUMN, type_words(column.type))
                    )
        elif last == "NAME" and len(item) > 1 and _kind(item[-2]) in (":", ","):
            column = table.column(str(item[-1]))
            if column is not None:
                self._values(column.type)

    @staticmethod
    def _current_item(stack: list[Any]) -> list[Any]:
        """What the parser has read of the test's current line (`expect a = true, `)."""
        item: list[Any] = []
        for entry in reversed(stack[2:]):
            if isinstance(entry, Tree) and str(entry.data).startswith("__"):
                break
            if isinstance(entry, Tree) and str(entry.data).startswith("test_"):
                break
            item.insert(0, entry)
        return item

    @staticmethod
    def _test_names(stack: list[Any], members: bool) -> list[str]:
        """The names of the test's members (or households)."""
        found: list[str] = []
        for entry in stack:
            if not isinstance(entry, Tree):
                continue
            for tree in entry.iter_subtrees():
                if tree.data == ("member" if members else "test_household"):
                    found.append(str(tree.children[0]))
        return found
