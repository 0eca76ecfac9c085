"""The benchmark suite: one command, writes docs/benchmarks.md.

    python bench/run.py [--sizes 100000,1000000,10000000] [--repeat 2]

For each size (households; persons and events in proportion, from Parquet on
disk, generated once into bench/data/ by `tfrules synth`'s generator; 10
million households take about half an hour to generate and 13 GB of disk):

- compile time, evaluation wall and CPU time, and peak memory (each run's own
  process's maximum resident set) of phase 1 with a local ruleset
  (bench/leeds_burglary.tfr), streamed to Parquet with sink_parquet, in slices
  of a million households as `tfrules eval` does;
- the same for the hand-written Polars baseline (bench/baseline), in the same
  run, and the ratio of the two; both outputs are compared, column by column.
  A run that does not finish (out of memory) is reported as such;
- how time grows with size (a least-squares fit of log time on log size);
- the parse-and-check time of a generated 5,000-line ruleset, and the time of
  `tfrules test` over every shipped ruleset.

Each measurement is the best of --repeat runs, tfrules and baseline alternating.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs
import polars as pl

from tfrules.run.slices import slice_count

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2014-06-15"
SEED = 2014


def ensure_data(households: int, data_root: Path) -> Path:
    from tfrules.data.synth import generate_to_dir

    folder = data_root / f"h{households}"
    stamp = folder / "synth.json"
    wanted = {"households": households, "seed": SEED}
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        print(f"generating {households:,} households into {folder} ...", flush=True)
        generate_to_dir(households, SEED, folder)
        stamp.write_text(json.dumps(wanted))
    return folder


def measure(engine: str, data: Path, out: Path, slices: int = 1) -> dict[str, float] | None:
    """One measurement in a fresh process; None if the run did not finish
    (out of memory: the kernel kills it)."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "measure.py"),
        engine,
        str(data),
        AS_OF,
        str(out),
        str(slices),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if result.returncode != 0:
        print(f"  {engine} did not finish (exit {result.returncode}): "
              f"{result.stderr.strip().splitlines()[-1:] }", flush=True)  # fmt: skip
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def table_rows(data: Path) -> tuple[int, int]:
    """Persons, and events of every table, in a generated data set."""
    import pyarrow.parquet as pq

    persons = events = 0
    for path in data.glob("*.parquet"):
        rows = pq.ParquetFile(path).metadata.num_rows
        if path.stem == "persons":
            persons = rows
        elif path.stem != "households":
            events += rows
    return persons, events


def best(runs: list[dict[str, float] | None]) -> dict[str, float] | None:
    finished = [r for r in runs if r is not None]
    return min(finished, key=lambda r: r["eval_wall_s"]) if finished else None


def same_output(a: Path, b: Path) -> bool:
    left, right = pl.read_parquet(a), pl.read_parquet(b)
    columns = [c for c in right.columns if c in left.columns]
    return left.select(columns).equals(right.select(columns))


def parse_check() -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "parse_check.py"), "--repeat", "3"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout.strip()


def profile(data: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "profile.py"), str(data)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout.strip()


def test_suite_time() -> tuple[float, str]:
    tfrules = Path(sys.executable).parent / "tfrules"
    started = time.perf_counter()
    result = subprocess.run(
        [str(tfrules), "test", "rulesets/"], capture_output=True, text=True, cwd=ROOT
    )
    return time.perf_counter() - started, result.stdout.strip().splitlines()[-1]


