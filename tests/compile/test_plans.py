"""The compiled plans of every shipped ruleset: no Python function anywhere in
evaluation, shared aggregations built once, and the streaming engine.

"No per-row Python" is checked on the plans Polars will run, through
`LazyFrame.explain()` (optimized and as built): a Python UDF shows there as
`python_udf()` (`map_elements`, `map_batches`), `OPAQUE_PYTHON`
(`LazyFrame.map_batches`), `MAP_GROUPS`, `rolling_map()` or `PYTHON SCAN` (an IO
plugin). The detector is itself tested on plans built with each of those.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.io.plugins import register_io_source

from tfrules import api
from tfrules.data.load import Dataset
from tfrules.data.synth import generate, write_dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.councils import plan_councils

REPO = Path(__file__).resolve().parents[2]
HOUSEHOLDS = 600


def _shipped() -> list[str]:
    """The name of every ruleset under rulesets/ (the schema file is not one)."""
    names = []
    for path in sorted((REPO / "rulesets").rglob("*.tfr")):
        found = re.search(r"^ruleset\s+(\S+)", path.read_text(encoding="utf-8"), re.M)
        if found:
            names.append(found.group(1))
    return names


SHIPPED = _shipped()


def _as_of(name: str) -> str:
    return "2016-06-30" if "phase2" in name else "2013-01-15"


# ------------------------------------------------------------------ reading explain() text

#: What a Python function looks like in the text of a Polars 2.1 plan.
PYTHON_IN_PLAN = re.compile(
    r"python|opaque|map_groups|rolling_map|map_elements|map_batches|\budf\b", re.IGNORECASE
)
_SCAN = re.compile(r"(\w+ SCAN) \[([^\]]*)\]")
_CACHE = re.compile(r"CACHE\[id: ([^\]]+)\]")


def python_in_plan(plan: pl.LazyFrame) -> list[str]:
    """The lines of the plan (optimized and as built) that call into Python."""
    found = []
    for optimized in (True, False):
        text = _SCAN.sub(r"\1 [...]", plan.explain(optimized=optimized))  # no file paths
        found += [line.strip() for line in text.splitlines() if PYTHON_IN_PLAN.search(line)]
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _end(lines: list[str], start: int) -> int:
    """One past the last line of the subtree of the node on line `start`."""
    depth, end = _indent(lines[start]), start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > depth):
        end += 1
    return end


def _first_scan(lines: list[str], start: int, end: int, caches: dict[str, tuple[int, int]]):
    """The first table scanned in lines[start:end], following CACHE references."""
    for i in range(start, end):
        scan = _SCAN.search(lines[i])
        if scan:
            return Path(scan.group(2)).stem
        cache = _CACHE.search(lines[i])
        body_follows = i + 1 < end and _indent(lines[i + 1]) > _indent(lines[i])
        if cache and not body_follows and cache.group(1) in caches:
            found = _first_scan(lines, *caches[cache.group(1)], caches)
            if found:
                return found
    return None


def aggregations(text: str) -> Iterator[tuple[str | None, str, str]]:
    """Every AGGREGATE (group_by) of an explain() text: (source table, key, aggregates).

    The source table is the first table scanned below it: the table whose rows
    are grouped (a person event table grouped by household joins persons after it).
    """
    lines = text.splitlines()
    caches: dict[str, tuple[int, int]] = {}
    for i, line in enumerate(lines):
        cache = _CACHE.search(line)
        if cache and i + 1 < len(lines) and _indent(lines[i + 1]) > _indent(line):
            caches.setdefault(cache.group(1), (i + 1, _end(lines, i)))
    for i, line in enumerate(lines):
        if line.strip().startswith("AGGREGATE"):
            detail = lines[i + 1].strip()
            found = re.fullmatch(r"\[(.*)\] BY \[(.*)\]", detail)
            assert found, f"unexpected AGGREGATE layout: {detail[:200]}"
            yield _first_scan(lines, i + 1, _end(lines, i), caches), found[2], found[1]


def repeated_group_bys(plan: pl.LazyFrame) -> dict[tuple[str | None, str], int]:
    """(source table, grouping key) pairs grouped more than once.

    As built (unoptimized), a shared node is printed at every use, so distinct
    aggregations are counted; optimized, every AGGREGATE node runs, so all are.
    """
    built: dict[tuple[str | None, str], set[str]] = collections.defaultdict(set)
    for source, key, aggs in aggregations(plan.explain(optimized=False)):
        built[(source, key)].add(aggs)
    run = collections.Counter((s, k) for s, k, _ in aggregations(plan.explain()))
    repeated = {k: len(v) for k, v in built.items() if len(v) > 1}
    repeated.update({k: n for k, n in run.items() if n > 1})
    return repeated


def duplicated_group_bys(plan: pl.LazyFrame) -> list[tuple[str | None, str, str]]:
    """Group_bys the optimized plan runs more than once with the same aggregates."""
    run = collections.Counter(aggregations(plan.explain()))
    return [found for found, n in run.items() if n > 1]


def streaming_fallbacks(plan: pl.LazyFrame) -> list[str]:
    """Nodes of the streaming engine's physical plan that fall back to the in-memory engine."""
    graph = plan.show_graph(engine="streaming", plan_stage="physical", raw_output=True)
    assert graph is not None and "in-memory engine fallback" in graph  # the legend
    fallback = re.compile(r'\[label="([^"]*)".*fillcolor="0\.0 0\.3 1\.0"')
    return [m[1] for m in fallback.finditer(graph)]


