"""Labels read through `tfrules.data.labels`: a row written as the mapping writes
a label is read by comparison, any other spelling (capitals, spaces at the
ends) by folding; the results are those of folding every row, and the
validator still shows the council's raw text, file and line."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mapping_fixtures import (
    BASIC_MAPPING,
    FAMILIES,
    PEOPLE,
    REQUIRED,
    canonical,
    load,
    mapping,
    problems,
    rows,
    write,
)

from tfrules.data.labels import Lookup, read_labelled
from tfrules.data.load import load_dataset
from tfrules.model.mapping import ColumnSource, LabelValue, fold

d = dt.date

POLICE = """
    table police_incidents
        from "Police *.EXT"
        "Person Ref" -> person_id
        "Date" -> incident_date
        "Type" -> category
            "Domestic Abuse", "DA" means domestic_abuse
            "Not recorded" means unknown
"""
HOUSING = """
    table housing
        from "Rent *.EXT"
        "Family ID" -> household_id
        "Date" -> recorded_on
        "Notice" -> eviction_notice
            "Yes", "Y" means true
            "No", "N" means false
            "Not known" means unknown
"""


def _frame(column: str, values: list[str | None]) -> pl.DataFrame:
    n = len(values)
    if column == "Type":
        return pl.DataFrame({"Person Ref": ["P1"] * n, "Date": ["2014-03-01"] * n, "Type": values})
    return pl.DataFrame({"Family ID": ["F1"] * n, "Date": ["2014-04-01"] * n, "Notice": values})


def _write(folder, name: str, frame: pl.DataFrame, fmt: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.write_csv(folder / f"{name}.csv")
    else:
        frame.write_parquet(folder / f"{name}.parquet")


def _dataset(tmp_path, table: str, frames: list[pl.DataFrame], fmt: str):
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": PEOPLE})
    name = "Police" if table == "police_incidents" else "Rent"
    for number, frame in enumerate(frames, start=1):
        _write(folder, f"{name} {number}", frame, fmt)
    text = BASIC_MAPPING + (POLICE if table == "police_incidents" else HOUSING).replace("EXT", fmt)
    columns = {"category"} if table == "police_incidents" else {"eviction_notice"}
    return folder, mapping(folder, text), {**REQUIRED, table: columns}


def _read(folder, checked, required, table: str, column: str) -> list:
    """The column as read, without validating (a label meaning unknown leaves a
    column that must be filled in empty, which the validator reports)."""
    dataset = load_dataset(folder, canonical(), required, mapping=checked)
    return dataset.frames[table].collect()[column].to_list()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_category_labels_in_any_capitals_and_spaces(tmp_path, fmt):
    values = [
        "Domestic Abuse",  # as the mapping writes it: compared
        "domestic abuse",  # any other spelling: folded
        "  DOMESTIC ABUSE ",
        "DA",
        " da",
        "burglary",  # the category's own values, which no label is written for
        "Burglary ",
        "VIOLENCE",
        "Not recorded",  # a label meaning unknown
        " not RECORDED",
        None,
    ]
    folder, checked, required = _dataset(
        tmp_path, "police_incidents", [_frame("Type", values)], fmt
    )
    found = _read(folder, checked, required, "police_incidents", "category")
    assert found == [
        *["domestic_abuse"] * 5,
        *["burglary"] * 2,
        "violence",
        None,
        None,
        None,
    ]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_true_false_labels_and_words_in_any_capitals_and_spaces(tmp_path, fmt):
    values = ["Yes", "yes", " YES ", "Y", "y ", "No", "no", "N", "true", "FALSE", " 1", "0"]
    values += ["Not known", "NOT KNOWN  ", None]
    folder, checked, required = _dataset(tmp_path, "housing", [_frame("Notice", values)], fmt)
    found = _read(folder, checked, required, "housing", "eviction_notice")
    assert found == [True] * 5 + [False] * 3 + [True, False, True, False] + [None] * 3


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_label_meaning_unknown_is_not_reported_as_unreadable(tmp_path, fmt):
    """Its value is null, and so is the value shown: the validator says the
    column is empty (it must be filled in), not that the value cannot be read."""
    values = ["Yes", "Not known", " not KNOWN", "No"]
    folder, checked, required = _dataset(tmp_path, "housing", [_frame("Notice", values)], fmt)
    [problem] = problems(folder, checked, required)
    assert (problem.heading, problem.value, problem.count) == ("Notice", None, 2)
    assert problem.message == "eviction_notice is empty, but it must always be filled in"


def test_a_label_overrides_a_true_false_word(tmp_path):
    folder = write(
        tmp_path / "data",
        {
            "Families.csv": FAMILIES,
            "People.csv": PEOPLE,
            "Rent 1.csv": "Family ID,Date,Notice\nF1,2014-04-01,1\nF1,2014-04-01,TRUE\n"
            "F1,2014-04-01,0\n",
        },
    )
    housing = HOUSING.replace("EXT", "csv")
    text = BASIC_MAPPING + housing.replace('"No", "N" means false', '"No", "N", "1" means false')
    dataset = load(folder, mapping(folder, text), {**REQUIRED, "housing": {"eviction_notice"}})
    assert rows(dataset, "housing", "eviction_notice") == [(False,), (True,), (False,)]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_value_no_label_reads_is_reported_with_its_raw_text_file_and_line(tmp_path, fmt):
    first = _frame("Type", ["DA", "burglary"])
    second = _frame("Type", ["da", " Arson ", "ARSON", "violence"])
    folder, checked, required = _dataset(tmp_path, "police_incidents", [first, second], fmt)
    [problem] = problems(folder, checked, required)
    assert (problem.source, problem.heading, problem.value, problem.count) == (
        f"Police 2.{fmt}",
        "Type",
        " Arson ",
        2,
    )
    assert problem.row == (3 if fmt == "csv" else 2)  # the CSV line, or the row
    assert problem.message.startswith('" Arson " is not a value of category and the mapping')
    assert '"Arson" means' in problem.message


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_true_false_value_no_label_reads_is_reported_with_its_raw_text(tmp_path, fmt):
    values = ["Yes", " no", "Maybe ", "maybe"]
    folder, checked, required = _dataset(tmp_path, "housing", [_frame("Notice", values)], fmt)
    [problem] = problems(folder, checked, required)
    assert (problem.source, problem.heading, problem.value, problem.count) == (
        f"Rent 1.{fmt}",
        "Notice",
        "Maybe ",
        2,
    )
    assert problem.row == (4 if fmt == "csv" else 3)
    assert problem.message.startswith('"Maybe " is not true or false')


def test_a_typed_column_with_labels(tmp_path):
    """Parquet booleans and a category held as an Enum, read through labels."""
    folder = write(tmp_path / "data", {"Families.csv": FAMILIES, "People.csv": PEOPLE})
    pl.DataFrame(
        {"Family ID": ["F1"] * 3, "Date": ["2014-04-01"] * 3, "Notice": [True, False, None]}
    ).write_parquet(folder / "Rent 1.parquet")
    kinds = pl.Enum(["DA", "burglary", "Not recorded"])
    pl.DataFrame(
        {
            "Person Ref": ["P1"] * 3,
            "Date": ["2014-03-01"] * 3,
            "Type": pl.Series(["DA", "burglary", "Not recorded"], dtype=kinds),
        }
    ).write_parquet(folder / "Police 1.parquet")
    checked = mapping(folder, BASIC_MAPPING + (POLICE + HOUSING).replace("EXT", "parquet"))
    required = {**REQUIRED, "housing": {"eviction_notice"}, "police_incidents": {"category"}}
    assert _read(folder, checked, required, "housing", "eviction_notice") == [True, False, None]
    assert _read(folder, checked, required, "police_incidents", "category") == [
        "domestic_abuse",
        "burglary",
        None,
    ]


def test_labels_of_text_keep_other_text_as_it_is(tmp_path):
    families = "Family ID,LA,Date Attached\nF1,Leeds,\nF2, LEEDS,\nF3,E10000012 ,\nF4,n/a,\n"
    folder = write(tmp_path / "data", {"Families.csv": families, "People.csv": PEOPLE})
    text = BASIC_MAPPING.replace(
        'la_code = "E06000099"',
        '"LA" -> la_code\n            "Leeds" means "E08000035"\n            "n/a" means unknown',
    )
    found = _read(folder, mapping(folder, text), REQUIRED, "households", "la_code")
    assert found == ["E08000035", "E08000035", "E10000012 ", None]


def test_a_date_label_meaning_unknown_in_any_capitals_and_spaces(tmp_path):
    families = "Family ID,Date Attached\nF1,Not known\nF2, NOT KNOWN\nF3,10/02/2013\n"
    folder = write(tmp_path / "data", {"Families.csv": families, "People.csv": PEOPLE})
    text = BASIC_MAPPING.replace(
        'written "dd/mm/yyyy"\n\n',
        'written "dd/mm/yyyy"\n            "Not known" means unknown\n\n',
        1,
    )
    dataset = load(folder, mapping(folder, text))
    assert rows(dataset, "households", "attached_on") == [(None,), (None,), (d(2013, 2, 10),)]


def test_filters_on_other_columns_still_reach_the_scan(tmp_path):
    """The label reading is elementwise: a filter on another column of the
    table is pushed into the Parquet scan, and a column not read is not scanned."""
    values = ["DA", " da", "burglary"]
    folder, checked, required = _dataset(
        tmp_path, "police_incidents", [_frame("Type", values)], "parquet"
    )
    required["police_incidents"] |= {"incident_date"}
    assert _read(folder, checked, required, "police_incidents", "category") == [
        "domestic_abuse",
        "domestic_abuse",
        "burglary",
    ]
    frame = load(folder, checked, required).frames["police_incidents"]
    plan = frame.filter(pl.col("person_id") == "P1").explain()
    assert "SELECTION:" in plan and "FILTER" not in plan, plan
    assert "PROJECT 1/3 COLUMNS" in frame.select("incident_date").explain()


def test_many_meanings(tmp_path):
    """More meanings than a byte holds: codes and the Enums are wider."""
    labels = "\n".join(f'            "Council {n}" means "E{n:08d}"' for n in range(300))
    families = "Family ID,LA,Date Attached\n" + "".join(
        f"F{n},{'council ' if n % 2 else 'Council '}{n},\n" for n in range(300)
    )
    people = "Person ID,Family ID,DOB\nP1,F1,15/01/2001\n"
    folder = write(tmp_path / "data", {"Families.csv": families, "People.csv": people})
    text = BASIC_MAPPING.replace('la_code = "E06000099"', '"LA" -> la_code\n' + labels)
    dataset = load(folder, mapping(folder, text))
    assert rows(dataset, "households", "la_code") == [(f"E{n:08d}",) for n in range(300)]


# The reading against folding every row in Python, on random labels and values.

_WORDS = ["yes", "no", "da", "burglary", "other", "n/a", "x"]


@st.composite
def _variants(draw, word: str) -> str:
    cased = "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in word)
    return draw(st.sampled_from(["", " ", "  "])) + cased + draw(st.sampled_from(["", " "]))


@st.composite
def _cases(draw):
    kind = draw(st.sampled_from(["category", "bool", "text"]))
    if kind == "bool":
        meanings: list[LabelValue] = [True, False, None]
    elif kind == "category":
        meanings = ["burglary", "domestic_abuse", "violence", "other", None]
    else:
        meanings = ["E1", "E2", None]
    labels = draw(st.dictionaries(st.sampled_from(_WORDS), st.sampled_from(meanings), max_size=5))
    spellings = [draw(_variants(word)) for word in labels]
    raw = st.one_of(
        st.none(), st.sampled_from(_WORDS).flatmap(_variants), st.sampled_from(["1", " 0", "TRUE"])
    )
    values = draw(st.lists(raw, min_size=1, max_size=30))
    return kind, labels, spellings, values


def _expected(kind: str, labels: dict, values: list) -> tuple[list, list]:
    column = _column(kind)
    table: dict[str, LabelValue] = {}
    if kind == "bool":
        table.update({"true": True, "false": False, "1": True, "0": False})
    elif kind == "category":
        table.update({v: v for v in column.type.values})
    table.update(labels)
    value, shown = [], []
    for raw in values:
        key = None if raw is None else raw.strip().lower()
        if raw is None:
            value.append(None)
        elif key in table:
            value.append(table[key])
        else:
            value.append(None if kind == "bool" else raw)
        said_unknown = key in table and table[key] is None
        shown.append(None if said_unknown else raw)
    return value, shown


def _column(kind: str):
    schema = canonical()
    if kind == "bool":
        return schema.table("housing").column("eviction_notice")
    if kind == "category":
        return schema.table("police_incidents").column("category")
    return schema.table("households").column("la_code")


@settings(max_examples=200, deadline=None)
@given(_cases())
def test_the_reading_is_folding_every_row(case):
    kind, labels, spellings, values = case
    column = _column(kind)
    if not labels:
        return
    source = ColumnSource(column.name, ("raw",), labels=labels, spellings=tuple(spellings))
    target = pl.Boolean if kind == "bool" else pl.String
    reading = read_labelled(pl.col("raw"), pl.String, column, source, target)
    frame = pl.LazyFrame({"raw": values}, schema={"raw": pl.String})
    for stage in reading.stages:
        frame = frame.with_columns(stage)
    found = frame.select(reading.value.alias("value"), reading.shown.alias("shown")).collect()
    value, shown = _expected(kind, labels, values)
    assert found["value"].to_list() == value
    assert found["shown"].to_list() == shown


def test_a_folded_labels_index_modulo_the_codes_is_its_code():
    column = _column("category")
    labels = {
        "da": "domestic_abuse",
        "dv": "domestic_abuse",
        "unk": None,
        "n/a": None,
        "b": "burglary",
    }
    lookup = Lookup.of(column, ColumnSource("category", labels=labels), pl.String)
    every = lookup.unknown + 1
    table = {**{fold(v): v for v in column.type.values}, **labels}
    for index, slot in enumerate(lookup.slots):
        if slot.startswith(" "):
            continue
        meaning = table[slot]
        code = lookup.unknown if meaning is None else lookup.meanings.index(meaning)
        assert index % every == code
    assert sorted(s for s in lookup.slots if not s.startswith(" ")) == sorted(table)
    assert lookup.says_unknown
