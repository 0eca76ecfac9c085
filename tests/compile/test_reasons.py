"""`<rule>_reason` columns: the parts that made a criterion true, or unknown.

Held to the rule columns of the same plan: every part a reason names for a true
criterion is itself true (for named rules, in the output), a false criterion
has no reason, an unknown one says what was unknown, and a table not supplied
is named.
"""

from __future__ import annotations

import datetime as dt
import functools

import polars as pl
import pytest

import tfrules
from tfrules.compile.plan import compile_rules
from tfrules.data.synth import generate

DAY = dt.date(2013, 1, 15)


@functools.cache
def _frames() -> dict[str, pl.DataFrame]:
    return generate(800, seed=5, la_codes=["E08000035"])


def _evaluate(name: str, drop: tuple[str, ...] = ()) -> pl.DataFrame:
    ruleset = tfrules.load(name)
    frames = {k: v.lazy() for k, v in _frames().items() if k not in drop}
    plan = compile_rules(ruleset, frames, DAY, missing=drop, reasons=True)
    return plan.frame.collect()


def test_every_criterion_has_a_reason_column_and_measures_have_none() -> None:
    ruleset = tfrules.load("local.leeds.phase1")
    frame = _evaluate("local.leeds.phase1")
    for name in ruleset.output_rules:
        is_criterion = ruleset.rules[name].type.kind.value == "bool"
        assert (f"{name}_reason" in frame.columns) is is_criterion, name


def test_an_identified_family_is_identified_by_criteria_that_hold() -> None:
    frame = _evaluate("local.leeds.phase1")
    national = {"crime_asb", "education", "work", "local"}
    identified = frame.filter(pl.col("identified"))
    assert identified.height > 0
    for row in identified.iter_rows(named=True):
        parts = row["identified_reason"].split("+")
        assert set(parts) <= national, parts
        assert all(row[p] is True for p in parts), row
        # identified needs all three national criteria, or two and the local one
        national_true = [p for p in parts if p != "local"]
        assert len(national_true) == 3 or ("local" in parts and len(national_true) >= 2)


def test_false_has_no_reason_and_unknown_says_unknown() -> None:
    frame = _evaluate("local.leeds.phase1")
    assert frame.filter(pl.col("identified") == False)["identified_reason"].null_count() == (  # noqa: E712
        frame.filter(pl.col("identified") == False).height  # noqa: E712
    )
    unknown = frame.filter(pl.col("identified").is_null())["identified_reason"]
    assert unknown.len() > 0
    assert all(r.startswith("unknown: ") for r in unknown.to_list())


def test_a_table_not_supplied_is_named() -> None:
    frame = _evaluate("local.leeds.phase1", drop=("school_terms",))
    reasons = frame.filter(pl.col("education").is_null())["education_reason"].to_list()
    assert reasons and all("school_terms not supplied" in r for r in reasons)


def test_a_family_never_attached_is_unknown_because_it_was_not_attached() -> None:
    frame = _evaluate("local.leeds.phase1")
    never = frame.join(
        pl.DataFrame(_frames()["households"]).filter(pl.col("attached_on").is_null()),
        on="household_id",
    )
    assert never.height > 0
    assert set(never["turned_around_reason"].to_list()) == {"unknown: not attached"}


@pytest.mark.parametrize("name", ["national.phase2", "local.devon.phase2", "national.dwp_fmp"])
def test_reasons_do_not_change_the_values(name: str) -> None:
    ruleset = tfrules.load(name)
    frames = {k: v.lazy() for k, v in _frames().items()}
    day = dt.date(2016, 3, 31)
    plain = compile_rules(ruleset, frames, day).frame.collect()
    with_reasons = compile_rules(ruleset, frames, day, reasons=True).frame.collect()
    assert with_reasons.select(plain.columns).equals(plain)
