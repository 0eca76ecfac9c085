"""Every data-contract check the loader makes (docs/data-model.md, "Bad input"),
written independently of the generator so the tests do not trust its code."""

from __future__ import annotations

import polars as pl

from tfrules.data.synth.schema import CATEGORIES, NULLABLE, SPAN_TABLES, TABLES

COUNT_COLUMNS = {
    "school_terms": (
        "sessions_possible",
        "sessions_authorised_absence",
        "sessions_unauthorised_absence",
        "fixed_exclusions",
    ),
}


def violations(tables: dict[str, pl.DataFrame]) -> list[str]:
    """Human-readable descriptions of every broken invariant (empty when valid)."""
    problems: list[str] = []
    households = tables["households"]["household_id"]
    persons = tables["persons"]["person_id"]

    for name, frame in tables.items():
        for column in TABLES[name]:
            if column not in NULLABLE.get(name, frozenset()) and frame[column].null_count():
                problems.append(f"{name}.{column}: {frame[column].null_count()} nulls")
    if households.n_unique() != households.len():
        problems.append("households.household_id: duplicates")
    if persons.n_unique() != persons.len():
        problems.append("persons.person_id: duplicates")

    def dangling(name: str, column: str, keys: pl.Series) -> None:
        missing = ~tables[name][column].is_in(keys.implode())
        if missing.any():
            first = tables[name].filter(missing)[column][0]
            problems.append(f"{name}.{column}: {int(missing.sum())} unknown keys, e.g. {first}")

    dangling("persons", "household_id", households)
    for name in TABLES:
        if name in ("households", "persons"):
            continue
        if "person_id" in TABLES[name]:
            dangling(name, "person_id", persons)
        else:
            dangling(name, "household_id", households)

    for name, columns in COUNT_COLUMNS.items():
        for column in columns:
            if (tables[name][column] < 0).any():
                problems.append(f"{name}.{column}: negative count")
    st = tables["school_terms"]
    over = st.filter(
        pl.col("sessions_authorised_absence") + pl.col("sessions_unauthorised_absence")
        > pl.col("sessions_possible")
    )
    if over.height:
        problems.append(f"school_terms: {over.height} rows with absences > sessions possible")

    for name in SPAN_TABLES:
        bad = tables[name].filter(pl.col("end_date") < pl.col("start_date"))
        if bad.height:
            problems.append(f"{name}: {bad.height} rows ending before they start")

    for (name, column), allowed in CATEGORIES.items():
        unknown = ~tables[name][column].is_in(list(allowed))
        if unknown.any():
            problems.append(
                f"{name}.{column}: unknown values "
                f"{sorted(set(tables[name].filter(unknown)[column].to_list()))}"
            )

    for name, column in (("housing", "rent_arrears"), ("claims", "amount")):
        if (tables[name][column] < 0).any():
            problems.append(f"{name}.{column}: negative money")
    return problems
