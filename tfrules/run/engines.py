"""The engines that execute a checked ruleset over a data set.

An engine evaluates a `Job` in memory or writes its results to a file. The
Polars engine builds lazy plans with `tfrules.compile.plan.build_plan` and
picks the strategy the job asks for: one plan over everything, the
households in slices (`tfrules.run.slices`), and council by council with
each council's local ruleset (`tfrules.run.councils`), which combine. Another
engine plugs in by adding itself to `ENGINES`, as the Spark engine
(`tfrules.run.spark`) does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import attrs
import polars as pl

from tfrules.compile.plan import build_plan
from tfrules.data.load import Dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.councils import plan_councils
from tfrules.run.slices import slices_for, write_in_slices

#: Told what a run is doing, in plain words, as it goes ("evaluating slice 2 of 5").
Progress = Callable[[str], None]


@attrs.frozen
class Job:
    """What to evaluate: a ruleset (with, for a multi-council run, the
    councils' local rulesets) over a validated data set at a date."""

    ruleset: CheckedRuleset
    #: the data: loaded by Polars, or (for the Spark engine) a `tfrules.run.spark.sources.SparkData`
    dataset: Dataset
    as_of: dt.date
    #: the household rules to evaluate, in output order (None: all of them)
    rules: tuple[str, ...] | None = None
    local: tuple[CheckedRuleset, ...] = ()
    #: slices of households, evaluated one after another (0: one per million)
    slices: int = 0
    #: beside each criterion, `<rule>_reason`: why it has its value
    reasons: bool = False


class Engine(Protocol):
    name: str

    def evaluate(self, job: Job) -> pl.DataFrame:
        """The results in memory: one row per household, one column per rule."""
        ...

    def write(self, job: Job, out: Path, on_progress: Progress) -> pl.Schema:
        """Write the results to `out` (.parquet or .csv, a path the caller
        renames into place); returns the columns written with their dtypes."""
        ...


class PolarsEngine:
    """Lazy Polars plans, streamed into the output file."""

    name = "polars"

    def plan(self, job: Job, frames: Mapping[str, pl.LazyFrame] | None = None) -> pl.LazyFrame:
        """The plan of the job over `frames` (all of the data set's by default)."""
        frames = job.dataset.frames if frames is None else frames
        missing = job.dataset.missing_tables
        if job.local:
            return plan_councils(
                job.ruleset,
                job.local,
                frames,
                job.as_of,
                missing=missing,
                rules=job.rules,
                reasons=job.reasons,
            ).plan
        return build_plan(
            job.ruleset, frames, job.as_of, missing=missing, rules=job.rules, reasons=job.reasons
        )

    def evaluate(self, job: Job) -> pl.DataFrame:
        return self.plan(job).collect()

    def write(self, job: Job, out: Path, on_progress: Progress) -> pl.Schema:
        frames = job.dataset.frames
        schema = job.ruleset.schema
        count = slices_for(frames, schema, job.slices)
        if count == 1:
            on_progress(f"evaluating and writing {out.name}")
        else:
            on_progress(f"evaluating slice 1 of {count}")

        def done(number: int, total: int) -> None:
            if total > 1:
                following = f"slice {number + 1} of {total}" if number < total else "the output"
                on_progress(f"evaluating {following}")

        return write_in_slices(
            lambda part: self.plan(job, part), frames, schema, count, out, on_slice=done
        )


def spark_engine() -> Engine:
    """The Spark engine (`tfrules.run.spark`), imported only when asked for:
    it needs pyspark (`pip install 'tfrules[spark]'`)."""
    from tfrules.run.spark.session import require_pyspark

    require_pyspark()
    from tfrules.run.spark.engine import SparkEngine

    return SparkEngine()


#: Every engine by name; the first is the default.
ENGINES: dict[str, Callable[[], Engine]] = {PolarsEngine.name: PolarsEngine, "spark": spark_engine}


def engine_named(name: str) -> Engine:
    """The engine called `name`; ValueError naming the ones there are otherwise."""
    if not isinstance(name, str):
        raise TypeError(f"engine must be the name of an engine, not {type(name).__name__}")
    make = ENGINES.get(name)
    if make is None:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"there is no engine {name!r}; the engines are: {known}")
    return make()
