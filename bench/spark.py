"""Spark in local mode against the single-machine engine, on this machine.

    python bench/spark.py [--sizes 100000,1000000] [--data-root DIR] [--master local[2]]
        [--repeat N]

For each size (households, from Parquet generated once into DATA-ROOT/spark-hN by
the synthetic generator), national phase 1 with every council's local ruleset is
evaluated at 2014-06-15 by each engine, each in a fresh process: the data loaded
and checked, then evaluated and written as Parquet (the Spark engine's session
start is timed apart). With --repeat N each engine runs N times, in turn with the
other, and each figure is the median of its runs. Besides wall time, the CPU time
of the whole run is measured: the process and everything it started (Spark's JVM
and its Python workers, stopped and waited for before the process ends), so that
a run on a shared machine can be judged by CPU as well as by wall time. Both
outputs are compared row for row. The results replace the section "Spark in local
mode" of docs/benchmarks.md (or --out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/profile.py would hide the standard library's profile module, which pyspark imports
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
AS_OF = "2014-06-15"
SEED = 2014
HEADING = "## Spark in local mode"


def ensure_data(households: int, root: Path) -> Path:
    from tfrules.data.synth import generate_to_dir

    folder = root / f"spark-h{households}"
    stamp = folder / "synth.json"
    wanted = {"households": households, "seed": SEED}
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        print(f"generating {households:,} households into {folder} ...", flush=True)
        generate_to_dir(households, SEED, folder)
        stamp.write_text(json.dumps(wanted))
    return folder


def run_one(engine: str, data: Path, out: Path, master: str) -> dict[str, float]:
    """One engine's run in this process: seconds to start, load and check, evaluate and write."""
    import tfrules

    times: dict[str, float] = {}
    started = time.perf_counter()
    rules = tfrules.load("national.phase1")
    local = tfrules.load_locals(rules, [ROOT / "rulesets" / "local"])
    source: object = data
    if engine == "spark":
        from tfrules.run.spark.loading import spark_dataset
        from tfrules.run.spark.session import spark_session

        mark = time.perf_counter()
        spark_session(master)
        times["start"] = time.perf_counter() - mark
        mark = time.perf_counter()
        source = spark_dataset([rules, *local], str(data))
    else:
        mark = time.perf_counter()
        source = tfrules.load_data([rules, *local], data)
    times["load"] = time.perf_counter() - mark
    mark = time.perf_counter()
    tfrules.write_results(rules, source, AS_OF, out, local=local, engine=engine)
    times["evaluate"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - started
    if engine == "spark":
        stop_spark()
    return times


def stop_spark() -> None:
    """Stop the session and wait for its JVM to end (the JVM waits for its Python
    workers), so that their CPU time is counted in this process's children."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    gateway = SparkContext._gateway
    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()
    proc = getattr(gateway, "proc", None)
    if gateway is not None:
        gateway.shutdown()
    if proc is not None:
        if proc.stdin is not None:
            proc.stdin.close()  # the JVM ends when its standard input does
        proc.wait(timeout=120)


def measure(engine: str, data: Path, out: Path, master: str) -> dict[str, float]:
    """One run in a fresh process: its phases' wall seconds, its CPU seconds (the
    process and all it started) and the load average before and after."""
    command = [sys.executable, __file__, "--one", engine, str(data), str(out), master]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{result.stderr[-3000:]}")
    times = json.loads(result.stdout.strip().splitlines()[-1])
    times["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    times["load_avg"] = (load_before + os.getloadavg()[0]) / 2
    return times


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs (each phase on its own)."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def same_rows(first: Path, second: Path) -> bool:
    import polars as pl

    return pl.scan_parquet(first).collect().equals(pl.scan_parquet(second).collect())


def counts(data: Path) -> tuple[int, int, int]:
    import polars as pl

    sizes = {
        p.stem: pl.scan_parquet(p).select(pl.len()).collect().item() for p in data.glob("*.parquet")
    }
    events = sum(n for t, n in sizes.items() if t not in ("households", "persons"))
    return sizes["households"], sizes["persons"], events


def section(rows: list[dict], master: str, command: str, repeat: int) -> list[str]:
    import polars as pl
    import pyspark

    runs = f"the median of {repeat} runs" if repeat > 1 else "one run"
    lines = [
        HEADING,
        "",
        f"Written by `{command}` on {dt.date.today().isoformat()}, on a {platform.machine()} "
        f"machine with {os.cpu_count()} cores shared with other work, Python "
        f"{platform.python_version()}, polars {pl.__version__}, pyspark {pyspark.__version__}, "
        f"Spark master `{master}`. National phase 1 with every council's local ruleset at "
        f"{AS_OF}, from Parquet, written as Parquet; each engine in a fresh process, {runs} "
        "of each. Seconds of wall time by phase; CPU seconds of the whole run (the process, "
        "Spark's JVM and its Python workers); the load average of the machine during the "
        "runs (on 2 cores, a load above 2 means the run waited for other work, so wall time "
        "overstates it and CPU time is the steadier figure).",
        "",
        "| households | persons | events | polars: load and check | polars: evaluate and write "
        "| polars total (CPU) | spark: session start | spark: load and check | spark: evaluate "
        "and write | spark total (CPU) | spark / polars, wall (CPU) | load average | same rows |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        p, s = row["polars"], row["spark"]
        load = (p["load_avg"] + s["load_avg"]) / 2
        lines.append(
            f"| {row['households']:,} | {row['persons']:,} | {row['events']:,} "
            f"| {p['load']:.1f} | {p['evaluate']:.1f} | {p['total']:.1f} ({p['cpu']:.1f}) "
            f"| {s['start']:.1f} | {s['load']:.1f} | {s['evaluate']:.1f} "
            f"| {s['total']:.1f} ({s['cpu']:.1f}) "
            f"| {s['total'] / p['total']:.1f} ({s['cpu'] / p['cpu']:.1f}) | {load:.1f} "
            f"| {'yes' if row['same'] else 'NO'} |"
        )
    return lines


def write_section(out: Path, lines: list[str]) -> None:
    """Replace the section in `out` (from its heading to the next one), or add it."""
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    else:
        end = text.find("\n## ", start + len(HEADING))
        rest = text[end + 1 :] if end >= 0 else ""
        text = text[:start] + "\n".join(lines) + "\n" + ("\n" + rest if rest else "")
    out.write_text(text, encoding="utf-8")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        engine, data, out, master = sys.argv[2:6]
        print(json.dumps(run_one(engine, Path(data), Path(out), master)))
        return
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="100000,1000000")
    options.add_argument("--data-root", type=Path, default=ROOT / "bench" / "data")
    options.add_argument("--master", default="local[2]")
    options.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    options.add_argument("--repeat", type=int, default=1)
    args = options.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        data = ensure_data(size, args.data_root)
        households, persons, events = counts(data)
        with tempfile.TemporaryDirectory() as scratch:
            runs: dict[str, list[dict[str, float]]] = {"polars": [], "spark": []}
            for turn in range(args.repeat):
                for engine in ("polars", "spark"):
                    print(f"{size:,} households, {engine}, run {turn + 1} ...", flush=True)
                    out = Path(scratch) / f"{engine}.parquet"
                    runs[engine].append(measure(engine, data, out, args.master))
                    print(f"  {runs[engine][-1]}", flush=True)
            results = {engine: median_run(found) for engine, found in runs.items()}
            same = same_rows(Path(scratch) / "polars.parquet", Path(scratch) / "spark.parquet")
        rows.append({"households": households, "persons": persons, "events": events,
                     "same": same, **results})  # fmt: skip
    command = "python bench/spark.py " + " ".join(sys.argv[1:])
    lines = section(rows, args.master, command.strip(), args.repeat)
    write_section(args.out, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
