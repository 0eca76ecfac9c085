"""The abstract syntax tree of tfrules files.

Nodes are frozen attrs classes. Every node carries a `Span` (file, line,
column) that takes no part in equality, so two trees that differ only in
layout compare equal: the formatter's round-trip tests rely on that.

Every expression and collection also carries a `node_id`, the key the
checker's annotations are kept under. Like the span it takes no part in
equality, hashing or repr. The parser numbers the nodes of a file in the
order it builds them, from a base drawn from the file's name and text, so
ids are unique within a file, stable for the same text and (the base being a
64-bit digest) distinct between the files of a ruleset. A node built after
parsing (by the formatter's tests, the compiler, a script) takes the next
id of a counter of its own process. Because ids are data, a tree copied,
deep-copied or pickled keeps them, and its annotations with them; a node
made by `attrs.evolve` is a new node and gets a new id, since what was
recorded about the old one need not hold for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from decimal import Decimal
from typing import Literal as TypingLiteral

import attrs


@attrs.frozen
class Span:
    """A region of a source file; lines and columns count from 1."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def unknown(cls, file: str = "<unknown>") -> Span:
        return cls(file, 1, 1, 1, 1)


NO_SPAN = Span.unknown()


@attrs.frozen
class Comment:
    """A `# ...` comment of a source file; the grammar ignores comments, so
    they are not in the tree: the parser collects them for the formatter.

    `text` runs from the `#` to the end of the line, without trailing spaces.
    `own_line` says that nothing but spaces comes before it on its line.
    """

    line: int
    column: int
    text: str
    own_line: bool = True


def span_field() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- node ids

#: Parsed ids lie above this bound (a file's base has its top bit set), ids of
#: nodes built after parsing below it, so the two never meet.
_PARSED_IDS = 1 << 95
#: Ids of nodes built after parsing start at a random block, so that nodes
#: built in two processes (one of them unpickled into the other) differ too.
_built_ids = itertools.count(secrets.randbits(62) << 32)
_numbering: ContextVar[Iterator[int] | None] = ContextVar("node_numbering", default=None)


def _next_node_id() -> int:
    counter = _numbering.get()
    return next(counter if counter is not None else _built_ids)


def file_id_base(file: str, text: str) -> int:
    """The first node id of a parsed file: a digest of its name and text,
    leaving 32 bits for numbering its nodes."""
    digest = hashlib.blake2b(f"{file}\0{text}".encode("utf-8", "surrogatepass"), digest_size=8)
    return _PARSED_IDS | (int.from_bytes(digest.digest(), "big") << 32)


@contextlib.contextmanager
def numbered_from(base: int) -> Iterator[None]:
    """Nodes built inside the block (in this thread) are numbered base, base + 1, ..."""
    token = _numbering.set(itertools.count(base))
    try:
        yield
    finally:
        _numbering.reset(token)


def node_id_field() -> int:
    return attrs.field(factory=_next_node_id, init=False, eq=False, repr=False)


# ---------------------------------------------------------------- expressions


@attrs.frozen
class Expr:
    """Base class of expressions."""

    node_id: int = node_id_field()


LiteralKind = TypingLiteral[
    "int", "decimal", "percent", "money", "date", "duration", "text", "bool", "unknown"
]
DurationUnit = TypingLiteral["days", "weeks", "months", "years", "terms"]


