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
wall time and the peak resident memory, with tfrules' ratio to each baseline. The
three outputs are compared (phase 1's columns, nulls included); a difference
fails the run. ``--rules bench/leeds_burglary.tfr`` with ``--local burglary``
compares the Leeds burglary criterion instead.
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


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run under /usr/bin/time -v."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert wall and rss, result.stderr
    hours, minutes, seconds = wall.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds), int(rss.group(1)) / 1024


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("data", type=Path, nargs="+")
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--as-of", default="2014-06-15")
    options.add_argument("--rules", type=Path, default=ROOT / "bench" / "local_false.tfr")
    options.add_argument("--local", choices=("false", "burglary"), default="false")
    args = options.parse_args()
    print("| data | households attached | implementation | wall s (median) | peak MB (median) "
          "| tfrules / it, time | tfrules / it, memory |")  # fmt: skip
    print("|---|---:|---|---:|---:|---:|---:|")
    for data in (d.resolve() for d in args.data):
        attached = pl.scan_parquet(data / "households.parquet").select(
            pl.col("attached_on").is_not_null().mean()
        )
        share = attached.collect().item()
        with tempfile.TemporaryDirectory() as tmp:
            runs: dict[str, list[tuple[float, float]]] = {e: [] for e in ENGINES}
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
            e: (statistics.median(w for w, _ in r), statistics.median(m for _, m in r))
            for e, r in runs.items()
        }
        ours = medians["tfrules"]
        for engine, (wall, mb) in medians.items():
            ratio = "" if engine == "tfrules" else f"{ours[0] / wall:.2f}"
            memory = "" if engine == "tfrules" else f"{ours[1] / mb:.2f}"
            print(f"| {data.name} | {share:.0%} | {engine} | {wall:.1f} | {mb:,.0f} "
                  f"| {ratio} | {memory} |")  # fmt: skip


if __name__ == "__main__":
    main()
