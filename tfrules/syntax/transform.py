"""Turns Lark's parse tree into the attrs AST, with a span on every node.

Literal values are decoded here (dates, money, percentages); a literal that
is well-formed but impossible (`2013-02-30`) becomes a diagnostic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from lark import Token, Tree
from lark.tree import Meta

from tfrules.syntax import ast
from tfrules.syntax.transform_base import Clause, unescape
from tfrules.syntax.transform_mapping import MappingToAst
from tfrules.syntax.transform_schema import SchemaToAst

#: how a ruleset clause is written, where that is not its kind
_WRITTEN = {"schema": "uses schema", "period": "runs from"}

__all__ = ["ToAst", "unescape"]

_UNITS = {
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "term": "terms",
}


class ToAst(MappingToAst, SchemaToAst):
    """Builds AST nodes bottom-up; collects diagnostics for bad literals
    (schema declarations in `transform_schema`, the frame in `transform_base`)."""

    #: Methods that return their only part unchanged (an expression without
    #: `or`, `and` or an operator): the parser passes such a part on without
    #: calling them (`tfrules/syntax/ast_parser.py`).
    ONE_PART_UNCHANGED = frozenset({"or_", "and_", "arith"})

    # ---------------------------------------------------------------- files
    def start(self, meta: Meta, children: list[Any]) -> Any:
        return children[0]

    def decls(self, meta: Meta, children: list[Any]) -> list[Any]:
        return children

    table_decls = decls

    def schema_file(self, meta: Meta, children: list[Any]) -> ast.SchemaFile:
        name = str(children[0])
        title = None
        sources: list[str] = []
        tables: list[Any] = []
        for child in children[1:]:
            if isinstance(child, Clause) and child.kind == "title":
                title = child.value
            elif isinstance(child, Clause) and child.kind == "source":
                sources.append(child.value)
            else:
                tables.append(child)
        return ast.SchemaFile(name, title, tuple(sources), tuple(tables), span=self._span(meta))

    def ruleset_file(self, meta: Meta, children: list[Any]) -> ast.RulesetFile:
        name = children[0]
        fields: dict[str, Any] = {"title": None, "extends": None, "schema": None, "period": None}
        applies: list[tuple[str, ast.Span]] = []
        sources: list[str] = []
        decls: list[Any] = []
        for child in children[1:]:
            if not isinstance(child, Clause):
                decls.append(child)
            elif child.kind == "source":
                sources.append(child.value)
            elif child.kind == "applies":
                applies.extend(child.value)
            elif fields.get(child.kind) is not None:
                self._bad(
                    "E015",
                    f"the ruleset says '{_WRITTEN.get(child.kind, child.kind)}' twice",
                    child.span,
                    "a ruleset has one title, extends one ruleset, uses one schema and runs "
                    "in one period",
                )
            else:
                fields[child.kind] = child.value
        return ast.RulesetFile(
            name,
            fields["title"],
            fields["extends"],
            fields["schema"],
            tuple(code for code, _ in applies),
            tuple(sources),
            tuple(decls),
            span=self._span(meta),
            applies_spans=tuple(span for _, span in applies),
            period=fields["period"],
        )

    def dotted_name(self, meta: Meta, children: list[Token]) -> str:
        return ".".join(str(c) for c in children)

    def title(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("title", unescape(children[0]), self._span(meta))

    def source(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("source", unescape(children[0]), self._span(meta))

    def extends_clause(self, meta: Meta, children: list[Any]) -> Clause:
        return Clause("extends", children[0], self._span(meta))

    def uses_clause(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("schema", str(children[0]), self._span(meta))

    def applies_clause(self, meta: Meta, children: list[Token]) -> Clause:
        codes = [(str(c), self._token_span(c)) for c in children]
        return Clause("applies", codes, self._span(meta))

    def runs_clause(self, meta: Meta, children: list[Token]) -> Clause:
        span = self._span(meta)
        period = ast.ProgrammePeriod(self._date(children[0]), self._date(children[1]), span=span)
        return Clause("period", period, span)

    # ---------------------------------------------------------------- declarations
    @staticmethod
    def _header(children: list[Any]) -> tuple[str | None, list[str], list[Any]]:
        title = None
        sources: list[str] = []
        rest: list[Any] = []
        for child in children:
            if isinstance(child, Clause) and child.kind == "title":
                title = child.value
            elif isinstance(child, Clause) and child.kind == "source":
                sources.append(child.value)
            else:
                rest.append(child)
        return title, sources, rest

    def param_modifier(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("modifier", str(children[0]), self._span(meta))

    def param_decl(self, meta: Meta, children: list[Any]) -> ast.ParamDecl:
        modifier = None
        if isinstance(children[0], Clause):
            modifier, children = children[0].value, children[1:]
        name = str(children[0])
        title, sources, rest = self._header(children[1:])
        type_ref = None
        if isinstance(rest[0], ast.TypeRef):
            type_ref, rest = rest[0], rest[1:]
        return ast.ParamDecl(
            name,
            rest[0],
            title=title,
            sources=tuple(sources),
            type=type_ref,
            modifier=modifier,
            span=self._span(meta),
        )

    def by_year(self, meta: Meta, children: list[Any]) -> ast.YearTable:
        entries = tuple(c for c in children if isinstance(c, tuple))
        otherwise = next((c.value for c in children if isinstance(c, Clause)), None)
        return ast.YearTable(entries, otherwise, span=self._span(meta))

    def by_date(self, meta: Meta, children: list[Any]) -> ast.DateTable:
        entries = tuple(c for c in children if isinstance(c, tuple))
        otherwise = next((c.value for c in children if isinstance(c, Clause)), None)
        return ast.DateTable(entries, otherwise, span=self._span(meta))

    def year_entry(self, meta: Meta, children: list[Any]) -> tuple[int, ast.Expr]:
        return (int(children[0]), children[1])

    def date_entry(self, meta: Meta, children: list[Any]) -> tuple[dt.date, ast.Expr]:
        return (self._date(children[0]), children[1])

    def otherwise(self, meta: Meta, children: list[Any]) -> Clause:
        return Clause("otherwise", children[0], self._span(meta))

    def abstract(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("abstract", True, self._span(meta))

    def rule_kind(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("kind", str(children[0]), self._span(meta))

    def level(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("level", str(children[0]), self._span(meta))

    def rule_decl(self, meta: Meta, children: list[Any]) -> ast.RuleDecl:
        abstract = False
        if isinstance(children[0], Clause) and children[0].kind == "abstract":
            abstract, children = True, children[1:]
        kind = children[0].value
        name = str(children[1])
        title, sources, rest = self._header(children[2:])
        level = None
        type_ref = None
        body = None
        for child in rest:
            if isinstance(child, Clause) and child.kind == "level":
                level = child.value
            elif isinstance(child, ast.TypeRef):
                type_ref = child
            else:
                body = child
        return ast.RuleDecl(
            kind,
            name,
            body,
            title=title,
            sources=tuple(sources),
            level=level,
            type=type_ref,
            abstract=abstract,
            span=self._span(meta),
        )

    # ---------------------------------------------------------------- tests
    def test_decl(self, meta: Meta, children: list[Any]) -> ast.TestDecl:
        return ast.TestDecl(unescape(children[0]), tuple(children[1:]), span=self._span(meta))

    def test_as_of(self, meta: Meta, children: list[Token]) -> ast.TestAsOf:
        return ast.TestAsOf(self._date(children[0]), span=self._span(meta))

    def test_param(self, meta: Meta, children: list[Any]) -> ast.TestParam:
        return ast.TestParam(str(children[0]), children[1], span=self._span(meta))

    def test_household(self, meta: Meta, children: list[Any]) -> ast.TestHousehold:
        fields: tuple[ast.Field, ...] = ()
        members: list[ast.TestMember] = []
        for child in children[1:]:
            if isinstance(child, tuple):
                fields = child
            else:
                members.append(child)
        return ast.TestHousehold(str(children[0]), fields, tuple(members), span=self._span(meta))

    def member(self, meta: Meta, children: list[Any]) -> ast.TestMember:
        fields = children[2] if len(children) > 2 else ()
        return ast.TestMember(
            str(children[0]), self._date(children[1]), fields, span=self._span(meta)
        )

    def test_missing(self, meta: Meta, children: list[Token]) -> ast.TestMissing:
        return ast.TestMissing(tuple(str(c) for c in children), span=self._span(meta))

    def test_row(self, meta: Meta, children: list[Any]) -> ast.TestRow:
        return ast.TestRow(str(children[0]), str(children[1]), children[2], span=self._span(meta))

    def test_expect(self, meta: Meta, children: list[Any]) -> ast.TestExpect:
        household = None
        if isinstance(children[0], Token):
            household, children = str(children[0]), children[1:]
        return ast.TestExpect(household, tuple(children), span=self._span(meta))

    def fields(self, meta: Meta, children: list[ast.Field]) -> tuple[ast.Field, ...]:
        return tuple(children)

    def field(self, meta: Meta, children: list[Any]) -> ast.Field:
        return ast.Field(str(children[0]), children[1], span=self._span(meta))

    def expectation(self, meta: Meta, children: list[Any]) -> ast.Expectation:
        return ast.Expectation(str(children[0]), children[1], span=self._span(meta))

    def name_value(self, meta: Meta, children: list[Token]) -> ast.Name:
        return ast.Name(str(children[0]), span=self._span(meta))

    # ---------------------------------------------------------------- expressions
    def if_expr(self, meta: Meta, children: list[Any]) -> ast.If:
        return ast.If(children[0], children[1], children[2], span=self._span(meta))

    def or_(self, meta: Meta, children: list[Any]) -> ast.Expr:
        if len(children) == 1:
            return children[0]
        return ast.Or(tuple(children), span=self._span(meta))

    def and_(self, meta: Meta, children: list[Any]) -> ast.Expr:
        if len(children) == 1:
            return children[0]
        return ast.And(tuple(children), span=self._span(meta))

    def not_(self, meta: Meta, children: list[Any]) -> ast.Not:
        return ast.Not(children[0], span=self._span(meta))

    def quant(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])

    def members(self, meta: Meta, children: list[Any]) -> ast.Collection:
        return ast.Collection("members", span=self._span(meta))

    def qualified_members(self, meta: Meta, children: list[Any]) -> ast.Collection:
        return ast.Collection("members", str(children[0]), span=self._span(meta))

    def table_ref(self, meta: Meta, children: list[Token]) -> ast.Collection:
        return ast.Collection(str(children[0]), span=self._span(meta))

    def filter(self, meta: Meta, children: list[Any]) -> Clause:
        return Clause("where", tuple(children), self._span(meta))

    def satisfies_body(self, meta: Meta, children: list[Any]) -> Clause:
        return Clause("satisfies", tuple(children), self._span(meta))

    def _quantified(self, quantifier: str, rest: list[Any], span: ast.Span) -> ast.Quantified:
        collection = rest[0]
        where: tuple[ast.Expr, ...] = ()
        has = None
        satisfies: tuple[ast.Expr, ...] = ()
        for child in rest[1:]:
            if isinstance(child, ast.Quantified):
                has = child
            elif child.kind == "where":
                where = child.value
            else:
                satisfies = child.value
        return ast.Quantified(quantifier, collection, where, has, satisfies, span=span)

    def quantified(self, meta: Meta, children: list[Any]) -> ast.Quantified:
        return self._quantified(children[0], children[1:], self._span(meta))

    def has_body(self, meta: Meta, children: list[Any]) -> ast.Quantified:
        quantifier = "any"
        if isinstance(children[0], str) and not isinstance(children[0], Token):
            quantifier, children = children[0], children[1:]
        return self._quantified(quantifier, children, self._span(meta))

    def count(self, meta: Meta, children: list[Any]) -> ast.Aggregate:
        where = children[1].value if len(children) > 1 else ()
        return ast.Aggregate("count", children[0], (), where, span=self._span(meta))

    def count_distinct(self, meta: Meta, children: list[Any]) -> ast.Aggregate:
        values = [c for c in children if isinstance(c, ast.Expr)]
        collection = next(c for c in children if isinstance(c, ast.Collection))
        where = next((c.value for c in children if isinstance(c, Clause)), ())
        return ast.Aggregate(
            "count distinct", collection, tuple(values), where, span=self._span(meta)
        )

    def agg_fn(self, meta: Meta, children: list[Token]) -> Clause:
        return Clause("agg", str(children[0]), self._span(meta))

    def agg(self, meta: Meta, children: list[Any]) -> ast.Aggregate:
        op = children[0].value
        where = children[3].value if len(children) > 3 else ()
        return ast.Aggregate(op, children[2], (children[1],), where, span=self._span(meta))

    def comp_op(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])

    add_op = mul_op = least_most = comp_op

    def compare(self, meta: Meta, children: list[Any]) -> ast.Compare:
        return ast.Compare(children[1], children[0], children[2], span=self._span(meta))

    def in_set(self, meta: Meta, children: list[Any]) -> ast.InSet:
        return ast.InSet(children[0], children[1], False, span=self._span(meta))

    def not_in_set(self, meta: Meta, children: list[Any]) -> ast.InSet:
        return ast.InSet(children[0], children[1], True, span=self._span(meta))

    def in_window(self, meta: Meta, children: list[Any]) -> ast.InWindow:
        date = children[0] if len(children) == 2 else None
        return ast.InWindow(date, children[-1], span=self._span(meta))

    def is_unknown(self, meta: Meta, children: list[Any]) -> ast.IsKnown:
        return ast.IsKnown(children[0], True, span=self._span(meta))

    def is_known(self, meta: Meta, children: list[Any]) -> ast.IsKnown:
        return ast.IsKnown(children[0], False, span=self._span(meta))

    def is_true(self, meta: Meta, children: list[Any]) -> ast.IsTrue:
        return ast.IsTrue(children[0], True, span=self._span(meta))

    def is_false(self, meta: Meta, children: list[Any]) -> ast.IsTrue:
        return ast.IsTrue(children[0], False, span=self._span(meta))

    def arith(self, meta: Meta, children: list[Any]) -> ast.Expr:
        result = children[0]
        for op, right in zip(children[1::2], children[2::2], strict=True):
            span = ast.Span(
                self.file,
                result.span.line,
                result.span.column,
                right.span.end_line,
                right.span.end_column,
            )
            result = ast.Arith(op, result, right, span=span)
        return result

    def neg(self, meta: Meta, children: list[Any]) -> ast.Expr:
        operand = children[0]
        if isinstance(operand, ast.Literal) and operand.kind in ("int", "decimal", "money"):
            return ast.Literal(operand.kind, -operand.value, span=self._span(meta))
        return ast.Negate(operand, span=self._span(meta))

    def at_(self, meta: Meta, children: list[Any]) -> ast.At:
        return ast.At(children[0], children[1], span=self._span(meta))

    def name(self, meta: Meta, children: list[Token]) -> ast.Name:
        return ast.Name(str(children[0]), span=self._span(meta))

    def call(self, meta: Meta, children: list[Any]) -> ast.Call:
        args = tuple(c for c in children[1:] if c is not None)
        return ast.Call(str(children[0]), args, span=self._span(meta))

    def set_literal(self, meta: Meta, children: list[Any]) -> ast.SetLiteral:
        return ast.SetLiteral(tuple(c for c in children if c is not None), span=self._span(meta))

    def at_least(self, meta: Meta, children: list[Any]) -> ast.CountOf:
        op = "at least" if children[0] == "least" else "at most"
        return ast.CountOf(op, int(children[1]), tuple(children[2:]), span=self._span(meta))

    def exactly(self, meta: Meta, children: list[Any]) -> ast.CountOf:
        return ast.CountOf("exactly", int(children[0]), tuple(children[1:]), span=self._span(meta))

    # ---------------------------------------------------------------- literals
    def _date(self, token: Token) -> dt.date:
        try:
            return dt.date.fromisoformat(str(token))
        except ValueError:
            self._bad(
                "E014",
                f"'{token}' is not a real date",
                self._token_span(token),
                "dates are written YYYY-MM-DD, e.g. 2013-04-01",
            )
            return dt.date(1, 1, 1)

    def int_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        return ast.Literal("int", int(children[0]), span=self._span(meta))

    def decimal_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        return ast.Literal("decimal", Decimal(str(children[0])), span=self._span(meta))

    def percent_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        value = Decimal(str(children[0])[:-1]) / 100
        return ast.Literal("percent", value, span=self._span(meta))

    def money_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        text = str(children[0])[1:].replace(",", "")
        try:
            value = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:  # pragma: no cover - the token pattern rules it out
            value = Decimal(0)
        return ast.Literal("money", value, span=self._span(meta))

    def date_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        return ast.Literal("date", self._date(children[0]), span=self._span(meta))

    def duration(self, meta: Meta, children: list[Token]) -> ast.Literal:
        amount, unit = str(children[0]).split()
        unit = _UNITS.get(unit, unit)
        return ast.Literal("duration", ast.Duration(int(amount), unit), span=self._span(meta))

    def text_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        return ast.Literal("text", unescape(children[0]), span=self._span(meta))

    def true_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        return ast.Literal("bool", True, span=self._span(meta))

    def false_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        return ast.Literal("bool", False, span=self._span(meta))

    def unknown_lit(self, meta: Meta, children: list[Token]) -> ast.Literal:
        return ast.Literal("unknown", None, span=self._span(meta))

    def __default__(self, data: str, children: list[Any], meta: Meta) -> Any:
        return Tree(data, children, meta)