# ------------------------------------------------------------------ the detectors catch UDFs

_FRAME = pl.LazyFrame({"household_id": ["H1", "H2", "H1"], "n": [1, 2, 3]})


def _io_source() -> pl.LazyFrame:
    def source(with_columns, predicate, n_rows, batch_size):
        yield pl.DataFrame({"n": [1]})

    return register_io_source(source, schema={"n": pl.Int64})


BAD_PLANS: dict[str, Callable[[], pl.LazyFrame]] = {
    "map_elements": lambda: _FRAME.with_columns(
        pl.col("n").map_elements(lambda v: v + 1, return_dtype=pl.Int64)
    ),
    "map_elements-in-group_by": lambda: _FRAME.group_by("household_id").agg(
        pl.col("n").map_elements(lambda s: s.sum(), return_dtype=pl.Int64)
    ),
    "struct-map_elements": lambda: _FRAME.select(
        pl.struct("household_id", "n").map_elements(lambda r: r["n"], return_dtype=pl.Int64)
    ),
    "map_batches": lambda: _FRAME.select(pl.col("n").map_batches(lambda s: s * 2)),
    "LazyFrame.map_batches": lambda: _FRAME.map_batches(lambda df: df),
    "map_groups": lambda: _FRAME.group_by("household_id").map_groups(lambda df: df, schema=None),
    "rolling_map": lambda: _FRAME.select(pl.col("n").rolling_map(lambda s: s.sum(), 2)),
    "io-plugin": _io_source,
}


@pytest.mark.parametrize("make", list(BAD_PLANS.values()), ids=list(BAD_PLANS))
@pytest.mark.filterwarnings("ignore::polars.exceptions.PolarsInefficientMapWarning")
def test_detector_catches_python_functions(make):
    assert python_in_plan(make())


def test_detector_passes_native_expressions():
    plan = _FRAME.group_by("household_id").agg(
        pl.col("n").sum().alias("total"), (pl.col("n") > 1).any().alias("big")
    )
    plan = plan.join(_FRAME, on="household_id").with_columns(pl.col("n").cum_sum())
    assert python_in_plan(plan) == []
    assert streaming_fallbacks(plan) == []


def test_fallback_detector_catches_opaque_python():
    assert streaming_fallbacks(_FRAME.map_batches(lambda df: df))


def test_group_by_detector_catches_a_second_group_by_of_a_table():
    once = _FRAME.group_by("household_id").agg(pl.col("n").sum().alias("total"))
    twice = once.join(
        _FRAME.group_by("household_id").agg(pl.col("n").max().alias("most")), on="household_id"
    )
    assert repeated_group_bys(once) == {}
    assert repeated_group_bys(twice)
    assert duplicated_group_bys(once) == []
    assert duplicated_group_bys(once.join(once, on="household_id")) == []  # shared: run once


