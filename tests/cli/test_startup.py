"""Start-up stays light: `tfrules --help`, every command's `--help` and
`tfrules check` import neither Polars nor the other heavy libraries, so an
officer's edit-check loop does not wait for them (docs/benchmarks.md,
Start-up). Each case runs the command line in a fresh interpreter and reads
which modules it loaded: no timing, so no flakiness on a busy machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: Libraries that take a tenth of a second or more to import and that no
#: help text, nor the checking of rule files, needs.
HEAVY = ("polars", "pyarrow", "numpy", "altair", "vl_convert", "xlsxwriter", "pydantic")

_PROBE = """
import json, sys
sys.argv = ["tfrules", *json.loads(sys.argv[1])]
from tfrules.cli.entry import run
try:
    run()
except SystemExit as stop:
    code = stop.code
else:
    code = 0
sys.stderr.write("\\nLOADED " + json.dumps({"code": code, "modules": sorted(sys.modules)}) + "\\n")
"""


def loaded_by(*arguments: str) -> tuple[int, set[str]]:
    """The exit code of `tfrules ARGUMENTS` and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(arguments)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED "))
    report = json.loads(line.removeprefix("LOADED "))
    return report["code"], set(report["modules"])


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_help_imports_nothing_heavy_nor_the_parser() -> None:
    code, modules = loaded_by("--help")
    assert code == 0
    assert heavy_in(modules) == []
    # the rules' own machinery is not needed to list the commands either
    assert not {"lark", "attr", "rich.console", "rich.progress", "tfrules.check"} & modules


def _commands() -> list[str]:
    from tfrules.cli.main import app

    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("command", _commands())
def test_each_commands_help_imports_nothing_heavy(command: str) -> None:
    code, modules = loaded_by(command, "--help")
    assert code == 0
    assert heavy_in(modules) == []


def test_check_of_a_council_file_needs_no_polars_nor_rich() -> None:
    code, modules = loaded_by("check", "rulesets/local/leeds_phase1.tfr")
    assert code == 0
    assert heavy_in(modules) == []
    assert "rich" not in modules


def test_check_with_errors_needs_no_polars(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tfr"
    broken.write_text(
        'ruleset local.broken "Broken"\n    extends national.phase1\n\n'
        'criterion odd "Odd" = nonsense_name and\n',
        encoding="utf-8",
    )
    code, modules = loaded_by("check", str(broken))
    assert code == 1
    assert heavy_in(modules) == []


def test_synth_help_names_the_default_councils() -> None:
    """`synth --la-codes` has no computed default (the councils' list lives
    beside numpy); its help names them, and must keep naming them all."""
    from typer.testing import CliRunner

    from tfrules.cli.main import app
    from tfrules.data.synth.areas import LA_NAMES

    shown = " ".join(
        CliRunner(env={"COLUMNS": "400"}).invoke(app, ["synth", "--help"]).output.split()
    )
    for name in LA_NAMES.values():
        assert name.split(" (")[0] in shown, name
