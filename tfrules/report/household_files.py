"""A programme's results per household in the file format an officer asked for:
Parquet (the default, for more tools and any size), CSV, or an Excel workbook.

The results are computed once into Parquet; CSV is streamed from it, and a
workbook is written by XlsxWriter (through Polars' `write_excel`) with
amounts of money as pounds and pence, dates as dates, and the heading row
kept in view. A worksheet holds at most 1,048,576 rows: a larger data set is
refused before anything is computed.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tfrules.report.results_format import ResultsFormat

#: Rows of a worksheet, less the heading row.
EXCEL_ROWS = 1_048_575
MONEY_FORMAT = "£#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


class TooManyRows(ValueError):
    """More households than a worksheet holds; the message says what to do."""


def check_fits(fmt: ResultsFormat, households: int) -> None:
    """Refuse, before any work, a workbook that could not hold every household."""
    if fmt is ResultsFormat.XLSX and households > EXCEL_ROWS:
        raise TooManyRows(
            f"{households:,} households do not fit in an Excel worksheet "
            f"({EXCEL_ROWS:,} rows at most): write the results as parquet or csv"
        )


def write_from_parquet(parquet: Path, out: Path, fmt: ResultsFormat) -> None:
    """Write the results held in `parquet` to `out` in `fmt` (the Parquet
    file itself is left for the caller to keep or remove)."""
    if fmt is ResultsFormat.PARQUET:
        pl.scan_parquet(parquet).sink_parquet(out)
    elif fmt is ResultsFormat.CSV:
        pl.scan_parquet(parquet).sink_csv(out)
    else:
        frame = pl.read_parquet(parquet)
        check_fits(fmt, frame.height)
        write_workbook(frame, out)


def write_workbook(frame: pl.DataFrame, out: Path) -> None:
    """One worksheet, `results`: a heading row, then one row per household.
    Unknown values are empty cells."""
    formats: dict[str, str] = {}
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Decimal):
            formats[name] = MONEY_FORMAT
        elif dtype == pl.Date:
            formats[name] = DATE_FORMAT
    frame.write_excel(
        out,
        worksheet="results",
        column_formats=formats or None,  # type: ignore[arg-type]
        autofit=frame.height <= 10_000,  # fitting widths reads every cell
        freeze_panes=(1, 0),
        include_header=True,
        table_style=None,
    )
