"""The Spark engine: the same compiled Polars plans, run inside Apache Spark.

Every rule looks only within one household, so the households can be cut
into buckets (a stable hash of `household_id`) and each bucket evaluated on
its own by the very plan the single-machine engine builds, with exactly the
same result. Spark co-locates each bucket's rows of every table, and an
executor rebuilds the bucket's Polars frames from Spark's Arrow batches,
runs the plan and returns one row per household.

- `session`: the Spark session (a cluster's, or one in local mode)
- `sources`: the canonical tables as Parquet or CSV at any path Spark reads,
  or as tables of the Spark catalog, or read through a council's mapping
- `finders`: where each canonical table is found; `files`: a location's
  files as the driver lists and opens them; `locations`: local or not
- `mapped`: a table read through a council's mapping, its sources in Spark
- `reading`, `read_frames`: a source's rows read on the executors (CSV lines
  parsed by Polars, a mapping's readings applied), and the frames that do it
- `validate`: the data contract checked by Spark jobs, with the messages of
  `tfrules.data`
- `loading`: both, for a run
- `buckets`: every row given its household's bucket, the tables in one frame
- `executor`: what runs on an executor: a bucket's frames, the plan, its rows
- `dtypes`: the plan's Polars dtypes as Spark types
- `sink`: the results written by Spark as Parquet
- `engine`: `SparkEngine`, the engine `--engine spark` selects
- `councils`: the households of councils with no local ruleset, counted
- `errors`: what stops a Spark run that is not a mistake in rules or data

Nothing here is imported unless the Spark engine is asked for, so tfrules
works without pyspark installed (`pip install 'tfrules[spark]'` adds it).
"""
