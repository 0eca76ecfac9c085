"""`tfrules fmt`'s engine: one canonical layout for every rule file.

    # comments before the header
    ruleset national.phase1 "Title"
        extends national.base
        uses schema canonical

    overridable parameter absence_threshold "Unauthorised absence": percent
        source "Financial framework (2012), para 3.7"
        = 15%

    parameter adult_age "Age from which a member counts as an adult" = 18

    criterion adult "Aged 18 or over" for person
        = age >= adult_age

Headers start at column 0; their clauses, sources and `= value` are indented
four spaces, table entries and test members eight; one blank line goes
between declarations. Sources come before `= value`. A parameter without
sources whose value fits in the width is one line; a criterion or measure
always has its `= ...` on a line of its own. Clauses come in one order
(ruleset: extends, uses, applies to, runs from, source; entity: table, key, council,
member of, aged by; events: of, dated, spanning, termly, empty when missing).

Expressions are laid out by `format_expr`, comments put back by
`format_comments`. `format_text` refuses a file that does not parse, and
checks its own output: it must parse back to the same tree with the same
comments, or the file is left alone (E017).
"""

from __future__ import annotations

import collections
from collections.abc import Sequence

import attrs

from tfrules import diagnostics as diag
from tfrules.syntax import ast, format_expr, format_mapping
from tfrules.syntax.format_comments import ClauseAnchors, clause_anchors, render
from tfrules.syntax.format_expr import (
    INDENT,
    Line,
    Pos,
    field_value,
    flat,
    layout,
    literal,
    quote,
    start,
    starts,
    type_ref,
)
from tfrules.syntax.grammar import parser
from tfrules.syntax.parser import ParseResult, parse_text

__all__ = ["FormatResult", "format_file", "format_text", "layout_file"]


@attrs.frozen
class FormatResult:
    """The formatted text, or None (with the reasons in `diagnostics`) when
    the input has errors."""

    text: str | None
    diagnostics: tuple[diag.Diagnostic, ...]


def format_text(text: str, file: str = "<text>") -> FormatResult:
    """The canonical layout of a rule file's text, comments kept."""
    parsed = parse_text(text, file)
    if not parsed.ok or parsed.file is None:
        return FormatResult(None, parsed.diagnostics)
    try:
        anchors = clause_anchors(parser().parse(text, start="start"))
        formatted = format_file(parsed.file, parsed.comments, anchors)
    except Exception:  # a node the formatter does not know: never a traceback
        formatted = None
    problem = _check(parsed, formatted, file)
    if problem is not None:
        return FormatResult(None, (*parsed.diagnostics, problem))
    return FormatResult(formatted, parsed.diagnostics)


def format_file(
    ast_file: ast.File,
    comments: Sequence[ast.Comment] = (),
    anchors: ClauseAnchors | None = None,
) -> str:
    """The canonical text of a parsed file, with its comments placed by their
    positions against the tree's spans (and `anchors`, see `format_comments`)."""
    return render(layout_file(ast_file, anchors), comments, ast_file.span.end_line)


def layout_file(ast_file: ast.File, anchors: ClauseAnchors | None = None) -> list[Line | None]:
    """The output lines of a file, without comments; None is a blank line."""
    builder = _Builder(anchors or {})
    if isinstance(ast_file, ast.SchemaFile):
        builder.schema_file(ast_file)
    elif isinstance(ast_file, ast.MappingFile):
        format_mapping.lay_out(builder, ast_file)
    else:
        builder.ruleset_file(ast_file)
    return builder.lines


def _check(parsed: ParseResult, formatted: str | None, file: str) -> diag.Diagnostic | None:
    """A diagnostic if the output does not read back as the input: a bug in
    the formatter, never to be written over someone's file."""
    if formatted is not None:
        again = parse_text(formatted, file)
        comments = collections.Counter(c.text for c in parsed.comments)
        if (
            again.ok
            and again.file == parsed.file
            and comments == collections.Counter(c.text for c in again.comments)
        ):
            return None
    return diag.error(
        "E017",
        "the formatter could not lay out this file without changing it; the file is left as it is",
        ast.Span(file, 1, 1, 1, 1),
        "please report this as a bug in tfrules, with the file",
    )


