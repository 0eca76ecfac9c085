"""Hypothesis strategies for well-formed tfrules ASTs.

Every tree drawn here is one the parser can produce: printed by the
formatter it parses back to an equal tree. That rules out a few shapes the
node classes allow but the grammar cannot give, each noted where it is
excluded (e.g. `Negate` of a number, which the parser folds into a negative
literal; an `Or` of one operand).

Names avoid every keyword of the grammar (`KEYWORDS`, read from the parser's
terminals), which is stricter than needed: the contextual lexer reserves a
keyword only where it could appear, so `count` or `term` are fine names in
many places. Shipped files cover those.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from hypothesis import strategies as st
from lark.lexer import PatternStr

from tfrules.syntax import ast
from tfrules.syntax.grammar import parser

KEYWORDS: frozenset[str] = frozenset(
    t.pattern.value
    for t in parser().terminals
    if isinstance(t.pattern, PatternStr) and t.pattern.value.isidentifier()
)

_POOL = [
    "age", "proven", "kind", "adult", "school_age", "offences", "asb", "attached_on",
    "absence_threshold", "E08000035", "H1", "A", "C", "x", "y", "_tmp", "months", "terms",
]  # fmt: skip

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
names: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(_POOL),
    st.builds(str.__add__, st.sampled_from(_LETTERS), st.text(_LETTERS + "0123456789", max_size=8)),
).filter(lambda n: n not in KEYWORDS)

dotted_names = st.lists(names, min_size=1, max_size=3).map(".".join)

# Text of titles, sources and text literals: anything but a newline (a
# quoted string cannot span lines), with quotes, backslashes and `#` common.
texts: st.SearchStrategy[str] = st.text(
    st.one_of(
        st.sampled_from(list("ab #\"\\'£%\t")),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"),
    ),
    max_size=16,
)
titles = st.none() | texts
sources = st.lists(texts, max_size=2).map(tuple)

DURATION_UNITS = ("days", "weeks", "months", "years", "terms")
durations = st.builds(ast.Duration, st.integers(0, 400), st.sampled_from(DURATION_UNITS))
dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def _decimal(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.builds(
        lambda n, p: Decimal(n).scaleb(-p), st.integers(low, high), st.integers(1, places)
    )


def literals(negative: bool = False) -> st.SearchStrategy[ast.Literal]:
    """Literals of every kind; numbers may be negative where an expression
    allows it (`-3` is a literal there), never in a test field or default."""
    sign = st.sampled_from([1, -1]) if negative else st.just(1)
    ints = st.builds(lambda n, s: n * s, st.integers(0, 10**7), sign)
    decimals = st.builds(lambda d, s: d * s, _decimal(0, 10**5, 3), sign)
    money = st.builds(lambda c, s: Decimal(c).scaleb(-2) * s, st.integers(0, 10**9), sign)
    percents = st.builds(
        lambda n, p: Decimal(n).scaleb(-p - 2), st.integers(0, 10**4), st.integers(0, 2)
    )
    return st.one_of(
        ints.map(lambda v: ast.Literal("int", v)),
        decimals.map(lambda v: ast.Literal("decimal", v)),
        percents.map(lambda v: ast.Literal("percent", v)),
        money.map(lambda v: ast.Literal("money", v)),
        dates.map(lambda v: ast.Literal("date", v)),
        durations.map(lambda v: ast.Literal("duration", v)),
        texts.map(lambda v: ast.Literal("text", v)),
        st.booleans().map(lambda v: ast.Literal("bool", v)),
        st.builds(ast.Literal, st.just("unknown"), st.none()),  # a new node (and id) each time
    )


collections = st.one_of(
    st.builds(ast.Collection, st.just("members"), st.none() | names),
    st.builds(ast.Collection, names),
)


def _is_number(expr: ast.Expr) -> bool:
    return isinstance(expr, ast.Literal) and expr.kind in ("int", "decimal", "money")


EXPR_KINDS = (
    "literal", "name", "call", "set", "count_of", "arith", "negate", "compare", "in_set",
    "is_known", "is_true", "in_window", "and", "or", "not", "if", "at", "quantified", "aggregate",
)  # fmt: skip


# The expression strategies are composite, so that a strategy's repr (which
# Hypothesis computes) stays short instead of growing with each level.


@st.composite
def exprs(draw: st.DrawFn, depth: int = 3) -> ast.Expr:
    """Expressions of every kind (`EXPR_KINDS`), nested at most `depth` deep."""
    kind = draw(st.sampled_from(EXPR_KINDS if depth > 0 else EXPR_KINDS[:2]))
    if kind == "literal":
        return draw(literals(negative=True))
    if kind == "name":
        return ast.Name(draw(names))
    return draw(_compound(kind, depth))


def _compound(kind: str, depth: int) -> st.SearchStrategy[ast.Expr]:
    return _compounds(depth)[kind]


@functools.cache
def _compounds(depth: int) -> dict[str, st.SearchStrategy[ast.Expr]]:
    sub = exprs(depth - 1)
    few = st.lists(sub, max_size=3).map(tuple)
    some = st.lists(sub, min_size=1, max_size=3).map(tuple)
    several = st.lists(sub, min_size=2, max_size=3).map(tuple)  # an `and` has 2 operands or more
    window_lengths = durations.map(lambda d: ast.Literal("duration", d)) | names.map(ast.Name)
    return {
        "call": st.builds(ast.Call, names, few),
        "set": st.builds(ast.SetLiteral, few),
        "count_of": st.builds(
            ast.CountOf,
            st.sampled_from(["at least", "at most", "exactly"]),
            st.integers(0, 9),
            some,
        ),
        "arith": st.builds(ast.Arith, st.sampled_from(["+", "-", "*", "/", "of"]), sub, sub),
        # `-3` is the literal -3, never Negate(3): the parser folds it.
        "negate": st.builds(ast.Negate, sub.filter(lambda e: not _is_number(e))),
        "compare": st.builds(
            ast.Compare, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), sub, sub
        ),
        "in_set": st.builds(ast.InSet, sub, sub, st.booleans()),
        "is_known": st.builds(ast.IsKnown, sub, st.booleans()),
        "is_true": st.builds(ast.IsTrue, sub, st.booleans()),
        "in_window": st.builds(ast.InWindow, st.none() | sub, window_lengths),
        "and": st.builds(ast.And, several),
        "or": st.builds(ast.Or, several),
        "not": st.builds(ast.Not, sub),
        "if": st.builds(ast.If, sub, sub, sub),
        "at": st.builds(ast.At, sub, sub),
        "quantified": quantifieds(depth),
        "aggregate": aggregates(depth),
    }


@st.composite
def quantifieds(draw: st.DrawFn, depth: int = 2) -> ast.Quantified:
    """`any/every/no C where ...` with no body, a `has` body (itself a
    quantifier) or a `satisfies` body."""
    sub = exprs(depth - 1)
    quantifier = draw(st.sampled_from(["any", "every", "no"]))
    collection = draw(collections)
    where = tuple(draw(st.lists(sub, max_size=2)))
    body = draw(
        st.sampled_from(["none", "has", "satisfies"] if depth > 1 else ["none", "satisfies"])
    )
    if body == "has":
        return ast.Quantified(quantifier, collection, where, has=draw(quantifieds(depth - 1)))
    if body == "satisfies":
        satisfies = tuple(draw(st.lists(sub, min_size=1, max_size=2)))
        return ast.Quantified(quantifier, collection, where, satisfies=satisfies)
    return ast.Quantified(quantifier, collection, where)


@st.composite
def aggregates(draw: st.DrawFn, depth: int = 2) -> ast.Aggregate:
    """`count C`, `count distinct a, b over C`, `sum x over C`, ... with filters."""
    sub = exprs(depth - 1)
    op = draw(
        st.sampled_from(
            ["count", "count distinct", "sum", "lowest", "highest", "latest", "earliest"]
        )
    )
    collection = draw(collections)
    where = tuple(draw(st.lists(sub, max_size=2)))
    if op == "count":
        values: tuple[ast.Expr, ...] = ()
    elif op == "count distinct":
        values = tuple(draw(st.lists(sub, min_size=1, max_size=2)))
    else:
        values = (draw(sub),)
    return ast.Aggregate(op, collection, values, where)


# ---------------------------------------------------------------- declarations


def type_refs(depth: int = 2) -> st.SearchStrategy[ast.TypeRef]:
    simple = st.one_of(
        names.map(lambda n: ast.TypeRef(name=n)),
        st.lists(names, min_size=1, max_size=3).map(lambda vs: ast.TypeRef(values=tuple(vs))),
        st.tuples(names, names).map(lambda c: ast.TypeRef(column=c)),
    )
    if depth <= 0:
        return simple
    return simple | type_refs(depth - 1).map(lambda t: ast.TypeRef(element=t))


def _table(kind: type, key: st.SearchStrategy, depth: int) -> st.SearchStrategy:
    entries = st.lists(st.tuples(key, exprs(depth)), min_size=1, max_size=3).map(tuple)
    return st.builds(kind, entries, st.none() | exprs(depth))


def param_decls(depth: int = 2) -> st.SearchStrategy[ast.ParamDecl]:
    values = st.one_of(
        exprs(depth),
        _table(ast.YearTable, st.integers(0, 3000), depth),
        _table(ast.DateTable, dates, depth),
    )
    return st.builds(
        ast.ParamDecl,
        names,
        values,
        titles,
        sources,
        st.none() | type_refs(),
        st.sampled_from([None, "overridable", "override"]),
    )


def rule_decls(depth: int = 2) -> st.SearchStrategy[ast.RuleDecl]:
    return st.builds(
        ast.RuleDecl,
        st.sampled_from(["criterion", "measure"]),
        names,
        st.none() | exprs(depth),
        titles,
        sources,
        st.none() | names,
        st.none() | type_refs(),
        st.booleans(),
    )


field_values = literals() | names.map(ast.Name)
fields = st.lists(st.builds(ast.Field, names, field_values), max_size=3).map(tuple)
some_fields = st.lists(st.builds(ast.Field, names, field_values), min_size=1, max_size=3).map(tuple)


def case_items(depth: int = 2) -> st.SearchStrategy[ast.TestItem]:
    members = st.lists(st.builds(ast.TestMember, names, dates, fields), max_size=2).map(tuple)
    expectations = st.lists(st.builds(ast.Expectation, names, field_values), min_size=1, max_size=3)
    return st.one_of(
        st.builds(ast.TestAsOf, dates),
        st.builds(ast.TestParam, names, exprs(depth)),
        st.builds(ast.TestHousehold, names, fields, members),
        st.builds(ast.TestRow, names, names, some_fields),
        st.builds(ast.TestMissing, st.lists(names, min_size=1, max_size=3).map(tuple)),
        st.builds(ast.TestExpect, st.none() | names, expectations.map(tuple)),
    )


def case_decls(depth: int = 2) -> st.SearchStrategy[ast.TestDecl]:
    return st.builds(ast.TestDecl, texts, st.lists(case_items(depth), max_size=4).map(tuple))


def ruleset_files(depth: int = 2) -> st.SearchStrategy[ast.RulesetFile]:
    decls = st.one_of(param_decls(depth), rule_decls(depth), case_decls(depth))
    return st.builds(
        ast.RulesetFile,
        dotted_names,
        titles,
        st.none() | dotted_names,
        st.none() | names,
        st.lists(names, max_size=3).map(tuple),
        sources,
        st.lists(decls, max_size=4).map(tuple),
    )


# ---------------------------------------------------------------- schemas

columns = st.builds(
    ast.ColumnDecl, names, type_refs(1), st.booleans(), titles, st.none() | literals()
)
_pairs = st.none() | st.tuples(names, names)

entity_decls = st.builds(
    ast.EntityDecl,
    names,
    titles,
    st.none() | names,
    st.none() | names,
    _pairs,
    st.none() | names,
    st.lists(columns, max_size=3).map(tuple),
    council=st.none() | names,
)
events_decls = st.builds(
    ast.EventsDecl,
    names,
    names,
    names,
    titles,
    st.none() | names,
    _pairs,
    _pairs,
    st.booleans(),
    st.lists(columns, max_size=3).map(tuple),
)
schema_files = st.builds(
    ast.SchemaFile,
    names,
    titles,
    sources,
    st.lists(entity_decls | events_decls, max_size=3).map(tuple),
)


# ---------------------------------------------------------------- mappings

_options = st.fixed_dictionaries(
    {},
    optional={
        "sheet": texts,
        "delimiter": texts,
        "encoding": texts,
        "header_row": st.integers(0, 99),
        "supplied_by": texts,
        "extracted": dates,
    },
)
file_sources = st.builds(
    lambda target, options: ast.SourceDecl("file", target, **options), texts, _options
)
database_sources = st.builds(
    lambda kind, target, database, options: ast.SourceDecl(kind, target, database, **options),
    st.sampled_from(["table", "query"]),
    texts,
    names,
    _options,
)
pieces = st.one_of(
    st.builds(ast.Piece, texts),
    st.builds(ast.Piece, texts, st.just(True)),
    st.builds(ast.Piece, texts, st.just(True), st.sampled_from(["before", "after"]), texts),
)
value_labels = st.one_of(
    st.builds(ast.ValueLabel, st.lists(texts, min_size=1, max_size=3).map(tuple), names),
    st.builds(
        ast.ValueLabel,
        st.lists(texts, min_size=1, max_size=2).map(tuple),
        st.sampled_from(["true", "false", "unknown"]),
    ),
    st.builds(
        ast.ValueLabel, st.lists(texts, min_size=1, max_size=2).map(tuple), texts, st.just(True)
    ),
)
_readings = {
    "formats": st.lists(texts, max_size=2).map(tuple),
    "excel_dates": st.booleans(),
    "labels": st.lists(value_labels, max_size=3).map(tuple),
}
column_maps = st.one_of(
    st.builds(
        ast.ColumnMap,
        names,
        headings=st.lists(texts, min_size=1, max_size=3).map(tuple),
        **_readings,
    ),
    st.builds(
        ast.ColumnMap,
        names,
        pieces=st.lists(pieces, min_size=1, max_size=3).map(tuple),
        **_readings,
    ),
)
table_maps = st.builds(
    ast.TableMap,
    names,
    st.lists(file_sources | database_sources, max_size=3).map(tuple),
    st.lists(column_maps, max_size=4).map(tuple),
)
mapping_files = st.builds(
    ast.MappingFile,
    names,
    titles,
    st.none() | names,
    st.lists(texts, max_size=3).map(tuple),
    st.lists(table_maps, max_size=3).map(tuple),
)


def files(depth: int = 2) -> st.SearchStrategy[ast.File]:
    return ruleset_files(depth) | schema_files | mapping_files
