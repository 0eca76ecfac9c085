"""An audit bundle's manifest: everything a run read and wrote, with SHA-256
hashes, and how to run it again.

`manifest.json` records the command and its arguments (paths made absolute),
the command line as typed, every rule file of every ruleset used (national,
local, the schema, and the mapping the data was read through), the parameter
what-ifs, every data file read (each file a mapping stacked into a table), the
database tables and queries a mapping read (by name: an address is never
recorded), every output written, the versions of tfrules, Python and Polars,
and when it ran.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs
import polars as pl

from tfrules import __version__
from tfrules.audit.rule_files import file_digest, rule_files
from tfrules.check.workspace import source_path
from tfrules.data.load import Dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.atomic import write_text

MANIFEST = "manifest.json"
FORMAT = 1


@attrs.frozen
class RunArguments:
    """A command and its arguments, enough to run it again: `positional` values,
    then `options` as (flag, value) pairs; the output is given apart."""

    command: str
    positional: tuple[str, ...]
    options: tuple[tuple[str, str | None], ...]  # a flag alone has the value None
    out_flag: str = "--out"
    #: other outputs, as (flag, file): on a re-run each goes beside the output
    files: tuple[tuple[str, str], ...] = ()

    def argv(self, out: Path, files_into: Path | None = None) -> list[str]:
        args = [self.command, *self.positional]
        for flag, value in self.options:
            args += [flag] if value is None else [flag, value]
        for flag, file in self.files:
            args += [flag, str(files_into / Path(file).name) if files_into else file]
        return [*args, self.out_flag, str(out)]

    def command_line(self, out: Path) -> str:
        return shlex.join(["tfrules", *self.argv(out)])


def versions() -> dict[str, str]:
    return {"tfrules": __version__, "python": platform.python_version(), "polars": pl.__version__}


#: The name under which other outputs (--html FILE) are listed.
OTHER = "other files/"


def output_digests(out: Path, files: Iterable[Path] = ()) -> dict[str, str]:
    """Every file of an output (a folder, or one file), by its path relative to
    it, and the other files written, under `other files/`."""
    listed = [f for f in files if f.is_file()]
    others = {OTHER + f.name: file_digest(f) for f in listed}
    if out.is_file():
        return {out.name: file_digest(out), **others}
    apart = {f.resolve() for f in listed}
    return others | {
        path.relative_to(out).as_posix(): file_digest(path)
        for path in sorted(out.rglob("*"))
        if path.is_file()
        and path.resolve() not in apart
        and not any(part.startswith(".") for part in path.relative_to(out).parts)
    }


def input_files(dataset: Dataset) -> dict[str, Path]:
    """Table -> the file it was read from (tables not supplied are left out);
    a table read through a mapping has an entry per file, `table (file)`."""
    found: dict[str, Path] = {}
    for name, table_input in dataset.inputs.items():
        path = getattr(table_input, "path", None)
        if path:
            found[name] = Path(path)
        for place in table_input.places:
            if place.file:
                found[f"{name} ({place.name})"] = Path(place.file)
    return found


def mapping_files(dataset: Dataset) -> dict[str, Path]:
    """The mapping file a run read its data through, as a rule file of the run."""
    mapping = dataset.mapping
    if mapping is None or not mapping.file:
        return {}
    path = source_path(mapping.file)
    return {f"mapping {mapping.name}": path} if path.is_file() else {}


def database_sources(dataset: Dataset) -> list[dict[str, str | None]]:
    """The database tables and queries a mapping read (by the names the mapping
    gives them: never an address), with who supplied each and when."""
    return [
        {
            "table": name,
            "source": place.name,
            "supplied_by": place.supplied_by,
            "extracted": place.extracted.isoformat() if place.extracted else None,
        }
        for name, table_input in dataset.inputs.items()
        for place in table_input.places
        if place.file is None
    ]


def build_manifest(
    arguments: RunArguments,
    out: Path,
    rulesets: Sequence[CheckedRuleset],
    dataset: Dataset,
    *,
    params: Iterable[str] = (),
    include: Iterable[Path] = (),
) -> dict[str, object]:
    rules: dict[str, dict[str, str]] = {}
    for ruleset in rulesets:
        for name, path in rule_files(ruleset, include).items():
            rules[name] = {"path": str(path.resolve()), "sha256": file_digest(path)}
    for name, path in mapping_files(dataset).items():
        rules[name] = {"path": str(path.resolve()), "sha256": file_digest(path)}
    inputs = {
        table: {"path": str(path.resolve()), "sha256": file_digest(path)}
        for table, path in sorted(input_files(dataset).items())
    }
    return {
        "format": FORMAT,
        "command": arguments.command,
        "arguments": {
            "positional": list(arguments.positional),
            "options": [list(pair) for pair in arguments.options],
            "out_flag": arguments.out_flag,
            "out": str(out.resolve()),
            "files": [list(pair) for pair in arguments.files],
        },
        "command_line": arguments.command_line(out),
        "working_directory": os.getcwd(),
        "parameters": list(params),
        "rule_files": rules,
        "missing_tables": sorted(dataset.missing_tables),
        "inputs": inputs,
        "database_sources": database_sources(dataset),
        "outputs": output_digests(out, [Path(f) for _, f in arguments.files]),
        "versions": versions(),
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_manifest(bundle: Path, manifest: Mapping[str, object]) -> Path:
    """Write `manifest.json` into the bundle folder (atomically)."""
    return write_text(bundle / MANIFEST, json.dumps(manifest, indent=2) + "\n")


def read_manifest(bundle: Path) -> dict[str, object]:
    path = bundle / MANIFEST if bundle.is_dir() else bundle
    return json.loads(path.read_text(encoding="utf-8"))
