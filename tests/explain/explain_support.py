"""Small households for the explanation tests, written out table by table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from tfrules import api
from tfrules.interpret.explain import Explanation
from tfrules.model.ruleset import CheckedRuleset

D = dt.date
#: Tables with the columns a test gives, in order; other columns take a default.
COLUMNS: dict[str, tuple[str, ...]] = {
    "households": ("household_id", "la_code", "attached_on"),
    "persons": ("person_id", "household_id", "date_of_birth"),
    "offences": ("person_id", "offence_date", "proven"),
    "asb": ("person_id", "recorded_on", "kind"),
    "benefit_claims": ("person_id", "benefit", "start_date", "end_date"),
    "police_incidents": ("person_id", "incident_date", "category"),
    "school_terms": ("person_id", "academic_year", "term", "sessions_possible"),
    "claims": ("household_id", "claimed_on", "claim", "amount"),
}
DTYPES: dict[str, pl.DataType] = {
    "attached_on": pl.Date(), "date_of_birth": pl.Date(), "offence_date": pl.Date(),
    "recorded_on": pl.Date(), "start_date": pl.Date(), "end_date": pl.Date(),
    "incident_date": pl.Date(), "claimed_on": pl.Date(), "proven": pl.Boolean(),
    "academic_year": pl.Int64(), "sessions_possible": pl.Int64(),
    "amount": pl.Decimal(38, 2),
}  # fmt: skip


def frames(tables: Mapping[str, Sequence[tuple[Any, ...]]]) -> dict[str, pl.DataFrame]:
    out = {}
    for name, rows in tables.items():
        columns = COLUMNS[name]
        schema = {c: DTYPES.get(c, pl.String()) for c in columns}
        data = [
            tuple(Decimal(v) if isinstance(v, str) and c == "amount" else v
                  for c, v in zip(columns, row, strict=True))
            for row in rows
        ]  # fmt: skip
        out[name] = pl.DataFrame(data, schema=schema, orient="row")
    if "school_terms" in out:
        extra = {"sessions_authorised_absence": 0, "sessions_unauthorised_absence": 0,
                 "fixed_exclusions": 0}  # fmt: skip
        out["school_terms"] = out["school_terms"].with_columns(
            [pl.lit(v, pl.Int64).alias(k) for k, v in extra.items()]
            + [pl.lit(False).alias("permanently_excluded"),
               pl.lit(False).alias("alternative_provision"), pl.lit(True).alias("on_roll")]
        )  # fmt: skip
    return out


def explain(
    ruleset: CheckedRuleset,
    tables: Mapping[str, Sequence[tuple[Any, ...]]],
    as_of: str,
    household: str = "H1",
    rules: Sequence[str] | None = None,
) -> Explanation:
    return api.explain(ruleset, frames(tables), as_of, household, rules=rules)
