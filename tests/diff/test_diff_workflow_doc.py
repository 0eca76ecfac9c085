"""The GitHub workflow of docs/examples runs: its synth and diff commands,
taken from the file, on a temporary council repository with a pull
request's change to its rule file."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from diff_support import expect_exit, run

WORKFLOW = Path(__file__).resolve().parents[2] / "docs" / "examples" / "github-diff-workflow.yml"

LEEDS = """\
ruleset local.leeds.phase1 "Leeds: local criterion"
    extends national.phase1
    applies to E08000035

criterion local "A member with a proven offence in the last {months} months"
    = any member has offences where proven, in the last {months} months
"""


def commands(text: str) -> list[list[str]]:
    """Every `tfrules ...` command of the workflow, continuation lines joined."""
    joined = text.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        line = line.strip().removeprefix("run:").strip()
        if line.startswith("tfrules "):
            found.append(shlex.split(line)[1:])
    return found


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
         *args],
        check=True, capture_output=True,
    )  # fmt: skip


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_workflow_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = commands(WORKFLOW.read_text(encoding="utf-8"))
    synth = next(c for c in found if c[0] == "synth")
    diff = next(c for c in found if c[0] == "diff")
    repo = tmp_path / "council"
    (repo / "rules").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "rules" / "leeds.tfr").write_text(LEEDS.format(months=12), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Leeds's rules")
    (repo / "rules" / "leeds.tfr").write_text(LEEDS.format(months=3), encoding="utf-8")
    monkeypatch.chdir(repo)
    # a smaller data set than the workflow's, and the base branch as it is named here
    synth = [("300" if a == "50000" else a) for a in synth]
    expect_exit(run(*synth), 0)
    diff = [("main" if a == "origin/${{ github.base_ref }}" else a) for a in diff]
    result = run(*diff)
    assert result.exit_code in (0, 1), result.output
    report = (repo / "diff.md").read_text(encoding="utf-8")
    assert "at main" in report and "### Gate:" in report
    assert "definition changed: `local`" in report