def _title(title: str | None) -> str:
    return "" if title is None else " " + quote(title)


def _type(ref: ast.TypeRef | None) -> str:
    return "" if ref is None else ": " + type_ref(ref)


def _fields(fields: tuple[ast.Field, ...]) -> str:
    return ", ".join(f"{f.column} {field_value(f.value)}" for f in fields)


def _field_anchors(fields: tuple[ast.Field, ...]) -> tuple[Pos, ...]:
    return tuple(pos for f in fields for pos in start(f) + start(f.value))


class _Builder:
    """Collects the output lines of one file; None is a blank line."""

    def __init__(self, anchors: ClauseAnchors) -> None:
        self.anchors = anchors
        self.lines: list[Line | None] = []

    def add(self, indent: int, text: str, anchors: tuple[Pos, ...] = (), top: bool = False) -> None:
        self.lines.append(Line(indent, text, anchors, top))

    def clause(self, key: tuple[object, ...], text: str, indent: int = INDENT) -> None:
        self.add(indent, text, self.anchors.get(key, ()))

    def expr(self, indent: int, prefix: str, expr: ast.Expr, anchors: tuple[Pos, ...] = ()) -> None:
        """`prefix` and the expression, continuation lines aligned under it."""
        lines = layout(expr, indent + len(prefix))
        self.lines += [lines[0].prefixed(indent, prefix, anchors), *lines[1:]]

    def sources(self, key: tuple[object, ...], sources: tuple[str, ...]) -> None:
        for k, source in enumerate(sources):
            self.clause((*key, "source", k), f"source {quote(source)}")

    # ---------------------------------------------------------------- rulesets
    def ruleset_file(self, f: ast.RulesetFile) -> None:
        self.add(0, f"ruleset {f.name}{_title(f.title)}", start(f), top=True)
        if f.extends is not None:
            self.clause(("extends",), f"extends {f.extends}")
        if f.schema is not None:
            self.clause(("uses",), f"uses schema {f.schema}")
        if f.applies_to:
            self.clause(("applies",), "applies to " + ", ".join(f.applies_to))
        if f.period is not None:
            period = f"runs from {f.period.start.isoformat()} to {f.period.end.isoformat()}"
            self.clause(("runs",), period)
        self.sources((), f.sources)
        for i, decl in enumerate(f.decls):
            self.lines.append(None)
            match decl:
                case ast.ParamDecl():
                    self.param(decl, i)
                case ast.RuleDecl():
                    self.rule(decl, i)
                case ast.TestDecl():
                    self.test(decl)

    def param(self, d: ast.ParamDecl, i: int) -> None:
        modifier = f"{d.modifier} " if d.modifier else ""
        header = f"{modifier}parameter {d.name}{_title(d.title)}{_type(d.type)}"
        value = d.value
        if not d.sources and isinstance(value, ast.Expr):
            short = f"{header} = {flat(value)}"
            if len(short) <= format_expr.WIDTH:  # a parameter is a value: on one line if it can be
                self.add(0, short, start(d) + starts(value), top=True)
                return
        self.add(0, header, start(d), top=True)
        self.sources(("decl", i), d.sources)
        if isinstance(value, ast.YearTable | ast.DateTable):
            by_year = isinstance(value, ast.YearTable)
            self.add(INDENT, "= by financial year" if by_year else "= by date", start(value))
            for key, expr in value.entries:
                when = f"{key}" if by_year else f"from {key.isoformat()}"  # type: ignore[union-attr]
                self.expr(2 * INDENT, f"{when}: ", expr)
            if value.otherwise is not None:
                self.expr(2 * INDENT, "otherwise: ", value.otherwise)
        else:
            self.expr(INDENT, "= ", value)

    def rule(self, d: ast.RuleDecl, i: int) -> None:
        abstract = "abstract " if d.abstract else ""
        level = f" for {d.level}" if d.level else ""
        header = f"{abstract}{d.kind} {d.name}{_title(d.title)}{level}{_type(d.type)}"
        self.add(0, header, start(d), top=True)
        self.sources(("decl", i), d.sources)
        if d.body is not None:
            self.expr(INDENT, "= ", d.body)

    # ---------------------------------------------------------------- tests
    def test(self, d: ast.TestDecl) -> None:
        self.add(0, f"test {quote(d.title)}", start(d), top=True)
        for item in d.items:
            self.test_item(item)

    def test_item(self, item: ast.TestItem) -> None:
        here = start(item)
        match item:
            case ast.TestAsOf():
                self.add(INDENT, f"as of {item.date.isoformat()}", here)
            case ast.TestParam():
                self.expr(INDENT, f"with {item.name} = ", item.value, here)
            case ast.TestHousehold():
                fields = f": {_fields(item.fields)}" if item.fields else ""
                self.add(
                    INDENT, f"household {item.name}{fields}", here + _field_anchors(item.fields)
                )
                for member in item.members:
                    fields = f", {_fields(member.fields)}" if member.fields else ""
                    text = f"member {member.name} born {member.born.isoformat()}{fields}"
                    self.add(2 * INDENT, text, start(member) + _field_anchors(member.fields))
            case ast.TestRow():
                text = f"{item.table} {item.owner}: {_fields(item.fields)}"
                self.add(INDENT, text, here + _field_anchors(item.fields))
            case ast.TestMissing():
                self.add(INDENT, "missing " + ", ".join(item.tables), here)
            case ast.TestExpect():
                household = f"{item.household}: " if item.household else ""
                expected = ", ".join(
                    f"{e.rule} = {field_value(e.value)}" for e in item.expectations
                )
                anchors = tuple(p for e in item.expectations for p in start(e) + start(e.value))
                self.add(INDENT, f"expect {household}{expected}", here + anchors)

    # ---------------------------------------------------------------- schemas
    def schema_file(self, f: ast.SchemaFile) -> None:
        self.add(0, f"schema {f.name}{_title(f.title)}", start(f), top=True)
        self.sources((), f.sources)
        for i, table in enumerate(f.tables):
            self.lines.append(None)
            if isinstance(table, ast.EntityDecl):
                self.entity(table, i)
            else:
                self.events(table, i)

    def entity(self, t: ast.EntityDecl, i: int) -> None:
        self.add(0, f"entity {t.name}{_title(t.title)}", start(t), top=True)
        if t.table is not None:
            self.clause(("decl", i, "table"), f"table {t.table}")
        if t.key is not None:
            self.clause(("decl", i, "key"), f"key {t.key}")
        if t.council is not None:
            self.clause(("decl", i, "council"), f"council {t.council}")
        if t.owner is not None:
            self.clause(("decl", i, "owner"), f"member of {t.owner[0]} by {t.owner[1]}")
        if t.aged_by is not None:
            self.clause(("decl", i, "aged"), f"aged by {t.aged_by}")
        self.columns(t.columns)

    def events(self, t: ast.EventsDecl, i: int) -> None:
        header = f"events {t.name}{_title(t.title)}"
        owner = f"of {t.owner} by {t.owner_key}"
        if len(header) + 1 + len(owner) <= format_expr.WIDTH:
            self.add(
                0, f"{header} {owner}", start(t) + self.anchors.get(("decl", i, "of"), ()), True
            )
        else:
            self.add(0, header, start(t), top=True)
            self.clause(("decl", i, "of"), owner)
        if t.dated is not None:
            self.clause(("decl", i, "dated"), f"dated {t.dated}")
        if t.spanning is not None:
            self.clause(("decl", i, "spanning"), f"spanning {t.spanning[0]} to {t.spanning[1]}")
        if t.termly is not None:
            self.clause(("decl", i, "termly"), f"termly {t.termly[0]}, {t.termly[1]}")
        if t.empty_when_missing:
            self.clause(("decl", i, "empty"), "empty when missing")
        self.columns(t.columns)

    def columns(self, columns: tuple[ast.ColumnDecl, ...]) -> None:
        for c in columns:
            optional = "optional " if c.optional else ""
            default = "" if c.default is None else f" default {literal(c.default)}"
            text = f"{c.name}: {optional}{type_ref(c.type)}{_title(c.title)}{default}"
            self.add(
                INDENT, text, start(c) + starts(c.type) + (starts(c.default) if c.default else ())
            )
