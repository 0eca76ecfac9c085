"""The command line is thin and without cycles: each command module imports
the shared helpers of `tfrules.cli.common`, never another command nor
`tfrules.cli.main`, which imports them all."""

from __future__ import annotations

import ast
from pathlib import Path

import tfrules.cli

CLI = Path(tfrules.cli.__file__).parent
COMMANDS = sorted(CLI.glob("*_cmd.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_there_are_command_modules() -> None:
    assert {p.stem for p in COMMANDS} >= {"check_cmd", "eval_cmd", "fmt_cmd", "report_cmd"}


def test_no_command_module_imports_another_or_main() -> None:
    for path in COMMANDS:
        cli_imports = {m for m in _imports(path) if m.startswith("tfrules.cli.")}
        others = {m for m in cli_imports if m.endswith("_cmd") or m == "tfrules.cli.main"}
        assert others == set(), f"{path.name} imports {sorted(others)}"


def test_main_registers_every_command() -> None:
    imported = _imports(CLI / "main.py")
    for path in COMMANDS:
        assert f"tfrules.cli.{path.stem}" in imported, path.stem


def test_the_console_entry_imports_nothing_heavy_before_handling_signals() -> None:
    top_level = ast.parse((CLI / "entry.py").read_text(encoding="utf-8")).body
    modules = {
        node.module
        for node in top_level
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
    }
    assert modules == {"tfrules.cli"}
    interrupts = _imports(CLI / "interrupts.py")
    assert not {"polars", "typer", "rich", "tfrules.api"} & interrupts
