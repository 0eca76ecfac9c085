"""A data file that cannot be read is a usage problem (exit 2), as the
exit-code table says; a file that reads but holds bad content is a data
error (exit 1). Both stop the run before anything is written."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from cli_support import AS_OF, expect_exit, run, synth_tables, write_tables

from tfrules.run import inputs
from tfrules.run.inputs import InputError, check_readable

NATIONAL = "national.phase1"
TABLES = ["households", "persons", "offences"]


@pytest.fixture(scope="module")
def tables():
    return synth_tables(200, seed=4)


@pytest.fixture
def data(tables, tmp_path) -> Path:
    return write_tables(tables, tmp_path / "data")


def _eval(data: Path, out: Path):
    return run("eval", NATIONAL, "--data", data, "--as-of", AS_OF, "--out", out)


@pytest.mark.parametrize("damage", ["a folder", "a broken link"])
def test_a_table_file_that_cannot_be_read_exits_2(data, tmp_path, damage):
    persons = data / "persons.parquet"
    persons.unlink()
    if damage == "a folder":
        persons.mkdir()
    else:
        persons.symlink_to(tmp_path / "moved.parquet")
    out = tmp_path / "out" / "r.parquet"
    result = expect_exit(_eval(data, out), 2)
    assert f"tfrules eval: cannot read {persons}" in result.stderr
    assert not out.parent.exists()


def test_a_table_file_without_permission_exits_2(data, tmp_path, monkeypatch):
    if os.geteuid() != 0:
        (data / "persons.parquet").chmod(0)
    else:  # root reads any file: the file system's refusal is made here

        def refused(self, *args, **kwargs):
            if self.name == "persons.parquet":
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return original(self, *args, **kwargs)

        original = Path.open
        monkeypatch.setattr(inputs.Path, "open", refused)
    result = expect_exit(_eval(data, tmp_path / "r.parquet"), 2)
    assert "cannot read" in result.stderr and "Permission denied" in result.stderr
    assert not (tmp_path / "r.parquet").exists()


def test_a_table_file_with_bad_content_exits_1(data, tmp_path):
    (data / "persons.parquet").write_bytes(b"this is not a Parquet file" * 10)
    result = expect_exit(_eval(data, tmp_path / "r.parquet"), 1)
    assert "persons.parquet" in result.stderr and "nothing was written" in result.stderr


def test_an_unlistable_data_folder(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()

    def refused(path):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(inputs.os, "listdir", refused)
    with pytest.raises(InputError, match=r"cannot read the data folder .*Permission denied"):
        check_readable(folder, TABLES)


def test_missing_table_files_are_left_to_the_loader(tmp_path):
    """Absent files are not unreadable: loading says which table is missing."""
    (tmp_path / "households.csv").write_text("household_id\nH1\n")
    check_readable(tmp_path, TABLES)
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    check_readable(tmp_path, TABLES)
