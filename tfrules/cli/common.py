"""What every command shares: the Typer app the commands register on, the
exit codes, and the steps that end a command with a plain message when they
fail (loading rules, parsing a date, loading data, checking an output)."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from tfrules.cli.interrupts import in_worker
from tfrules.cli.output import DiagnosticFormat, console, print_diagnostics
from tfrules.data.file_names import MAPPING_NAME

# Only Typer is imported when the command line starts: `tfrules --help` and
# `tfrules check` must not wait for Polars, so each helper imports what it
# uses when it is called.
if TYPE_CHECKING:
    from tfrules.audit.manifest import RunArguments
    from tfrules.data.errors import DataError
    from tfrules.data.load import Dataset
    from tfrules.model.mapping import CheckedMapping
    from tfrules.model.ruleset import CheckedRuleset

T = TypeVar("T")

HELP = """\
Rules for the Troubled Families programme, written in the tfrules language.

Write national and local criteria in .tfr files, check them, test them, and
run them over household data.

Exit codes: 0 success (warnings allowed); 1 errors found in the rules, the
data or the tests; 2 a usage problem, a file that cannot be read or an output
that cannot be written; 3 an internal error in tfrules itself (please report
it). Interrupted: 130 (Ctrl-C) or 143 (SIGTERM), with nothing written.
"""

app = typer.Typer(
    name="tfrules",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

RULESET_HELP = "A ruleset name (national.phase1, local.leeds.phase1) or a .tfr file."
DATA_HELP = "A folder with one Parquet or CSV file per table (households.parquet, ...)."
INCLUDE_HELP = "Folders of rule files to look in too (the shipped rulesets always are)."
PARAM_HELP = "A what-if value for a parameter, name=value (e.g. absence_threshold=10%); repeatable."
AS_OF_HELP = "The reference date, YYYY-MM-DD."
MAPPING_HELP = (
    "A mapping file (.tfr) saying how the data folder's own files, headings and values map "
    f"onto the canonical tables. Without it, the folder's own {MAPPING_NAME} is used if it "
    "has one."
)
DATABASE_HELP = (
    "The address of a database the mapping reads, NAME=ADDRESS (such as "
    "housing=postgresql://user:password@host/db); repeatable. Or set TFRULES_DATABASE_NAME. "
    "Addresses are never printed, nor written into an audit bundle."
)
AUDIT_BUNDLE_HELP = (
    "A folder to write an audit bundle into: a manifest with the SHA-256 of every rule file, "
    "input and output, the what-ifs, the versions and the command line; "
    "check it later with 'tfrules verify DIR'."
)


_running = {"command": "tfrules"}


def warn_outside_period(ruleset: CheckedRuleset, day: dt.date) -> None:
    """Say plainly, even with --quiet, when the run date lies outside the
    period the ruleset's programme ran in."""
    from rich.text import Text

    from tfrules.report.run_dates import period_warning

    warning = period_warning(ruleset, day)
    if warning is not None:
        console(stderr=True).print(Text(f"Warning: {warning}", style="bold yellow"))


def set_command(name: str | None) -> None:
    """Note which command runs (the app's callback does), for messages."""
    _running["command"] = f"tfrules {name}" if name else "tfrules"


