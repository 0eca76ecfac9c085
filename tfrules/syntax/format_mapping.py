"""The canonical layout of a mapping file, for `tfrules fmt`.

    mapping anytown "Anytown Council: Troubled Families extract"
        uses schema canonical
        ignore "README.txt"

    table police_incidents
        from "Police North.csv" delimiter ";"
            supplied by "North Police" extracted 2015-01-05
        from database police query "select * from incidents"
        "Person Ref" or "PERSON_ID" -> person_id
        "Date" -> incident_date
            written "dd/mm/yyyy" or excel
        "Type" -> category
            "Domestic Abuse", "DA" means domestic_abuse

Each table's sources come first, then its columns in the order written. How a
source is read (sheet, delimiter, encoding, headings row) stays on its `from`
line; who supplied it and when goes on the line below. A column's `written`
line and its value labels are indented under it.
"""

from __future__ import annotations

from typing import Protocol

from tfrules.syntax import ast
from tfrules.syntax.format_expr import INDENT, Line, Pos, quote, start


class Builder(Protocol):
    anchors: dict[tuple[object, ...], tuple[Pos, ...]]
    lines: list[Line | None]

    def add(self, indent: int, text: str, anchors: tuple[Pos, ...] = (), top: bool = False) -> None:
        pass

    def clause(self, key: tuple[object, ...], text: str, indent: int = INDENT) -> None:
        pass


def lay_out(builder: Builder, f: ast.MappingFile) -> None:
    """Add the lines of mapping file `f` to `builder`."""
    title = "" if f.title is None else " " + quote(f.title)
    builder.add(0, f"mapping {f.name}{title}", start(f), top=True)
    if f.schema is not None:
        builder.clause(("uses",), f"uses schema {f.schema}")
    if f.ignore:
        builder.clause(("ignore",), "ignore " + ", ".join(quote(i) for i in f.ignore))
    for i, table in enumerate(f.tables):
        builder.lines.append(None)
        builder.add(0, f"table {table.name}", start(table), top=True)
        for k, source in enumerate(table.sources):
            _source(builder, source, ("decl", i, "from", k))
        for column in table.columns:
            _column(builder, column)


def source_line(source: ast.SourceDecl) -> str:
    """The `from` line of a source: what it is and how it is read."""
    if source.kind == "file":
        text = f"from {quote(source.target)}"
    else:
        text = f"from database {source.database} {source.kind} {quote(source.target)}"
    if source.sheet is not None:
        text += f" sheet {quote(source.sheet)}"
    if source.delimiter is not None:
        text += f" delimiter {quote(source.delimiter)}"
    if source.encoding is not None:
        text += f" encoding {quote(source.encoding)}"
    if source.header_row is not None:
        text += f" headings on row {source.header_row}"
    return text


def provenance_line(source: ast.SourceDecl) -> str | None:
    """Who supplied a source and when it was extracted, if the mapping says."""
    parts = []
    if source.supplied_by is not None:
        parts.append(f"supplied by {quote(source.supplied_by)}")
    if source.extracted is not None:
        parts.append(f"extracted {source.extracted.isoformat()}")
    return " ".join(parts) or None


def _source(builder: Builder, source: ast.SourceDecl, key: tuple[object, ...]) -> None:
    builder.add(INDENT, source_line(source), start(source))
    provenance = provenance_line(source)
    if provenance is not None:
        builder.clause((*key, "provenance"), provenance, 2 * INDENT)


def column_line(column: ast.ColumnMap) -> str:
    """`"DOB" -> date_of_birth`, or `la_code = "E08000035"`."""
    if column.headings:
        return " or ".join(quote(h) for h in column.headings) + f" -> {column.column}"
    return f"{column.column} = " + " + ".join(_piece(p) for p in column.pieces)


def written_line(column: ast.ColumnMap) -> str | None:
    pictures = [quote(p) for p in column.formats] + (["excel"] if column.excel_dates else [])
    return "written " + " or ".join(pictures) if pictures else None


def label_line(label: ast.ValueLabel) -> str:
    value = quote(label.value) if label.quoted else label.value
    return ", ".join(quote(t) for t in label.labels) + f" means {value}"


def _column(builder: Builder, column: ast.ColumnMap) -> None:
    builder.add(INDENT, column_line(column), start(column))
    written = written_line(column)
    if written is not None:
        span = column.written_span
        builder.add(2 * INDENT, written, () if span is None else ((span.line, span.column),))
    for label in column.labels:
        builder.add(2 * INDENT, label_line(label), start(label))


def _piece(piece: ast.Piece) -> str:
    if not piece.column:
        return quote(piece.text)
    text = f"column {quote(piece.text)}"
    if piece.cut is not None and piece.separator is not None:
        text += f" {piece.cut} {quote(piece.separator)}"
    return text
