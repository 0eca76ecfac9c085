"""Hypothesis strategies for well-typed rule text over the canonical schema.

`rulesets()` draws the text of a small ruleset (`ruleset gen.t "x"`, `uses
schema canonical`, parameters, `for person` helper rules, household rules)
built by type: every expression is generated for the type its place needs,
in a context that says what is in reach (the household; a member; a row of
an event table, with or without its member), so almost every drawn ruleset
checks clean with the real checker. Tests still `assume()` that it does.

The generator knows the surface grammar's levels (`tfrules.lark`): operands
of a comparison are sums, filter items after `where` and `satisfies` are
comparisons (`not` allowed), items of `[...]`, `{...}` and call arguments
are `and`/`or` of comparisons, an `if` swallows everything after `else`, and
`x at d` takes an atom as its date. Every generated piece carries its level
and is parenthesised only where its place needs it, so the parser's
precedence is exercised as written.

Covered: quantifiers (`any`/`every`/`no`, members with qualifiers, member ->
events `has` bodies, `satisfies`), aggregates (`count`, `count distinct`,
`sum`, `lowest`, `highest`, `latest`, `earliest` over members, events via
members, a member's own events and household events), windows (`in the last
N days/weeks/months/years/terms`, row form on dated, spanning and termly
tables, date form anywhere), `at` (a household date, a literal date, or a
row's own date such as `age at offence_date`), arithmetic on ints, decimals,
percents, money and durations (`of`, division, money x percent), dates
plus durations and date differences, comparisons, `and`/`or`/`not`,
`unknown`, `if`/`then`/`else`, `in {...}` and `in` a set parameter,
`at least`/`at most`/`exactly N of [...]`, `is known`/`is unknown`/`is true`/
`is false`, `min`/`max`/`first_known`/`financial_year`, parameters (scalars,
sets, tables by financial year and by date) and earlier rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from .data_strategies import CATEGORIES

# ---------------------------------------------------------------- precedence levels

IF, OR, AND, NOT, CMP, SUM, PROD, UNARY, POSTFIX, ATOM = range(10)

HOUSEHOLD, PERSON, EVENT = 0, 1, 2


@attrs.frozen
class E:
    """A generated expression: its text, grammar level and entity level.

    `item_ok`: may stand as an item of a list, set or call (an `and`/`or`
    of comparisons); `cond_ok`: may stand after `where`/`satisfies` (a
    comparison, maybe under `not`). `aggregates`: reads a rule, quantifier
    or aggregate (cannot be moved to a row's own date).
    """

    text: str
    prec: int
    level: int = HOUSEHOLD
    item_ok: bool = True
    cond_ok: bool = True
    aggregates: bool = False
    #: the type is `unknown` itself (a bare `unknown`, or made only of it)
    null: bool = False


UNKNOWN = E("unknown", ATOM, null=True)


def paren(e: E) -> E:
    return attrs.evolve(e, text=f"({e.text})", prec=ATOM, item_ok=True, cond_ok=True)


def need(e: E, prec: int, *, item: bool = False, cond: bool = False) -> E:
    """`e` as it must be written where level `prec` is expected; `item`: as an
    item of a list (`and`/`or` of comparisons), `cond`: after `where` or
    `satisfies` (a comparison, maybe under `not`)."""
    if cond:
        fits = e.cond_ok
    elif item:
        fits = e.prec >= OR and e.item_ok
    else:
        fits = e.prec >= prec
    return e if fits else paren(e)


def leaf(text: str, prec: int = ATOM, level: int = HOUSEHOLD) -> E:
    return E(text, prec, level)


def join(parts: Sequence[E], text: str, prec: int, **kw: Any) -> E:
    return E(
        text,
        prec,
        max((p.level for p in parts), default=HOUSEHOLD),
        aggregates=any(p.aggregates for p in parts),
        **kw,
    )


# ---------------------------------------------------------------- types and the schema

BOOL, INT, DEC, PCT, MONEY, DATE, DAYS, MONTHS, TERMS, TEXT = (
    "bool", "int", "decimal", "percent", "money", "date", "days", "months", "terms", "text",
)  # fmt: skip
NUMERIC = (INT, DEC, PCT)
TYPE_NAMES = {BOOL: "bool"}
ORDERED = (INT, DEC, PCT, MONEY, DATE, DAYS, MONTHS)


def cat(column: str) -> str:
    return f"cat:{column}"


#: The allowed values of each category column, as docs/data-model.md lists them.
CATEGORY_VALUES: dict[str, tuple[str, ...]] = CATEGORIES

#: Event tables: owner ("person"/"household"), how rows are placed in time, columns by type.
TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "school_terms": ("person", "termly", {
        "academic_year": INT, "term": cat("term"), "sessions_possible": INT,
        "sessions_authorised_absence": INT, "sessions_unauthorised_absence": INT,
        "fixed_exclusions": INT, "permanently_excluded": BOOL, "alternative_provision": BOOL,
        "on_roll": BOOL,
    }),
    "offences": ("person", "dated", {"offence_date": DATE, "proven": BOOL}),
    "asb": ("person", "dated", {"recorded_on": DATE, "kind": cat("kind")}),
    "benefit_claims": ("person", "span", {
        "benefit": cat("benefit"), "start_date": DATE, "end_date": DATE,
    }),
    "employment_spells": ("person", "span", {"start_date": DATE, "end_date": DATE}),
    "work_referrals": ("person", "dated", {"referred_on": DATE, "programme": cat("programme")}),
    "social_care": ("person", "span", {
        "status": cat("status"), "start_date": DATE, "end_date": DATE,
    }),
    "police_incidents": ("person", "dated", {
        "incident_date": DATE, "category": cat("category"),
    }),
    "health": ("person", "dated", {"condition": cat("condition"), "recorded_on": DATE}),
    "custody": ("person", "span", {"start_date": DATE, "end_date": DATE}),
    "housing": ("household", "dated", {
        "recorded_on": DATE, "rent_arrears": MONEY, "eviction_notice": BOOL,
    }),
    "claims": ("household", "dated", {"claimed_on": DATE, "claim": cat("claim"), "amount": MONEY}),
}  # fmt: skip
PERSON_TABLES = tuple(t for t, (owner, _, _) in TABLES.items() if owner == "person")
HOUSEHOLD_TABLES = tuple(t for t, (owner, _, _) in TABLES.items() if owner == "household")

HOUSEHOLD_COLUMNS = {"attached_on": DATE, "la_code": TEXT}
PERSON_COLUMNS = {"date_of_birth": DATE}

DATES = (
    dt.date(2012, 4, 1), dt.date(2013, 3, 31), dt.date(2012, 2, 29), dt.date(2013, 4, 1),
    dt.date(2012, 8, 1), dt.date(2012, 4, 8), dt.date(2014, 4, 21), dt.date(2011, 12, 31),
)  # fmt: skip
LA_CODES = ('"E08000035"', '"E06000001"', '"x"')


@attrs.frozen
class Ctx:
    """Where an expression stands.

    `level` household, person or event; `table` the event table of a row;
    `person` whether a member is in reach (a person rule, `age` and the
    member's columns); `local` inside `x at d` with a member's or a row's
    date: no rules, quantifiers or aggregates there.
    """

    level: int = HOUSEHOLD
    table: str | None = None
    person: bool = False
    local: bool = False

    def element(self, collection: str) -> Ctx:
        """The context of one element of `collection` ("members" or a table) seen from here."""
        if collection == "members":
            return Ctx(PERSON, None, True)
        owner = TABLES[collection][0]
        return Ctx(EVENT, collection, owner == "person")

    def columns(self) -> dict[str, str]:
        found = dict(HOUSEHOLD_COLUMNS)
        if self.person:
            found.update(PERSON_COLUMNS)
        if self.table is not None:
            found.update(TABLES[self.table][2])
        return found

    @property
    def can_aggregate(self) -> bool:
        return self.level < EVENT and not self.local


@attrs.define
class Param:
    name: str
    type: str
    text: str  # the declaration


@attrs.define
class Rule:
    name: str
    type: str
    person: bool


@attrs.frozen
class GeneratedRuleset:
    text: str
    rules: tuple[str, ...]  # household rules, in order
    tables: frozenset[str]  # event tables the rules read
    #: household criteria of the form `any ... has/where ...` over events (monotone in events)
    monotone: tuple[str, ...] = ()


# ---------------------------------------------------------------- the generator


class RuleGen:
    """Draws well-typed expressions; `draw` is Hypothesis' draw function."""

    def __init__(self, draw: st.DrawFn, tables: Sequence[str] | None = None) -> None:
        self.draw = draw
        self.params: list[Param] = []
        self.rules: list[Rule] = []
        self.tables_used: set[str] = set()
        self.tables = tuple(tables) if tables is not None else tuple(TABLES)
        self.used: set[str] = set()  # person rules read by a household rule

    # -------------------------------------------------------------- drawing
    def pick(self, options: Sequence[Any]) -> Any:
        return self.draw(st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def chance(self, one_in: int) -> bool:
        return self.integer(1, one_in) == 1

    def choose(self, productions: Sequence[Callable[[], E | None]]) -> E:
        """The first production (tried in a drawn order) that applies."""
        order = list(range(len(productions)))
        first = self.integer(0, len(order) - 1)
        order = order[first:] + order[:first]
        for index in order:
            found = productions[index]()
            if found is not None:
                return found
        raise AssertionError("no production applies")  # pragma: no cover

    # -------------------------------------------------------------- names
    def param(self, type_: str, make: Callable[[str], str] | None = None) -> E:
        """A parameter of `type_`: an existing one or a new one."""
        existing = [p for p in self.params if p.type == type_]
        if existing and self.chance(2):
            return leaf(self.pick(existing).name)
        name = f"p_{len(self.params) + 1}"
        text = make(name) if make is not None else f"parameter {name} = {self.constant(type_)}"
        self.params.append(Param(name, type_, text))
        return leaf(name)

    def constant(self, type_: str) -> str:
        """A literal of `type_` written as a parameter value."""
        if type_ == INT:
            return self.pick(("3", "0", "18", "-2", "15", "1"))
        if type_ == DEC:
            return self.pick(("2.5", "0.15", "1.0", "0.333333"))
        if type_ == PCT:
            return self.pick(("15%", "60%", "33%", "0%", "100%", "12.5%"))
        if type_ == MONEY:
            return self.pick(("£500", "£4,000", "£0", "£0.01", "£1,234.56"))
        if type_ == DATE:
            return str(self.pick(DATES))
        if type_ == DAYS:
            return self.pick(("26 weeks", "13 weeks", "7 days", "0 days", "1 week"))
        if type_ == MONTHS:
            return self.pick(("12 months", "6 months", "1 month", "1 year", "0 months"))
        if type_ == TERMS:
            return self.pick(("3 terms", "1 term", "2 terms", "0 terms"))
        if type_ == TEXT:
            return self.pick(LA_CODES)
        raise AssertionError(type_)  # pragma: no cover

    def rule_ref(self, type_: str, ctx: Ctx) -> E | None:
        if ctx.local:
            return None
        found = [r for r in self.rules if r.type == type_ and (ctx.person or not r.person)]
        if not found:
            return None
        rule = self.pick(found)
        self.used.add(rule.name)
        return E(rule.name, ATOM, PERSON if rule.person else HOUSEHOLD, aggregates=True)

    def column(self, type_: str, ctx: Ctx) -> E | None:
        found = [name for name, t in ctx.columns().items() if t == type_]
        if not found:
            return None
        name = self.pick(found)
        level = (
            EVENT
            if ctx.table is not None and name in TABLES[ctx.table][2]
            else PERSON
            if name in PERSON_COLUMNS
            else HOUSEHOLD
        )
        return leaf(name, ATOM, level)

    # -------------------------------------------------------------- entry
    def expr(self, type_: str, ctx: Ctx, depth: int) -> E:
        if type_.startswith("cat:"):
            return self.category_value_expr(type_[4:], ctx, depth)
        method = getattr(self, f"gen_{type_}")
        return method(ctx, depth)

    # -------------------------------------------------------------- shared productions
    def _common(self, type_: str, ctx: Ctx, depth: int) -> list[Callable[[], E | None]]:
        """Productions every type has: if/then/else, min/max/first_known, at, rules, params."""
        found: list[Callable[[], E | None]] = [lambda: self.rule_ref(type_, ctx)]
        if depth <= 0:
            return found
        found.append(lambda: self.if_expr(type_, ctx, depth))
        found.append(lambda: self.at_expr(type_, ctx, depth))
        found.append(lambda: self.first_known(type_, ctx, depth))
        if type_ in ORDERED:
            found.append(lambda: self.min_max(type_, ctx, depth))
        return found

    def if_expr(self, type_: str, ctx: Ctx, depth: int) -> E:
        condition = self.gen_bool(ctx, depth - 1)
        then = self.expr(type_, ctx, depth - 1)
        otherwise = self.expr(type_, ctx, depth - 1)
        if self.chance(10):
            then = UNKNOWN  # `if not attached then unknown else ...`: the guard of results
            if self.chance(2):
                condition = self.attachment_guard(condition, unknown_when=True)
        elif self.chance(10):
            otherwise = UNKNOWN
            if self.chance(2):
                condition = self.attachment_guard(condition, unknown_when=False)
        elif self.chance(8):
            otherwise = then  # the same value both ways: known even when the condition is not
        parts = [condition, then, otherwise]
        found = join(
            parts,
            f"if {condition.text} then {then.text} else {otherwise.text}",
            IF,
            item_ok=False,
            cond_ok=False,
        )
        return attrs.evolve(found, null=then.null and otherwise.null)

    def attachment_guard(self, condition: E, unknown_when: bool) -> E:
        """A condition that says whether `attached_on` is known, so that the
        branch it leaves for a value is needed only where the date is known (or,
        with the condition it is given, only where that holds too)."""
        other = need(condition, NOT)
        if unknown_when:  # `if <guard> then unknown else X`: X where the guard is false
            texts = (
                "attached_on is unknown",
                "not (attached_on is known)",
                f"attached_on is unknown or {other.text}",
            )
        else:  # `if <guard> then X else unknown`: X where the guard is true
            texts = ("attached_on is known", f"attached_on is known and {other.text}")
        text = self.pick(texts)
        if text.endswith(other.text) and text != other.text:
            prec = OR if unknown_when else AND
            return join([condition], text, prec, item_ok=False, cond_ok=False)
        return join([], text, NOT if text.startswith("not") else CMP)

    def min_max(self, type_: str, ctx: Ctx, depth: int) -> E:
        args = [self.expr(type_, ctx, depth - 1) for _ in range(self.integer(2, 3))]
        args = [need(a, OR, item=True) for a in args]
        function = self.pick(("min", "max"))
        return join(args, f"{function}({', '.join(a.text for a in args)})", ATOM)

    def first_known(self, type_: str, ctx: Ctx, depth: int) -> E:
        args = [self.expr(type_, ctx, depth - 1) for _ in range(self.integer(2, 3))]
        if self.chance(3):
            args[0] = UNKNOWN
        args = [need(a, OR, item=True) for a in args]
        found = join(args, f"first_known({', '.join(a.text for a in args)})", ATOM)
        return attrs.evolve(found, null=all(a.null for a in args))

    def at_expr(self, type_: str, ctx: Ctx, depth: int) -> E | None:
        """`x at d`: d a household date (any x) or a member's/row's date (plain x)."""
        date = self.at_date(ctx, depth)
        inner = ctx if date.level == HOUSEHOLD else attrs.evolve(ctx, local=True)
        operand = need(self.expr(type_, inner, depth - 1), POSTFIX)
        found = join([operand, date], f"{operand.text} at {date.text}", POSTFIX)
        return attrs.evolve(found, null=operand.null)

    def at_date(self, ctx: Ctx, depth: int) -> E:
        options: list[Callable[[], E | None]] = [
            lambda: leaf("attached_on"),
            lambda: leaf("attached_on"),
            lambda: leaf(str(self.pick(DATES))),
            lambda: leaf("as_of"),
            lambda: self.param(DATE),
            lambda: self.column(DATE, ctx),
            lambda: self.column(DATE, ctx),
        ]
        if depth > 1:
            options.append(lambda: paren(self.gen_date(ctx, depth - 2)))
        return need(self.choose(options), ATOM)

    def arith(self, left: E, op: str, right: E, *, same_type: bool = False) -> E:
        """`left op right`; where both sides have the result's type (`same_type`),
        now and then `unknown` on the right (it takes the other side's type)."""
        if same_type and op in ("+", "-") and not left.null and self.chance(20):
            right = UNKNOWN
        low = SUM if op in ("+", "-") else PROD
        left = need(left, low)
        right = need(right, low + 1 if op in ("+", "-") else UNARY)
        return join([left, right], f"{left.text} {op} {right.text}", low)

    def negate(self, operand: E) -> E:
        operand = need(operand, UNARY)
        text = operand.text
        return join([operand], f"- {text}" if text.startswith("-") else f"-{text}", UNARY)

    # -------------------------------------------------------------- bool
    def gen_bool(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: UNKNOWN if self.chance(4) else self.pick((leaf("true"), leaf("false"))),
            lambda: self.column(BOOL, ctx),
            lambda: self.column(BOOL, ctx),
            lambda: self.column(BOOL, ctx),
            lambda: self.row_builtin_bool(ctx),
            lambda: self.row_window(ctx),
            lambda: self.row_window(ctx),
            *self._common(BOOL, ctx, depth),
        ]
        found += [lambda: self.idiom(ctx), lambda: self.idiom(ctx)]
        if depth > 0:
            found += [
                lambda: self.compare(ctx, depth),
                lambda: self.compare(ctx, depth),
                lambda: self.compare(ctx, depth),
                lambda: self.category_test(ctx, depth),
                lambda: self.category_test(ctx, depth),
                lambda: self.date_window(ctx, depth),
                lambda: self.logic(ctx, depth),
                lambda: self.logic(ctx, depth),
                lambda: self.negation(ctx, depth),
                lambda: self.known(ctx, depth),
                lambda: self.count_of(ctx, depth),
                lambda: self.in_set(ctx, depth),
                lambda: self.quantified(ctx, depth),
                lambda: self.quantified(ctx, depth),
                lambda: self.quantified(ctx, depth),
                lambda: self.latest_value(BOOL, ctx, depth),
            ]
        return self.choose(found)

    def idiom(self, ctx: Ctx) -> E | None:
        """A condition of the kind real rules are made of, aimed at the data's edges:
        ages 5/15/16/18, spells that lasted 13 or 26 weeks, events since attachment,
        absence at 15% of sessions."""
        options: list[Callable[[], E | None]] = []
        if ctx.person:
            # a member's age now, or on the date of an event row of theirs
            age = "age"
            if ctx.table is not None and not ctx.local:
                age = f"age at {self.pick(self.row_dates(ctx.table))}"
            limit = self.pick(("18", "5", "16", "15"))
            options += [
                lambda: E(f"{age} {self.pick(('>=', '<', '<=', '>'))} {limit}", CMP, PERSON),
                lambda: E(f"{age} >= 5 and {age} <= 15", AND, PERSON, cond_ok=False),
            ]
        if ctx.table is not None:
            mode = TABLES[ctx.table][1]
            dates = self.row_dates(ctx.table)
            if mode == "span":
                weeks = self.pick(("26 weeks", "13 weeks"))
                since = self.pick((">=", ">", "<="))
                options += [
                    lambda: E(f"lasted {self.pick(('>=', '<'))} {weeks}", CMP, EVENT),
                    lambda: E(f"start_date {since} attached_on", CMP, EVENT),
                    lambda: E("active", ATOM, EVENT),
                ]
            if mode == "dated":
                since = self.pick((">=", "<=", "<"))
                anchor = self.pick(("attached_on", "as_of"))
                options.append(lambda: E(f"{dates[0]} {since} {anchor}", CMP, EVENT))
            if ctx.table == "school_terms":
                options.append(
                    lambda: E(
                        f"sessions_unauthorised_absence {self.pick(('>=', '<'))} "
                        f"{self.pick(('15%', '10%'))} of sessions_possible",
                        CMP,
                        EVENT,
                    )
                )
            options.append(lambda: E(f"in the last {self.usual_length(mode)}", CMP, EVENT))
        if not options:
            return None
        return self.pick(options)()

    @staticmethod
    def row_dates(table: str) -> list[str]:
        """The date columns of an event table (a termly table has none: its term)."""
        return [n for n, t in TABLES[table][2].items() if t == DATE] or ["as_of"]

    def usual_length(self, mode: str) -> str:
        if mode == "termly":
            return "3 terms"
        return self.pick(("12 months", "6 months", "26 weeks", "13 weeks", "3 terms"))

    def row_builtin_bool(self, ctx: Ctx) -> E | None:
        if ctx.table is None or TABLES[ctx.table][1] != "span":
            return None
        return leaf("active", ATOM, EVENT)

    def window_length(self, mode: str) -> E:
        """A window length fitting rows read by `mode` (termly rows: terms)."""
        unit = TERMS if mode == "termly" else self.pick((MONTHS, DAYS, MONTHS, TERMS, DAYS))
        if self.chance(3):
            return self.param(unit)
        if unit == TERMS:
            return leaf(self.pick(("3 terms", "1 term", "2 terms", "0 terms", "6 terms")))
        if unit == MONTHS:
            return leaf(self.pick(("12 months", "6 months", "1 month", "1 year", "3 months")))
        return leaf(self.pick(("26 weeks", "13 weeks", "7 days", "1 day", "0 days", "52 weeks")))

    def row_window(self, ctx: Ctx, *, usual: bool = False) -> E | None:
        if ctx.table is None:
            return None
        mode = TABLES[ctx.table][1]
        if usual and not self.chance(4):
            return E(f"in the last {self.usual_length(mode)}", CMP, EVENT)
        length = self.window_length(mode)
        the = self.pick(("in the last", "in last"))
        return E(f"{the} {length.text}", CMP, EVENT)

    def date_window(self, ctx: Ctx, depth: int) -> E:
        date = need(self.gen_date(ctx, depth - 1), SUM)
        length = self.window_length("dated")
        return join([date], f"{date.text} in the last {length.text}", CMP)

    def compare(self, ctx: Ctx, depth: int) -> E:
        kind = self.pick((INT, INT, NUMERIC, MONEY, DATE, DATE, DAYS, BOOL, TEXT, MONTHS))
        if kind == NUMERIC:
            left = self.expr(self.pick(NUMERIC), ctx, depth - 1)
            right = self.expr(self.pick(NUMERIC), ctx, depth - 1)
        else:
            left = self.expr(kind, ctx, depth - 1)
            right = self.expr(kind, ctx, depth - 1)
        if kind in (BOOL, TEXT):
            op = self.pick(("=", "!="))
        else:
            op = self.pick(("<", "<=", ">", ">=", "=", "!="))
        if self.chance(15):
            right = UNKNOWN
        left, right = need(left, SUM), need(right, SUM)
        return join([left, right], f"{left.text} {op} {right.text}", CMP)

    def category_column(self, ctx: Ctx) -> tuple[str, E] | None:
        """A category-typed value in reach: a column, or the latest of one over a table."""
        found = [(n, t[4:]) for n, t in ctx.columns().items() if t.startswith("cat:")]
        if found:
            name, column = self.pick(found)
            return column, leaf(name, ATOM, EVENT)
        return None

    def category_value_expr(self, column: str, ctx: Ctx, depth: int) -> E:
        """A value of category `column` (a column itself, or latest/earliest of it)."""
        found = self.category_column(ctx)
        if found is not None and found[0] == column:
            return found[1]
        raise AssertionError("category values come from category_test")  # pragma: no cover

    def category_source(self, ctx: Ctx, depth: int) -> tuple[str, E] | None:
        options: list[Callable[[], tuple[str, E] | None]] = [lambda: self.category_column(ctx)]
        if ctx.can_aggregate and depth > 0:
            options.append(lambda: self.latest_category(ctx, depth))
        order = list(range(len(options)))
        first = self.integer(0, len(order) - 1)
        for index in order[first:] + order[:first]:
            found = options[index]()
            if found is not None:
                return found
        return None

    def latest_category(self, ctx: Ctx, depth: int) -> tuple[str, E] | None:
        tables = [
            t
            for t in self.reachable_tables(ctx)
            if any(v.startswith("cat:") for v in TABLES[t][2].values())
        ]
        if not tables:
            return None
        table = self.pick(tables)
        columns = [(n, v[4:]) for n, v in TABLES[table][2].items() if v.startswith("cat:")]
        name, column = self.pick(columns)
        inner = ctx.element(table)
        self.tables_used.add(table)
        where = self.where_clause(inner, depth - 1)
        op = self.pick(("latest", "earliest"))
        text = f"{op} {name} over {table}{where}"
        return column, paren(E(text, NOT, ctx.level, False, False, True))

    def category_test(self, ctx: Ctx, depth: int) -> E | None:
        found = self.category_source(ctx, depth)
        if found is None:
            return None
        column, value = found
        value = need(value, SUM)
        values = CATEGORY_VALUES[column]
        how = self.integer(0, 3)
        if how == 0:
            op = self.pick(("=", "!="))
            return join([value], f"{value.text} {op} {self.pick(values)}", CMP)
        chosen = self.draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
        negated = self.pick(("in", "in", "not in"))
        if how == 1:
            param = self.param(cat(column), lambda n: f"parameter {n} = {{{', '.join(chosen)}}}")
            return join([value], f"{value.text} {negated} {param.text}", CMP)
        return join([value], f"{value.text} {negated} {{{', '.join(chosen)}}}", CMP)

    def in_set(self, ctx: Ctx, depth: int) -> E:
        kind = self.pick((INT, TEXT, INT, DEC, MONEY, DATE, DAYS))
        item = need(self.expr(kind, ctx, depth - 1), SUM)
        parts = [item]
        if kind == TEXT and self.chance(3):
            values = self.param(
                "set:text", lambda n: f'parameter {n} = {{"E08000035", "x", "E06000001"}}'
            ).text
        elif self.chance(10):
            values = "{}"
        else:
            members = []
            for _ in range(self.integer(1, 3)):
                # mostly constants (a set Polars can look up), now and then an expression
                member_kind = self.pick((INT, DEC)) if kind in (INT, DEC) else kind
                member = self.expr(member_kind, ctx, depth - 2 if self.chance(4) else -1)
                members.append(need(member, OR, item=True))
            values = "{" + ", ".join(m.text for m in members) + "}"
            parts += members
        negated = self.pick(("in", "in", "not in"))
        return join(parts, f"{item.text} {negated} {values}", CMP)

    def logic(self, ctx: Ctx, depth: int) -> E:
        op = self.pick(("and", "or"))
        count = self.integer(2, 3)
        level = AND if op == "and" else OR
        parts = [need(self.gen_bool(ctx, depth - 1), level + 1) for _ in range(count)]
        return join(
            parts,
            f" {op} ".join(p.text for p in parts),
            level,
            item_ok=all(p.item_ok for p in parts),
            cond_ok=False,
        )

    def negation(self, ctx: Ctx, depth: int) -> E:
        operand = need(self.gen_bool(ctx, depth - 1), NOT)
        return join(
            [operand],
            f"not {operand.text}",
            NOT,
            item_ok=operand.cond_ok,
            cond_ok=operand.cond_ok,
        )

    def known(self, ctx: Ctx, depth: int) -> E:
        how = self.pick(("is known", "is unknown", "is true", "is false"))
        type_ = (
            BOOL
            if how in ("is true", "is false")
            else self.pick((BOOL, INT, DATE, MONEY, DEC, TEXT))
        )
        operand = need(self.expr(type_, ctx, depth - 1), SUM)
        return join([operand], f"{operand.text} {how}", CMP)

    def count_of(self, ctx: Ctx, depth: int) -> E:
        size = self.integer(1, 4)
        items = [need(self.gen_bool(ctx, depth - 1), OR, item=True) for _ in range(size)]
        op = self.pick(("at least", "at most", "exactly"))
        count = self.integer(0, size)
        text = f"{op} {count} of [{', '.join(i.text for i in items)}]"
        return join(items, text, ATOM)

    # -------------------------------------------------------------- quantifiers and aggregates
    def reachable_tables(self, ctx: Ctx) -> list[str]:
        """Event tables a quantifier or aggregate may range over from `ctx`."""
        if not ctx.can_aggregate:
            return []
        return list(self.tables)

    def collections(self, ctx: Ctx) -> list[str]:
        if not ctx.can_aggregate:
            return []
        found = list(self.reachable_tables(ctx))
        if ctx.level == HOUSEHOLD:
            found += ["members"] * 3
        return found

    def member_qualifier(self) -> str | None:
        """A person criterion to qualify members with (`any adult member`), if any."""
        found = [r.name for r in self.rules if r.person and r.type == BOOL]
        if found and self.chance(3):
            return self.pick(found)
        return None

    def where_clause(self, inner: Ctx, depth: int, *, some: bool = False) -> str:
        if not some and self.chance(3):
            return ""
        conditions = [
            need(self.condition(inner, depth), CMP, cond=True) for _ in range(self.integer(1, 3))
        ]
        if inner.table is not None and self.chance(2):
            # event filters nearly always look at a window in real rules
            conditions.insert(self.integer(0, len(conditions)), self.row_window(inner, usual=True))
        return " where " + ", ".join(c.text for c in conditions)

    def condition(self, ctx: Ctx, depth: int) -> E:
        """A filter condition: most often an idiom of real rules."""
        if not self.chance(4):
            found = self.idiom(ctx)
            if found is not None:
                return found
        return self.gen_bool(ctx, depth)

    def collection_text(self, collection: str) -> str:
        if collection != "members":
            self.tables_used.add(collection)
            return collection
        qualifier = self.member_qualifier()
        word = self.pick(("member", "members"))
        return f"{qualifier} {word}" if qualifier else word

    def quantified(self, ctx: Ctx, depth: int) -> E | None:
        collections = self.collections(ctx)
        if not collections:
            return None
        collection = self.pick(collections)
        inner = ctx.element(collection)
        quantifier = self.pick(("any", "any", "every", "no"))
        text = f"{quantifier} {self.collection_text(collection)}"
        text += self.where_clause(inner, depth - 1)
        body = self.integer(0, 3)
        if body == 1 and collection == "members":
            text += " has " + self.nested(inner, depth - 1)
        elif body >= 2:
            conditions = [
                need(self.condition(inner, depth - 1), CMP, cond=True)
                for _ in range(self.integer(1, 2))
            ]
            text += " satisfies " + ", ".join(c.text for c in conditions)
        return E(text, NOT, ctx.level, False, False, True)

    def nested(self, member: Ctx, depth: int) -> str:
        """The `has` body of a members quantifier: a member's events."""
        tables = [t for t in self.tables if TABLES[t][0] == "person"] or list(self.tables)
        table = self.pick(tables)
        self.tables_used.add(table)
        inner = member.element(table)
        quantifier = self.pick(("", "", "any ", "every ", "no "))
        text = f"{quantifier}{table}" + self.where_clause(inner, depth - 1)
        if self.chance(4):
            condition = need(self.gen_bool(inner, depth - 1), CMP, cond=True)
            text += f" satisfies {condition.text}"
        return text

    def aggregate(self, type_: str, ctx: Ctx, depth: int) -> E | None:
        """An aggregate giving `type_` (count for ints, else sum/lowest/highest/latest/...)."""
        collections = self.collections(ctx)
        if not collections:
            return None
        collection = self.pick(collections)
        inner = ctx.element(collection)
        dated = collection != "members"
        ops: list[str] = []
        if type_ == INT:
            ops += ["count", "count", "count distinct"]
        if type_ in (INT, DEC, PCT, MONEY, DAYS):
            ops.append("sum")
        if type_ in ORDERED:
            ops += ["lowest", "highest"]
        if dated:
            ops += ["latest", "earliest"]
        op = self.pick(ops)
        name = self.collection_text(collection)
        if op == "count":
            text = f"count {name}"
        elif op == "count distinct":
            values = [
                need(self.expr(self.pick((INT, DATE, BOOL, TEXT)), inner, depth - 1), SUM)
                for _ in range(self.integer(1, 2))
            ]
            if collection == "school_terms" and self.chance(2):
                values = [leaf("academic_year"), leaf("term")]
            text = f"count distinct {', '.join(v.text for v in values)} over {name}"
        else:
            value = need(self.expr(type_, inner, depth - 1), SUM)
            text = f"{op} {value.text} over {name}"
        text += self.where_clause(inner, depth - 1)
        return E(text, NOT, ctx.level, False, False, True)

    def latest_value(self, type_: str, ctx: Ctx, depth: int) -> E | None:
        """`latest x over events` for types that have no other aggregate (bool, text)."""
        tables = self.reachable_tables(ctx)
        if not tables:
            return None
        table = self.pick(tables)
        self.tables_used.add(table)
        inner = ctx.element(table)
        value = need(self.expr(type_, inner, depth - 1), SUM)
        op = self.pick(("latest", "earliest"))
        text = f"{op} {value.text} over {table}" + self.where_clause(inner, depth - 1)
        return E(text, NOT, ctx.level, False, False, True, null=value.null)

    # -------------------------------------------------------------- numbers
    def gen_int(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(self.pick(("0", "1", "2", "3", "5", "15", "18", "100", "2012"))),
            lambda: self.column(INT, ctx),
            lambda: self.column(INT, ctx),
            lambda: leaf("age", ATOM, PERSON) if ctx.person else None,
            lambda: self.param(INT),
            *self._common(INT, ctx, depth),
        ]
        if depth > 0:
            found += [
                lambda: self.aggregate(INT, ctx, depth),
                lambda: self.aggregate(INT, ctx, depth),
                lambda: self.aggregate(INT, ctx, depth),
                lambda: self.arith(
                    self.gen_int(ctx, depth - 1),
                    self.pick(("+", "-", "*")),
                    self.gen_int(ctx, depth - 1),
                    same_type=True,
                ),
                lambda: self.negate(self.gen_int(ctx, depth - 1)),
                lambda: self.financial_year(ctx, depth),
                lambda: self.by_year(INT, ("3", "5", "-1"), ctx),
            ]
        return self.choose(found)

    def financial_year(self, ctx: Ctx, depth: int) -> E:
        date = need(self.gen_date(ctx, depth - 1), OR, item=True)
        return join([date], f"financial_year({date.text})", ATOM)

    def gen_decimal(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(
                self.pick(("1.5", "0.25", "2.0", "0.333333", "10.125", "0.0000005", "1.0000001"))
            ),
            lambda: self.param(DEC),
            *self._common(DEC, ctx, depth),
        ]
        if depth > 0:
            found += [
                lambda: self.arith(
                    self.expr(self.pick(NUMERIC), ctx, depth - 1),
                    "/",
                    self.expr(self.pick(NUMERIC), ctx, depth - 1),
                ),
                lambda: self.arith(
                    self.gen_percent(ctx, depth - 1),
                    "of",
                    self.expr(self.pick((INT, DEC)), ctx, depth - 1),
                ),
                lambda: self.arith(
                    self.gen_decimal(ctx, depth - 1),
                    self.pick(("+", "-", "*")),
                    self.expr(self.pick(NUMERIC), ctx, depth - 1),
                ),
                lambda: self.arith(
                    self.gen_money(ctx, depth - 1), "/", self.gen_money(ctx, depth - 1)
                ),
                lambda: self.arith(
                    self.gen_days(ctx, depth - 1), "/", self.gen_days(ctx, depth - 1)
                ),
                lambda: self.negate(self.gen_decimal(ctx, depth - 1)),
                lambda: self.aggregate(DEC, ctx, depth),
            ]
        return self.choose(found)

    def gen_percent(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(
                self.pick(
                    (
                        "15%",
                        "60%",
                        "33%",
                        "100%",
                        "0%",
                        "12.5%",
                        "10%",
                        "50%",
                        "2.5%",
                        "12.3456785%",
                    )
                )
            ),
            lambda: self.param(PCT),
            *self._common(PCT, ctx, depth),
        ]
        if depth > 0:
            found += [
                lambda: self.arith(
                    self.gen_percent(ctx, depth - 1),
                    self.pick(("+", "-")),
                    self.gen_percent(ctx, depth - 1),
                    same_type=True,
                ),
                lambda: self.by_year(PCT, ("40%", "60%", "80%"), ctx),
                lambda: self.negate(self.gen_percent(ctx, depth - 1)),
            ]
        return self.choose(found)

    def gen_money(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(
                self.pick(
                    (
                        "£0",
                        "£500",
                        "£4,000",
                        "£0.01",
                        "£1,234.56",
                        "£3,200",
                        "£0.05",
                        "£0.15",
                        "£2.50",
                    )
                )
            ),
            lambda: self.column(MONEY, ctx),
            lambda: self.param(MONEY),
            *self._common(MONEY, ctx, depth),
        ]
        if depth > 0:
            found += [
                lambda: self.arith(
                    self.gen_money(ctx, depth - 1),
                    self.pick(("+", "-")),
                    self.gen_money(ctx, depth - 1),
                    same_type=True,
                ),
                lambda: self.arith(
                    self.gen_money(ctx, depth - 1),
                    self.pick(("*", "/")),
                    self.expr(self.pick(NUMERIC), ctx, depth - 1),
                ),
                lambda: self.arith(
                    self.expr(self.pick(NUMERIC), ctx, depth - 1),
                    "*",
                    self.gen_money(ctx, depth - 1),
                ),
                lambda: self.arith(
                    self.gen_percent(ctx, depth - 1), "of", self.gen_money(ctx, depth - 1)
                ),
                lambda: self.negate(self.gen_money(ctx, depth - 1)),
                lambda: self.aggregate(MONEY, ctx, depth),
                lambda: self.aggregate(MONEY, ctx, depth),
                lambda: self.by_year(MONEY, ("£3,200", "£2,400", "£1,600", "£0.05"), ctx),
                lambda: self.by_date(MONEY, ("£100", "£200", "£0"), ctx),
            ]
        return self.choose(found)

    def by_year(self, type_: str, values: Sequence[str], ctx: Ctx) -> E:
        """A parameter by financial year, read at the reference date or at a household date."""

        def make(name: str) -> str:
            years = self.draw(
                st.lists(st.integers(2011, 2015), min_size=1, max_size=3, unique=True)
            )
            entries = " ".join(f"{y}: {self.pick(values)}" for y in sorted(years))
            otherwise = "" if self.chance(3) else f" otherwise: {self.pick(values)}"
            declared = f": {type_}" if self.chance(2) else ""
            return f"parameter {name}{declared} = by financial year {entries}{otherwise}"

        return self.param(f"year:{type_}", make)

    def by_date(self, type_: str, values: Sequence[str], ctx: Ctx) -> E:
        def make(name: str) -> str:
            starts = self.draw(
                st.lists(st.sampled_from(DATES), min_size=1, max_size=3, unique=True)
            )
            entries = " ".join(f"from {d}: {self.pick(values)}" for d in sorted(starts))
            otherwise = f" otherwise: {self.pick(values)}" if self.chance(2) else ""
            return f"parameter {name} = by date {entries}{otherwise}"

        return self.param(f"bydate:{type_}", make)

    # -------------------------------------------------------------- time
    def gen_date(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(str(self.pick(DATES))),
            lambda: leaf("attached_on"),
            lambda: leaf("as_of"),
            lambda: self.column(DATE, ctx),
            lambda: self.column(DATE, ctx),
            lambda: self.column(DATE, ctx),
            lambda: self.param(DATE),
            *self._common(DATE, ctx, depth),
        ]
        if depth > 0:
            found += [
                lambda: self.arith(
                    self.gen_date(ctx, depth - 1),
                    self.pick(("+", "-")),
                    self.expr(self.pick((DAYS, MONTHS)), ctx, depth - 1),
                    same_type=True,
                ),
                lambda: self.aggregate(DATE, ctx, depth),
                lambda: self.aggregate(DATE, ctx, depth),
            ]
        return self.choose(found)

    def gen_days(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(
                self.pick(("26 weeks", "13 weeks", "7 days", "0 days", "1 day", "2 weeks"))
            ),
            lambda: (
                leaf("lasted", ATOM, EVENT)
                if ctx.table is not None and TABLES[ctx.table][1] == "span"
                else None
            ),
            lambda: self.param(DAYS),
            *self._common(DAYS, ctx, depth),
        ]
        if depth > 0:
            found += [
                lambda: self.arith(
                    self.gen_date(ctx, depth - 1), "-", self.gen_date(ctx, depth - 1)
                ),
                lambda: self.arith(
                    self.gen_date(ctx, depth - 1), "-", self.gen_date(ctx, depth - 1)
                ),
                lambda: self.arith(
                    self.gen_days(ctx, depth - 1),
                    self.pick(("+", "-")),
                    self.gen_days(ctx, depth - 1),
                ),
                lambda: self.arith(self.gen_days(ctx, depth - 1), "*", self.gen_int(ctx, -1)),
                lambda: self.aggregate(DAYS, ctx, depth),
            ]
        return self.choose(found)

    def gen_months(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(self.pick(("12 months", "6 months", "1 month", "1 year", "0 months"))),
            lambda: self.param(MONTHS),
            *self._common(MONTHS, ctx, depth),
        ]
        if depth > 0:
            found.append(
                lambda: self.arith(
                    self.gen_months(ctx, depth - 1),
                    self.pick(("+", "-")),
                    self.gen_months(ctx, depth - 1),
                )
            )
        return self.choose(found)

    def gen_terms(self, ctx: Ctx, depth: int) -> E:
        return self.choose([lambda: leaf("3 terms"), lambda: self.param(TERMS)])

    def gen_text(self, ctx: Ctx, depth: int) -> E:
        found: list[Callable[[], E | None]] = [
            lambda: leaf(self.pick(LA_CODES)),
            lambda: leaf("la_code"),
            lambda: leaf("la_code"),
            lambda: self.param(TEXT),
            *self._common(TEXT, ctx, depth),
        ]
        if depth > 0:
            found.append(lambda: self.latest_value(TEXT, ctx, depth))
        return self.choose(found)

    # -------------------------------------------------------------- rules
    def data_expr(self, type_: str, ctx: Ctx, depth: int) -> E:
        """An expression of `type_` that reads the data: a quantifier or an aggregate
        at its heart (most rule bodies start here)."""
        depth = max(depth, 1)
        if type_ == BOOL:
            found = self.choose(
                [
                    lambda: self.quantified(ctx, depth),
                    lambda: self.quantified(ctx, depth),
                    lambda: self.quantified(ctx, depth),
                    lambda: self.compare_with(self.aggregate(INT, ctx, depth), INT, ctx, depth),
                    lambda: self.compare_with(self.aggregate(MONEY, ctx, depth), MONEY, ctx, depth),
                    lambda: self.compare_with(self.aggregate(DATE, ctx, depth), DATE, ctx, depth),
                    lambda: self.category_test(ctx, depth),
                    lambda: self.logic(ctx, depth),
                ]
            )
        elif type_ in (INT, MONEY, DATE, DAYS, DEC):
            found = self.choose(
                [
                    lambda: self.aggregate(type_, ctx, depth),
                    lambda: self.aggregate(type_, ctx, depth),
                    lambda: self.expr(type_, ctx, depth),
                ]
            )
        else:
            found = self.expr(type_, ctx, depth)
        return found if found is not None else self.expr(type_, ctx, depth)

    def compare_with(self, left: E | None, type_: str, ctx: Ctx, depth: int) -> E | None:
        if left is None:
            return None
        right = need(self.expr(type_, ctx, depth - 1), SUM)
        left = need(left, SUM)
        op = self.pick(("<", "<=", ">", ">=", "=", "!="))
        return join([left, right], f"{left.text} {op} {right.text}", CMP)

    def use_person_rule(self, rule: Rule, depth: int) -> tuple[str, E]:
        """A household expression over the members that reads person rule `rule`."""
        member = Ctx(PERSON, None, True)
        where = self.where_clause(member, depth - 1)
        if rule.type == BOOL:
            how = self.integer(0, 4)
            if how == 0:
                return INT, E(f"count {rule.name} members{where}", NOT, aggregates=True)
            quantifier = self.pick(("any", "any", "every", "no"))
            if how == 1:
                text = f"{quantifier} member{where} satisfies {rule.name}"
            else:
                text = f"{quantifier} {rule.name} member{where}"
            return BOOL, E(text, NOT, item_ok=False, cond_ok=False, aggregates=True)
        ops = ["lowest", "highest"] if rule.type in ORDERED else []
        if rule.type in (INT, DEC, PCT, MONEY, DAYS):
            ops.append("sum")
        if not ops or self.chance(3):
            value = need(leaf(rule.name, ATOM, PERSON), SUM)
            if rule.type in ORDERED:
                other = need(self.expr(rule.type, member, depth - 1), SUM)
                test = f"{value.text} {self.pick(('>=', '<', '='))} {other.text}"
            else:
                test = f"{value.text} is known"
            return BOOL, E(
                f"any member{where} satisfies {test}",
                NOT,
                item_ok=False,
                cond_ok=False,
                aggregates=True,
            )
        op = self.pick(ops)
        return rule.type, E(
            f"{op} {rule.name} over members{where}",
            NOT,
            item_ok=False,
            cond_ok=False,
            aggregates=True,
        )

    def rule(self, person: bool, depth: int) -> tuple[str, Rule]:
        ctx = Ctx(PERSON, None, True) if person else Ctx()
        type_ = self.pick((BOOL, BOOL, BOOL, INT, MONEY, DATE, DEC, PCT, DAYS, TEXT))
        unused = [r for r in self.rules if r.person and r.name not in self.used]
        if not person and unused and not self.chance(4):
            # person rules matter only where a household rule reads them
            type_, body = self.use_person_rule(unused[0], depth)
            self.used.add(unused[0].name)
        elif self.chance(4):
            body = self.expr(type_, ctx, depth)
        else:
            body = self.data_expr(type_, ctx, depth)
        name = f"{'q' if person else 'r'}_{len(self.rules) + 1}"
        kind = "criterion" if type_ == BOOL else "measure"
        declared = ""
        if body.null or (kind == "measure" and self.chance(4)):
            declared = f": {TYPE_NAMES.get(type_, type_)}"
        level = " for person" if person else ""
        rule = Rule(name, type_, person)
        self.rules.append(rule)
        return f"{kind} {name}{level}{declared} = {body.text}", rule


@st.composite
def rulesets(
    draw: st.DrawFn,
    tables: Sequence[str] | None = None,
    max_person_rules: int = 2,
    min_rules: int = 2,
    max_rules: int = 4,
    depth: int = 3,
) -> GeneratedRuleset:
    """The text of a ruleset of generated rules (named `gen.t`)."""
    gen = RuleGen(draw, tables)
    lines: list[str] = []
    for _ in range(draw(st.integers(0, max_person_rules))):
        lines.append(gen.rule(True, draw(st.integers(1, depth)))[0])
    household: list[str] = []
    for _ in range(draw(st.integers(min_rules, max_rules))):
        text, rule = gen.rule(False, draw(st.integers(1, depth)))
        lines.append(text)
        household.append(rule.name)
    header = ['ruleset gen.t "x"', "uses schema canonical", ""]
    params = [p.text for p in gen.params]
    text = "\n".join([*header, *params, "", *lines, ""])
    return GeneratedRuleset(text, tuple(household), frozenset(gen.tables_used))


def monotone_criteria(draw: st.DrawFn, gen: RuleGen, count: int) -> list[tuple[str, str]]:
    """Household criteria `any ... has <events> where ...` whose value can only
    grow when an event row is added: the filters read the row, its member and
    the household, never a rule, quantifier or aggregate (which could count
    the added row against it)."""
    found = []
    for _ in range(count):
        table = gen.pick([t for t in gen.tables if TABLES[t][0] == "person"] or list(TABLES))
        gen.tables_used.add(table)
        inner = Ctx(EVENT, table, True, local=True)
        conditions = ", ".join(
            need(gen.condition(inner, 1), CMP, cond=True).text
            for _ in range(draw(st.integers(0, 2)))
        )
        where = f" where {conditions}" if conditions else ""
        if draw(st.booleans()):
            member = ", ".join(
                need(gen.condition(Ctx(PERSON, None, True, local=True), 1), CMP, cond=True).text
                for _ in range(draw(st.integers(1, 2)))
            )
            body = f"any member where {member} has {table}{where}"
        else:
            body = f"any {table}{where}"
        name = f"m_{len(gen.rules) + 1}"
        gen.rules.append(Rule(name, BOOL, False))
        found.append((name, f"criterion {name} = {body}"))
    return found


@st.composite
def monotone_rulesets(draw: st.DrawFn, tables: Sequence[str] | None = None) -> GeneratedRuleset:
    """Rulesets whose rules are `any ... has` criteria over events (plus a helper)."""
    gen = RuleGen(draw, tables)
    lines = []
    if draw(st.booleans()):
        lines.append(gen.rule(True, 2)[0])
    rules = monotone_criteria(draw, gen, draw(st.integers(1, 3)))
    lines += [text for _, text in rules]
    header = ['ruleset gen.t "x"', "uses schema canonical", ""]
    text = "\n".join([*header, *(p.text for p in gen.params), "", *lines, ""])
    names = tuple(n for n, _ in rules)
    return GeneratedRuleset(text, names, frozenset(gen.tables_used), names)


__all__ = ["GeneratedRuleset", "RuleGen", "monotone_rulesets", "rulesets"]

_ = Decimal  # documented type of money values
