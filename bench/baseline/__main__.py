"""Time a phase 1 baseline on a directory of Parquet tables.

    python -m bench.baseline DATA_DIR --as-of 2014-06-15 [--engine polars|duckdb]
        [--local-false] [--out out.parquet] [--repeat 3]

Every ``<table>.parquet`` in DATA_DIR whose name is a data-model table is read
(lazily); tables not present are "not supplied". With the Polars engine the plan
is collected (streaming engine) ``--repeat`` times, or sunk to ``--out`` with
``sink_parquet``; with DuckDB the query is run, or copied to ``--out`` as
Parquet. ``--local-false`` makes the local criterion false for every household
(as bench/local_false.tfr does) instead of the Leeds burglary rule. The best wall
time and the peak RSS are printed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

from .phase1 import EVENT_TABLES, Params, phase1

TABLES = ("households", "persons", *EVENT_TABLES)


class LocalFalse(Params):
    """The local criterion false for every household (bench/local_false.tfr)."""

    local_police_category = None


def scan_dataset(directory: Path) -> dict[str, pl.LazyFrame]:
    """Lazy frames for the data-model tables found as Parquet files in ``directory``."""
    return {
        name: pl.scan_parquet(directory / f"{name}.parquet")
        for name in TABLES
        if (directory / f"{name}.parquet").exists()
    }


def _run_polars(data: Path, as_of: date, params: type[Params], out: Path | None) -> str:
    lf = phase1(scan_dataset(data), as_of, params=params)
    if out is not None:
        lf.sink_parquet(out)
        return f"sunk to {out}"
    return f"{lf.collect(engine='streaming').height} households"


def _run_duckdb(data: Path, as_of: date, params: type[Params], out: Path | None) -> str:
    from .sql import connect_parquet, phase1_sql

    con, supplied = connect_parquet(data)
    query = phase1_sql(as_of, supplied, params)
    if out is not None:
        quoted = str(out).replace("'", "''")
        con.execute(f"COPY ({query}) TO '{quoted}' (FORMAT parquet)")
        return f"copied to {out}"
    row = con.execute(f"SELECT count(*) FROM ({query})").fetchone()
    return f"{row[0] if row else 0} households"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--engine", choices=("polars", "duckdb"), default="polars")
    parser.add_argument("--local-false", action="store_true", help="local = false")
    parser.add_argument("--out", type=Path, help="write the result to this Parquet file")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)

    params = LocalFalse if args.local_false else Params
    run = _run_duckdb if args.engine == "duckdb" else _run_polars
    present = [t for t in TABLES if (args.data / f"{t}.parquet").exists()]
    missing = [t for t in TABLES if t not in present]
    print(
        f"tables: {', '.join(present)}"
        + (f" (not supplied: {', '.join(missing)})" if missing else "")
    )
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        what = run(args.data, args.as_of, params, args.out)
        times.append(time.perf_counter() - start)
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(
        f"phase1 {args.engine} baseline: {what}; best {min(times):.2f}s of {len(times)}; "
        f"peak RSS {rss_gb:.2f} GB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
