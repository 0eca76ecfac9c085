"""Which data gap leaves how many families' identification unknown: the causes
of each unknown `identified`, found as the claim return finds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from tfrules.claims.reasons import unknown_causes
from tfrules.compile.plan import build_plan
from tfrules.data.load import Dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.councils import APPLIED, plan_councils

RULE = "identified"


def identification_gaps(
    national: CheckedRuleset,
    local: Sequence[CheckedRuleset],
    dataset: Dataset,
    as_of: dt.date,
    results: pl.DataFrame,
) -> pl.DataFrame:
    """Key, council and `causes` (a list of texts) of every household whose
    `identified` is unknown in `results`."""
    key = national.schema.households.key or "household_id"
    council = national.schema.council_column or "la_code"
    rules = [RULE]

    def evaluate(
        frames: Mapping[str, pl.LazyFrame],
        missing: frozenset[str],
        fixed: Mapping[str, object] | None,
    ) -> pl.LazyFrame:
        if local:
            return plan_councils(national, local, frames, as_of, missing=missing, rules=rules).plan
        return build_plan(national, frames, as_of, missing=missing, rules=rules, fixed=fixed)

    def national_only(
        frames: Mapping[str, pl.LazyFrame],
        missing: frozenset[str],
        fixed: Mapping[str, object] | None,
    ) -> pl.LazyFrame:
        return build_plan(national, frames, as_of, missing=missing, rules=rules, fixed=fixed)

    unknown = results.filter(pl.col(RULE).is_null())
    if APPLIED in unknown.columns:
        no_local = unknown[APPLIED] == national.name
    else:
        no_local = pl.Series([bool(national.abstract_rules)] * unknown.height)
    causes = unknown_causes(
        evaluate, national_only, dataset, national, rules, unknown, key, no_local
    )
    return unknown.select(key, council).join(
        causes.select(key, pl.col(RULE).alias("causes")), on=key, maintain_order="left"
    )
