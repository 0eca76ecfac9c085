"""The benchmark suite: one command, writes docs/benchmarks.md.

    python bench/run.py [--sizes 100000,1000000,10000000] [--repeat 2]

For each size (households; persons and events in proportion, from Parquet on
disk, generated once into bench/data/ by `tfrules synth`'s generator):

- compile time, evaluation wall and CPU time, and peak memory (each run's own
  process's maximum resident set) of phase 1 with a local ruleset
  (bench/leeds_burglary.tfr), streamed to Parquet with sink_parquet;
- the same for the hand-written Polars baseline (bench/baseline), in the same
  run, and the ratio of the two; both outputs are compared, column by column;
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

import polars as pl

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


def measure(engine: str, data: Path, out: Path) -> dict[str, float]:
    command = [
        sys.executable,
        str(ROOT / "bench" / "measure.py"),
        engine,
        str(data),
        AS_OF,
        str(out),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return min(runs, key=lambda r: r["eval_wall_s"])


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
    options.add_argument("--sizes", default="100000,1000000")
    options.add_argument("--repeat", type=int, default=2)
    options.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    options.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = options.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for households in sizes:
        data = ensure_data(households, args.data)
        with tempfile.TemporaryDirectory() as scratch:
            ours, theirs = [], []
            for _ in range(args.repeat):
                ours.append(measure("tfrules", data, Path(scratch) / "tfrules.parquet"))
                theirs.append(measure("baseline", data, Path(scratch) / "baseline.parquet"))
            agree = same_output(
                Path(scratch) / "tfrules.parquet", Path(scratch) / "baseline.parquet"
            )
        a, b = best(ours), best(theirs)
        rows.append((households, a, b, agree))
        print(
            f"{households:>10,}: tfrules {a['eval_wall_s']:.1f} s, {a['peak_rss_mb']:.0f} MB; "
            f"baseline {b['eval_wall_s']:.1f} s, {b['peak_rss_mb']:.0f} MB; "
            f"ratio {a['eval_wall_s'] / b['eval_wall_s']:.2f}; same output: {agree}",
            flush=True,
        )
    parse_line = parse_check()
    test_seconds, test_summary = test_suite_time()
    write_report(args.out, rows, parse_line, test_seconds, test_summary, args)


def write_report(
    out: Path,
    rows: list[tuple[int, dict[str, float], dict[str, float], bool]],
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
        "| households | compile s | tfrules s (CPU s) | tfrules peak MB | baseline s (CPU s) "
        "| baseline peak MB | time ratio | memory ratio | same output |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for households, a, b, agree in rows:
        lines.append(
            f"| {households:,} | {a['compile_s']:.2f} "
            f"| {a['eval_wall_s']:.1f} ({a['eval_cpu_s']:.1f}) "
            f"| {a['peak_rss_mb']:,.0f} | {b['eval_wall_s']:.1f} ({b['eval_cpu_s']:.1f}) "
            f"| {b['peak_rss_mb']:,.0f} | {a['eval_wall_s'] / b['eval_wall_s']:.2f} "
            f"| {a['peak_rss_mb'] / b['peak_rss_mb']:.2f} | {'yes' if agree else 'NO'} |"
        )
    ours = fit([(n, a["eval_wall_s"]) for n, a, _, _ in rows])
    theirs = fit([(n, b["eval_wall_s"]) for n, _, b, _ in rows])
    lines += ["", "## Growth with size", ""]
    if ours and theirs:
        lines.append(
            f"Fitting log(time) = k·log(households) + c over the sizes above: k = {ours[0]:.2f} "
            f"for tfrules and {theirs[0]:.2f} for the baseline (k = 1 is linear growth)."
        )
    else:
        lines.append("Only one size was measured; run with several --sizes to fit growth.")
    lines += [
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
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
