"""`tfrules data init`: a first mapping for a data folder, every guess marked.

Each file (each sheet of a workbook) is placed with the canonical table its
name and headings fit best; each column of that table gets the heading that
matches it best (by words, with the usual abbreviations: DOB, Ref, ...); date
columns get the picture their values are written in; true/false and category
columns get a label line per value that is not already canonical, mapped
where a value is close to a canonical one and left as a comment for the
officer otherwise. Every guess carries a `# check` comment. A starting point,
never trusted as it is: `tfrules check` and `tfrules data check` show what is
left to do.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import attrs
import polars as pl

from tfrules.data.csv_files import CsvProblem, check_utf8, guess_delimiter
from tfrules.data.inventory import list_files, suggest
from tfrules.model.mapping import CSV_SUFFIXES, EXCEL_SUFFIXES, FILE_SUFFIXES
from tfrules.model.schema import Column, Schema, Table
from tfrules.model.types import TEXT, Kind
from tfrules.semantics.pictures import date_picture
from tfrules.syntax.format_expr import quote
from tfrules.syntax.formatter import format_text

SAMPLE_ROWS = 2_000
#: Date pictures tried on a column's values, most usual in an English extract first.
DATE_GUESSES = ("dd/mm/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "d mmm yyyy", "d mmmm yyyy")
#: Words of headings, and what they usually stand for.
SYNONYMS = {
    "dob": "date of birth",
    "birth": "date of birth",
    "born": "date of birth",
    "ref": "id",
    "reference": "id",
    "no": "id",
    "number": "id",
    "code": "id",
    "family": "household",
    "hh": "household",
    "client": "person",
    "individual": "person",
    "pupil": "person",
    "la": "la code",
    "authority": "la code",
    "council": "la code",
    "pru": "alternative provision",
}
TRUE_WORDS = {"yes", "y", "true", "t", "1"}
FALSE_WORDS = {"no", "n", "false", "f", "0"}
MATCH = 0.6


class FirstMappingError(Exception):
    """No mapping can be made (no data files at all, say)."""


@attrs.frozen
class Sample:
    """A file (or sheet) and the first rows of it, as text."""

    path: str
    frame: pl.DataFrame
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    header_row: int = 1


def first_mapping(folder: Path, schema: Schema) -> str:
    """The text of a first mapping for `folder`, in canonical layout."""
    samples = [s for path in _data_files(folder) for s in _samples(folder, path)]
    if not samples:
        raise FirstMappingError(f"{folder} holds no CSV, Parquet or Excel files to map")
    placed: dict[str, list[Sample]] = {}
    unplaced: list[Sample] = []
    for sample in samples:
        table = _place(sample, schema)
        (placed.setdefault(table.name, []) if table else unplaced).append(sample)
    lines = [
        "# A first mapping, written by tfrules data init: every guess is marked '# check'.",
        "# Read it through, put right what is wrong, and delete the '# check' comments.",
        f'mapping {_name(folder)} "Data in {folder.name}"',
        "    uses schema canonical",
    ]
    for table in schema.tables:
        found = _table_lines(table, placed[table.name]) if table.name in placed else []
        if found:
            lines += ["", *found]
    if unplaced:
        lines += ["", "# check: files not placed with any table (map them, or ignore them):"]
        lines += [
            f"#     {s.path}{_sheet_words(s)}: {', '.join(s.frame.columns)}" for s in unplaced
        ]
    text = "\n".join(lines) + "\n"
    formatted = format_text(text, "mapping.tfr")
    return formatted.text if formatted.text is not None else text


def _data_files(folder: Path) -> list[str]:
    return [f for f in list_files(folder) if Path(f).suffix.lower() in FILE_SUFFIXES]


def _samples(folder: Path, path: str) -> list[Sample]:
    full = folder / path
    suffix = full.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            encoding = "utf-8" if check_utf8(full) is None else "windows-1252"
            delimiter = guess_delimiter(full, encoding)
            frame = pl.read_csv(
                full,
                separator=delimiter,
                infer_schema=False,
                n_rows=SAMPLE_ROWS,
                encoding="utf8" if encoding == "utf-8" else "windows-1252",
            )
            return [Sample(path, _stripped(frame), None, delimiter, encoding)]
        if suffix in EXCEL_SUFFIXES:
            import fastexcel

            book = fastexcel.read_excel(str(full))
            found = []
            for name in book.sheet_names:
                top = book.load_sheet(name, header_row=None, n_rows=10, dtypes="string")
                header = _header_row(top.to_polars())
                sheet = book.load_sheet(
                    name, header_row=header, n_rows=SAMPLE_ROWS, dtypes="string"
                )
                found.append(
                    Sample(path, _stripped(sheet.to_polars()), name, header_row=header + 1)
                )
            return found
        frame = pl.read_parquet(full, n_rows=SAMPLE_ROWS)
        return [Sample(path, frame)]
    except (pl.exceptions.PolarsError, OSError, CsvProblem, ValueError):
        return []
    except Exception:  # a workbook fastexcel cannot open: not placed
        return []


def _header_row(top: pl.DataFrame) -> int:
    """The first row (from 0) that looks like headings: as full as the fullest row."""
    if top.height == 0:
        return 0
    filled = [sum(v is not None and str(v).strip() != "" for v in row) for row in top.iter_rows()]
    fullest = max(filled)
    return next((i for i, n in enumerate(filled) if n >= max(2, fullest)), 0)


def _stripped(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({c: c.strip() for c in frame.columns if c != c.strip()})


# ---------------------------------------------------------------- matching


def _words(text: str) -> str:
    """A heading or column name as plain words, abbreviations spelt out."""
    parts = re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower())
    return " ".join(SYNONYMS.get(p, p) for p in parts)


def _similarity(heading: str, column: str, table: Table | None = None) -> float:
    a, b = _words(heading), _words(column)
    if a == b:
        return 1.0
    score = max(
        difflib.SequenceMatcher(None, a, b).ratio(),
        difflib.SequenceMatcher(
            None, " ".join(sorted(a.split())), " ".join(sorted(b.split()))
        ).ratio(),
    )
    last = a.split()[-1] if a else ""
    if table is not None and last in _GENERIC and column == _generic_column(table, last):
        score = max(score, 0.7)  # "Date" of a dated table, "Incident Type" of its one category
    return score


#: One-word headings that stand for a table's one column of their kind.
_GENERIC = {
    "date": Kind.DATE,
    "type": Kind.CATEGORY,
    "kind": Kind.CATEGORY,
    "category": Kind.CATEGORY,
    "status": Kind.CATEGORY,
}


def _generic_column(table: Table, word: str) -> str | None:
    if word == "date" and table.date_column is not None:
        return table.date_column
    of_kind = [c.name for c in table.columns if c.type.kind is _GENERIC[word]]
    return of_kind[0] if len(of_kind) == 1 else None


def _columns(table: Table) -> list[Column]:
    ids = [Column(n, TEXT) for n in (table.key, table.owner_key) if n]
    return [*ids, *(c for c in table.columns if c.name not in {i.name for i in ids})]


def _match(table: Table, frame: pl.DataFrame) -> dict[str, tuple[str, float]]:
    """Each column's best heading (each heading used once), with how well it fits:
    by words, and only where the values could be the column's."""
    pairs = sorted(
        (
            (_similarity(h, c.name, table), c.name, h)
            for c in _columns(table)
            for h in frame.columns
            if _plausible(c, frame[h])
        ),
        reverse=True,
    )
    found: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    for score, column, heading in pairs:
        if score >= MATCH and column not in found and heading not in used:
            found[column] = (heading, score)
            used.add(heading)
    return found


