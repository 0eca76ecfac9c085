"""The file formats of a programme's results per household (a module of its
own, without Polars, so the command line can name them at start-up)."""

from __future__ import annotations

import enum


class ResultsFormat(enum.StrEnum):
    PARQUET = "parquet"
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def suffix(self) -> str:
        return f".{self.value}"
