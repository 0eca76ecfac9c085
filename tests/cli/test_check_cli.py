"""`tfrules check` as a rule author and a CI job meet it: what it prints, in
text, JSON and GitHub formats, and its exit codes (0 clean, warnings allowed;
1 errors; 2 a usage problem or unreadable file; 3 an internal error), with no
Python traceback whatever the input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tfrules.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
HEADER = 'ruleset local.test "Test"\n    extends national.phase1\n\n'
CLEAN = HEADER + "criterion local = crime_asb and education\n"
WARNING = HEADER + "parameter unused = 2\ncriterion local = crime_asb\n"
WRONG = HEADER + "criterion local = not identifed\nmeasure fee: money = £4,000 + 15%\n"


def tfrules(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------- exit codes and text


def test_clean_rules_exit_0(tmp_path: Path) -> None:
    result = tfrules("check", write(tmp_path, "local.tfr", CLEAN))
    assert result.exit_code == 0
    assert result.output.strip() == "checked 1 file: 0 errors, 0 warnings"


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    result = tfrules("check", write(tmp_path, "local.tfr", WARNING))
    assert result.exit_code == 0
    assert "local.tfr:4:1: warning[W001]: the parameter 'unused' is never used" in result.output
    assert "checked 1 file: 0 errors, 1 warning" in result.output


def test_errors_exit_1_with_every_error_its_line_a_caret_and_a_hint(tmp_path: Path) -> None:
    result = tfrules("check", write(tmp_path, "local.tfr", WRONG))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    first = lines.index(next(line for line in lines if "error[E101]" in line))
    assert lines[first].endswith("local.tfr:4:23: error[E101]: unknown name 'identifed'")
    assert lines[first + 1 : first + 4] == [
        " 4 | criterion local = not identifed",
        "   |                       ^^^^^^^^^",
        "   = hint: did you mean 'identified'?",
    ]
    assert "local.tfr:5:22: error[E201]: cannot add an amount of money and a percentage" in (
        result.output
    )
    assert lines[-1] == "checked 1 file: 2 errors, 0 warnings"


def test_the_shipped_rulesets_check_clean() -> None:
    result = tfrules("check", ROOT / "rulesets")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (bytes(range(256)) * 100, "E001"),
        ((HEADER + "criterion local = crime_asb # caf\xe9\n").encode("latin-1"), "E001"),
        (HEADER + "criterion local = " + "not (" * 10_000 + "true" + ")" * 10_000, "E013"),
        (HEADER + "criterion local = " + "not " * 10_000 + "crime_asb", "E013"),
        ("", "E016"),
        ("# nothing but comments\n# here\n", "E016"),
        (" \n\t\n   \n", "E016"),
        (HEADER + "# " + "x" * 100_000 + "\ncriterion local = " + "crime_asb or " * 3_000
         + "identifed", "E101"),
    ],
    ids=["binary", "not-utf8", "parentheses", "nots", "empty", "comments", "whitespace",
         "long-lines"],
)  # fmt: skip
def test_odd_files_are_errors_not_tracebacks(
    tmp_path: Path, content: str | bytes, code: str
) -> None:
    result = tfrules("check", write(tmp_path, "odd.tfr", content))
    assert result.exit_code == 1
    assert f"error[{code}]" in result.output
    assert "checked 1 file: 1 error" in result.output


def test_a_fifty_megabyte_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.tfr"
    with path.open("wb") as out:
        out.write(HEADER.encode())
        out.truncate(50_000_000)
    result = tfrules("check", path)
    assert result.exit_code == 1
    assert "error[E002]: the file is too large to be a rule file (50.0 MB" in result.output


def test_a_file_that_cannot_be_read_exits_2(tmp_path: Path) -> None:
    (tmp_path / "local.tfr").mkdir()
    result = tfrules("check", tmp_path)
    assert result.exit_code == 2
    assert "error[E003]: cannot read the file" in result.output


def test_a_folder_without_rule_files_exits_2(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "not rules")
    result = tfrules("check", tmp_path)
    assert result.exit_code == 2
    assert "no .tfr files in this folder" in result.stderr


def test_a_missing_path_exits_2(tmp_path: Path) -> None:
    result = tfrules("check", tmp_path / "missing.tfr")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"tfrules check: {tmp_path / 'missing.tfr'}: no such file or folder"
    )


@pytest.mark.parametrize(
    "args", [["check"], ["check", "--format", "xml", "."], ["check", "--colour", "."]]
)
def test_usage_mistakes_exit_2(args: list[str]) -> None:
    result = tfrules(*args)
    assert result.exit_code == 2
    assert "Usage: tfrules check" in result.output


def test_every_file_of_several_paths_is_checked_in_one_run(tmp_path: Path) -> None:
    first = write(tmp_path, "a.tfr", WRONG)
    (tmp_path / "more").mkdir()
    write(tmp_path / "more", "b.tfr", "")
    write(tmp_path / "more", "c.tfr", WARNING.replace("local.test", "local.other"))
    result = tfrules("check", first, tmp_path / "more")
    assert result.exit_code == 1
    assert "checked 3 files: 3 errors, 1 warning" in result.output


def test_include_finds_the_rulesets_a_file_extends_and_checks_only_the_paths(
    tmp_path: Path,
) -> None:
    shared, mine = tmp_path / "shared", tmp_path / "mine"
    shared.mkdir()
    mine.mkdir()
    write(
        shared, "base.tfr", HEADER.replace("local.test", "local.base") + "criterion local = work\n"
    )
    # a ruleset of the shared folder that nothing of ours extends: not checked
    write(shared, "other.tfr", WRONG.replace("local.test", "local.other"))
    write(
        mine,
        "mine.tfr",
        'ruleset local.mine "Mine"\n    extends local.base\n\ncriterion m = local\n',
    )
    alone = tfrules("check", mine)
    assert alone.exit_code == 1
    assert "error[E103]: there is no ruleset 'local.base'" in alone.output
    included = tfrules("check", mine, "--include", shared)
    assert included.exit_code == 0, included.output
    assert included.output.strip() == "checked 1 file: 0 errors, 0 warnings"
    # a shared file that does not parse cannot be looked in: that is said
    write(shared, "broken.tfr", "ruleset local.broken\ncriterion x = = 1\n")
    broken = tfrules("check", mine, "--include", shared)
    assert broken.exit_code == 1
    assert "broken.tfr:2:15: error[E010]" in broken.output


def test_include_of_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = tfrules("check", write(tmp_path, "local.tfr", CLEAN), "--include", tmp_path / "no")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


# ---------------------------------------------------------------- formats for tools


def test_json_output(tmp_path: Path) -> None:
    path = write(tmp_path, "local.tfr", WRONG)
    result = tfrules("check", "--format", "json", path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["errors"], report["warnings"]) == (2, 0)
    first = report["diagnostics"][0]
    assert set(first) == {
        "file", "line", "column", "end_line", "end_column", "severity", "code", "message",
        "hint",
    }  # fmt: skip
    assert Path(first["file"]).resolve() == path.resolve()
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (
        4, 23, 4, 32,
    )  # fmt: skip
    assert (first["severity"], first["code"]) == ("error", "E101")
    assert first["hint"] == "did you mean 'identified'?"
    assert report["diagnostics"][1]["code"] == "E201"


def test_json_output_of_clean_rules_and_of_unreadable_files(tmp_path: Path) -> None:
    clean = tfrules("check", "--format", "json", write(tmp_path, "local.tfr", CLEAN))
    assert clean.exit_code == 0
    assert json.loads(clean.stdout) == {"diagnostics": [], "errors": 0, "warnings": 0}
    garbage = tfrules("check", "--format", "json", write(tmp_path, "local.tfr", b"\xff" * 10))
    assert garbage.exit_code == 1
    assert json.loads(garbage.stdout)["diagnostics"][0]["code"] == "E001"


def test_github_output(tmp_path: Path) -> None:
    path = write(tmp_path, "local.tfr", WRONG + "parameter unused = 2\n")
    result = tfrules("check", "--format", "github", path)
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 3
    shown = result.stdout.splitlines()[0].split(",")[0].removeprefix("::error file=")
    assert annotations[0] == (
        f"::error file={shown},line=4,col=23,endLine=4,endColumn=32,title=E101"
        "::unknown name 'identifed' (hint: did you mean 'identified'?)"
    )
    assert annotations[1].startswith(f"::error file={shown},line=5,col=22,")
    assert annotations[2].startswith(f"::warning file={shown},line=6,col=1,")
    assert "title=W001::the parameter 'unused' is never used" in annotations[2]
    assert "error[E101]" in result.stdout  # the text form follows, for the log


# ---------------------------------------------------------------- internal errors


def test_an_internal_error_exits_3_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tfrules.check import ruleset

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the checker broke")

    monkeypatch.setattr(ruleset._RulesetChecker, "run", broken)
    monkeypatch.delenv("TFRULES_DEBUG", raising=False)
    monkeypatch.setattr(sys, "argv", ["tfrules", "check", str(write(tmp_path, "l.tfr", CLEAN))])
    with pytest.raises(SystemExit) as exit_:
        cli.run()
    assert exit_.value.code == 3
    captured = capsys.readouterr()
    assert "internal error in tfrules" in captured.err
    assert "RuntimeError: the checker broke" in captured.err
    assert "please report it" in captured.err.lower()
    assert "Traceback" not in captured.err + captured.out


# ---------------------------------------------------------------- the installed command


def console_script() -> list[str]:
    beside_python = Path(sys.executable).with_name("tfrules")
    found = str(beside_python) if beside_python.exists() else shutil.which("tfrules")
    if found is None:
        pytest.skip("the tfrules console script is not installed")
    return [found]


def test_the_console_script(tmp_path: Path) -> None:
    write(tmp_path, "local.tfr", WRONG)
    write(tmp_path, "odd.tfr", bytes(range(256)))
    env = {k: v for k, v in os.environ.items() if k != "TFRULES_DEBUG"}
    done = subprocess.run(
        [*console_script(), "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "error[E101]: unknown name 'identifed'" in done.stdout
    assert "error[E001]" in done.stdout
    assert "checked 2 files: 3 errors, 0 warnings" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