def _plausible(column: Column, values: pl.Series) -> bool:
    """Whether most of a heading's values could be values of the column."""
    kind = column.type.kind
    if values.dtype != pl.String:
        return kind not in (Kind.DATE,) or values.dtype in (pl.Date, pl.Datetime)
    text = values.drop_nulls().str.strip_chars()
    text = text.filter(text != "")
    if text.is_empty():
        return True
    if kind is Kind.DATE:
        return _date_guess(text) is not None or bool(
            text.str.contains(r"^\d{4}-\d{2}-\d{2}").mean() >= 0.5
        )
    if kind is Kind.INT:
        return bool(text.str.contains(r"^-?\d+(\.0+)?$").mean() >= 0.9)
    if kind is Kind.MONEY:
        return bool(text.str.contains(r"^-?£?-?[\d,. ]+$").mean() >= 0.9)
    if kind is Kind.BOOL:
        return text.str.to_lowercase().n_unique() <= 4
    if kind is Kind.CATEGORY:
        dates = text.str.contains(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}").mean() or 0.0
        return dates < 0.5 and text.n_unique() <= 50
    return True


def _place(sample: Sample, schema: Schema) -> Table | None:
    best, best_score = None, 0.0
    named = suggest(
        Path(sample.path).stem + (f" {sample.sheet}" if sample.sheet else ""),
        [t.name for t in schema.tables],
    )
    for table in schema.tables:
        matched = _match(table, sample.frame)
        share = len(matched) / max(len(_columns(table)), 1)
        score = share + (0.5 if table.name == named else 0.0)
        if score > best_score:
            best, best_score = table, score
    return best if best_score >= 0.5 else None


# ---------------------------------------------------------------- writing


