"""Running a job: the output checked, written atomically by the chosen
engine, timed, and described for whoever prints it."""

from __future__ import annotations

import time
from pathlib import Path

import attrs
import polars as pl

from tfrules.data.load import Dataset
from tfrules.run.atomic import write_file
from tfrules.run.councils import (
    councils_covered,
    councils_without_households,
    households_without_local,
)
from tfrules.run.engines import Job, Progress, engine_named
from tfrules.run.outputs import check_output_file

#: The suffixes a results file may have.
RESULT_SUFFIXES = (".parquet", ".csv")


@attrs.frozen
class RunResult:
    """What a run wrote, and what a summary of it needs."""

    path: Path
    ruleset: str
    #: seconds spent evaluating and writing
    elapsed: float
    #: the columns written, with their dtypes (CSV keeps no dtypes)
    columns: pl.Schema
    #: councils with a local ruleset, and the ruleset (multi-council runs)
    covered: dict[str, str] = attrs.field(factory=dict)
    #: households of each council that had no local ruleset (multi-council runs)
    without_local: dict[str, int] = attrs.field(factory=dict)
    #: the national rules left abstract, so unknown where no local ruleset applied
    abstract: tuple[str, ...] = ()
    #: councils a local ruleset applies to that no household belongs to, and the ruleset
    unmatched: dict[str, str] = attrs.field(factory=dict)

    def scan(self) -> pl.LazyFrame:
        """The results as written, read lazily with the dtypes they were written with."""
        if self.path.suffix == ".parquet":
            return pl.scan_parquet(self.path)
        return pl.scan_csv(self.path, schema=self.columns)


def _inputs(job: Job) -> list[Path]:
    return [Path(i.path) for i in job.dataset.inputs.values() if i.path is not None]


def check_results_path(out: Path, job: Job) -> None:
    """Raise ValueError for a results path of the wrong kind and OutputError
    for one that would overwrite an input or cannot be a file."""
    if out.suffix not in RESULT_SUFFIXES:
        raise ValueError(f"{out}: the output must end in .parquet or .csv")
    inputs = _inputs(job)
    folders = {p.parent for p in inputs}
    data = folders.pop() if len(folders) == 1 else None
    tables = [t.name for t in job.ruleset.schema.tables]
    check_output_file(out, data=data, tables=tables, inputs=inputs)


def _councils(job: Job, covered: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """The households of each council with no local ruleset, and the local
    rulesets' councils that no household belongs to."""
    if isinstance(job.dataset, Dataset):
        frames = job.dataset.frames
        return (
            households_without_local(job.ruleset, frames, covered),
            councils_without_households(job.ruleset, frames, covered),
        )
    from tfrules.run.spark.councils import spark_councils

    return spark_councils(job.ruleset, job.dataset, covered)


def write_results(
    job: Job, out: Path, *, engine: str = "polars", on_progress: Progress | None = None
) -> RunResult:
    """Evaluate `job` and write its results to `out` atomically."""
    runner = engine_named(engine)
    check_results_path(out, job)
    covered = councils_covered(job.ruleset, job.local) if job.local else {}
    tell = on_progress or (lambda _: None)
    started = time.perf_counter()
    written: list[pl.Schema] = []
    write_file(out, lambda path: written.append(runner.write(job, path, tell)))
    elapsed = time.perf_counter() - started
    without, unmatched = _councils(job, covered) if covered else ({}, {})
    wanted = job.rules if job.rules is not None else job.ruleset.output_rules
    abstract = tuple(r for r in job.ruleset.abstract_rules if r in wanted) if job.local else ()
    return RunResult(
        out, job.ruleset.name, elapsed, written[0], covered, without, abstract, unmatched
    )


def evaluate(job: Job, *, engine: str = "polars") -> pl.DataFrame:
    """Evaluate `job` in memory."""
    runner = engine_named(engine)
    if job.local:
        councils_covered(job.ruleset, job.local)
    return runner.evaluate(job)