# ------------------------------------------------------------------ every shipped ruleset


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plan_data")
    write_dataset(generate(HOUSEHOLDS, seed=99), folder, format="parquet")
    return folder


class _Built:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.cache: dict[str, tuple[CheckedRuleset, Dataset, pl.LazyFrame]] = {}

    def __call__(self, name: str) -> tuple[CheckedRuleset, Dataset, pl.LazyFrame]:
        if name not in self.cache:
            ruleset = api.load(name)
            dataset = api.load_data(ruleset, self.data_dir)
            self.cache[name] = (ruleset, dataset, api.compile_plan(ruleset, dataset, _as_of(name)))
        return self.cache[name]


@pytest.fixture(scope="module")
def built(data_dir) -> _Built:
    return _Built(data_dir)


def test_every_shipped_ruleset_is_found():
    assert {"national.phase1", "national.phase2", "national.dwp_fmp"} <= set(SHIPPED)
    assert any(name.startswith("local.") for name in SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_no_python_in_the_plan(built, name):
    ruleset, _, plan = built(name)
    assert python_in_plan(plan) == []
    assert plan.collect_schema().names()[2:] == ruleset.output_rules


@pytest.mark.parametrize("name", SHIPPED)
def test_plan_runs_on_the_streaming_engine(built, name, tmp_path):
    _, _, plan = built(name)
    streamed = plan.collect(engine="streaming")
    assert streamed.height == HOUSEHOLDS
    assert streamed.equals(plan.collect(engine="in-memory"))
    plan.sink_parquet(tmp_path / "out.parquet")
    assert pl.read_parquet(tmp_path / "out.parquet").equals(streamed)


@pytest.mark.parametrize("name", SHIPPED)
def test_streaming_plan_has_no_in_memory_fallback(built, name):
    """Every node of the streaming engine's physical plan streams: none falls back
    to the in-memory engine (which holds its whole input in memory)."""
    _, _, plan = built(name)
    assert streaming_fallbacks(plan) == []


def test_phase1_groups_each_table_once_per_key(built):
    _, _, plan = built("national.phase1")
    found = list(aggregations(plan.explain()))
    sources = {source for source, _, _ in found}
    keys = {key for _, key, _ in found}
    # the parse sees the aggregations it should: members into households, events
    # into members and into households
    assert {"persons", "offences", "asb", "school_terms", "benefit_claims"} <= sources
    assert {'col("household_id")', 'col("person_id")'} <= keys
    assert None not in sources
    # A table is grouped by a key at most three times, each with its own row
    # filter: the rows in windows at the run date; every row, for households
    # whose `attached_on` is unknown; the rows of households whose date is known.
    assert all(times <= 3 for times in repeated_group_bys(plan).values())
    assert duplicated_group_bys(plan) == []


def test_multi_council_plan(built, data_dir, tmp_path):
    """National phase 1 with every shipped phase-1 local ruleset, council by council."""
    national, dataset, _ = built("national.phase1")
    locals_ = api.load_locals(national, [REPO / "rulesets" / "local"])
    assert len(locals_) >= 2
    dataset = api.load_data([national, *locals_], data_dir)
    councils = plan_councils(
        national, locals_, dataset.frames, dt.date.fromisoformat(_as_of("national.phase1")),
        missing=dataset.missing_tables,
    )  # fmt: skip
    plan = councils.plan
    assert python_in_plan(plan) == []
    streamed = plan.collect(engine="streaming")
    assert streamed.height == HOUSEHOLDS
    assert streamed["household_id"].is_sorted()
    assert streamed["household_id"].n_unique() == HOUSEHOLDS
    assert streamed.equals(plan.collect(engine="in-memory"))
    plan.sink_parquet(tmp_path / "councils.parquet")
    assert pl.read_parquet(tmp_path / "councils.parquet").equals(streamed)
