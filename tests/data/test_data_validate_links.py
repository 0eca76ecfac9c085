"""An id that links a row to its owner (a person's household, an event's person)
is checked for blanks and surrounding spaces only where it matches no owner, when
the owner's own ids are clean: the problems found, their rows, counts and
messages, are exactly those of checking every row."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from data_fixtures import SCHEMA, clean_frames, write_dir

from tfrules.data import validate as validation
from tfrules.data.errors import DataError, DataProblem
from tfrules.data.load import load_dataset


def _problems(source: Path | dict[str, pl.DataFrame]) -> list[DataProblem]:
    with pytest.raises(DataError) as info:
        validation.validate(load_dataset(source, SCHEMA))
    return info.value.problems


def _broken_links() -> dict[str, pl.DataFrame]:
    frames = clean_frames()
    frames["persons"] = frames["persons"].with_columns(
        pl.Series("household_id", ["H1", " H1", "", "H3 "])
    )
    frames["school_terms"] = frames["school_terms"].with_columns(
        pl.Series("person_id", [" P4", "P2", ""])
    )
    return frames


@pytest.mark.parametrize("fmt", ["parquet", "csv", "frames"])
def test_links_to_a_clean_owner_are_checked_on_their_orphans(tmp_path: Path, fmt: str) -> None:
    frames = _broken_links()
    source = frames if fmt == "frames" else write_dir(tmp_path / "data", frames, fmt)
    found = [(p.table, p.column, p.row, p.count, p.message) for p in _problems(source)]
    persons = [f for f in found if f[0] == "persons"]
    assert persons[0][1:4] == ("household_id", 3, 1)
    assert "every row must say which household it belongs to" in persons[0][4]
    padded = [f for f in persons if "spaces at its start or end" in f[4]]
    assert [f[2:4] for f in padded] == [(2, 2)]
    orphans = [f for f in persons if "there is no household" in f[4]]
    assert [f[2:4] for f in orphans] == [(2, 3)]
    assert persons[-1] == orphans[0]  # said after the row checks, as before
    terms = [f for f in found if f[0] == "school_terms"]
    assert any(f[2:4] == (1, 1) and "spaces at its start" in f[4] for f in terms)
    assert any(f[2] == 1 and "there is no person" in f[4] for f in terms)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "frames"])
@pytest.mark.parametrize("owner_clean", [True, False])
def test_same_problems_as_checking_every_row(
    tmp_path: Path, fmt: str, owner_clean: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = _broken_links()
    if not owner_clean:  # a padded household id: every person's link is checked
        frames["households"] = frames["households"].with_columns(
            pl.Series("household_id", ["H1", "H2 ", "H3"])
        )
    source = frames if fmt == "frames" else write_dir(tmp_path / "data", frames, fmt)
    fast = _problems(source)
    monkeypatch.setattr(validation, "ID_SHAPE", frozenset())  # every row, every check
    assert _problems(source) == fast


def test_tables_sharing_an_owner_are_checked_together_each_its_own_orphans() -> None:
    """One anti-join serves every table that points at persons; each table still
    gets its own first row and count."""
    frames = clean_frames()
    frames["school_terms"] = frames["school_terms"].with_columns(
        pl.Series("person_id", ["P2", "P9", "P9"])
    )
    frames["benefit_claims"] = frames["benefit_claims"].with_columns(
        pl.Series("person_id", ["P8", "P1"])
    )
    orphans = {
        p.table: (p.row, p.count, p.message)
        for p in _problems(frames)
        if "there is no person" in p.message
    }
    assert orphans["school_terms"][:2] == (2, 2)
    assert orphans["benefit_claims"][:2] == (1, 1)
    assert '"P8"' in orphans["benefit_claims"][2]
