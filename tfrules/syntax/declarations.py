"""The declarations of tfrules files: schemas, rulesets with their parameters,
rules and tests, and mappings. Part of the syntax tree, and read through it
(`tfrules.syntax.ast.RuleDecl`); their expressions are `tfrules.syntax.ast`'s."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

import attrs

from tfrules.syntax.spans import Span, span_field

if TYPE_CHECKING:
    from tfrules.syntax.ast import Expr, Literal, Name


__all__ = [
    "ColumnDecl",
    "ColumnMap",
    "DateTable",
    "Decl",
    "EntityDecl",
    "EventsDecl",
    "Expectation",
    "Field",
    "File",
    "MappingFile",
    "ParamDecl",
    "ParamModifier",
    "Piece",
    "ProgrammePeriod",
    "RuleDecl",
    "RuleKind",
    "RulesetFile",
    "SchemaFile",
    "SourceDecl",
    "SourceKind",
    "TableMap",
    "TestAsOf",
    "TestDecl",
    "TestExpect",
    "TestHousehold",
    "TestItem",
    "TestMember",
    "TestMissing",
    "TestParam",
    "TestRow",
    "TypeRef",
    "ValueLabel",
    "YearTable",
]


@attrs.frozen
class TypeRef:
    """A written type: a type name, `{a, b}`, `set of T`, or `table.column`."""

    name: str | None = None
    values: tuple[str, ...] = ()
    element: TypeRef | None = None
    column: tuple[str, str] | None = None
    span: Span = span_field()


@attrs.frozen
class ColumnDecl:
    name: str
    type: TypeRef
    optional: bool = False
    title: str | None = None
    default: Literal | None = None
    span: Span = span_field()


@attrs.frozen
class EntityDecl:
    name: str
    title: str | None = None
    table: str | None = None  # the data table's name; the entity's name + "s" if not given
    key: str | None = None
    owner: tuple[str, str] | None = None  # (entity, key column)
    aged_by: str | None = None
    columns: tuple[ColumnDecl, ...] = ()
    #: the household column naming each household's council (`council la_code`)
    council: str | None = None
    span: Span = span_field()


@attrs.frozen
class EventsDecl:
    name: str
    owner: str
    owner_key: str
    title: str | None = None
    dated: str | None = None
    spanning: tuple[str, str] | None = None
    termly: tuple[str, str] | None = None
    empty_when_missing: bool = False
    columns: tuple[ColumnDecl, ...] = ()
    span: Span = span_field()


@attrs.frozen
class SchemaFile:
    name: str
    title: str | None = None
    sources: tuple[str, ...] = ()
    tables: tuple[EntityDecl | EventsDecl, ...] = ()
    span: Span = span_field()


@attrs.frozen
class YearTable:
    """A parameter's values by financial year, with a value for other years."""

    entries: tuple[tuple[int, Expr], ...]
    otherwise: Expr | None = None
    span: Span = span_field()


@attrs.frozen
class DateTable:
    """A parameter's values in force from given dates."""

    entries: tuple[tuple[dt.date, Expr], ...]
    otherwise: Expr | None = None
    span: Span = span_field()


ParamModifier = TypingLiteral["overridable", "override"]


@attrs.frozen
class ParamDecl:
    name: str
    value: Expr | YearTable | DateTable
    title: str | None = None
    sources: tuple[str, ...] = ()
    type: TypeRef | None = None
    modifier: ParamModifier | None = None
    span: Span = span_field()


RuleKind = TypingLiteral["criterion", "measure"]


@attrs.frozen
class RuleDecl:
    kind: RuleKind
    name: str
    body: Expr | None  # None for an abstract rule
    title: str | None = None
    sources: tuple[str, ...] = ()
    level: str | None = None  # `for person`; None means household
    type: TypeRef | None = None
    abstract: bool = False
    span: Span = span_field()


@attrs.frozen
class Field:
    """`column value` in a test row."""

    column: str
    value: Literal | Name
    span: Span = span_field()


@attrs.frozen
class TestMember:
    name: str
    born: dt.date
    fields: tuple[Field, ...] = ()
    span: Span = span_field()


@attrs.frozen
class TestHousehold:
    name: str
    fields: tuple[Field, ...] = ()
    members: tuple[TestMember, ...] = ()
    span: Span = span_field()


