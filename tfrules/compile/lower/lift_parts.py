"""The three steps of a lifted quantifier or aggregate: what each row
contributes, the plain aggregations of those contributions, and the final
Kleene result over the aggregations.

A selection or condition that is unknown on some row makes a count, sum or
extreme unknown (the row might or might not count); for quantifiers, Kleene
logic decides from the true and unknown counts.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import polars as pl

from tfrules.compile.analysis import may_be_null
from tfrules.compile.lower.dates import term_now
from tfrules.compile.lower.rows import row_date, term_index
from tfrules.compile.lower.state import Lowering, Site
from tfrules.model import types as T
from tfrules.semantics import aggregates as A
from tfrules.semantics import dtypes as D
from tfrules.syntax import ast

I64 = pl.Int64

Raw = Callable[..., pl.Expr]


@attrs.frozen
class LiftParts:
    """Row columns of the finer frame (name -> expression), plain aggregations of
    them (name -> (row column, how)), and the final expression over those
    aggregations (given a function reading them)."""

    rows: dict[str, pl.Expr]
    aggs: dict[str, tuple[str | None, str]]
    final: Callable[[Raw], pl.Expr]


def lift_parts(
    node: ast.Quantified | ast.Aggregate,
    site: Site,
    result_type: T.Type,
    selected: pl.Expr | None,
    terms: int,
    counts_terms: bool,
    lo: Lowering,
) -> LiftParts:
    # a window in the `where` list at an unknown date is unknown on every row
    never_chosen = site.context.is_unknown_date and any(
        isinstance(w, ast.InWindow) for w in node.where
    )
    if isinstance(node, ast.Quantified):
        return _quantifier(node, site, selected, never_chosen, lo)
    if never_chosen and selected is not None:
        # a window ending on an unknown day: no row surely counts, and the
        # result is unknown if a row might, else the empty value
        empty = A.empty_value(node, result_type)
        target = D.dtype(result_type)
        return LiftParts(
            {"f": selected},
            {"f_unknown": ("f", "nulls")},
            lambda raw: (
                pl.when(raw("f_unknown", zero=True) > 0)
                .then(None)
                .otherwise(D.literal(empty, result_type))
                .cast(target)
            ),
        )
    return _aggregate(node, site, result_type, selected, terms, counts_terms, lo)


def _quantifier(
    node: ast.Quantified, site: Site, selected: pl.Expr | None, never_chosen: bool, lo: Lowering
) -> LiftParts:
    body: pl.Expr | None = None
    if node.has is not None:
        body = lo.condition(node.has, site)
    elif node.satisfies:
        body = lo.condition(node.satisfies[0], site)
        for condition in node.satisfies[1:]:
            body = body & lo.condition(condition, site)
    if node.quantifier == "every":
        if selected is None and body is None:
            return LiftParts({}, {}, lambda raw: pl.lit(True))
        holds = body if body is not None else pl.lit(True)
        condition = holds if selected is None else (~selected | holds)
        return LiftParts(
            {"c": condition},
            {"low": ("c", "min"), "unknown": ("c", "nulls")},
            lambda raw: (
                pl.when(~raw("low"))
                .then(False)
                .when(raw("unknown", zero=True) > 0)
                .then(None)
                .otherwise(True)
            ),
        )
    negate = node.quantifier == "no"
    if never_chosen and selected is not None:
        condition = selected if body is None else selected & body
        return LiftParts(
            {"c": condition},
            {"unknown": ("c", "nulls")},
            lambda raw: pl.when(raw("unknown", zero=True) > 0).then(None).otherwise(negate),
        )
    parts = [p for p in (selected, body) if p is not None]
    if not parts:
        return LiftParts({}, {"n": (None, "len")}, lambda raw: (raw("n", zero=True) > 0) != negate)
    condition = parts[0] if len(parts) == 1 else parts[0] & parts[1]
    return LiftParts(
        {"c": condition},
        {"high": ("c", "max"), "unknown": ("c", "nulls")},
        lambda raw: (
            pl.when(raw("high"))
            .then(not negate)
            .when(raw("unknown", zero=True) > 0)
            .then(None)
            .otherwise(negate)
        ),
    )


def _aggregate(
    node: ast.Aggregate,
    site: Site,
    result_type: T.Type,
    selected: pl.Expr | None,
    terms: int,
    counts_terms: bool,
    lo: Lowering,
) -> LiftParts:
    source = site.frame
    target = D.dtype(result_type)
    rows: dict[str, pl.Expr] = {}
    aggs: dict[str, tuple[str | None, str]] = {}
    unsure: list[str] = []
    if selected is not None:
        rows["f"] = selected
        aggs["f_unknown"] = ("f", "nulls")
        unsure.append("f_unknown")
    chosen = selected.fill_null(False) if selected is not None else pl.lit(True)
    values = [lo.expr(v, site) for v in node.values]
    for index, (value_node, value) in enumerate(zip(node.values, values, strict=True)):
        if may_be_null(lo.facts, value_node):
            rows[f"vnull{index}"] = chosen & value.is_null()
            aggs[f"vnull{index}"] = (f"vnull{index}", "count")
            unsure.append(f"vnull{index}")

    def guarded(result: Callable[[Raw], pl.Expr]) -> Callable[[Raw], pl.Expr]:
        def final(raw: Raw) -> pl.Expr:
            if not unsure:
                return result(raw).cast(target)
            doubt = pl.sum_horizontal([raw(name, zero=True) for name in unsure])
            return pl.when(doubt > 0).then(None).otherwise(result(raw)).cast(target)

        return final

    if node.op == "count":
        aggs["n"] = (None, "len") if selected is None else ("f", "count")
        return LiftParts(rows, aggs, guarded(lambda raw: raw("n", zero=True)))
    if node.op == "count distinct":
        if terms:
            # the distinct terms of a window of N terms: which of its N terms
            # have a row (see `passes.count_terms`)
            key = term_index(source, lo)
            now = term_now(site, lo)
            names = []
            for offset in range(terms):
                rows[f"t{offset}"] = chosen & (key == now - terms + offset)
                aggs[f"t{offset}"] = (f"t{offset}", "max")
                names.append(f"t{offset}")
            return LiftParts(
                rows,
                aggs,
                guarded(
                    lambda raw: pl.sum_horizontal(
                        [raw(n).fill_null(False).cast(I64) for n in names]
                    )
                ),
            )
        rows["k"] = pl.when(chosen).then(_distinct_key(values, source, counts_terms, lo))
        aggs["k"] = ("k", "unique")
        return LiftParts(rows, aggs, guarded(lambda raw: raw("k", zero=True)))
    value = values[0].cast(target)
    picked = value if selected is None else pl.when(chosen).then(value)
    if node.op == "sum" and target == I64:
        # summed in 128 bits, then back: a total beyond 64 bits is an error, not a wrap
        rows["v"] = picked.cast(pl.Int128)
        aggs["v"] = ("v", "sum")
        return LiftParts(
            rows, aggs, guarded(lambda raw: raw("v", zero=True).cast(I64, strict=True))
        )
    if node.op in ("sum", "lowest", "highest"):
        rows["v"] = picked
        aggs["v"] = ("v", {"sum": "sum", "lowest": "min", "highest": "max"}[node.op])
        zero = node.op == "sum"
        return LiftParts(rows, aggs, guarded(lambda raw: raw("v", zero=zero)))
    # latest / earliest: the value on the latest (earliest) date, ties to the
    # highest (lowest) value
    rows["d"] = pl.when(chosen).then(row_date(source, lo))
    rows["v"] = pl.when(chosen).then(value)
    aggs["v"] = ("v", node.op)
    return LiftParts(rows, aggs, guarded(lambda raw: raw("v")))


def _distinct_key(values: list[pl.Expr], source: str, counts_terms: bool, lo: Lowering) -> pl.Expr:
    """What `count distinct` counts, as one column: the value itself; for a
    termly table's academic year and term, the term's index (an integer is
    several times faster to count than a struct); else a struct of the values."""
    if len(values) == 1:
        return values[0]
    if counts_terms:
        return term_index(source, lo)
    # fields named by position: two values may have the same output name
    return pl.struct([v.alias(f"k{i}") for i, v in enumerate(values)])
