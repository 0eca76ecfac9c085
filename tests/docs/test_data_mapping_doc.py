"""docs/data-mapping.md and its worked example are true: the example extract,
read through its mapping, gives exactly the results of the canonical data it
was made from; every mapping shown in the page checks; what the page shows
`data check` and `data init` printing is what they print."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tfrules
from tfrules.check import check_paths
from tfrules.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "data-mapping.md"
EXAMPLE = ROOT / "docs" / "examples" / "anytown"
CANONICAL = Path(__file__).resolve().parent / "anytown_canonical"
AS_OF = "2015-03-31"


def _cli(*args: object):
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1"})
    return runner.invoke(app, [str(a) for a in args])


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.S | re.M)


@pytest.mark.parametrize(
    "ruleset", ["national.phase1", "national.phase2", "national.dwp_fmp", "local.leeds.phase2"]
)
def test_the_example_gives_the_results_of_the_canonical_data(ruleset):
    rules = tfrules.load(ruleset)
    expected = tfrules.evaluate(rules, CANONICAL, AS_OF)
    found = tfrules.evaluate(rules, EXAMPLE, AS_OF)  # mapping.tfr beside the data
    assert found.equals(expected)


def test_the_example_mapping_checks_and_is_laid_out():
    report = check_paths([EXAMPLE / "mapping.tfr"])
    assert report.errors == 0 and report.warnings == 0
    assert _cli("fmt", "--check", EXAMPLE / "mapping.tfr").exit_code == 0


def test_the_example_reads_without_warnings(tmp_path):
    result = _cli(
        "eval", "national.phase2", "--data", EXAMPLE, "--as-of", AS_OF, "--out", tmp_path / "r.csv"
    )
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert "Sources of the data" in result.stdout


def test_every_mapping_in_the_page_checks(tmp_path):
    blocks = [b for b in _blocks("tfr") if b.lstrip().startswith(("mapping", "#"))]
    assert len(blocks) >= 8
    for number, block in enumerate(blocks):
        path = tmp_path / f"m{number}.tfr"
        path.write_text(block, encoding="utf-8")
        report = check_paths([path])
        assert report.errors == 0, (block, [d.message for d in report.diagnostics])


def test_the_data_check_shown_is_what_tfrules_prints():
    shown = next(b for b in _blocks("text") if b.startswith("Data in docs/examples/anytown"))
    result = _cli(
        "data", "check", "national.phase1", "--data", "docs/examples/anytown", "--as-of", AS_OF
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == shown


def test_the_first_mapping_shown_is_what_data_init_writes(tmp_path):
    folder = tmp_path / "anytown"
    shutil.copytree(EXAMPLE, folder)
    (folder / "mapping.tfr").unlink()
    result = _cli("data", "init", "--data", folder)
    assert result.exit_code == 0, result.output
    written = (folder / "mapping.tfr").read_text(encoding="utf-8")
    shown = next(b for b in _blocks("text") if b.startswith("table police_incidents"))
    assert shown in written
    assert check_paths([folder / "mapping.tfr"]).errors == 0


def test_the_page_is_listed_in_the_commands_and_language_guides():
    assert "data-mapping.md" in (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    commands = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for needed in ("tfrules data check", "tfrules data init", "--mapping", "data-mapping.md"):
        assert needed in commands, needed