@attrs.frozen
class TestRow:
    table: str
    owner: str
    fields: tuple[Field, ...] = ()
    span: Span = span_field()


@attrs.frozen
class Expectation:
    rule: str
    value: Literal | Name
    span: Span = span_field()


@attrs.frozen
class TestExpect:
    household: str | None
    expectations: tuple[Expectation, ...]
    span: Span = span_field()


@attrs.frozen
class TestParam:
    name: str
    value: Expr
    span: Span = span_field()


@attrs.frozen
class TestMissing:
    tables: tuple[str, ...]
    span: Span = span_field()


@attrs.frozen
class TestAsOf:
    date: dt.date
    span: Span = span_field()


TestItem = TestAsOf | TestParam | TestHousehold | TestRow | TestMissing | TestExpect


@attrs.frozen
class TestDecl:
    title: str
    items: tuple[TestItem, ...] = ()
    span: Span = span_field()


Decl = ParamDecl | RuleDecl | TestDecl


@attrs.frozen
class ProgrammePeriod:
    """`runs from 2012-04-01 to 2015-03-31`: the period a programme ran in."""

    start: dt.date
    end: dt.date
    span: Span = span_field()

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@attrs.frozen
class RulesetFile:
    name: str
    title: str | None = None
    extends: str | None = None
    schema: str | None = None
    applies_to: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    decls: tuple[Decl, ...] = ()
    span: Span = span_field()
    #: where each code of `applies_to` is written (empty for a tree not parsed)
    applies_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False, kw_only=True)
    #: `runs from ... to ...`: the period the programme ran in
    period: ProgrammePeriod | None = attrs.field(default=None, kw_only=True)


# ---------------------------------------------------------------- mappings

SourceKind = TypingLiteral["file", "table", "query"]


@attrs.frozen
class SourceDecl:
    """`from "Police North.csv" supplied by "North Police" extracted 2015-01-05`,
    or `from database housing table "rent_accounts"` (`query "select ..."`).

    `target` is a file name or glob (kind "file"), a database table or a
    query; `database` names the connection, whose address is given at run time.
    """

    kind: SourceKind
    target: str
    database: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    header_row: int | None = None
    supplied_by: str | None = None
    extracted: dt.date | None = None
    span: Span = span_field()


@attrs.frozen
class Piece:
    """One part of a derived column: literal `text`, or (with `column`) the
    source column headed `text`, cut `before` or `after` a separator."""

    text: str
    column: bool = False
    cut: TypingLiteral["before", "after"] | None = None
    separator: str | None = None
    span: Span = span_field()


@attrs.frozen
class ValueLabel:
    """`"Domestic Abuse", "DA" means domestic_abuse`: what values written in the
    source mean. `value` is a name, a text (`quoted`), or true/false/unknown."""

    labels: tuple[str, ...]
    value: str
    quoted: bool = False
    span: Span = span_field()


@attrs.frozen
class ColumnMap:
    """Where a canonical column comes from: the first of `headings` the source
    has (`"DOB" -> date_of_birth`), or `pieces` joined (`la_code = "E08000035"`,
    `household_id = column "Family Ref" before "/"`); and how its values are
    written: date `formats` (pictures such as "dd/mm/yyyy", or Excel's day
    numbers with `excel_dates`) or an amount's picture, and value `labels`."""

    column: str
    headings: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()
    formats: tuple[str, ...] = ()
    excel_dates: bool = False
    labels: tuple[ValueLabel, ...] = ()
    span: Span = span_field()
    #: Where the `written` line is (it carries no node of its own).
    written_span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class TableMap:
    """`table police_incidents`: its sources (stacked) and its columns."""

    name: str
    sources: tuple[SourceDecl, ...] = ()
    columns: tuple[ColumnMap, ...] = ()
    span: Span = span_field()


@attrs.frozen
class MappingFile:
    """`mapping NAME "Title"`: how a council's extract maps onto a schema."""

    name: str
    title: str | None = None
    schema: str | None = None
    ignore: tuple[str, ...] = ()
    tables: tuple[TableMap, ...] = ()
    span: Span = span_field()


File = SchemaFile | RulesetFile | MappingFile
