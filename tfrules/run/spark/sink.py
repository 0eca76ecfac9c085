"""The results written by Spark as Parquet, in household order.

When the output's name ends in `.parquet` and the results are small enough
for one task to write (`SINGLE_FILE_ROWS`), they are one Parquet file, as the
single-machine engine writes them; otherwise a folder of Parquet parts
(which Polars, pandas, DuckDB and Spark all read as one table), each part
in order and the parts in order.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

#: The most households written as one file (about 100 MB of results).
SINGLE_FILE_ROWS = 2_000_000


def write_parquet(results: DataFrame, key: str, out: Path, rows: int) -> None:
    """Write `results`, ordered by `key`, at `out` (a path every Spark worker
    can reach): one file when `rows` is small enough, else a folder."""
    if rows <= SINGLE_FILE_ROWS:
        # evaluated in parallel, then gathered into one task that sorts and writes
        staging = out.with_name(f"{out.name}.parts")
        ordered = results.repartition(1).sortWithinPartitions(key)
        ordered.write.mode("overwrite").parquet(staging.resolve().as_uri())
        (part,) = staging.glob("part-*.parquet")
        part.rename(out)
        shutil.rmtree(staging)
        return
    # a global sort samples its input first: keep the results rather than evaluate twice
    kept = results.persist()
    try:
        kept.orderBy(key).write.parquet(out.resolve().as_uri())
    finally:
        kept.unpersist()
    for extra in out.iterdir():  # Spark's checksums and success marker: not data
        if not extra.name.endswith(".parquet"):
            extra.unlink()