def _table_lines(table: Table, samples: list[Sample]) -> list[str]:
    per_sample = [_match(table, s.frame) for s in samples]
    canonical = [f"{table.name}{suffix}" for suffix in (".csv", ".parquet")]
    if [s.path for s in samples] in ([c] for c in canonical) and all(
        heading == column for column, (heading, _) in per_sample[0].items()
    ):
        return []  # read as it is, without a mapping
    lines = [f"table {table.name}"]
    for sample in samples:
        lines.append(_source_line(sample))
    for column in _columns(table):
        if not column.nullable and any(column.name not in m for m in per_sample):
            lines.append(
                f"    # check: no heading found for {column.name} in every file: add it, "
                f'as in "Heading" -> {column.name}'
                + (
                    f' (or one value for all: {column.name} = "E06000001")'
                    if column.name == table.council
                    else ""
                )
            )
    for column in _columns(table):
        found = [m[column.name] for m in per_sample if column.name in m]
        if not found:
            continue
        headings = list(dict.fromkeys(heading for heading, _ in found))
        values = pl.concat(
            [
                s.frame[m[column.name][0]].cast(pl.String)
                for s, m in zip(samples, per_sample, strict=True)
                if column.name in m
            ]
        )
        readings = _reading_lines(column, values, samples[0].frame.schema.get(headings[0]))
        if headings == [column.name] and not readings:
            continue  # read under its own name
        line = "    " + " or ".join(quote(h) for h in headings) + f" -> {column.name}"
        lines.append(line + ("  # check" if min(score for _, score in found) < 1 else ""))
        lines += readings
    return lines


def _source_line(sample: Sample) -> str:
    source = f"    from {quote(sample.path)}"
    if sample.sheet is not None:
        source += f" sheet {quote(sample.sheet)}"
    if sample.delimiter not in (None, ","):
        delimiter = "tab" if sample.delimiter == "\t" else sample.delimiter
        source += f" delimiter {quote(delimiter or ',')}"
    if sample.header_row > 1:
        source += f" headings on row {sample.header_row}  # check"
    if sample.encoding not in (None, "utf-8"):
        source += f" encoding {quote(sample.encoding or '')}  # check: not UTF-8 text"
    return source


def _reading_lines(column: Column, values: pl.Series, dtype: pl.DataType | None) -> list[str]:
    kind = column.type.kind
    text = values.cast(pl.String).drop_nulls().str.strip_chars()
    text = text.filter(text != "")
    if kind is Kind.DATE and dtype == pl.String:
        picture = _date_guess(text)
        return [f"        written {picture}  # check: guessed from the values"] if picture else []
    if kind is Kind.MONEY and text.str.contains(r"£|\d,\d{3}").any():
        return ['        written "£1,234.50"  # check: guessed from the values']
    if kind is Kind.BOOL:
        return _bool_lines(text)
    if kind is Kind.CATEGORY:
        return _category_lines(column, text)
    return []


def _date_guess(text: pl.Series) -> str | None:
    if text.is_empty() or text.str.contains(r"^\d{4}-\d{2}-\d{2}").all():
        return None  # ISO dates are always read
    best, best_share = None, 0.0
    for picture in DATE_GUESSES:
        meaning = date_picture(picture)
        fits = (
            text.str.contains(meaning.pattern)
            & text.str.to_date(meaning.format, strict=False).is_not_null()
        )
        share = fits.mean() or 0.0
        if share > best_share:
            best, best_share = quote(picture), share
    serial = text.str.contains(r"^\d{4,6}(\.0+)?$").mean() or 0.0
    if serial > best_share:
        best, best_share = "excel", serial
    return best if best_share >= 0.5 else None


def _bool_lines(text: pl.Series) -> list[str]:
    lines = []
    for value in sorted(text.unique().to_list())[:12]:
        folded = value.lower()
        if folded in ("true", "false", "1", "0"):
            continue
        if folded in TRUE_WORDS | FALSE_WORDS:
            meaning = "true" if folded in TRUE_WORDS else "false"
            lines.append(f"        {quote(value)} means {meaning}  # check")
        else:
            lines.append(f"        # check: {quote(value)} means true, false or unknown?")
    return lines


def _category_lines(column: Column, text: pl.Series) -> list[str]:
    allowed = column.type.values
    lines = []
    for value in sorted(text.unique().to_list())[:40]:
        if value.lower() in {v.lower() for v in allowed}:
            continue
        words = _words(value).replace(" ", "_")
        close = difflib.get_close_matches(words, [v.lower() for v in allowed], n=1, cutoff=0.6)
        initials = "".join(
            w[0] for w in re.findall(r"[a-z]+", value.lower()) if w not in ("and", "of", "s")
        )
        if not close and initials in {v.lower() for v in allowed}:
            close = [initials]
        if close:
            meant = next(v for v in allowed if v.lower() == close[0])
            lines.append(f"        {quote(value)} means {meant}  # check")
        else:
            lines.append(f"        # check: {quote(value)} means which of {', '.join(allowed)}?")
    return lines


def _name(folder: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9_]+", "_", folder.resolve().name).strip("_").lower()
    return name if name and not name[0].isdigit() else f"data_{name}"


def _sheet_words(sample: Sample) -> str:
    return f', sheet "{sample.sheet}"' if sample.sheet else ""
