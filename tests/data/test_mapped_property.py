"""The property the mapping exists for: a council's extract, disguised at random
(headings, file names and formats, CSV dialects and encodings, date pictures
and Excel day numbers, words for true and false, labels for categories, pound
signs and thousands separators, tables split over files), read through the
mapping that undoes the disguise, gives exactly the results of the canonical
data it was made from."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies.extract_strategies import disguises, write_extract

import tfrules
from tfrules.data.synth import generate

RULESETS = ("national.phase1", "local.leeds.phase2")
AS_OF = dt.date(2015, 3, 31)
#: Every table the two rulesets read: all fourteen.
TABLES = [
    "households", "persons", "school_terms", "offences", "asb", "benefit_claims",
    "employment_spells", "work_referrals", "social_care", "police_incidents", "health",
    "custody", "housing", "claims",
]  # fmt: skip


@pytest.fixture(scope="module")
def rulesets():
    return [tfrules.load(name) for name in RULESETS]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    disguised=st.deferred(lambda: disguises(_schema(), TABLES)),
)
def test_a_disguised_extract_read_through_its_mapping_gives_the_canonical_results(
    rulesets, seed, disguised
):
    frames = generate(30, seed=seed)
    with tempfile.TemporaryDirectory() as scratch:
        canonical, extract = Path(scratch) / "canonical", Path(scratch) / "extract"
        canonical.mkdir()
        for name, frame in frames.items():
            frame.write_parquet(canonical / f"{name}.parquet")
        mapping_text = write_extract(frames, disguised, extract)
        (extract / "extract.tfr").write_text(mapping_text, encoding="utf-8")
        mapping = tfrules.load_mapping(extract / "extract.tfr")
        for ruleset in rulesets:
            expected = tfrules.evaluate(ruleset, canonical, AS_OF)
            found = tfrules.evaluate(ruleset, extract, AS_OF, mapping=mapping)
            assert found.equals(expected), (ruleset.name, mapping_text)


def _schema():
    return tfrules.load("national.phase1").schema
