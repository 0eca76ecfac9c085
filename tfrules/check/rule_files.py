"""Finding the rule files under a folder without wandering off.

A folder is walked without following links out of it: a `.tfr` link whose
file lies outside the folder is reported (E004) and never read, and a file
whose real name does not end in `.tfr` is not a rule file and is never read
either (E005), so that no line of another file (a password file, a `.env`)
can appear in a diagnostic. Linked folders are not entered. Folders that
cannot be listed are reported (E003) rather than crashing the walk, and a
folder that is plainly not a folder of rules (the root of the file system,
`/proc`, or thousands of entries with no rule file among them) is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tfrules import diagnostics as diag
from tfrules.syntax import ast

RULE_SUFFIX = ".tfr"

#: A folder with this many entries and no rule file yet is not a folder of rules.
ENTRIES_WITHOUT_RULES = 10_000
#: No folder of rules is this large.
MOST_ENTRIES = 200_000
#: Folders of the operating system, never folders of rules.
SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))


class PathError(Exception):
    """A path given on the command line that does not exist or holds no rule files."""


def _at(display: str) -> ast.Span:
    return ast.Span(display, 1, 1, 1, 1)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_system_folder(folder: Path, given: str) -> None:
    real = Path(os.path.realpath(folder))
    if real == real.parent:
        raise PathError(f"{given}: the root of the file system is not a folder of rule files")
    for system in SYSTEM_FOLDERS:
        if _inside(real, system):
            raise PathError(f"{given}: {system} is a folder of the system, not of rule files")


def not_a_rule_file(path: Path, display: str) -> diag.Diagnostic | None:
    """E005 when the file a path leads to (after links) is not named `.tfr`."""
    real = Path(os.path.realpath(path))
    if real.suffix == RULE_SUFFIX:
        return None
    return diag.error(
        "E005",
        "this is not a rule file (its real name does not end in .tfr), so it is not read",
        _at(display),
        f"it leads to a file named {real.name}; give the .tfr file itself",
    )


def rule_files_in(
    folder: Path, given: str, display: Callable[[Path], str]
) -> tuple[list[Path], list[diag.Diagnostic]]:
    """The `.tfr` files under `folder` (sorted), and diagnostics for entries
    that are not read; raises PathError for a folder that is not one of rules.

    `display(path)` is how a path is named in diagnostics."""
    refuse_system_folder(folder, given)
    root = Path(os.path.realpath(folder))
    found: list[Path] = []
    problems: list[diag.Diagnostic] = []
    unlisted: list[OSError] = []
    entries = 0
    for parent, folders, files in os.walk(folder, onerror=unlisted.append):
        entries += len(folders) + len(files)
        if not found and entries > ENTRIES_WITHOUT_RULES:
            raise PathError(
                f"{given}: this does not look like a folder of rule files "
                f"(over {ENTRIES_WITHOUT_RULES:,} entries, none of them a {RULE_SUFFIX} file)"
            )
        if entries > MOST_ENTRIES:
            raise PathError(
                f"{given}: over {MOST_ENTRIES:,} entries; give the folder that holds your rules"
            )
        folders.sort()
        for name in [*folders, *files]:
            if name.endswith(RULE_SUFFIX):
                found.append(Path(parent) / name)
    for error in unlisted:
        where = Path(error.filename or folder)
        if where == folder:
            raise PathError(f"{given}: cannot read this folder ({error.strerror or error})")
        problems.append(
            diag.error(
                "E003",
                f"cannot read the folder: {error.strerror or error}",
                _at(display(where)),
                "its rule files, if any, were not checked",
            )
        )
    kept: list[Path] = []
    for path in sorted(found):
        if path.is_symlink():
            real = Path(os.path.realpath(path))
            if not _inside(real, root):
                problems.append(
                    diag.error(
                        "E004",
                        f"a link to a file outside the folder {given} ({real}); it is not read",
                        _at(display(path)),
                        "copy the rule file into the folder instead of linking to it",
                    )
                )
                continue
        refused = not_a_rule_file(path, display(path))
        if refused is not None:
            problems.append(refused)
            continue
        kept.append(path)
    return kept, problems
