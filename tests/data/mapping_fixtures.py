"""Helpers of the mapped-loading tests: the canonical schema, a council's files
written as they come, a mapping checked from text, and loading through it."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from tfrules import api
from tfrules.data.errors import DataError, DataProblem
from tfrules.data.load import Dataset, load_dataset
from tfrules.data.validate import validate
from tfrules.model.mapping import CheckedMapping
from tfrules.model.schema import Schema

#: Columns each test loads: the ids and a few columns of each kind.
REQUIRED: dict[str, set[str]] = {
    "households": {"la_code", "attached_on"},
    "persons": {"date_of_birth"},
}


@functools.cache
def canonical() -> Schema:
    return api.load("national.phase1").schema


def write(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write files (text as UTF-8, bytes as they are) under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return folder


def mapping(folder: Path, text: str, name: str = "anytown.tfr") -> CheckedMapping:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return api.load_mapping(path)


def load(
    folder: Path,
    checked: CheckedMapping | None,
    required: Mapping[str, set[str]] | None = None,
    connections: Mapping[str, str] | None = None,
) -> Dataset:
    """Load and validate through the mapping (raises DataError)."""
    dataset = load_dataset(
        folder,
        canonical(),
        dict(required or REQUIRED),
        mapping=checked,
        connections=connections,
    )
    validate(dataset)
    return dataset


def problems(
    folder: Path, checked: CheckedMapping | None, required: Mapping[str, set[str]] | None = None
) -> list[DataProblem]:
    with pytest.raises(DataError) as info:
        load(folder, checked, required)
    return info.value.problems


def rows(dataset: Dataset, table: str, *columns: str) -> list[tuple]:
    frame = dataset.frames[table].collect()
    return frame.select(columns or frame.columns).rows()


PEOPLE = """
    Person ID,Family ID,DOB
    P1,F1,15/01/2001
    P2,F1,03/11/1975
    P3,F2,29/02/2004
"""
FAMILIES = """
    Family ID,Date Attached
    F1,10/02/2013
    F2,
"""
BASIC_MAPPING = """
    mapping anytown "Anytown"

    table households
        from "Families.csv"
        "Family ID" -> household_id
        la_code = "E06000099"
        "Date Attached" -> attached_on
            written "dd/mm/yyyy"

    table persons
        from "People.csv"
        "Person ID" -> person_id
        "Family ID" -> household_id
        "DOB" -> date_of_birth
            written "dd/mm/yyyy"
"""
