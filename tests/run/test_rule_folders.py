"""Which rule files a run reads, and which it refuses: a --local folder never
replaces the national rules it is run with, --include shadowing a shipped
ruleset is said out loud, links never lead out of a folder, no line of a
file that is not a rule file is ever printed, and a folder that is not a
folder of rules (the root of the file system, /proc) is refused."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest
from cli_support import (
    AS_OF,
    LEEDS,
    LOCAL_LEEDS,
    expect_exit,
    run,
    synth_tables,
    write_rules,
    write_tables,
)

from tfrules.check import check_paths, rule_files
from tfrules.check.rule_files import PathError
from tfrules.check.workspace import bundled_rulesets_dir

NATIONAL = "national.phase1"
SECRET = "root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\nAPI_KEY=hunter2\n"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return write_tables(synth_tables(600, seed=9), tmp_path_factory.mktemp("folders_data"))


def _national_copy(folder: Path, change: tuple[str, str] | None = None) -> Path:
    """The shipped national.phase1 copied into `folder`, with one change."""
    text = (bundled_rulesets_dir() / "national" / "phase1.tfr").read_text(encoding="utf-8")
    if change is not None:
        assert change[0] in text
        text = text.replace(*change)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "phase1.tfr"
    path.write_text(text, encoding="utf-8")
    return path


#: Every family is identified: a national ruleset that says so, to be noticed.
EVERYONE = ("= (crime_asb and education and work)", "= true or (crime_asb and education and work)")


def test_a_local_folder_may_not_replace_the_national_ruleset(data_dir, tmp_path):
    folder = tmp_path / "local"
    write_rules(folder, "leeds.tfr", LOCAL_LEEDS)
    copy = _national_copy(folder, EVERYONE)
    out = tmp_path / "r.parquet"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
                 "--local", folder)  # fmt: skip
    expect_exit(result, 2)
    assert f"{os.path.relpath(copy)} declares the ruleset national.phase1" in result.stderr
    assert "<tfrules>/national/phase1.tfr" in result.stderr
    assert not out.exists()


def test_a_local_folder_may_hold_an_identical_copy(data_dir, tmp_path):
    """The shipped file itself (or a copy of it) changes nothing."""
    folder = tmp_path / "local"
    write_rules(folder, "leeds.tfr", LOCAL_LEEDS)
    _national_copy(folder)
    out = tmp_path / "r.parquet"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
                 "--local", folder, "--rules", "local,identified", "-q")  # fmt: skip
    expect_exit(result, 0)
    written = pl.read_parquet(out)
    assert set(written.filter(pl.col("la_code") == LEEDS)["ruleset_applied"]) == {
        "local.testshire.phase1"
    }


def test_a_local_folder_may_not_replace_another_shipped_ruleset(data_dir, tmp_path):
    folder = tmp_path / "local"
    write_rules(folder, "leeds.tfr", LOCAL_LEEDS)
    shipped = bundled_rulesets_dir() / "local" / "essex_phase1.tfr"
    text = shipped.read_text(encoding="utf-8")
    (folder / "essex.tfr").write_text(text + "\n# our change\n", encoding="utf-8")
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF,
                 "--out", tmp_path / "r.parquet", "--local", folder)  # fmt: skip
    expect_exit(result, 2)
    assert "which is shipped with tfrules (<tfrules>/local/essex_phase1.tfr)" in result.stderr


def test_include_shadowing_a_shipped_ruleset_is_a_warning_naming_both(data_dir, tmp_path):
    copy = _national_copy(tmp_path / "mine", EVERYONE)
    out = tmp_path / "r.parquet"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out,
                 "--include", copy.parent, "--rules", "identified", "-q")  # fmt: skip
    expect_exit(result, 0)
    assert "warning[W030]" in result.stderr
    assert os.path.relpath(copy) in result.stderr
    assert "<tfrules>/national/phase1.tfr" in result.stderr
    assert pl.read_parquet(out)["identified"].all()  # the user's rules were used, as warned


def test_local_rules_follow_the_national_ruleset_of_the_command_line(data_dir, tmp_path):
    """With --include holding the run's own national.phase1, the councils'
    rulesets build on that one, not on the shipped one."""
    copy = _national_copy(tmp_path / "mine", EVERYONE)
    folder = tmp_path / "local"
    write_rules(folder, "leeds.tfr", LOCAL_LEEDS)
    out = tmp_path / "r.parquet"
    result = run("eval", NATIONAL, "--data", data_dir, "--as-of", AS_OF, "--out", out, "-q",
                 "--include", copy.parent, "--local", folder, "--rules", "identified")  # fmt: skip
    expect_exit(result, 0)
    assert result.stderr.count("warning[W030]") == 1
    written = pl.read_parquet(out)
    assert written["identified"].all()  # for Leeds' households too


# ------------------------------------------------------------------ links and other files


def test_a_link_out_of_the_folder_is_not_read(tmp_path):
    secret = tmp_path / "elsewhere" / "secret.tfr"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    folder = tmp_path / "rules"
    write_rules(folder, "leeds.tfr", LOCAL_LEEDS)
    (folder / "evil.tfr").symlink_to(secret)
    result = run("check", folder, "--format", "github")
    expect_exit(result, 2)
    assert "error[E004]" in result.stdout
    assert "hunter2" not in result.output and "saltsalt" not in result.output
    assert "checked 1 file" in result.stdout


@pytest.mark.parametrize("how", ["in the folder", "given directly"])
def test_a_line_of_a_file_that_is_not_a_rule_file_is_never_shown(tmp_path, how):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / ".env").write_text(SECRET)
    (folder / "local.tfr").symlink_to(folder / ".env")
    target = folder if how == "in the folder" else folder / "local.tfr"
    for command in (["check"], ["fmt", "--check"], ["test"]):
        result = run(*command, target)
        expect_exit(result, 2)
        assert "E005" in result.output, result.output
        assert "hunter2" not in result.output and "saltsalt" not in result.output
    result = run("eval", target / "local.tfr" if how == "in the folder" else target,
                 "--data", tmp_path, "--as-of", AS_OF, "--out", tmp_path / "r.csv")  # fmt: skip
    assert "hunter2" not in result.output and "saltsalt" not in result.output
    assert result.exit_code in (1, 2)


def test_fmt_does_not_write_through_a_link_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside.tfr"
    outside.write_text(LOCAL_LEEDS.replace("= any member", "=     any member"))
    before = outside.read_text()
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "linked.tfr").symlink_to(outside)
    expect_exit(run("fmt", folder), 2)
    assert outside.read_text() == before


@pytest.mark.parametrize("folder", ["/", "/proc", "/proc/self", "/sys", "/dev"])
def test_system_folders_are_refused(folder):
    with pytest.raises(PathError, match=r"not a folder of rule files|folder of the system"):
        check_paths([folder])
    result = run("eval", NATIONAL, "--data", ".", "--as-of", AS_OF, "--out", "r.csv",
                 "--include", folder)  # fmt: skip
    expect_exit(result, 2)
    assert "Traceback" not in result.output


def test_a_large_folder_without_rule_files_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(rule_files, "ENTRIES_WITHOUT_RULES", 50)
    for number in range(60):
        (tmp_path / f"photo{number}.jpg").write_bytes(b"")
    with pytest.raises(PathError, match="does not look like a folder of rule files"):
        check_paths([tmp_path])
    write_rules(tmp_path, "leeds.tfr", LOCAL_LEEDS)
    monkeypatch.setattr(rule_files, "ENTRIES_WITHOUT_RULES", 100)
    assert len(check_paths([tmp_path]).files) == 1


def test_an_unreadable_folder_inside_is_reported_not_a_crash(tmp_path, monkeypatch):
    folder = tmp_path / "rules"
    write_rules(folder, "leeds.tfr", LOCAL_LEEDS)
    (folder / "locked").mkdir()
    walk = os.walk

    def refusing(top, onerror=None, **kwargs):
        for parent, folders, files in walk(top, onerror=onerror, **kwargs):
            if Path(parent).name == "locked":
                onerror(PermissionError(13, "Permission denied", parent))
                continue
            yield parent, folders, files

    monkeypatch.setattr(rule_files.os, "walk", refusing)
    report = check_paths([folder])
    [problem] = [d for d in report.diagnostics if d.code == "E003"]
    assert problem.span.file.endswith("locked")
    assert "Permission denied" in problem.message
    assert len(report.files) == 1
