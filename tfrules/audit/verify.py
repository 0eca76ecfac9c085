"""`tfrules verify`: run again what an audit bundle records and confirm the same
outputs; when something differs, say what: a changed or missing input file, a
changed rule file, another version of tfrules, Python or Polars, an output
that is not the same."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import attrs

from tfrules.audit.manifest import output_digests, read_manifest, versions
from tfrules.audit.rule_files import file_digest

#: Runs the `tfrules` command line in a fresh process.
_RUN = "import sys; from tfrules.cli.entry import run; sys.argv[0] = 'tfrules'; run()"


class BundleError(Exception):
    """Not an audit bundle (no manifest, or one that cannot be read)."""


@attrs.frozen
class Verification:
    command_line: str
    differences: tuple[str, ...]
    outputs_checked: int

    @property
    def same(self) -> bool:
        return not self.differences


def _files(kind: str, recorded: Mapping[str, Mapping[str, str]]) -> list[str]:
    found: list[str] = []
    for name, entry in recorded.items():
        path = Path(entry["path"])
        if not path.is_file():
            found.append(f"{kind} {name} is missing: {path}")
        elif file_digest(path) != entry["sha256"]:
            found.append(f"{kind} {name} has changed: {path}")
    return found


def _versions(recorded: Mapping[str, str]) -> list[str]:
    now = versions()
    return [
        f"{what} is version {now.get(what)} now; the run used {then}"
        for what, then in recorded.items()
        if now.get(what) != then
    ]


def _rerun(manifest: Mapping, into: Path) -> tuple[int, str]:
    arguments = manifest["arguments"]
    out = Path(arguments["out"])
    target = into / out.name
    argv = [manifest["command"], *arguments["positional"]]
    for flag, value in arguments["options"]:
        argv += [flag] if value is None else [flag, value]
    others = into / "other files"
    others.mkdir()
    for flag, file in arguments.get("files", []):
        argv += [flag, str(others / Path(file).name)]
    argv += [arguments["out_flag"], str(target)]
    folder = manifest.get("working_directory")
    cwd = folder if folder and Path(folder).is_dir() else None
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stderr.strip() or done.stdout.strip()


def _outputs(recorded: Mapping[str, str], produced: Mapping[str, str]) -> list[str]:
    found = [
        f"output {name} is not the same"
        for name, digest in recorded.items()
        if name in produced and produced[name] != digest
    ]
    found += [f"output {name} was not produced again" for name in recorded if name not in produced]
    found += [f"output {name} is new" for name in produced if name not in recorded]
    return found


def verify(bundle: Path) -> Verification:
    """Check the recorded files and versions, run again, and compare the outputs."""
    try:
        manifest = read_manifest(bundle)
        command_line = str(manifest["command_line"])
    except (OSError, ValueError, KeyError) as exc:
        raise BundleError(f"{bundle} is not an audit bundle ({exc})") from None
    differences: list[str] = []
    differences += _versions(manifest.get("versions", {}))
    differences += _files("rule file", manifest.get("rule_files", {}))
    differences += _files("input file", manifest.get("inputs", {}))
    recorded = manifest.get("outputs", {})
    with tempfile.TemporaryDirectory(prefix="tfrules-verify-") as scratch:
        code, said = _rerun(manifest, Path(scratch))
        if code != 0:
            last = said.splitlines()[-3:] if said else []
            differences.append(
                f"the run could not be repeated (exit code {code})"
                + (": " + " / ".join(last) if last else "")
            )
            return Verification(command_line, tuple(differences), 0)
        out = Path(scratch) / Path(manifest["arguments"]["out"]).name
        others = sorted((Path(scratch) / "other files").iterdir())
        produced = output_digests(out, others)
    differences += _outputs(recorded, produced)
    return Verification(command_line, tuple(differences), len(recorded))
