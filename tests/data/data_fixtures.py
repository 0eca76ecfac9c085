"""A small hand-built schema and clean frames for the data loader tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl

from tfrules.model.schema import Column, Level, Schema, Table
from tfrules.model.types import BOOL, DATE, INT, MONEY, TEXT, category

HOUSEHOLDS = Table(
    "households",
    Level.HOUSEHOLD,
    (
        Column("household_id", TEXT),
        Column("la_code", TEXT),
        Column("attached_on", DATE, nullable=True),
    ),
    key="household_id",
)
PERSONS = Table(
    "persons",
    Level.PERSON,
    (
        Column("person_id", TEXT),
        Column("household_id", TEXT),
        Column("date_of_birth", DATE),
    ),
    key="person_id",
    owner="households",
    owner_key="household_id",
)
SCHOOL_TERMS = Table(
    "school_terms",
    Level.EVENT,
    (
        Column("person_id", TEXT),
        Column("academic_year", INT),
        Column("term", category(("autumn", "spring", "summer"))),
        Column("sessions_possible", INT, non_negative=True),
        Column("sessions_authorised_absence", INT, non_negative=True),
        Column("sessions_unauthorised_absence", INT, non_negative=True),
        Column("fixed_exclusions", INT, non_negative=True),
        Column("permanently_excluded", BOOL),
    ),
    owner="persons",
    owner_key="person_id",
    term=("academic_year", "term"),
    optional=True,
)
BENEFIT_CLAIMS = Table(
    "benefit_claims",
    Level.EVENT,
    (
        Column("person_id", TEXT),
        Column("benefit", category(("JSA", "ESA", "IB"))),
        Column("start_date", DATE),
        Column("end_date", DATE, nullable=True),
    ),
    owner="persons",
    owner_key="person_id",
    span=("start_date", "end_date"),
    optional=True,
)
OFFENCES = Table(
    "offences",
    Level.EVENT,
    (
        Column("person_id", TEXT),
        Column("offence_date", DATE),
        Column("proven", BOOL),
    ),
    owner="persons",
    owner_key="person_id",
    date_column="offence_date",
    optional=True,
)
CLAIMS = Table(
    "claims",
    Level.EVENT,
    (
        Column("household_id", TEXT),
        Column("claimed_on", DATE),
        Column("amount", MONEY),
    ),
    owner="households",
    owner_key="household_id",
    optional=True,
    empty_when_missing=True,
)
SCHEMA = Schema(
    "test",
    (HOUSEHOLDS, PERSONS, SCHOOL_TERMS, BENEFIT_CLAIMS, OFFENCES, CLAIMS),
)


def clean_frames() -> dict[str, pl.DataFrame]:
    """Typed frames that satisfy every rule of `SCHEMA`."""
    d = dt.date
    return {
        "households": pl.DataFrame(
            {
                "household_id": ["H1", "H2", "H3"],
                "la_code": ["E08000035"] * 3,
                "attached_on": [d(2013, 1, 5), None, d(2013, 6, 1)],
            }
        ),
        "persons": pl.DataFrame(
            {
                "person_id": ["P1", "P2", "P3", "P4"],
                "household_id": ["H1", "H1", "H2", "H3"],
                "date_of_birth": [d(1980, 1, 1), d(2004, 5, 6), d(1975, 2, 3), d(2003, 9, 9)],
            }
        ),
        "school_terms": pl.DataFrame(
            {
                "person_id": ["P2", "P2", "P4"],
                "academic_year": [2012, 2012, 2012],
                "term": ["autumn", "spring", "autumn"],
                "sessions_possible": [140, 120, 140],
                "sessions_authorised_absence": [10, 0, 70],
                "sessions_unauthorised_absence": [20, 0, 70],
                "fixed_exclusions": [0, 1, 0],
                "permanently_excluded": [False, False, True],
            }
        ),
        "benefit_claims": pl.DataFrame(
            {
                "person_id": ["P1", "P3"],
                "benefit": ["JSA", "ESA"],
                "start_date": [d(2012, 1, 1), d(2011, 3, 4)],
                "end_date": [d(2012, 6, 30), None],
            }
        ),
        "offences": pl.DataFrame(
            {
                "person_id": ["P2", "P4"],
                "offence_date": [d(2012, 11, 5), d(2013, 2, 28)],
                "proven": [True, False],
            }
        ),
        "claims": pl.DataFrame(
            {
                "household_id": ["H1"],
                "claimed_on": [d(2013, 4, 1)],
                "amount": [Decimal("4000.00")],
            },
            schema_overrides={"amount": pl.Decimal(38, 2)},
        ),
    }


def write_dir(path: Path, frames: dict[str, pl.DataFrame], fmt: str) -> Path:
    """Write each frame as `<table>.<fmt>` (csv or parquet) under `path`."""
    path.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        if fmt == "csv":
            frame.write_csv(path / f"{name}.csv")
        else:
            frame.write_parquet(path / f"{name}.parquet")
    return path