def fit(points: list[tuple[int, float]]) -> tuple[float, float] | None:
    """Slope and intercept of log(time) against log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    return slope, my - slope * mx


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="100000,1000000,10000000")
    options.add_argument("--repeat", type=int, default=2)
    options.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    options.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = options.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for households in sizes:
        data = ensure_data(households, args.data)
        slices = slice_count(households)  # as `tfrules eval` would
        with tempfile.TemporaryDirectory() as scratch:
            ours_out, theirs_out = (
                Path(scratch) / "tfrules.parquet",
                Path(scratch) / "baseline.parquet",
            )
            ours: list[dict[str, float] | None] = []
            theirs: list[dict[str, float] | None] = []
            for _ in range(args.repeat):
                ours.append(measure("tfrules", data, ours_out, slices))
                if not theirs or theirs[-1] is not None:  # a run out of memory is not retried
                    theirs.append(measure("baseline", data, theirs_out))
            a, b = best(ours), best(theirs)
            agree = same_output(ours_out, theirs_out) if a and b else None
        rows.append(Row(households, slices, table_rows(data), a, b, agree))
        print(rows[-1].summary(), flush=True)
    profiled = min(sizes, key=lambda n: abs(n - 1_000_000))
    stages = profile(ensure_data(profiled, args.data))
    parse_line = parse_check()
    test_seconds, test_summary = test_suite_time()
    write_report(args.out, rows, (profiled, stages), parse_line, test_seconds, test_summary, args)


@attrs.frozen
class Row:
    households: int
    slices: int
    sizes: tuple[int, int]  # persons, events
    ours: dict[str, float] | None
    theirs: dict[str, float] | None
    agree: bool | None

    def summary(self) -> str:
        def part(name: str, m: dict[str, float] | None) -> str:
            if m is None:
                return f"{name} did not finish"
            return f"{name} {m['eval_wall_s']:.1f} s, {m['peak_rss_mb']:.0f} MB"

        ratio = (
            f"ratio {self.ours['eval_wall_s'] / self.theirs['eval_wall_s']:.2f}; "
            if self.ours and self.theirs
            else ""
        )
        return (
            f"{self.households:>10,}: {part('tfrules', self.ours)}; "
            f"{part('baseline', self.theirs)}; {ratio}same output: {self.agree}"
        )


def write_report(
    out: Path,
    rows: list[Row],
    stages: tuple[int, str],
    parse_line: str,
    test_seconds: float,
    test_summary: str,
    args: argparse.Namespace,
) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `python bench/run.py --sizes "
        f"{args.sizes} --repeat {args.repeat}` on {dt.date.today()}, on a "
        f"{platform.machine()} machine with 2 cores, Python {platform.python_version()}, "
        f"polars {pl.__version__}. Numbers vary with the load on a shared machine; CPU "
        "seconds are the steadier measure.",
        "",
        "## Phase 1 with a local ruleset against the hand-written baseline",
        "",
        "Evaluation of `bench/leeds_burglary.tfr` (national phase 1 with the local criterion "
        "the baseline hard-codes) at as_of " + AS_OF + ", from Parquet, streamed to Parquet. "
        "Each figure is the best of the runs; each run is a fresh process (peak memory is "
        "its maximum resident set).",
        "",
        "| households | persons | events | slices | compile s | tfrules s (CPU s) "
        "| tfrules peak MB | baseline s (CPU s) | baseline peak MB | time ratio "
        "| memory ratio | same output |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        a, b = row.ours, row.theirs
        ours = (
            f"{a['compile_s']:.2f} | {a['eval_wall_s']:.1f} ({a['eval_cpu_s']:.1f}) "
            f"| {a['peak_rss_mb']:,.0f}"
            if a
            else "- | did not finish | -"
        )
        theirs = (
            f"{b['eval_wall_s']:.1f} ({b['eval_cpu_s']:.1f}) | {b['peak_rss_mb']:,.0f}"
            if b
            else "did not finish (out of memory) | -"
        )
        ratios = (
            f"{a['eval_wall_s'] / b['eval_wall_s']:.2f} | {a['peak_rss_mb'] / b['peak_rss_mb']:.2f}"
            if a and b
            else "- | -"
        )
        agree = {True: "yes", False: "NO", None: "-"}[row.agree]
        lines.append(
            f"| {row.households:,} | {row.sizes[0]:,} | {row.sizes[1]:,} | {row.slices} "
            f"| {ours} | {theirs} | {ratios} | {agree} |"
        )
    lines += [
        "",
        "tfrules evaluates the households a slice at a time (`tfrules eval --slices`, one "
        "slice per million households by default): the slices' outputs, each sorted by "
        "household, are streamed one after another into the output file. The baseline is "
        "one plan over everything. With slices, each slice's plan is compiled within the "
        "evaluation time (about 0.1 s a slice).",
    ]
    ours = fit([(r.households, r.ours["eval_wall_s"]) for r in rows if r.ours])
    theirs = fit([(r.households, r.theirs["eval_wall_s"]) for r in rows if r.theirs])
    lines += ["", "## Growth with size", ""]
    if ours:
        lines.append(
            "Fitting log(time) = k·log(households) + c over the sizes measured (k = 1 is "
            f"linear growth): k = {ours[0]:.2f} for tfrules"
            + (f" and {theirs[0]:.2f} for the baseline." if theirs else ".")
        )
    else:
        lines.append("Only one size was measured; run with several --sizes to fit growth.")
    lines += [
        "",
        f"## Where the time goes at {stages[0]:,} households",
        "",
        "`python bench/profile.py` (each group_by stage of the compiled plan computed on "
        "its own, its inputs already in memory; CPU seconds include its scans and joins; "
        "run alone, a little slower than within the whole plan). What was found in "
        "these profiles and done about it: [performance.md](performance.md).",
        "",
        "```",
        stages[1],
        "```",
        "",
        "## Front end",
        "",
        "`python bench/parse_check.py --repeat 3`:",
        "",
        "```",
        parse_line,
        "```",
        "",
        "## Tests written in the shipped rulesets",
        "",
        f"`tfrules test rulesets/`: {test_summary} in {test_seconds:.1f} s (one process, "
        "including start-up).",
        "",
    ]
    out.write_text("\n".join(lines) + "\n" + kept_sections(out), encoding="utf-8")
    print(f"wrote {out}")


#: Sections of docs/benchmarks.md written by hand or by other scripts (bench/mapping.py):
#: kept as they are.
KEPT_SECTIONS = (
    "## Reasons for every household (`eval --reasons`)",
    "## Reading a council's extract through a mapping",
)


def kept_sections(out: Path) -> str:
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    kept = []
    for title in KEPT_SECTIONS:
        if title in text:
            rest = text.split(title, 1)[1]
            end = rest.find("\n## ")
            kept.append(title + (rest if end < 0 else rest[: end + 1]))
    return "".join("\n" + k.rstrip("\n") + "\n" for k in kept)


if __name__ == "__main__":
    main()
