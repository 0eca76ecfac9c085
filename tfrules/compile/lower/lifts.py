"""Quantifiers and aggregates over a finer frame, lifted into a column of the
frame above.

Three steps keep Polars on its fast paths: row columns in the finer frame
(what each row contributes), plain aggregations of those (sum, max, min,
null count, n_unique) in one group_by, and a row expression in the coarser
frame that turns them into the Kleene result (`lift_parts`). A household or
member with no rows at all gets nulls from the join, read as zero counts,
which gives every quantifier and aggregate its empty value.
"""

from __future__ import annotations

import polars as pl

from tfrules.compile.context import HouseholdDate
from tfrules.compile.errors import CompileError
from tfrules.compile.graph import HOUSEHOLDS, PERSONS, Derived
from tfrules.compile.keys import AggregationKey, ExprKey, LiftKey
from tfrules.compile.lower.lift_parts import lift_parts
from tfrules.compile.lower.rows import member_count, row_column
from tfrules.compile.lower.state import Lowering, Site
from tfrules.compile.nodes import CountTerms, MemberEvents
from tfrules.model import types as T
from tfrules.model.schema import Level
from tfrules.semantics import aggregates as A
from tfrules.semantics import dtypes as D
from tfrules.syntax import ast

I64 = pl.Int64

Lifted = ast.Quantified | ast.Aggregate


def lower_quantified(node: ast.Quantified, site: Site, lo: Lowering) -> pl.Expr:
    return lift(node, site, lo)


def lower_aggregate(node: ast.Aggregate, site: Site, lo: Lowering) -> pl.Expr:
    return lift(node, site, lo)


def lower_member_events(node: MemberEvents, site: Site, lo: Lowering) -> pl.Expr:
    return lift(node.events, site, lo, members_of=node.members)


def lower_count_terms(node: CountTerms, site: Site, lo: Lowering) -> pl.Expr:
    return lift(node.aggregate, site, lo, terms=node.window, counts_terms=True)


def lift(
    node: Lifted,
    site: Site,
    lo: Lowering,
    *,
    members_of: ast.Quantified | None = None,
    terms: int = 0,
    counts_terms: bool = False,
) -> pl.Expr:
    """`node` over its collection, as a column of `site.frame`.

    `members_of` is the member quantifier a flattened `has` came from (see
    `passes.flatten_has`): its qualifier and `where` list join the selection.
    """
    if site.context.is_row_date:
        raise CompileError("a quantifier cannot be evaluated at a row's own date")
    info = lo.facts.collection(node.collection)
    table = info.table
    via_members = info.via_members or members_of is not None
    result_type = T.BOOL if isinstance(node, ast.Quantified) else lo.facts.type_of(node)
    if (
        table.level is Level.EVENT
        and table.name in lo.facts.missing
        and not table.empty_when_missing
    ):
        # a table not supplied has no frame in the graph: decide before using one
        return _not_supplied(node, site, lo, result_type, via_members)
    if table.level is Level.PERSON:
        source, landing = PERSONS, HOUSEHOLDS
        group_key = lo.schema.persons.owner_key
    elif table.owner == lo.schema.persons.name:
        source = table.name
        landing = HOUSEHOLDS if via_members else PERSONS
        # events of every member: grouped by the member's household, which
        # comes from the persons frame with anything else broadcast from it
        group_key = (
            lo.graph.broadcast(source, PERSONS, lo.schema.persons.owner_key)
            if via_members
            else table.owner_key
        )
    else:
        source, landing, group_key = table.name, HOUSEHOLDS, table.owner_key
    assert group_key is not None
    key = LiftKey(node, members_of, site.context, source, landing, group_key)
    if key not in lo.memo:
        lo.memo[key] = _build(
            key, node, site.on(source), landing, result_type, members_of,
            terms, counts_terms, lo,
        )  # fmt: skip
    return lo.use(site.frame, lo.memo[key])


def _not_supplied(
    node: Lifted, site: Site, lo: Lowering, result_type: T.Type, via_members: bool
) -> pl.Expr:
    """Over a table that was not supplied: unknown, except for a household with no
    members, whose members' rows are surely none."""
    unknown = D.null(result_type)
    if not via_members:
        return unknown
    empty = A.empty_value(node, result_type)
    members = member_count(site.frame, lo)
    return (
        pl.when(members > 0)
        .then(unknown)
        .otherwise(D.literal(empty, result_type) if empty is not None else unknown)
    )