def command_name() -> str:
    """`tfrules eval`, `tfrules report`, ...: who is speaking."""
    return _running["command"]


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """End the command with a plain message on stderr."""
    typer.echo(f"{command_name()}: {message}", err=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def plain_failures() -> Iterator[None]:
    """Ordinary conditions met while running end the command with exit 2 and
    their message: an output that cannot be written, a data file that cannot
    be read, local rulesets that cannot run together."""
    from tfrules.run.atomic import OutputError
    from tfrules.run.councils import CouncilError
    from tfrules.run.inputs import InputError
    from tfrules.run.spark.errors import SparkRunError

    try:
        yield
    except (OutputError, InputError, CouncilError, SparkRunError) as exc:
        fail(str(exc))


def _print_warnings(caught: Sequence[warnings.WarningMessage]) -> None:
    from tfrules import api
    from tfrules import diagnostics as diag

    for item in caught:
        if isinstance(item.message, api.RulesWarning):
            text = diag.render_text(item.message.diagnostic, item.message.sources)
            typer.echo(text, err=True)
        else:
            warnings.showwarning(
                item.message, item.category, item.filename, item.lineno, sys.stderr
            )


def _loaded(load: Callable[[], T]) -> T:
    """Rules loaded by `load()`: exit 1 with the diagnostics for mistakes in
    them, 2 for a path or value that cannot be used; warnings on stderr."""
    from tfrules import api
    from tfrules.check.overrides import OverrideError
    from tfrules.check.workspace import PathError
    from tfrules.run.councils import CouncilError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", api.RulesWarning)
        try:
            found = load()
        except api.RulesError as exc:
            print_diagnostics(exc.diagnostics, exc.sources, DiagnosticFormat.TEXT)
            raise typer.Exit(EXIT_ERRORS) from None
        except (PathError, OverrideError, CouncilError) as exc:
            fail(str(exc))
    _print_warnings(caught)
    return found


def loaded_rules(load: Callable[[], T]) -> T:
    """Rules loaded by `load()` as every command loads them: exit 1 with the
    diagnostics for mistakes, 2 for a path or value that cannot be used."""
    return _loaded(load)


def load_rules(ruleset: str, include: Sequence[Path], params: Sequence[str]) -> CheckedRuleset:
    """The checked ruleset, or the command ends (1: diagnostics; 2: a bad path)."""
    from tfrules import api

    return _loaded(lambda: api.load(ruleset, include=include, params=params))


def load_local_rules(
    national: CheckedRuleset,
    folders: Sequence[Path],
    include: Sequence[Path],
    params: Sequence[str],
) -> list[CheckedRuleset]:
    """The local rulesets in `folders` that build on `national`."""
    from tfrules import api

    return _loaded(lambda: api.load_locals(national, folders, include=include, params=params))


def parse_date(text: str, option: str = "--as-of") -> dt.date:
    """The date of an option, YYYY-MM-DD and supported, or exit 2."""
    from tfrules.run import arguments

    try:
        return arguments.parse_as_of(text)
    except ValueError as exc:
        fail(f"{option} {exc}")


def split_rules(ruleset: CheckedRuleset, rules: str | None) -> list[str]:
    """The rules of `--rules a,b` (all household rules without it), or exit 2."""
    from tfrules import diagnostics as diag

    if not rules:
        return ruleset.output_rules
    wanted = [r.strip() for r in rules.split(",") if r.strip()]
    unknown = [r for r in wanted if r not in ruleset.output_rules]
    if unknown:
        hint = diag.did_you_mean(unknown[0], ruleset.output_rules)
        fail(f"no household rule {unknown[0]!r} in {ruleset.name}" + (f"; {hint}" if hint else ""))
    return wanted


def require_data_folder(data: Path, schema_tables: Sequence[str]) -> None:
    """A data folder that exists and whose table files can be read, or exit 2."""
    from tfrules.run.inputs import check_readable

    if not data.is_dir():
        fail(f"--data {data} is not a folder of data files")
    with plain_failures():
        check_readable(data, schema_tables)


def load_data_mapping(
    rulesets: CheckedRuleset | Sequence[CheckedRuleset] | None, data: Path, mapping: Path | None
) -> CheckedMapping | None:
    """The mapping given (`--mapping`), or the one beside the data, checked
    against the rules' schema (if rules are given); None without either. Exit 1 with its
    problems, 2 if the file cannot be read."""
    from rich.text import Text

    from tfrules import api

    path = mapping or api.mapping_beside(data)
    if path is None:
        return None
    checked = _loaded(lambda: api.mapping_for(rulesets, data, path))
    if mapping is None:
        note = f"reading {data} through its mapping {path}"
        console(stderr=True).print(Text(note, style="dim"))
    return checked


def database_addresses(values: Sequence[str], mapping: CheckedMapping | None) -> dict[str, str]:
    """`--database NAME=ADDRESS` options as a dictionary; exit 2 on a bad one,
    or when the mapping reads a database whose address is given neither here
    nor in the environment."""
    from tfrules.data.database import env_name, unaddressed

    found: dict[str, str] = {}
    for value in values:
        name, sep, address = value.partition("=")
        if not sep or not name.strip() or not address.strip():
            fail("--database takes NAME=ADDRESS, such as housing=postgresql://user@host/db")
        found[name.strip()] = address.strip()
    for name in unaddressed(mapping, found):
        fail(
            f"the mapping reads the database '{name}', but no address is given for it: "
            f"run with --database {name}=ADDRESS, or set the environment variable {env_name(name)}"
        )
    return found


def load_checked_data(
    rulesets: CheckedRuleset | list[CheckedRuleset],
    data: Path,
    *,
    ledger: bool = False,
    mapping: Path | None = None,
    databases: Sequence[str] = (),
) -> Dataset:
    """The data, loaded and validated (in a worker: it may take a while), or
    exit 2 for files that cannot be read and 1 for data that breaks the
    contract. With `ledger`, the claims table is loaded whole (its `claim`
    column too, which no rule reads). A council's own extract is read through
    `mapping` (or the folder's own mapping file) and the `databases` it names.
    Files that feed no table and tables not supplied are warned about."""
    from tfrules import api
    from tfrules.claims.claim_return import load_claims_data
    from tfrules.cli.data_notes import warn_about_data
    from tfrules.data.errors import DataError
    from tfrules.model.ruleset import CheckedRuleset

    first = rulesets if isinstance(rulesets, CheckedRuleset) else rulesets[0]
    require_data_folder(data, [t.name for t in first.schema.tables])
    every = [rulesets] if isinstance(rulesets, CheckedRuleset) else rulesets
    checked = load_data_mapping(every, data, mapping)
    addresses = database_addresses(databases, checked)
    try:
        if ledger:
            dataset = in_worker(
                lambda: load_claims_data(every, data, mapping=checked, connections=addresses)
            )
        else:
            dataset = in_worker(
                lambda: api.load_data(every, data, mapping=checked, connections=addresses)
            )
    except DataError as exc:
        exit_bad_data(exc)
    warn_about_data(dataset, every)
    return dataset


def exit_bad_data(exc: DataError) -> NoReturn:
    """Every problem of data that breaks the contract, then exit 1."""
    typer.echo(
        f"The data cannot be used ({len(exc.problems)} problem(s)); nothing was written:",
        err=True,
    )
    typer.echo(str(exc), err=True)
    raise typer.Exit(EXIT_ERRORS) from None


def files_read(dataset: Dataset) -> list[Path]:
    """Every file a loaded data set was read from, and the mapping it was read
    through: none of them may be an output of the same run."""
    from tfrules.audit.manifest import input_files, mapping_files

    return [*input_files(dataset).values(), *mapping_files(dataset).values()]


def data_arguments(data: Path, mapping: Path | None) -> list[tuple[str, str | None]]:
    """How an audit bundle records where a run's data came from: the folder
    and the mapping given (database addresses never: a re-run takes them from
    the TFRULES_DATABASE_<NAME> environment variables)."""
    found: list[tuple[str, str | None]] = [("--data", str(data.resolve()))]
    if mapping is not None:
        found.append(("--mapping", str(mapping.resolve())))
    return found


def record_run(
    bundle: Path,
    arguments: RunArguments,
    out: Path,
    rulesets: Sequence[CheckedRuleset],
    dataset: Dataset,
    *,
    params: Sequence[str] = (),
    include: Sequence[Path] = (),
) -> None:
    """Write the audit bundle of a finished run (`--audit-bundle`), or exit 2."""
    from tfrules.audit.manifest import build_manifest, write_manifest

    manifest = build_manifest(arguments, out, rulesets, dataset, params=params, include=include)
    try:
        write_manifest(bundle, manifest)
    except OSError as exc:
        fail(f"cannot write the audit bundle into {bundle}: {exc.strerror or exc}")
