"""Canonical data disguised as a council's own extract, with the mapping that
undoes the disguise: headings renamed, dates in UK pictures or Excel day
numbers, true/false as words, categories as labels, money with pound signs and
thousands separators, files named the council's way, in CSV of any delimiter
and encoding, Parquet or Excel workbooks, a table split over several files.

`disguises()` draws one at random (for the property that a mapped extract gives
exactly the canonical results); `write_extract` writes the files and returns
the mapping's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import attrs
import polars as pl
from hypothesis import strategies as st

from tfrules.model.schema import Schema, Table
from tfrules.model.types import Kind
from tfrules.syntax.format_expr import quote

EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Date pictures and how each writes a date.
DATE_PICTURES = {
    "dd/mm/yyyy": "%d/%m/%Y",
    "d mmm yyyy": "%-d %b %Y",
    "dd.mm.yyyy": "%d.%m.%Y",
    "yyyy-mm-dd": "%Y-%m-%d",
}
BOOL_WORDS = [("Yes", "No"), ("Y", "N"), ("TRUE", "FALSE"), ("1", "0"), ("Ja", "Nein")]
FORMATS = ("csv", "parquet", "xlsx")
DELIMITERS = (",", ";", "\t", "|")


@attrs.frozen
class ColumnDisguise:
    heading: str
    #: For a date: a picture of DATE_PICTURES, or "excel" for day numbers.
    picture: str | None = None
    #: For a bool: the words for true and false; for a category: a label per value.
    labels: tuple[tuple[str, str], ...] = ()
    #: The label written for an empty value (mapped to unknown), if any.
    unknown: str | None = None


@attrs.frozen
class TableDisguise:
    table: str
    file_stem: str
    format: str
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bool = False
    parts: int = 1
    columns: Mapping[str, ColumnDisguise] = attrs.field(factory=dict)


def _heading(name: str, style: int) -> str:
    words = name.split("_")
    return [
        " ".join(w.capitalize() for w in words),
        " ".join(w.upper() for w in words),
        "".join(w.capitalize() for w in words),
        name.upper(),
    ][style % 4]


@st.composite
def table_disguises(draw: st.DrawFn, table: Table) -> TableDisguise:
    fmt = draw(st.sampled_from(FORMATS))
    style = draw(st.integers(0, 3))
    columns: dict[str, ColumnDisguise] = {}
    ids = [n for n in (table.key, table.owner_key) if n]
    names = [*ids, *(c.name for c in table.columns if c.name not in ids)]
    for name in names:
        column = table.column(name)
        kind = column.type.kind if column is not None else Kind.TEXT
        heading = _heading(name, style + draw(st.integers(0, 1)))
        picture, labels, unknown = None, (), None
        if kind is Kind.DATE and fmt != "parquet":
            picture = draw(st.sampled_from([*DATE_PICTURES, "excel"]))
            if column is not None and column.nullable:
                unknown = draw(st.sampled_from([None, "Not known", "N/K"]))
        elif kind is Kind.BOOL and fmt != "parquet":
            labels = (draw(st.sampled_from(BOOL_WORDS)),)
        elif kind is Kind.CATEGORY and column is not None:
            prefix = draw(st.sampled_from(["", "Code ", "Type: "]))
            labels = tuple(
                (value, f"{prefix}{value.replace('_', ' ').title()}")
                for value in column.type.values
            )
        elif kind is Kind.MONEY and fmt != "parquet":
            picture = "£1,234.50"
        columns[name] = ColumnDisguise(heading, picture, labels, unknown)
    headings = [c.heading for c in columns.values()]
    if len(set(headings)) != len(headings):  # two columns styled alike: keep their own names
        columns = {n: attrs.evolve(c, heading=n) for n, c in columns.items()}
    return TableDisguise(
        table.name,
        file_stem=draw(st.sampled_from([table.name.replace("_", " ").title(), table.name.upper()])),
        format=fmt,
        delimiter=draw(st.sampled_from(DELIMITERS)),
        encoding=draw(st.sampled_from(["utf-8", "windows-1252"])),
        bom=draw(st.booleans()),
        parts=draw(st.integers(1, 2)),
        columns=columns,
    )


def disguises(schema: Schema, tables: list[str]) -> st.SearchStrategy[list[TableDisguise]]:
    return st.tuples(*(table_disguises(schema.table(t)) for t in tables)).map(list)


# ---------------------------------------------------------------- writing


def write_extract(
    frames: Mapping[str, pl.DataFrame], disguised: list[TableDisguise], folder: Path
) -> str:
    """Write the disguised tables into `folder` (the others as canonical Parquet)
    and return the mapping that reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    by_table = {d.table: d for d in disguised}
    lines = ['mapping extract "A disguised extract"']
    for name, frame in frames.items():
        disguise = by_table.get(name)
        if disguise is None:
            frame.write_parquet(folder / f"{name}.parquet")
            continue
        lines += ["", f"table {name}"]
        lines += _write_table(frame, disguise, folder)
        for column, how in disguise.columns.items():
            if column in frame.columns:
                lines += _column_lines(column, how, frame.schema[column])
    return "\n".join(lines) + "\n"


