"""How the two versions are found: a rule file against its text at a git
revision (on a temporary repository), and the errors for versions that
cannot be compared; the gate's exit codes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from diff_support import (
    BASE_RULES,
    GOLDEN_AS_OF,
    GOLDEN_DATA,
    NEW_RULES,
    expect_exit,
    run,
)

from tfrules import api
from tfrules.diffing.errors import DiffError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LOCAL = """\
ruleset local.difftest.phase1 "Test: a local criterion for Leeds"
    extends national.phase1
    applies to E08000035

criterion local "A member with a proven offence in the last {months} months"
    = any member has offences where proven, in the last {months} months
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
         *args],
        check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the golden base rules, committed; then the new
    version written over them (not committed), as in a pull request."""
    folder = tmp_path / "council"
    (folder / "rules").mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    shutil.copy(BASE_RULES, folder / "rules" / "golden.tfr")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "base rules")
    shutil.copy(NEW_RULES, folder / "rules" / "golden.tfr")
    monkeypatch.chdir(folder)
    return folder


def test_a_file_against_its_text_at_a_revision_is_two_files_compared(repo: Path) -> None:
    at_main = api.diff("rules/golden.tfr", base_rev="main", data=GOLDEN_DATA, as_of=GOLDEN_AS_OF)
    two_files = api.diff(BASE_RULES, NEW_RULES, data=GOLDEN_DATA, as_of=GOLDEN_AS_OF)
    assert at_main.transitions.equals(two_files.transitions)
    assert at_main.money.equals(two_files.money)
    assert at_main.base == "test.golden (rules/golden.tfr) at main"
    assert [c.rule for c in at_main.changes[0].rules] == [
        c.rule for c in two_files.changes[0].rules
    ]


def test_the_command_with_a_base_revision(repo: Path) -> None:
    found = expect_exit(
        run("diff", "rules/golden.tfr", "--base-rev", "main", "--data", GOLDEN_DATA,
            "--as-of", GOLDEN_AS_OF, "--format", "markdown", "--max-changed",
            "young_offending=0"),
        1,
    )  # fmt: skip
    assert "at main" in found.stdout and "young_offending=0" in found.stdout


def test_local_folders_are_read_at_the_revision(repo: Path, synth_folder: Path) -> None:
    """`national.phase1 --local councils --base-rev main`: the local ruleset
    as committed is the base, the one in the working tree the new version."""
    councils = repo / "councils"
    councils.mkdir()
    (councils / "leeds.tfr").write_text(LOCAL.format(months=12), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Leeds")
    (councils / "leeds.tfr").write_text(LOCAL.format(months=3), encoding="utf-8")
    found = api.diff(
        "national.phase1", base_rev="main", local=["councils"], data=synth_folder,
        as_of="2014-03-31", samples=0,
    )  # fmt: skip
    local_changes = [c for c in found.changes if c.new == "local.difftest.phase1"]
    assert local_changes and local_changes[0].rules[0].rule == "local"
    assert found.changed("local", "E08000035") > 0
    assert found.changed("local") == found.changed("local", "E08000035")


def test_a_revision_that_does_not_exist_is_a_usage_error(repo: Path) -> None:
    found = expect_exit(
        run("diff", "rules/golden.tfr", "--base-rev", "no-such-branch", "--data", GOLDEN_DATA,
            "--as-of", GOLDEN_AS_OF),
        2,
    )  # fmt: skip
    assert "no revision 'no-such-branch'" in found.stderr


def test_a_file_new_since_the_revision_is_a_usage_error(repo: Path) -> None:
    shutil.copy(NEW_RULES, repo / "rules" / "other.tfr")
    found = expect_exit(
        run("diff", "rules/other.tfr", "--base-rev", "main", "--data", GOLDEN_DATA,
            "--as-of", GOLDEN_AS_OF),
        2,
    )  # fmt: skip
    assert "cannot read rules/other.tfr at revision 'main'" in found.stderr


def test_outside_a_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    found = expect_exit(
        run("diff", NEW_RULES, "--base-rev", "main", "--data", GOLDEN_DATA,
            "--as-of", GOLDEN_AS_OF),
        2,
    )  # fmt: skip
    assert "not inside" in found.stderr


def test_rulesets_that_read_other_data_cannot_be_compared(tmp_path: Path) -> None:
    # the repository's copy: an installed package keeps its rulesets elsewhere
    schema = Path(__file__).resolve().parents[2] / "rulesets" / "schema" / "canonical.tfr"
    text = (
        schema.read_text(encoding="utf-8")
        .replace("schema canonical ", "schema othershape ")
        .replace("    proven: bool default true\n", "")
    )
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "othershape.tfr").write_text(text, encoding="utf-8")
    rules = (
        NEW_RULES.read_text(encoding="utf-8")
        .replace("uses schema canonical", "uses schema othershape")
        .replace("offences where proven, age", "offences where age")
        .replace("count offences where proven", "count offences")
    )
    other = tmp_path / "other.tfr"
    other.write_text(rules, encoding="utf-8")
    with pytest.raises(DiffError, match=r"offences\.proven is in the base only"):
        api.diff(BASE_RULES, other, data=GOLDEN_DATA, as_of=GOLDEN_AS_OF, include=[schemas])
    found = expect_exit(
        run("diff", BASE_RULES, other, "--include", schemas, "--data", GOLDEN_DATA,
            "--as-of", GOLDEN_AS_OF),
        2,
    )  # fmt: skip
    assert "do not read the same data" in found.stderr


def test_nothing_to_compare_is_a_usage_error() -> None:
    found = expect_exit(run("diff", BASE_RULES, "--data", GOLDEN_DATA, "--as-of", GOLDEN_AS_OF), 2)
    assert "nothing to compare" in found.stderr


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        (["--max-changed", "young_offending=1"], 0),
        (["--max-changed", "young_offending=0"], 1),
        (["--max-changed", "young_offending=20%"], 0),
        (["--max-changed", "young_offending=19.9%"], 1),
        (["--max-money-change", "fee_due=£600"], 0),
        (["--max-money-change", "fee_due=£599.99"], 1),
        (["--max-changed", "attached=5", "--max-money-change", "fee_due=£1,000"], 0),
        (["--max-changed", "young_offending=many"], 2),
        (["--max-money-change", "attached=£5"], 2),
        (["--max-changed", "no_such_rule=3"], 2),
    ],
)
def test_the_gate_exit_codes(limits: list[str], code: int) -> None:
    found = expect_exit(
        run("diff", BASE_RULES, NEW_RULES, "--data", GOLDEN_DATA, "--as-of", GOLDEN_AS_OF,
            "--samples", "0", *limits),
        code,
    )  # fmt: skip
    if code == 1:
        assert "Gate: FAILED" in found.stdout
    if code == 2:
        assert found.stderr.strip()
