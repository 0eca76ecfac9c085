"""The two versions a diff compares: each a ruleset and its councils' local
rulesets.

Three ways to get them: two rulesets (names or files); one ruleset against
itself with what-ifs (`params`, applied to the new version only); or a rule
file against its own text at a git revision (`base_rev`), the case of a pull
request. For a revision, the rule file, the files its chain is read from,
and the include and local folders are written as they were at that revision
(`git show REV:path`, in the git repository of the current folder: the
checkout a pull request is tested in) into a temporary folder, and the base
is loaded from there, so that everything it extends or includes is read at
the revision.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import attrs

from tfrules import api
from tfrules.check.overrides import apply_overrides
from tfrules.check.workspace import source_path
from tfrules.diffing.errors import DiffError
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Schema

RulesetSource = str | Path | CheckedRuleset


@attrs.frozen
class Version:
    ruleset: CheckedRuleset
    local: tuple[CheckedRuleset, ...] = ()
    #: how the version is named in reports ("national.phase1 at main")
    label: str = ""

    @property
    def all(self) -> list[CheckedRuleset]:
        return [self.ruleset, *self.local]


@attrs.frozen
class Versions:
    base: Version
    new: Version


def load_versions(
    base: RulesetSource,
    new: RulesetSource | None = None,
    *,
    params: Sequence[str] = (),
    local: Sequence[str | Path] = (),
    include: Sequence[str | Path] = (),
    base_rev: str | None = None,
) -> Versions:
    """The base and new versions, checked, with their local rulesets; raises
    `api.RulesError` for rules with errors and DiffError for versions that do
    not read the same schema or a revision that cannot be read."""
    if base_rev is not None and new is not None:
        raise DiffError("give either a second ruleset or a base revision, not both")
    if base_rev is not None:
        new_rules = _load(base, include, params)
        # the base's files stand in for the ones read today: no warning about that
        with (
            _at_revision(new_rules, base_rev, include, local) as (path, folders, locals_),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore", api.RulesWarning)
            base_rules = api.load(path, include=folders)
            # the local rulesets build on the base as it was: the same file
            base_local = _locals(base_rules, locals_, [*folders, path.parent], ())
        label = f"{_label(base, new_rules)} at {base_rev}"
        versions = Versions(
            Version(base_rules, base_local, label),
            Version(
                new_rules,
                _locals(new_rules, local, include, params),
                _label(base, new_rules) + (f" with {', '.join(params)}" if params else ""),
            ),
        )
    else:
        if new is None and not params:
            raise DiffError(
                "nothing to compare: give a second ruleset, what-ifs (--param) or a base revision"
            )
        base_rules = _load(base, include, ())
        base_local = _locals(base_rules, local, include, ())
        what_ifs = f" with {', '.join(params)}" if params else ""
        if new is None:  # the same rules with what-ifs: checked once
            new_rules = apply_overrides(base_rules, list(params))
            new_local = tuple(apply_overrides(r, list(params)) for r in base_local)
        else:
            new_rules = _load(new, include, params)
            new_local = _locals(new_rules, local, include, params)
        versions = Versions(
            Version(base_rules, base_local, _label(base, base_rules)),
            Version(
                new_rules, new_local, _label(new if new is not None else base, new_rules) + what_ifs
            ),
        )
    same_schema(versions.base.ruleset, versions.new.ruleset)
    return versions


def _label(source: RulesetSource, ruleset: CheckedRuleset) -> str:
    """The ruleset's name, and the file it was given as (two versions of one
    ruleset are often two files declaring the same name)."""
    if isinstance(source, str | Path) and str(source) != ruleset.name:
        return f"{ruleset.name} ({source})"
    return ruleset.name


def _load(
    source: RulesetSource, include: Sequence[str | Path], params: Sequence[str]
) -> CheckedRuleset:
    if isinstance(source, CheckedRuleset):
        return apply_overrides(source, list(params)) if params else source
    if not isinstance(source, str | Path):
        raise TypeError(
            "a ruleset must be a name, a .tfr file or a loaded ruleset, "
            f"not {type(source).__name__}"
        )
    return api.load(source, include=include, params=params)


def _locals(
    national: CheckedRuleset,
    folders: Iterable[str | Path],
    include: Sequence[str | Path],
    params: Sequence[str],
) -> tuple[CheckedRuleset, ...]:
    folders = list(folders)
    if not folders:
        return ()
    return tuple(api.load_locals(national, folders, include=include, params=params))


def same_schema(base: CheckedRuleset, new: CheckedRuleset) -> None:
    """Raise DiffError unless both versions read the same tables and columns:
    only then are they evaluated on the same households."""
    difference = schema_difference(base.schema, new.schema)
    if difference is not None:
        raise DiffError(
            f"{base.name} and {new.name} do not read the same data ({difference}), so they "
            "cannot be compared on the same households"
        )


def schema_difference(base: Schema, new: Schema) -> str | None:
    """What differs between two schemas, in words (None: nothing)."""
    if base == new:
        return None
    if base.households.name != new.households.name or base.households.key != new.households.key:
        return (
            f"households are {base.households.name}.{base.households.key} in one and "
            f"{new.households.name}.{new.households.key} in the other"
        )
    before = {t.name: t for t in base.tables}
    after = {t.name: t for t in new.tables}
    for name in sorted(before.keys() ^ after.keys()):
        return f"the table {name} is in {'the base' if name in before else 'the new version'} only"
    for name, table in before.items():
        other = after[name]
        if table == other:
            continue
        columns = {c.name: c for c in table.columns}
        theirs = {c.name: c for c in other.columns}
        for column in sorted(columns.keys() ^ theirs.keys()):
            where = "the base" if column in columns else "the new version"
            return f"the column {name}.{column} is in {where} only"
        for column, info in columns.items():
            if info != theirs[column]:
                return f"the column {name}.{column} is declared differently"
        return f"the table {name} is declared differently"
    return f"the schemas {base.name} and {new.name} differ"


# ---------------------------------------------------------------- a git revision


@contextlib.contextmanager
def _at_revision(
    ruleset: CheckedRuleset,
    revision: str,
    include: Sequence[str | Path],
    local: Sequence[str | Path],
) -> Iterator[tuple[Path, list[Path], list[Path]]]:
    """The ruleset's file, include folders and local folders as they were at
    `revision` in the git repository of the current folder, in a temporary
    folder: (file, include folders, local folders). Files outside that
    repository are read as they are now."""
    path = source_path(ruleset.files[ruleset.name])
    top = _git_top(Path.cwd())
    chain = [source_path(f) for f in ruleset.files.values()]
    if not any(_is_within(f, top) for f in chain) and not any(
        _is_within(Path(f), top) for f in (*include, *local)
    ):
        raise DiffError(
            f"none of the rule files compared lies in the git repository {top}, so there is "
            f"nothing to read at {revision!r}: run the command inside the repository"
        )
    _check_revision(top, revision)
    folder = Path(tempfile.mkdtemp(prefix="tfrules-diff-"))
    try:
        folders: list[Path] = []
        for file in chain:
            if _is_within(file, top):
                _export(top, revision, file, folder, required=file == path)
                if file != path:
                    folders.append(folder / file.resolve().relative_to(top).parent)
        for each in include:
            folders.append(_export_folder(top, revision, Path(each), folder))
        locals_ = [_export_folder(top, revision, Path(each), folder) for each in local]
        target = folder / path.resolve().relative_to(top) if _is_within(path, top) else path
        yield target, list(dict.fromkeys(folders)), locals_
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_revision(top: Path, revision: str) -> None:
    done = _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode != 0:
        raise DiffError(f"there is no revision {revision!r} in the git repository {top}")


def _git(top: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(top), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("git is needed for --base-rev, and it was not found") from None


def _git_top(folder: Path) -> Path:
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise DiffError(
            "--base-rev reads the rule files from the git repository of the current folder, "
            f"and {folder} is not inside one"
        )
    return Path(done.stdout.decode().strip()).resolve()


def _is_within(path: Path, top: Path) -> bool:
    return path.resolve().is_relative_to(top)


def _export(top: Path, revision: str, file: Path, into: Path, *, required: bool) -> None:
    relative = file.resolve().relative_to(top).as_posix()
    done = _git(top, "show", f"{revision}:{relative}")
    if done.returncode != 0:
        if not required:
            return
        reason = done.stderr.decode().strip().splitlines()
        detail = f" ({reason[-1]})" if reason else ""
        raise DiffError(f"cannot read {relative} at revision {revision!r}{detail}")
    target = into / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(done.stdout)


def _export_folder(top: Path, revision: str, folder: Path, into: Path) -> Path:
    """Every rule file of `folder` as it was at `revision` (a folder outside
    the repository is read as it is now)."""
    if not _is_within(folder, top):
        return folder
    relative = folder.resolve().relative_to(top).as_posix()
    listed = _git(top, "ls-tree", "-r", "--name-only", revision, "--", relative)
    if listed.returncode != 0:
        raise DiffError(f"cannot list {relative} at revision {revision!r}")
    for name in listed.stdout.decode().splitlines():
        if name.endswith(".tfr"):
            _export(top, revision, top / name, into, required=True)
    target = into / relative
    target.mkdir(parents=True, exist_ok=True)
    return target