def _build(
    key: LiftKey,
    node: Lifted,
    rows_site: Site,
    landing: str,
    result_type: T.Type,
    members_of: ast.Quantified | None,
    terms: int,
    counts_terms: bool,
    lo: Lowering,
) -> Derived:
    source, group_key = rows_site.frame, key.group_key
    with lo.collecting() as read:
        selected = _selection(node, rows_site, lo, members_of)
        parts = lift_parts(node, rows_site, result_type, selected, terms, counts_terms, lo)
        keep_expr = _keep(node, rows_site, lo, selected)
    deps = frozenset(read)
    rows = {name: row_column(source, expr, deps, lo) for name, expr in parts.rows.items()}
    keep = row_column(source, keep_expr, deps, lo) if keep_expr is not None else None
    # only the rows of households whose date is known (at a household's own
    # date) and that need the value (a domain: see `passes.narrow`)
    context = rows_site.context
    own_date = context.date.column if isinstance(context.date, HouseholdDate) else None
    require = tuple(
        lo.graph.broadcast(source, HOUSEHOLDS, column)
        for column in (own_date, context.domain)
        if column is not None
    )
    raws = {
        name: _aggregation(landing, source, group_key, rows, how, row, keep, require, lo)
        for name, (row, how) in parts.aggs.items()
    }

    def raw(name: str, zero: bool = False) -> pl.Expr:
        value = lo.use(landing, raws[name])
        return value.fill_null(0) if zero else value

    return lo.derive(key, landing, lambda: parts.final(raw), "a")


def _aggregation(
    landing: str,
    source: str,
    group_key: str,
    rows: dict[str, str],
    how: str,
    row: str | None,
    keep: str | None,
    require: tuple[str, ...],
    lo: Lowering,
) -> Derived:
    """One plain aggregation of a row column, by group; shared by every lift
    that needs the same one of the same rows."""
    if how == "len":
        aggregation, used = pl.len().cast(I64), frozenset[str]()
    else:
        assert row is not None
        column = pl.col(rows[row])
        used = frozenset({rows[row]})
        if how == "nulls":
            aggregation = column.null_count().cast(I64)
        elif how == "unique":
            aggregation = column.drop_nulls().n_unique().cast(I64)
        elif how == "count":
            aggregation = column.sum().cast(I64)
        elif how in ("latest", "earliest"):
            # the value on the latest (earliest) date, ties to the highest
            # (lowest) value; rows not chosen are null in both columns.
            # (Polars cannot take the max or min of a struct.)
            order = pl.col(rows["d"])
            used = used | {rows["d"]}
            ordered = column.sort_by([order, column], nulls_last=how == "earliest")
            aggregation = ordered.last() if how == "latest" else ordered.first()
        else:
            aggregation = getattr(column, how)()
    key = AggregationKey(landing, source, group_key, ExprKey.of(aggregation), keep, require)
    if key not in lo.memo:
        # the group key may itself be broadcast (a member's household): wait for it
        lo.memo[key] = lo.add(
            Derived(
                lo.graph.new_name("g"),
                landing,
                aggregation,
                used | {group_key} | ({keep} if keep else set()) | set(require),
                "agg",
                source,
                group_key,
                keep,
                require,
            )
        )
    return lo.memo[key]


def _selection(
    node: Lifted, site: Site, lo: Lowering, members_of: ast.Quantified | None
) -> pl.Expr | None:
    """Which rows the lift looks at: the collection's qualifier (`adult`
    members), its `where` list, and those of the member a flattened `has` came from."""
    parts: list[pl.Expr] = []
    if members_of is not None:
        # the member's own conditions, read on each of its rows
        parts.extend(_qualifier(members_of.collection, site, lo))
        parts.extend(lo.condition(w, site) for w in members_of.where)
    parts.extend(_qualifier(node.collection, site, lo))
    parts.extend(lo.condition(w, site) for w in node.where)
    return conjunction(parts)


def _qualifier(collection: ast.Collection, site: Site, lo: Lowering) -> list[pl.Expr]:
    """`adult` of `adult members`, as a column of the site (none if unqualified)."""
    qualifier = lo.facts.qualifier(collection)
    if qualifier is None:
        return []
    return [lo.use(site.frame, lo.rule_column(qualifier, site.context))]


def conjunction(parts: list[pl.Expr]) -> pl.Expr | None:
    if not parts:
        return None
    result = parts[0]
    for part in parts[1:]:
        result = result & part
    return result


def _keep(node: Lifted, site: Site, lo: Lowering, selected: pl.Expr | None) -> pl.Expr | None:
    """False only on rows that cannot change this aggregate: the windows of its
    `where` list (any subset of the conditions keeps a superset of the rows
    that count), else the whole selection."""
    if selected is None:
        return None
    windows = [w for w in node.where if isinstance(w, ast.InWindow)]
    if windows and site.context.is_unknown_date:
        return None  # every window is unknown: every row may count
    if windows:
        window = conjunction([lo.condition(w, site) for w in windows])
        assert window is not None
        return window.fill_null(True)
    return selected.fill_null(True)