def _write_table(frame: pl.DataFrame, disguise: TableDisguise, folder: Path) -> list[str]:
    shown = frame.select(
        _shown(frame, column, how).alias(how.heading)
        for column, how in disguise.columns.items()
        if column in frame.columns
    )
    size = -(-shown.height // disguise.parts) if shown.height else 0
    pieces = [shown.slice(i * size, size) for i in range(disguise.parts)] if size else [shown]
    suffix = disguise.format
    lines = []
    for number, piece in enumerate(pieces, start=1):
        name = (
            f"{disguise.file_stem} {number}.{suffix}"
            if len(pieces) > 1
            else f"{disguise.file_stem}.{suffix}"
        )
        path = folder / name
        if suffix == "parquet":
            piece.write_parquet(path)
        elif suffix == "xlsx":
            piece.write_excel(path, worksheet="Data")
        else:
            text = piece.write_csv(separator=disguise.delimiter)
            data = text.encode("cp1252" if disguise.encoding == "windows-1252" else "utf-8")
            path.write_bytes(
                (b"\xef\xbb\xbf" if disguise.bom and disguise.encoding == "utf-8" else b"") + data
            )
    pattern = (
        f"{disguise.file_stem} *.{suffix}" if len(pieces) > 1 else f"{disguise.file_stem}.{suffix}"
    )
    source = f"    from {quote(pattern.lower())}"
    if suffix == "xlsx":
        source += ' sheet "Data"'
    if suffix == "csv":
        delimiter = "tab" if disguise.delimiter == "\t" else disguise.delimiter
        source += f" delimiter {quote(delimiter)} encoding {quote(disguise.encoding)}"
    lines.append(source)
    return lines


def _shown(frame: pl.DataFrame, column: str, how: ColumnDisguise) -> pl.Expr:
    c = pl.col(column)
    kind = frame.schema[column]
    if how.picture in DATE_PICTURES:
        out = c.dt.strftime(DATE_PICTURES[how.picture])
    elif how.picture == "excel":
        out = (c - pl.lit(EXCEL_EPOCH)).dt.total_days().cast(pl.String)
    elif how.picture == "£1,234.50":
        return pounds(c)
    elif how.labels and kind == pl.Boolean:
        yes, no = how.labels[0]
        return pl.when(c).then(pl.lit(yes)).when(~c).then(pl.lit(no))
    elif how.labels:
        return c.replace_strict(dict(how.labels), default=c)
    else:
        return c
    if how.unknown is not None:
        out = out.fill_null(pl.lit(how.unknown))
    return out


def pounds(c: pl.Expr) -> pl.Expr:
    """`£1,234.50` (or `-£3.00`) for an amount."""
    pence = (c * 100).cast(pl.Int64)
    whole = (pence.abs() // 100).cast(pl.String)
    grouped = (
        whole.str.reverse()
        .str.replace_all(r"(\d{3})", "$1,")
        .str.reverse()
        .str.strip_chars_start(",")
    )
    cents = (pence.abs() % 100).cast(pl.String).str.zfill(2)
    sign = pl.when(pence < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str([sign, pl.lit("£"), grouped, pl.lit("."), cents])


def _column_lines(column: str, how: ColumnDisguise, dtype: pl.DataType) -> list[str]:
    lines = [f"    {quote(how.heading)} -> {column}"]
    if how.picture == "excel":
        lines.append("        written excel")
    elif how.picture is not None:
        lines.append(f"        written {quote(how.picture)}")
    if how.labels and dtype == pl.Boolean:
        yes, no = how.labels[0]
        lines += [f"        {quote(yes)} means true", f"        {quote(no)} means false"]
    elif how.labels:
        lines += [f"        {quote(label)} means {value}" for value, label in how.labels]
    if how.unknown is not None:
        lines.append(f"        {quote(how.unknown)} means unknown")
    return lines


def every_disguise(schema: Schema, tables: list[str]) -> list[TableDisguise]:
    """One disguise of each table, drawn without chance, that between them
    use every way of writing a table `table_disguises` can draw: each format,
    delimiter and encoding, a byte-order mark, a table split over files, each
    date picture and Excel day numbers, words for true and false, labels of
    categories, pounds and thousands separators, and a label for unknown."""
    pictures = [*DATE_PICTURES, "excel"]
    found = []
    for i, name in enumerate(tables):
        table = schema.table(name)
        fmt = FORMATS[i % len(FORMATS)]
        ids = [n for n in (table.key, table.owner_key) if n]
        columns: dict[str, ColumnDisguise] = {}
        for j, column_name in enumerate(
            [*ids, *(c.name for c in table.columns if c.name not in ids)]
        ):
            column = table.column(column_name)
            kind = column.type.kind if column is not None else Kind.TEXT
            picture, labels, unknown = None, (), None
            if kind is Kind.DATE and fmt != "parquet":
                picture = pictures[(i + j) % len(pictures)]
                if column is not None and column.nullable and j % 2:
                    unknown = "Not known"
            elif kind is Kind.BOOL and fmt != "parquet":
                labels = (BOOL_WORDS[(i + j) % len(BOOL_WORDS)],)
            elif kind is Kind.CATEGORY and column is not None:
                prefix = ["", "Code ", "Type: "][(i + j) % 3]
                labels = tuple(
                    (value, f"{prefix}{value.replace('_', ' ').title()}")
                    for value in column.type.values
                )
            elif kind is Kind.MONEY and fmt != "parquet":
                picture = "£1,234.50"
            heading = _heading(column_name, i + j % 2)
            columns[column_name] = ColumnDisguise(heading, picture, labels, unknown)
        headings = [c.heading for c in columns.values()]
        if len(set(headings)) != len(headings):
            columns = {n: attrs.evolve(c, heading=n) for n, c in columns.items()}
        found.append(
            TableDisguise(
                name,
                file_stem=name.replace("_", " ").title() if i % 2 else name.upper(),
                format=fmt,
                delimiter=DELIMITERS[i % len(DELIMITERS)],
                encoding=["utf-8", "windows-1252"][(i // 3) % 2],
                bom=i % 4 == 0,
                parts=1 + (i // 2) % 2,
                columns=columns,
            )
        )
    return found
