"""The canonical tables of docs/data-model.md as Polars dtypes, and their value sets.

Kept as plain data so the generator, the writer and the tests all check
against one copy; if docs/data-model.md changes, this is the one place to follow it.
"""

from __future__ import annotations

import polars as pl

MONEY = pl.Decimal(38, 2)

ID = pl.String
INT = pl.Int64
BOOL = pl.Boolean
DATE = pl.Date
CATEGORY = pl.String

#: Table name -> ordered column name -> dtype, exactly as docs/data-model.md (v1).
TABLES: dict[str, dict[str, pl.DataType]] = {
    "households": {"household_id": ID, "la_code": pl.String, "attached_on": DATE},
    "persons": {"person_id": ID, "household_id": ID, "date_of_birth": DATE},
    "school_terms": {
        "person_id": ID,
        "academic_year": INT,
        "term": CATEGORY,
        "sessions_possible": INT,
        "sessions_authorised_absence": INT,
        "sessions_unauthorised_absence": INT,
        "fixed_exclusions": INT,
        "permanently_excluded": BOOL,
        "alternative_provision": BOOL,
        "on_roll": BOOL,
    },
    "offences": {"person_id": ID, "offence_date": DATE, "proven": BOOL},
    "asb": {"person_id": ID, "recorded_on": DATE, "kind": CATEGORY},
    "benefit_claims": {
        "person_id": ID,
        "benefit": CATEGORY,
        "start_date": DATE,
        "end_date": DATE,
    },
    "employment_spells": {"person_id": ID, "start_date": DATE, "end_date": DATE},
    "work_referrals": {"person_id": ID, "referred_on": DATE, "programme": CATEGORY},
    "social_care": {
        "person_id": ID,
        "status": CATEGORY,
        "start_date": DATE,
        "end_date": DATE,
    },
    "police_incidents": {"person_id": ID, "incident_date": DATE, "category": CATEGORY},
    "health": {"person_id": ID, "condition": CATEGORY, "recorded_on": DATE},
    "custody": {"person_id": ID, "start_date": DATE, "end_date": DATE},
    "housing": {
        "household_id": ID,
        "recorded_on": DATE,
        "rent_arrears": MONEY,
        "eviction_notice": BOOL,
    },
    "claims": {"household_id": ID, "claimed_on": DATE, "claim": CATEGORY, "amount": MONEY},
}

#: The nullable columns (`?` in docs/data-model.md); every other column is non-null.
NULLABLE: dict[str, frozenset[str]] = {
    "households": frozenset({"attached_on"}),
    "benefit_claims": frozenset({"end_date"}),
    "employment_spells": frozenset({"end_date"}),
    "social_care": frozenset({"end_date"}),
    "custody": frozenset({"end_date"}),
}

#: (table, column) -> allowed values, in the order docs/data-model.md lists them.
CATEGORIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("school_terms", "term"): ("autumn", "spring", "summer"),
    ("asb", "kind"): (
        "incident",
        "asbo",
        "injunction",
        "acceptable_behaviour_contract",
        "housing_intervention",
    ),
    ("benefit_claims", "benefit"): ("JSA", "ESA", "IB", "IS", "CA", "SDA", "UC", "HB"),
    ("work_referrals", "programme"): ("work_programme", "esf_families"),
    ("social_care", "status"): ("child_in_need", "child_protection_plan", "looked_after"),
    ("police_incidents", "category"): (
        "burglary",
        "domestic_abuse",
        "criminal_damage",
        "violence",
        "other",
    ),
    ("health", "condition"): ("substance_misuse", "mental_health", "new_mother_vulnerable"),
    ("claims", "claim"): ("attachment", "results", "progress_to_work", "employment"),
}

#: Tables whose rows belong to a person (owner key person_id) or a household.
PERSON_EVENT_TABLES: tuple[str, ...] = (
    "school_terms",
    "offences",
    "asb",
    "benefit_claims",
    "employment_spells",
    "work_referrals",
    "social_care",
    "police_incidents",
    "health",
    "custody",
)
HOUSEHOLD_EVENT_TABLES: tuple[str, ...] = ("housing", "claims")

#: Tables with a (start_date, end_date) span.
SPAN_TABLES: tuple[str, ...] = ("benefit_claims", "employment_spells", "social_care", "custody")

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)


def empty_frame(table: str) -> pl.DataFrame:
    """A zero-row frame with the canonical columns of ``table``."""
    return pl.DataFrame(schema=TABLES[table])
