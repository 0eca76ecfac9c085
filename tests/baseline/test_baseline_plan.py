"""The plan as a whole: output shape, households without members, missing
tables, no Python UDFs, streaming engine and sinks."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from bench.baseline import OUTPUT_COLUMNS, phase1

from .builders import ALL_EVENT_TABLES, MONEY, dataset, gbp, merged, prefixed, run, term
from .test_baseline_payments import family

AS_OF = date(2013, 1, 15)

EXPECTED_SCHEMA = pl.Schema(
    {
        "household_id": pl.String,
        "la_code": pl.String,
        **{
            c: pl.Boolean
            for c in OUTPUT_COLUMNS[2:13]  # crime_asb .. turned_around
        },
        "attachment_fee": MONEY,
        "results_payment": MONEY,
        "payment_due": MONEY,
        "overclaimed": MONEY,
    }
)


def mixed_dataset() -> tuple[dict[str, pl.LazyFrame], date]:
    """A few families of different kinds in one data set, households unsorted."""
    parts = [
        prefixed(family(2012, employment=True)[0], "Z"),
        prefixed(family(2012, referral=True)[0], "B"),
        prefixed(family(2012, offence=False)[0], "M"),
        prefixed(
            dataset(
                [("H1", None), ("H2", date(2012, 9, 1))],
                [("K", "H1", date(2005, 1, 1))],
                school_terms=[term("K", 2012, "autumn", fixed=4)],
                claims=[("H2", date(2013, 1, 1), "attachment", gbp(10))],
            ),
            "A",
        ),
    ]
    return merged(*parts), date(2013, 6, 15)


def test_output_schema_and_order() -> None:
    frames, c = mixed_dataset()
    lf = phase1(frames, c)
    assert isinstance(lf, pl.LazyFrame)
    assert lf.collect_schema() == EXPECTED_SCHEMA
    df = lf.collect()
    assert df.schema == EXPECTED_SCHEMA
    # Every household exactly once, sorted by household_id.
    assert df["household_id"].to_list() == ["AH1", "AH2", "BH1", "MH1", "ZH1"]
    # Payments are definite amounts.
    assert (
        df.select(pl.col("attachment_fee", "results_payment", "payment_due").null_count())
        .sum_horizontal()
        .item()
        == 0
    )


def test_streaming_and_in_memory_agree(tmp_path: Path) -> None:
    frames, c = mixed_dataset()
    lf = phase1(frames, c)
    streaming = lf.collect(engine="streaming")
    in_memory = lf.collect(engine="in-memory")
    default = lf.collect()
    assert_frame_equal(streaming, in_memory)
    assert_frame_equal(streaming, default)
    # The plan can be sunk to Parquet, and reads back identical.
    path = tmp_path / "phase1.parquet"
    lf.sink_parquet(path)
    assert_frame_equal(pl.read_parquet(path), streaming)


def test_household_without_members() -> None:
    # Pinned 12: "some member" false, "every member" true, counts 0.
    f = dataset([("H1", date(2012, 6, 1))])
    row = run(f, AS_OF)["H1"]
    assert [row[c] for c in ("crime_asb", "education", "work", "local", "identified")] == [
        False
    ] * 5
    # Attached: neutral results true (criteria false at a), the rest false.
    assert (row["education_result"], row["crime_asb_result"]) == (True, True)
    assert (row["employment_result"], row["progress_to_work"]) == (False, False)
    assert row["turned_around"] is False
    assert row["payment_due"] == gbp(0)


def test_household_without_members_no_event_tables() -> None:
    f = dataset([("H1", date(2012, 6, 1))], missing=ALL_EVENT_TABLES)
    row = run(f, AS_OF)["H1"]
    assert [row[c] for c in ("crime_asb", "education", "work", "local", "identified")] == [
        False
    ] * 5
    assert (row["education_result"], row["crime_asb_result"]) == (True, True)


def test_only_core_tables() -> None:
    # H1: an adult and a school-age child, nothing known about them: every
    # criterion unknown, every result unknown, nothing paid.
    # H2: only a toddler (2): crime_asb and local are about every member
    # (unknown); education (no school-age child) and work (no adult) false.
    # identified = (N and F and F) or (at least 2 of [N, F, F] = F and N) = F.
    # Results at c: education false at a -> true; crime_asb unknown at a and
    # unknown counts -> unknown; employment and progress need an adult -> false.
    f = dataset(
        [("H1", date(2012, 6, 1)), ("H2", date(2012, 6, 1))],
        [
            ("A", "H1", date(1980, 1, 1)),
            ("C", "H1", date(2001, 1, 1)),
            ("T", "H2", date(2010, 6, 1)),
        ],
        missing=ALL_EVENT_TABLES,
    )
    rows = run(f, AS_OF)
    h1, h2 = rows["H1"], rows["H2"]
    for col in OUTPUT_COLUMNS[2:13]:
        assert h1[col] is None, col
    assert h1["payment_due"] == gbp(0)
    assert [h2[c] for c in ("crime_asb", "education", "work", "local", "identified")] == [
        None,
        False,
        False,
        None,
        False,
    ]
    assert [
        h2[c]
        for c in ("education_result", "crime_asb_result", "employment_result", "progress_to_work")
    ] == [True, None, False, False]
    assert h2["turned_around"] is False


def test_missing_core_table_is_an_error() -> None:
    f = dataset([("H1", None)])
    del f["persons"]
    with pytest.raises(KeyError, match="persons"):
        phase1(f, AS_OF)


def test_extra_input_columns_are_ignored() -> None:
    frames, c = mixed_dataset()
    plain = phase1(frames, c).collect()
    frames = {name: lf.with_columns(extra=pl.lit(1)) for name, lf in frames.items()}
    assert_frame_equal(phase1(frames, c).collect(), plain)


def test_plan_has_no_python_udf() -> None:
    frames, c = mixed_dataset()
    plan = phase1(frames, c).explain().lower()
    assert "python" not in plan
    assert "opaque" not in plan
    # Control: this is how a Python UDF shows in explain() (expression-level
    # `python_udf`, frame-level `OPAQUE_PYTHON`), so the check above is meaningful.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Polars' "use native expressions" advice
        udf = phase1(frames, c).with_columns(
            x=pl.col("la_code").map_elements(lambda s: s + "x", return_dtype=pl.String)
        )
    assert "python" in udf.explain().lower()
    assert "python" in phase1(frames, c).map_batches(lambda df: df).explain().lower()


def test_plan_also_unoptimised_has_no_python_udf() -> None:
    frames, c = mixed_dataset()
    assert "python" not in phase1(frames, c).explain(optimized=False).lower()
