"""A household's still-due payment turned into new rows of the claims ledger.

For each kind of claim the shortfall is what the rules now say is due for it
less what has been claimed for it (never below £0). The household's
`payment_due` (already capped and net of every earlier claim) is met from the
shortfalls in the scheme's order of kinds, so the new rows add up exactly to
`payment_due`; what is left of a shortfall is held back (by the cap, or by an
earlier overpayment of another kind) and reported, never claimed. All of it is
computed for every household at once with Polars expressions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl

from tfrules.claims.schemes import ClaimScheme
from tfrules.model.ruleset import CheckedRuleset

MONEY = pl.Decimal(38, 2)
#: The columns of the canonical claims table, in order.
LEDGER_COLUMNS = ("household_id", "claimed_on", "claim", "amount")


class LedgerError(Exception):
    """The rules' totals and the ledger disagree: a bug, never the user's data."""


def claimed_by_kind(
    claims: pl.LazyFrame, scheme: ClaimScheme, as_of: dt.date, key: str
) -> pl.LazyFrame:
    """Per household, the amount claimed on or before `as_of` of each kind (and in all)."""
    dated = claims.filter(pl.col("claimed_on") <= as_of)
    columns = [
        pl.col("amount").filter(pl.col("claim") == kind.claim).sum().alias(f"claimed:{kind.claim}")
        for kind in scheme.kinds
    ]
    return dated.group_by(pl.col("household_id").alias(key)).agg(
        *columns, pl.col("amount").sum().alias("claimed:all")
    )


def cap_amount(ruleset: CheckedRuleset, scheme: ClaimScheme, as_of: dt.date) -> Decimal | None:
    if scheme.cap is None:
        return None
    value = ruleset.params[scheme.cap].value
    at = getattr(value, "at", None)
    return Decimal(str(at(as_of) if at is not None else value))


def allocate(
    results: pl.DataFrame,
    claimed: pl.LazyFrame,
    scheme: ClaimScheme,
    key: str,
    cap: Decimal | None,
) -> pl.DataFrame:
    """One row per household of the programme with, per kind: `due:K` (what the
    rules say is due), `claimed:K`, `short:K` and `claim:K` (the new claim); and
    `held_back` and `overclaimed` for the household."""
    zero = pl.lit(Decimal(0), dtype=MONEY)
    kinds = [k.claim for k in scheme.kinds]
    households = results.lazy()
    if scheme.in_programme is not None:
        households = households.filter(pl.col(scheme.in_programme).fill_null(False))
    frame = (
        households.join(claimed, on=key, how="left", maintain_order="left")
        .with_columns(
            *(pl.col(f"claimed:{k}").fill_null(zero).cast(MONEY) for k in kinds),
            pl.col("claimed:all").fill_null(zero).cast(MONEY),
            *(pl.col(kind.measure).cast(MONEY).alias(f"due:{kind.claim}") for kind in scheme.kinds),
        )
        .with_columns(
            *(
                pl.max_horizontal(pl.col(f"due:{k}") - pl.col(f"claimed:{k}"), zero).alias(
                    f"short:{k}"
                )
                for k in kinds
            )
        )
    )
    remaining = pl.col(scheme.payment_due).cast(MONEY)
    allocations: list[pl.Expr] = []
    for k in kinds:
        allocations.append(pl.min_horizontal(pl.col(f"short:{k}"), remaining).alias(f"claim:{k}"))
        remaining = remaining - pl.min_horizontal(pl.col(f"short:{k}"), remaining)
    frame = frame.with_columns(allocations)
    entitled = pl.sum_horizontal(*(pl.col(f"due:{k}") for k in kinds))
    if cap is not None:
        entitled = pl.min_horizontal(entitled, pl.lit(cap, dtype=MONEY))
    frame = frame.with_columns(
        (
            pl.sum_horizontal(*(pl.col(f"short:{k}") for k in kinds))
            - pl.sum_horizontal(*(pl.col(f"claim:{k}") for k in kinds))
        ).alias("held_back"),
        pl.max_horizontal(pl.col("claimed:all") - entitled, zero).alias("overclaimed"),
        pl.sum_horizontal(*(pl.col(f"claim:{k}") for k in kinds)).alias("claim:all"),
    )
    out = frame.collect()
    _check(out, scheme)
    return out


def _check(frame: pl.DataFrame, scheme: ClaimScheme) -> None:
    """The new claims add up to payment_due, and the ledger to already_claimed."""
    wrong_due = frame.filter(pl.col("claim:all") != pl.col(scheme.payment_due))
    wrong_claimed = frame.filter(pl.col("claimed:all") != pl.col(scheme.already_claimed))
    for what, wrong in (("payment_due", wrong_due), ("already_claimed", wrong_claimed)):
        if wrong.height:
            raise LedgerError(
                f"the claim return does not add up to {what} for {wrong.height} household(s), "
                f"the first {wrong[0, 0]}"
            )


def ledger_rows(allocated: pl.DataFrame, scheme: ClaimScheme, key: str, as_of: dt.date):
    """The new rows of the claims table: one per household and kind with an amount."""
    parts = [
        allocated.filter(pl.col(f"claim:{kind.claim}") > 0).select(
            pl.col(key).alias("household_id"),
            pl.lit(as_of).alias("claimed_on"),
            pl.lit(kind.claim).alias("claim"),
            pl.col(f"claim:{kind.claim}").alias("amount"),
        )
        for kind in scheme.kinds
    ]
    rows = pl.concat(parts) if parts else pl.DataFrame(schema=dict.fromkeys(LEDGER_COLUMNS))
    order = {kind.claim: i for i, kind in enumerate(scheme.kinds)}
    return rows.sort("household_id", pl.col("claim").replace_strict(order, return_dtype=pl.Int32))
