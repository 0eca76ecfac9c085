"""One measurement, in its own process so that its peak memory is its own.

    python bench/measure.py tfrules|reasons|baseline DATA_DIR AS_OF OUT.parquet [SLICES]

Prints one line of JSON: compile (plan-building) seconds, evaluation wall and
CPU seconds (streamed into OUT with sink_parquet), and the process's peak
resident memory in MB. With SLICES > 1, tfrules evaluates the households in
that many slices, as `tfrules eval --slices` does (each slice's plan is then
compiled within the evaluation time). Used by bench/run.py.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    engine, data, as_of, out = sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    slices = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    sys.path.insert(0, str(ROOT))
    import tfrules.api as api
    from tfrules.check.usage import required_columns
    from tfrules.data.load import load_dataset

    started = time.perf_counter()
    rules = api.load(ROOT / "bench" / "leeds_burglary.tfr")
    # the generated data is known to be valid: skip validation, whose own peak
    # memory would hide the evaluation's (eval validates first; see docs)
    dataset = load_dataset(data, rules.schema, required_columns(rules))
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    if engine == "tfrules" and slices > 1:
        from tfrules.run.slices import write_in_slices

        def run() -> None:
            write_in_slices(
                lambda frames: api.compile_plan(rules, attrs.evolve(dataset, frames=frames), as_of),
                dataset.frames,
                rules.schema,
                slices,
                out,
            )
    else:
        if engine == "tfrules":
            plan = api.compile_plan(rules, dataset, as_of)
        elif engine == "reasons":  # every criterion with its <rule>_reason column
            from tfrules.compile.plan import build_plan

            day = dt.date.fromisoformat(as_of)
            missing = dataset.missing_tables
            plan = build_plan(rules, dataset.frames, day, missing=missing, reasons=True)
        else:
            from bench.baseline import phase1

            plan = phase1(dataset.frames, dt.date.fromisoformat(as_of))

        def run() -> None:
            plan.sink_parquet(out)

    compiled = time.perf_counter() - started
    cpu, started = _cpu(), time.perf_counter()
    run()
    wall = time.perf_counter() - started
    cpu = _cpu() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "engine": engine,
                "load_s": loaded,
                "compile_s": compiled,
                "eval_wall_s": wall,
                "eval_cpu_s": cpu,
                "peak_rss_mb": peak_mb,
            }
        )
    )


if __name__ == "__main__":
    main()