@attrs.frozen
class Duration:
    amount: int
    unit: DurationUnit

    def __str__(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"


@attrs.frozen
class Literal(Expr):
    """A constant. `value` is an int, Decimal (decimal, and percent as a
    fraction: 15% is Decimal('0.15')), Decimal pounds for money, a date, a
    Duration, a str, a bool, or None for `unknown`."""

    kind: LiteralKind
    value: int | Decimal | dt.date | Duration | str | bool | None
    span: Span = span_field()


@attrs.frozen
class Name(Expr):
    """A name: a column, rule, parameter, builtin or category value; the checker decides."""

    name: str
    span: Span = span_field()


@attrs.frozen
class Call(Expr):
    """A builtin function call such as `min(a, b)`."""

    function: str
    args: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class SetLiteral(Expr):
    items: tuple[Expr, ...]
    span: Span = span_field()


BinaryOp = TypingLiteral["+", "-", "*", "/", "of"]
CompareOp = TypingLiteral["=", "!=", "<", "<=", ">", ">="]


@attrs.frozen
class Arith(Expr):
    op: BinaryOp
    left: Expr
    right: Expr
    span: Span = span_field()


@attrs.frozen
class Negate(Expr):
    operand: Expr
    span: Span = span_field()


@attrs.frozen
class Compare(Expr):
    op: CompareOp
    left: Expr
    right: Expr
    span: Span = span_field()


@attrs.frozen
class InSet(Expr):
    """`x in S` or, with `negated`, `x not in S`."""

    item: Expr
    set: Expr
    negated: bool = False
    span: Span = span_field()


@attrs.frozen
class IsKnown(Expr):
    """`x is known` or, with `negated`, `x is unknown`: always true or false."""

    operand: Expr
    negated: bool = False
    span: Span = span_field()


@attrs.frozen
class IsTrue(Expr):
    """`x is true` (or, with `value` False, `x is false`): unknown counts as
    neither, so the result is always true or false. Payments use it: a
    condition that is unknown pays nothing."""

    operand: Expr
    value: bool = True
    span: Span = span_field()


@attrs.frozen
class InWindow(Expr):
    """`d in the last 12 months`; with no `date`, the row's own date (or span,
    or term) in an event filter."""

    date: Expr | None
    length: Expr  # a duration Literal or the Name of a duration parameter
    span: Span = span_field()


@attrs.frozen
class And(Expr):
    operands: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class Or(Expr):
    operands: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class Not(Expr):
    operand: Expr
    span: Span = span_field()


@attrs.frozen
class If(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = span_field()


@attrs.frozen
class At(Expr):
    """`x at d`: the value of `x` with the reference date moved to `d`."""

    operand: Expr
    date: Expr
    span: Span = span_field()


CountOp = TypingLiteral["at least", "at most", "exactly"]


@attrs.frozen
class CountOf(Expr):
    """`at least 2 of [a, b, c]` (also `at most`, `exactly`)."""

    op: CountOp
    count: int
    items: tuple[Expr, ...]
    span: Span = span_field()


@attrs.frozen
class Collection:
    """What a quantifier or aggregate ranges over: `members` (optionally
    `adult members`, meaning members where `adult`) or an event table."""

    name: str  # "members" or a table name
    qualifier: str | None = None
    span: Span = span_field()
    node_id: int = node_id_field()

    @property
    def is_members(self) -> bool:
        return self.name == "members"


Quantifier = TypingLiteral["any", "every", "no"]


@attrs.frozen
class Quantified(Expr):
    """`any members where F1, F2 has ...` / `... satisfies C1, C2`.

    `has` holds the nested quantifier of a `has` body; `satisfies` the
    conditions of a `satisfies` body. At most one of the two is set.
    """

    quantifier: Quantifier
    collection: Collection
    where: tuple[Expr, ...] = ()
    has: Quantified | None = None
    satisfies: tuple[Expr, ...] = ()
    span: Span = span_field()


AggregateOp = TypingLiteral[
    "count", "count distinct", "sum", "lowest", "highest", "latest", "earliest"
]


@attrs.frozen
class Aggregate(Expr):
    """`count C where F`, `count distinct a, b over C`, `sum x over C where F`, ..."""

    op: AggregateOp
    collection: Collection
    values: tuple[Expr, ...] = ()
    where: tuple[Expr, ...] = ()
    span: Span = span_field()


# ---------------------------------------------------------------- declarations


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
