"""Benchmark: how long the command line takes to start and to check a file.

    python bench/startup.py [--runs 10] [--file rulesets/local/leeds_phase1.tfr]

Runs each command as a fresh process, `--runs` times, the commands taking
turns so that a change in the machine's load falls on all of them alike, and
prints the median wall-clock and CPU seconds (user + system) of each, with
the command. The last line compares `tfrules check` with merely importing
Polars, Lark and attrs (the target: at most twice). The parser's tables are
built into the cache folder before the first run, as any earlier use of
tfrules on the machine would have done, and Python keeps its compiled
modules as an installed package does (PYTHONDONTWRITEBYTECODE is cleared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(tfrules: str, file: str) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "import polars, lark, attrs": [python, "-c", "import polars, lark, attrs"],
        "tfrules --help": [tfrules, "--help"],
        f"tfrules check {file}": [tfrules, "check", file],
    }


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of `command`."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=10)
    options.add_argument("--file", default="rulesets/local/leeds_phase1.tfr")
    options.add_argument(
        "--tfrules",
        help="The tfrules command to measure (default: the one beside this Python), "
        "e.g. another checkout's, for a before-and-after comparison.",
    )
    args = options.parse_args()
    tfrules = (
        args.tfrules or shutil.which("tfrules", path=str(Path(sys.executable).parent)) or "tfrules"
    )
    todo = commands(tfrules, args.file)
    for command in todo.values():  # warm the file cache and the parser's cache
        run_once(command)
    walls: dict[str, list[float]] = {name: [] for name in todo}
    cpus: dict[str, list[float]] = {name: [] for name in todo}
    for _ in range(args.runs):
        for name, command in todo.items():
            wall, cpu = run_once(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    median = statistics.median
    print(f"medians of {args.runs} runs, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for name in todo:
        print(f"{name:<48} {median(walls[name]):.3f} s wall, {median(cpus[name]):.3f} s CPU")
    check = f"tfrules check {args.file}"
    imports = "import polars, lark, attrs"
    print(
        f"check / imports: {median(walls[check]) / median(walls[imports]):.2f} wall, "
        f"{median(cpus[check]) / median(cpus[imports]):.2f} CPU"
    )


if __name__ == "__main__":
    main()
