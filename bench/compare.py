"""Whole `tfrules eval` against the hand-written baselines, as separate processes.

    python bench/compare.py DATA_DIR [DATA_DIR ...] [--repeat 3] [--as-of 2014-06-15]
        [--rules bench/local_false.tfr]

For each data folder, runs (in turn, ``--repeat`` rounds, so that the load of a
shared machine falls on each alike):

- ``tfrules eval RULES --data DIR --as-of D --out OUT.parquet --quiet``: the whole
  command, start-up, loading and checking the rules, validating the data,
  evaluating, writing and the summary included;
- ``python -m bench.baseline DIR --engine polars --local-false --out ...``;
- ``python -m bench.baseline DIR --engine duckdb --local-false --out ...``;

each under ``/usr/bin/time -v``, and prints a Markdown table of the medians of the
wall time, the CPU time (user + system) and the peak resident memory, with
tfrules' ratio to each baseline. The three outputs are compared (phase 1's
columns, nulls included); a difference fails the run.
``--rules bench/leeds_burglary.tfr --local burglary`` compares the Leeds
burglary criterion instead.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.baseline import OUTPUT_COLUMNS  # noqa: E402

ENGINES = ("tfrules", "polars", "duckdb")


def _command(engine: str, data: Path, args: argparse.Namespace) -> list[str]:
    if engine == "tfrules":
        tfrules = str(Path(sys.executable).with_name("tfrules"))
        return [tfrules, "eval", str(args.rules), "--data", str(data), "--as-of", args.as_of]
    local = ["--local-false"] if args.local == "false" else []
    base = [sys.executable, "-m", "bench.baseline", str(data), "--as-of", args.as_of]
    return [*base, "--engine", engine, *local]


def _timed(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak resident MB and CPU seconds of one run under /usr/bin/time -v."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", result.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", result.stderr)
    assert wall and rss and user and system, result.stderr
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return elapsed, int(rss.group(1)) / 1024, float(user.group(1)) + float(system.group(1))


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("data", type=Path, nargs="+")
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--as-of", default="2014-06-15")
    options.add_argument("--rules", type=Path, default=ROOT / "bench" / "local_false.tfr")
    options.add_argument("--local", choices=("false", "burglary"), default="false")
    args = options.parse_args()
    print("| data | attached | implementation | wall s | CPU s | peak MB "
          "| tfrules / it: wall | CPU | memory |")  # fmt: skip
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for data in (d.resolve() for d in args.data):
        attached = pl.scan_parquet(data / "households.parquet").select(
            pl.col("attached_on").is_not_null().mean()
        )
        share = attached.collect().item()
        with tempfile.TemporaryDirectory() as tmp:
            runs: dict[str, list[tuple[float, float, float]]] = {e: [] for e in ENGINES}
            outs = {e: Path(tmp) / f"{e}.parquet" for e in ENGINES}
            for _ in range(args.repeat):
                for engine in ENGINES:
                    command = _command(engine, data, args)
                    command += ["--out", str(outs[engine])]
                    if engine == "tfrules":
                        command.append("--quiet")
                    runs[engine].append(_timed(command))
                    print(f"  {data.name} {engine}: {runs[engine][-1]}", file=sys.stderr)
            frames = {
                e: pl.read_parquet(outs[e]).select(OUTPUT_COLUMNS).sort("household_id")
                for e in ENGINES
            }
            for engine in ("polars", "duckdb"):
                assert_frame_equal(frames["tfrules"], frames[engine], check_dtypes=False)
        medians = {
            e: [statistics.median(run[i] for run in r) for i in range(3)] for e, r in runs.items()
        }
        ours = medians["tfrules"]
        for engine, (wall, mb, cpu) in medians.items():
            ratios = ["", "", ""] if engine == "tfrules" else [
                f"{ours[0] / wall:.2f}", f"{ours[2] / cpu:.2f}", f"{ours[1] / mb:.2f}"
            ]  # fmt: skip
            print(f"| {data.name} | {share:.0%} | {engine} | {wall:.1f} | {cpu:.1f} | {mb:,.0f} "
                  f"| {' | '.join(ratios)} |")  # fmt: skip


if __name__ == "__main__":
    main()
