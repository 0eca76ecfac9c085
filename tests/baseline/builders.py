"""Compact builders for tiny hand-made data sets in the canonical dtypes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from bench.baseline import phase1

MONEY = pl.Decimal(38, 2)
S, INT, B, D = pl.String, pl.Int64, pl.Boolean, pl.Date

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "households": {"household_id": S, "la_code": S, "attached_on": D},
    "persons": {"person_id": S, "household_id": S, "date_of_birth": D},
    "school_terms": {
        "person_id": S,
        "academic_year": INT,
        "term": S,
        "sessions_possible": INT,
        "sessions_authorised_absence": INT,
        "sessions_unauthorised_absence": INT,
        "fixed_exclusions": INT,
        "permanently_excluded": B,
        "alternative_provision": B,
        "on_roll": B,
    },
    "offences": {"person_id": S, "offence_date": D, "proven": B},
    "asb": {"person_id": S, "recorded_on": D, "kind": S},
    "benefit_claims": {"person_id": S, "benefit": S, "start_date": D, "end_date": D},
    "employment_spells": {"person_id": S, "start_date": D, "end_date": D},
    "work_referrals": {"person_id": S, "referred_on": D, "programme": S},
    "police_incidents": {"person_id": S, "incident_date": D, "category": S},
    "claims": {"household_id": S, "claimed_on": D, "claim": S, "amount": MONEY},
}

#: Every event table, empty: the "all tables supplied, no events" data set.
ALL_EVENT_TABLES = tuple(t for t in SCHEMAS if t not in ("households", "persons"))


def table(name: str, rows: Iterable[Sequence[Any]] = ()) -> pl.LazyFrame:
    """A lazy frame of table ``name`` from row tuples in schema column order."""
    schema = SCHEMAS[name]
    return pl.DataFrame(list(rows), schema=schema, orient="row").lazy()


def term(
    person: str,
    academic_year: int,
    name: str,
    *,
    possible: int = 100,
    unauth: int = 0,
    auth: int = 0,
    fixed: int = 0,
    perm: bool = False,
    alt: bool = False,
    on_roll: bool = True,
) -> tuple[Any, ...]:
    """One school_terms row; defaults are a clean term of 100 sessions."""
    return (person, academic_year, name, possible, auth, unauth, fixed, perm, alt, on_roll)


def clean_terms(person: str, *terms: tuple[int, str]) -> list[tuple[Any, ...]]:
    """Clean school_terms rows for ``person`` in the given (academic_year, term)s."""
    return [term(person, ay, t) for ay, t in terms]


def gbp(amount: str | int) -> Decimal:
    return Decimal(str(amount)).quantize(Decimal("0.01"))


def dataset(
    households: Iterable[tuple[str, date | None]],
    persons: Iterable[tuple[str, str, date]] = (),
    *,
    missing: Iterable[str] = (),
    **events: Iterable[Sequence[Any]],
) -> dict[str, pl.LazyFrame]:
    """A data set: every event table supplied (empty unless given), except ``missing``."""
    missing = set(missing)
    frames = {
        "households": table("households", [(h, "E08000035", a) for h, a in households]),
        "persons": table("persons", persons),
    }
    for name in ALL_EVENT_TABLES:
        if name not in missing:
            frames[name] = table(name, events.get(name, ()))
    unknown = set(events) - set(ALL_EVENT_TABLES)
    assert not unknown, f"unknown tables {unknown}"
    assert not (set(events) & missing), "a table cannot be both given and missing"
    return frames


def run(
    frames: Mapping[str, pl.LazyFrame], as_of: date, **kwargs: Any
) -> dict[str, dict[str, Any]]:
    """Run the baseline (streaming engine, detail columns) and key rows by household."""
    df = phase1(frames, as_of, detail=True, **kwargs).collect(engine="streaming")
    return {row["household_id"]: row for row in df.iter_rows(named=True)}


def one(frames: Mapping[str, pl.LazyFrame], as_of: date, **kwargs: Any) -> dict[str, Any]:
    """The single household's output row."""
    rows = run(frames, as_of, **kwargs)
    assert len(rows) == 1
    return next(iter(rows.values()))


def prefixed(frames: Mapping[str, pl.LazyFrame], prefix: str) -> dict[str, pl.LazyFrame]:
    """The same data set with every household and person id prefixed by ``prefix``."""
    out = {}
    for name, lf in frames.items():
        ids = [c for c in ("household_id", "person_id") if c in SCHEMAS[name]]
        out[name] = lf.with_columns((pl.lit(prefix) + pl.col(c)).alias(c) for c in ids)
    return out


def merged(*datasets: Mapping[str, pl.LazyFrame]) -> dict[str, pl.LazyFrame]:
    """Several data sets (with disjoint ids and the same tables) as one."""
    names = set(datasets[0])
    assert all(set(d) == names for d in datasets), "data sets must supply the same tables"
    return {name: pl.concat([d[name] for d in datasets]) for name in datasets[0]}
