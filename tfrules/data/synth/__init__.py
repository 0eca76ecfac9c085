"""Synthetic households known to children's and family services, 2010-2016.

``generate`` returns every table of the canonical data model
(docs/data-model.md) as Polars frames; ``write_dataset`` writes
them one file per table; ``generate_to_dir`` does both a chunk of households at
a time for data sets too large for memory. Rates and their sources are in
docs/synthetic-data.md and ``rates.Rates``.

Example::

    from tfrules.data.synth import generate, write_dataset
    tables = generate(100_000, seed=7)
    write_dataset(tables, "out/", format="parquet")
"""

from tfrules.data.synth.areas import DEFAULT_LA_CODES, LA_NAMES
from tfrules.data.synth.generator import BLOCK_SIZE, DEFAULT_RATES, generate
from tfrules.data.synth.rates import Rates
from tfrules.data.synth.schema import CATEGORIES, MONEY, NULLABLE, TABLE_NAMES, TABLES
from tfrules.data.synth.writer import CHUNK_SIZE, generate_to_dir, write_dataset

__all__ = [
    "BLOCK_SIZE",
    "CATEGORIES",
    "CHUNK_SIZE",
    "DEFAULT_LA_CODES",
    "DEFAULT_RATES",
    "LA_NAMES",
    "MONEY",
    "NULLABLE",
    "TABLES",
    "TABLE_NAMES",
    "Rates",
    "generate",
    "generate_to_dir",
    "write_dataset",
]
