"""Where the time of a compiled plan goes: each group_by stage on its own.

    python bench/profile.py [DATA_DIR] [--as-of 2014-06-15] [--top 3] [--rules FILE.tfr]

Polars 2 has no LazyFrame.profile(), so this times the plan's stages itself:
as the plan is built, each group_by (events -> persons, events -> households,
persons -> households) is computed at once, with the stages it reads already
in memory, so its CPU time is its own (its scans and joins included). The
final stage (joins onto the households, the rule columns, the sort) is timed
last. Prints one line per stage, then the most expensive ones.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("data", type=Path, nargs="?", default=ROOT / "bench/data/h1000000")
    options.add_argument("--as-of", default="2014-06-15")
    options.add_argument("--top", type=int, default=3)
    options.add_argument("--rules", type=Path, default=ROOT / "bench" / "leeds_burglary.tfr")
    args = options.parse_args()
    sys.path.insert(0, str(ROOT))
    import tfrules.api as api
    from tfrules.check.usage import required_columns
    from tfrules.compile.plan import build_plan
    from tfrules.data.load import load_dataset

    rules = api.load(args.rules)
    dataset = load_dataset(args.data, rules.schema, required_columns(rules))
    stages: list[tuple[str, int, float, float]] = []

    def timed(source: str, key: str, target: str, result: pl.LazyFrame) -> pl.LazyFrame:
        cpu, wall = _cpu(), time.perf_counter()
        frame = result.collect()
        frames = {"H": "households", "P": "persons"}
        label = f"{frames.get(source, source)} -> {frames[target]} (by {key})"
        stages.append((label, frame.height, _cpu() - cpu, time.perf_counter() - wall))
        return frame.lazy()

    plan = build_plan(
        rules,
        dataset.frames,
        api.as_date(args.as_of),
        missing=dataset.missing_tables,
        on_group_by=timed,
    )
    cpu, wall = _cpu(), time.perf_counter()
    final = plan.collect()
    stages.append(
        ("final: joins onto households, rules, sort", final.height, _cpu() - cpu,
         time.perf_counter() - wall)
    )  # fmt: skip
    print(f"{'stage':58} {'rows out':>10} {'CPU s':>7} {'wall s':>7}")
    for label, rows, cpu_s, wall_s in stages:
        print(f"{label:58} {rows:>10,} {cpu_s:>7.2f} {wall_s:>7.2f}")
    total = sum(s[2] for s in stages)
    print(f"{'total':58} {'':>10} {total:>7.2f}")
    print(f"\nmost expensive {args.top}:")
    for label, _, cpu_s, _ in sorted(stages, key=lambda s: -s[2])[: args.top]:
        print(f"  {label}: {cpu_s:.2f} CPU s ({100 * cpu_s / total:.0f}%)")


if __name__ == "__main__":
    main()
