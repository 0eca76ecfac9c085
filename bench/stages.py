"""Where the time of a whole `tfrules eval` goes, stage by stage, in one process.

    python bench/stages.py DATA_DIR [--rules bench/local_false.tfr] [--as-of 2014-06-15]

Times, as `tfrules eval` runs them: importing tfrules' API, loading and checking
the rules, loading and validating the data (separately: loading reads only file
footers), building the plan, and evaluating it into a Parquet file. Prints the
wall and CPU seconds of each, validation as a share of evaluation, and the
process's peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("data", type=Path)
    options.add_argument("--rules", type=Path, default=ROOT / "bench" / "local_false.tfr")
    options.add_argument("--as-of", default="2014-06-15")
    args = options.parse_args()
    stages: list[tuple[str, float, float]] = []

    def timed(label: str, work):  # type: ignore[no-untyped-def]
        cpu, wall = _cpu(), time.perf_counter()
        result = work()
        stages.append((label, time.perf_counter() - wall, _cpu() - cpu))
        return result

    api = timed("import tfrules.api", lambda: __import__("tfrules.api").api)
    from tfrules.check.usage import required_columns
    from tfrules.data.load import load_dataset
    from tfrules.data.validate import validate
    from tfrules.run.slices import sink

    rules = timed("load and check the rules", lambda: api.load(args.rules))
    dataset = timed(
        "load the data (footers)",
        lambda: load_dataset(args.data, rules.schema, required_columns(rules)),
    )
    timed("validate the data", lambda: validate(dataset))
    plan = timed("build the plan", lambda: api.compile_plan(rules, dataset, args.as_of))
    with tempfile.TemporaryDirectory() as tmp:
        timed("evaluate into Parquet", lambda: sink(plan, Path(tmp) / "out.parquet"))
    print(f"{'stage':32} {'wall s':>7} {'CPU s':>7}")
    for label, wall, cpu in stages:
        print(f"{label:32} {wall:>7.2f} {cpu:>7.2f}")
    wall = {label: w for label, w, _ in stages}
    cpu = {label: c for label, _, c in stages}
    validation, evaluation = "validate the data", "evaluate into Parquet"
    print(
        f"validation / evaluation: {cpu[validation] / cpu[evaluation]:.0%} of the CPU time, "
        f"{wall[validation] / wall[evaluation]:.0%} of the wall time"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
