"""Every file tfrules writes goes through `tfrules.run.atomic`: a failure
(a full disk, a read-only folder, a name too long, a writer that breaks
midway) leaves the target as it was and nothing beside it."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import polars as pl
import pytest
from run_support import read_only_folder

from tfrules.run import atomic
from tfrules.run.atomic import OutputError, replace_text, staged_folder, write_file, write_text
from tfrules.run.slices import sink

OLD = "criterion local = crime_asb\n" * 300  # an 8 KB rule file


def _disk_full_midway(path: Path) -> None:
    """A writer that gets half its text out, then meets a full disk."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(OLD[: len(OLD) // 2])
        handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def test_a_writer_failing_midway_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "rules.tfr"
    target.write_text(OLD, encoding="utf-8")
    with pytest.raises(OutputError, match=r"cannot write .*rules\.tfr: No space left on device"):
        write_file(target, _disk_full_midway)
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.tfr"]
    assert atomic.pending() == []


def test_a_read_only_folder_refuses_and_truncates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "page.md"
    target.write_text(OLD, encoding="utf-8")
    with read_only_folder(folder):
        with pytest.raises(OutputError, match="cannot write"):
            write_text(target, "new text")
        with pytest.raises(OutputError, match="cannot write"):
            replace_text(target, "new text")
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in folder.iterdir()) == ["page.md"]


def test_a_failed_polars_sink_leaves_nothing(tmp_path: Path) -> None:
    plan = pl.LazyFrame({"x": [1, 2, 300]}).select(pl.col("x").cast(pl.UInt8, strict=True))
    for name in ("r.parquet", "r.csv"):
        out = tmp_path / "out" / name
        with pytest.raises(pl.exceptions.PolarsError):  # not a file-system failure: as it is
            write_file(out, lambda path: sink(plan, path))
        assert list(out.parent.iterdir()) == []
        time.sleep(0.2)  # a Polars sink once created its file just after failing
        assert list(out.parent.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_met_by_a_polars_sink_is_an_output_error(tmp_path: Path) -> None:
    """Polars reports a full disk inside its own error: still an OutputError."""
    plan = pl.LazyFrame({"x": range(100_000)})
    target = tmp_path / "r.parquet"
    target.write_text("yesterday's results")
    with pytest.raises(OutputError, match="No space left on device"):
        write_file(target, lambda path: plan.sink_parquet("/dev/full"))
    assert target.read_text() == "yesterday's results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.parquet"]


def test_a_name_too_long_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="name too long"):
        write_text(tmp_path / ("x" * 400 + ".md"), "text")
    assert list(tmp_path.iterdir()) == []


def test_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_text(tmp_path / "a_file" / "page.md", "text")


def test_a_new_file_gets_ordinary_permissions_and_missing_folders(tmp_path: Path) -> None:
    target = write_text(tmp_path / "new" / "deep" / "page.md", "text")
    assert target.read_text() == "text"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_replace_text_keeps_the_mode_and_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.tfr"
    real.write_text(OLD)
    real.chmod(0o640)
    link = tmp_path / "link.tfr"
    link.symlink_to(real)
    replace_text(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"
    assert real.stat().st_mode & 0o777 == 0o640


def test_a_staged_set_arrives_whole(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / "a.csv").write_text("old a")
    with staged_folder(out) as stage:
        (stage / "a.csv").write_text("new a")
        (stage / "b.csv").write_text("new b")
        assert sorted(p.name for p in out.iterdir()) == ["a.csv", "keep.txt"]  # not yet
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        "a.csv": "new a",
        "b.csv": "new b",
        "keep.txt": "mine",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_failed_staged_set_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with pytest.raises(RuntimeError), staged_folder(out) as stage:
        (stage / "a.csv").write_text("new a")
        raise RuntimeError("the second file failed")
    assert list(tmp_path.iterdir()) == []  # not even the folder
    out.mkdir()
    (out / "a.csv").write_text("old a")
    with pytest.raises(OutputError, match="No space left"), staged_folder(out) as stage:
        (stage / "a.csv").write_text("new a")
        _disk_full_midway(stage / "b.csv")
    assert {p.name: p.read_text() for p in out.iterdir()} == {"a.csv": "old a"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_staged_set_into_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.write_text("a file")
    with pytest.raises(OutputError, match="is a file"), staged_folder(out):
        pass
    assert out.read_text() == "a file"


def test_after_an_interrupt_pending_folders_go_and_later_ones_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_discarded", False)
    monkeypatch.setattr(atomic, "_committed", [])
    done = write_text(tmp_path / "first.md", "written before")
    with atomic.temporary_folder(tmp_path / "second.md") as folder:
        (folder / "second.md").write_text("half")
        assert atomic.pending() == [folder]
        assert atomic.discard_pending() == [done]
        assert not folder.exists()
        with pytest.raises(OutputError):
            write_text(tmp_path / "third.md", "too late")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.md"]


def test_synthetic_data_arrives_as_a_whole_set(tmp_path: Path) -> None:
    """A generation that fails once its tables are written, but before they
    are moved into place, leaves the folder as it was; one that finishes
    replaces every table at once."""
    from tfrules.data.synth import generate_to_dir

    out = tmp_path / "data"
    generate_to_dir(100, 1, out)
    before = _files(out)

    def fail_after_the_chunk(done: int, total: int) -> None:
        raise RuntimeError("interrupted after the tables were written")

    with pytest.raises(RuntimeError):
        generate_to_dir(150, 2, out, on_progress=fail_after_the_chunk)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    generate_to_dir(150, 2, out)
    after = _files(out)
    assert after.keys() == before.keys() and all(after[n] != before[n] for n in after)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
