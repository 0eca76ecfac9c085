"""Time the phase 1 baseline on a directory of Parquet tables.

    python -m bench.baseline DATA_DIR --as-of 2014-06-15 [--out out.parquet] [--repeat 3]

Every ``<table>.parquet`` in DATA_DIR whose name is a data-model table is
scanned lazily; tables not present are "not supplied". The plan is collected
(streaming engine) ``--repeat`` times, or sunk to ``--out`` with
``sink_parquet``; the best wall time and the peak RSS are printed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

from .phase1 import EVENT_TABLES, phase1

TABLES = ("households", "persons", *EVENT_TABLES)


def scan_dataset(directory: Path) -> dict[str, pl.LazyFrame]:
    """Lazy frames for the data-model tables found as Parquet files in ``directory``."""
    return {
        name: pl.scan_parquet(directory / f"{name}.parquet")
        for name in TABLES
        if (directory / f"{name}.parquet").exists()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, help="sink the result to this Parquet file")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)

    frames = scan_dataset(args.data)
    missing = [t for t in TABLES if t not in frames]
    print(
        f"tables: {', '.join(frames)}"
        + (f" (not supplied: {', '.join(missing)})" if missing else "")
    )
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        lf = phase1(frames, args.as_of)
        if args.out is not None:
            lf.sink_parquet(args.out)
        else:
            rows = lf.collect(engine="streaming").height
        times.append(time.perf_counter() - start)
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    what = f"sunk to {args.out}" if args.out is not None else f"{rows} households"
    print(
        f"phase1 baseline: {what}; best {min(times):.2f}s of {len(times)}; peak RSS {rss_gb:.2f} GB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
