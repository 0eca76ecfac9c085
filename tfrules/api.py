"""The Python API, for notebooks and scripts: load, check, compile, evaluate, explain.

    import tfrules
    rules = tfrules.load("local.leeds.phase1")                      # or a path to a .tfr file
    data = tfrules.load_data(rules, "data/")                 # validated before use
    result = tfrules.evaluate(rules, data, as_of="2013-01-15")   # a Polars DataFrame

    # a council's own extract, read through a mapping (data/mapping.tfr is found by itself)
    data = tfrules.load_data(rules, "extract/", mapping="anytown.tfr")

Every function raises `RulesError` (with the diagnostics) for mistakes in the
rules and `DataError` (naming table, column and key) for bad data; arguments
of the wrong kind are a TypeError or ValueError naming the argument. Dates
are a `datetime.date` or a string `YYYY-MM-DD`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from tfrules import diagnostics as diag
from tfrules.check import CheckReport, check_paths
from tfrules.check.mapping import check_mapping_source
from tfrules.check.overrides import apply_overrides
from tfrules.check.ruleset import check_ruleset
from tfrules.check.usage import required_columns
from tfrules.check.workspace import RULE_SUFFIX, PathError, Workspace
from tfrules.compile.plan import build_plan
from tfrules.data.errors import DataError
from tfrules.data.inventory import MAPPING_NAME
from tfrules.data.load import Dataset, load_dataset
from tfrules.data.validate import validate
from tfrules.diffing.errors import DiffError
from tfrules.interpret.explain import Explanation, explain_household
from tfrules.interpret.household import HouseholdData, households_from_frames
from tfrules.model.mapping import CheckedMapping
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run import arguments as args
from tfrules.run import runner
from tfrules.run.atomic import OutputError
from tfrules.run.councils import CouncilError
from tfrules.run.engines import Job, engine_named
from tfrules.run.local_rules import find_locals
from tfrules.run.runner import RunResult
from tfrules.syntax import ast

if TYPE_CHECKING:
    from tfrules.diffing.result import DiffResult

DataSource = str | Path | Mapping[str, pl.DataFrame | pl.LazyFrame] | Dataset
MappingSource = str | Path | CheckedMapping
MappingSource = str | Path | CheckedMapping


class RulesError(Exception):
    """The rules have errors; `diagnostics` says where and what."""

    def __init__(self, diagnostics: Iterable[diag.Diagnostic], sources: diag.SourceCache) -> None:
        self.diagnostics = tuple(diagnostics)
        self.sources = sources
        super().__init__(self.render())

    def render(self) -> str:
        errors = [d for d in self.diagnostics if d.is_error]
        return "\n".join(diag.render_text(d, self.sources) for d in errors)


class RulesWarning(UserWarning):
    """Something about the rule files a user should know, though the rules
    can be used (a file of theirs replacing a shipped ruleset)."""

    def __init__(self, diagnostic: diag.Diagnostic, sources: diag.SourceCache) -> None:
        self.diagnostic = diagnostic
        self.sources = sources
        super().__init__(diag.render_text(diagnostic, sources))


def _warn(found: Iterable[diag.Diagnostic], sources: diag.SourceCache) -> None:
    for item in found:
        if not item.is_error:
            warnings.warn(RulesWarning(item, sources), stacklevel=3)


def check(paths: Iterable[str | Path]) -> CheckReport:
    """Check rule files (and folders of them); see `CheckReport.diagnostics`."""
    return check_paths(paths)


def load(
    ruleset: str | Path,
    *,
    include: Iterable[str | Path] = (),
    params: Iterable[str] = (),
    workspace: Workspace | None = None,
) -> CheckedRuleset:
    """A checked ruleset, by name (`national.phase1`, `local.leeds.phase1`) or by file.

    `include` adds folders of rule files to look in (the shipped rulesets are
    always available); `params` are what-if values, `name=value`. A file of
    yours that replaces a shipped ruleset is used, with a `RulesWarning`.
    """
    workspace = workspace or Workspace()
    name = str(ruleset)
    workspace.add_paths(list(include))
    path = Path(ruleset)
    if path.suffix == RULE_SUFFIX or path.is_file():
        added = workspace.add_paths([path])
        tree = added[0].ast if added else None
        if not isinstance(tree, ast.RulesetFile):
            problems = [d for d in workspace.diagnostics if d.is_error] or [
                diag.error("E103", "this file is not a ruleset", ast.Span(str(path), 1, 1, 1, 1))
            ]
            raise RulesError(problems, workspace.sources)
        name = tree.name
    result = check_ruleset(workspace, name)
    problems = [*workspace.diagnostics, *result.diagnostics]
    if result.ruleset is None or any(p.is_error for p in problems):
        raise RulesError(problems, workspace.sources)
    _warn(workspace.diagnostics, workspace.sources)
    return apply_overrides(result.ruleset, list(params))


def load_locals(
    national: CheckedRuleset,
    folders: Iterable[str | Path],
    *,
    include: Iterable[str | Path] = (),
    params: Iterable[str] = (),
) -> list[CheckedRuleset]:
    """Every local ruleset in `folders` that builds on `national` (each
    checked), for `evaluate(..., local=...)` and `write_results`.

    Give `include` as when `national` was loaded. A folder that declares the
    national ruleset or a shipped ruleset with other content is refused
    (a ValueError, `CouncilError`)."""
    national = args.loaded_ruleset(national, "national")
    if isinstance(folders, str | Path):
        folders = [folders]
    found = find_locals(national, folders, include=include, params=params)
    if found.errors:
        raise RulesError(found.diagnostics, found.sources)
    _warn(found.diagnostics, found.sources)
    return list(found.rulesets)


def as_date(value: str | dt.date) -> dt.date:
    """A run date: a `datetime.date`, or a string `YYYY-MM-DD` (TypeError or
    ValueError otherwise, as for every `as_of` of this API)."""
    return args.as_of_date(value)


def load_mapping(path: str | Path, *, workspace: Workspace | None = None) -> CheckedMapping:
    """A checked mapping file (raises RulesError with its problems, PathError if
    missing or a folder)."""
    workspace = workspace or Workspace()
    if Path(path).is_dir():
        raise PathError(f"{path} is a folder; give the mapping file itself")
    added = workspace.add_paths([path])
    if not added:  # not a rule file: the workspace says why
        raise RulesError(workspace.diagnostics, workspace.sources)
    source = added[0]
    tree = source.ast
    if not isinstance(tree, ast.MappingFile):
        problems = source.parsed.diagnostics or (
            diag.error(
                "E103",
                "this file is not a mapping",
                ast.Span(source.display, 1, 1, 1, 1),
                "a mapping file starts with 'mapping NAME'",
            ),
        )
        raise RulesError(problems, workspace.sources)
    mapping, problems = check_mapping_source(workspace, source)
    if mapping is None or any(p.is_error for p in problems):
        raise RulesError([*workspace.diagnostics, *problems], workspace.sources)
    return mapping


def mapping_beside(folder: str | Path) -> Path | None:
    """The mapping that sits in a data folder by convention (`mapping.tfr`), if any."""
    path = Path(folder) / MAPPING_NAME
    return path if path.is_file() else None


def mapping_for(
    ruleset: CheckedRuleset | Sequence[CheckedRuleset] | None,
    source: DataSource,
    mapping: MappingSource | None = None,
) -> CheckedMapping | None:
    """The mapping a run reads `source` through: `mapping` (a file, or one
    already loaded), or else a data folder's own `mapping.tfr`, or None.
    Raises RulesError for a mapping with errors, or one that maps onto
    another schema than the ruleset's (not checked with no ruleset)."""
    if mapping is None and isinstance(source, str | Path):
        mapping = mapping_beside(source)
    checked = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    if isinstance(ruleset, Sequence) and not isinstance(ruleset, str):
        ruleset = ruleset[0] if ruleset else None
    if checked is None or ruleset is None:
        return checked
    first = args.loaded_ruleset(ruleset)
    schema = first.schema
    if checked.schema.name != schema.name:
        span = ast.Span(checked.file or "<mapping>", 1, 1, 1, 1)
        message = (
            f"the mapping {checked.name} maps onto the schema '{checked.schema.name}', but "
            f"{first.name} reads the schema '{schema.name}'"
        )
        raise RulesError([diag.error("E407", message, span)], diag.SourceCache())
    return checked


def load_data(
    ruleset: CheckedRuleset | Sequence[CheckedRuleset],
    source: DataSource,
    *,
    mapping: MappingSource | None = None,
    connections: Mapping[str, str] | None = None,
) -> Dataset:
    """Load and validate the tables the ruleset (or rulesets) read; raises
    DataError before anything is evaluated.

    `mapping` (a mapping file, or one already loaded) says how a council's own
    extract maps onto the schema; without it, a folder's own `mapping.tfr` is
    used if it has one. `connections` gives each database the mapping names
    its address (`{"housing": "postgresql://..."}`), beside those given in
    `TFRULES_DATABASE_<NAME>` environment variables.
    """
    source = args.data_source(source)
    if isinstance(source, Dataset):
        return source
    if isinstance(ruleset, CheckedRuleset):
        rulesets = [ruleset]
    elif isinstance(ruleset, Sequence) and not isinstance(ruleset, str):
        rulesets = [args.loaded_ruleset(r) for r in ruleset]
    else:
        rulesets = [args.loaded_ruleset(ruleset)]
    required: dict[str, set[str]] = {}
    for each in rulesets:
        for table, columns in required_columns(each).items():
            required.setdefault(table, set()).update(columns)
    checked = mapping_for(rulesets, source, mapping)
    dataset = load_dataset(
        source,  # type: ignore[arg-type]
        rulesets[0].schema,
        required,
        mapping=checked,
        connections=connections,
    )
    validate(dataset)
    return dataset


def compile_plan(
    ruleset: CheckedRuleset,
    data: Dataset,
    as_of: str | dt.date,
    *,
    rules: Iterable[str] | None = None,
    fixed: Mapping[str, object] | None = None,
    reasons: bool = False,
) -> pl.LazyFrame:
    """The lazy Polars plan: one row per household, one column per rule (and,
    with `reasons`, `<rule>_reason` beside each criterion: see `evaluate`)."""
    ruleset = args.loaded_ruleset(ruleset)
    data = args.loaded_data(data)
    wanted = args.rule_names(ruleset, rules)
    return build_plan(
        ruleset,
        data.frames,
        args.as_of_date(as_of),
        missing=data.missing_tables,
        rules=list(wanted) if wanted is not None else None,
        fixed=fixed,
        reasons=bool(reasons),
    )


def _job(
    ruleset: object,
    data: object,
    as_of: object,
    rules: object,
    local: object,
    slices: object = 0,
    reasons: object = False,
    mapping: MappingSource | None = None,
    connections: Mapping[str, str] | None = None,
    engine: str = "polars",
) -> Job:
    """Every argument of a run checked, and the data loaded for all its
    rulesets (into Spark for the Spark engine)."""
    national = args.loaded_ruleset(ruleset)
    day = args.as_of_date(as_of)
    locals_ = args.local_rulesets(local)
    wanted = args.rule_names(national, rules)
    count = args.slice_count(slices)
    engine_named(engine)  # an unknown engine, or pyspark missing, before any loading
    if engine == "spark":
        from tfrules.run.spark.loading import spark_dataset

        if connections:
            raise ValueError(
                "the Spark engine does not read databases: copy the tables a mapping reads "
                "from a database into files or the Spark catalog, or use the polars engine"
            )
        rulesets = [national, *locals_]
        checked = mapping_for(rulesets, data, mapping)  # type: ignore[arg-type]
        dataset = spark_dataset(rulesets, data, mapping=checked)  # type: ignore[arg-type]
        return Job(national, dataset, day, wanted, locals_, count, bool(reasons))  # type: ignore[arg-type]
    dataset = load_data(
        [national, *locals_], args.data_source(data), mapping=mapping, connections=connections
    )
    return Job(national, dataset, day, wanted, locals_, count, bool(reasons))


def evaluate(
    ruleset: CheckedRuleset,
    data: DataSource,
    as_of: str | dt.date,
    *,
    rules: Iterable[str] | None = None,
    local: Iterable[CheckedRuleset] = (),
    engine: str = "polars",
    reasons: bool = False,
    mapping: MappingSource | None = None,
    connections: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Evaluate the ruleset over a data set: one row per household.

    With `local` (from `load_locals`), each council's households are
    evaluated by its own local ruleset, the others by `ruleset` alone, and a
    column `ruleset_applied` says which. With `reasons`, each criterion has a
    column `<rule>_reason` beside it: the parts that made it true
    (`education+work+local`), or why it is unknown. `mapping` and
    `connections` read a council's own extract, as `load_data` does."""
    job = _job(
        ruleset,
        data,
        as_of,
        rules,
        local,
        reasons=reasons,
        mapping=mapping,
        connections=connections,
        engine=engine,
    )
    return runner.evaluate(job, engine=engine)


def write_results(
    ruleset: CheckedRuleset,
    data: DataSource,
    as_of: str | dt.date,
    out: str | Path,
    *,
    rules: Iterable[str] | None = None,
    local: Iterable[CheckedRuleset] = (),
    slices: int = 0,
    engine: str = "polars",
    on_progress: Callable[[str], None] | None = None,
    reasons: bool = False,
    mapping: MappingSource | None = None,
    connections: Mapping[str, str] | None = None,
) -> RunResult:
    """Stream the results into `out` (.parquet or .csv) without holding them
    in memory, a slice of households at a time (`slices`; 0: one slice per
    million households), with each council's local ruleset (`local`) as
    `evaluate` does. The file appears whole or not at all; an `out` that is
    an input of the run is refused (`OutputError`, as is one that cannot be
    written). Returns the path, the time taken, the columns written and, for
    a multi-council run, the households of councils with no local ruleset.
    `on_progress` is told each step in plain words; `mapping` and
    `connections` read a council's own extract, as `load_data` does.

    With `engine="spark"` the households are evaluated inside Apache Spark
    (`pip install 'tfrules[spark]'`), in the active Spark session (a
    notebook's) or one started in local mode: `data` is then a location
    Spark reads (a folder or `s3a://`, `abfss://` ... path with one Parquet
    file or folder per table, or `catalog:DATABASE`) or a mapping of table
    names to Spark frames, and the results are Parquet (one file, or a folder
    of parts when there are more than two million households); the rows are
    exactly the Polars engine's. A council's own files at such a path are read
    through `mapping` in Spark too; `connections` are not (Spark reads no
    databases)."""
    target = args.output_path(out)
    job = _job(ruleset, data, as_of, rules, local, slices, reasons, mapping, connections, engine)
    return runner.write_results(job, target, engine=engine, on_progress=on_progress)


def diff(base: object, new: object = None, **options: object) -> DiffResult:
    """Compare two versions of the rules on the same households: two rulesets,
    one with what-ifs (`params=["name=value"]`), or a rule file against its
    text at a git revision (`base_rev="main"`). Keywords: `data`, `as_of`,
    `params`, `local` (folders), `include`, `base_rev`, `rules`, `samples`,
    `seed`. Returns a `DiffResult` of frames (see `tfrules.diffing.compute.diff`);
    raises `DiffError` for versions that do not read the same data."""
    from tfrules.diffing.compute import diff as compare

    return compare(base, new, **options)  # type: ignore[arg-type]


def household(ruleset: CheckedRuleset, data: Dataset, household_id: str) -> HouseholdData | None:
    """One household's rows, for the reference interpreter (None if absent)."""
    ruleset = args.loaded_ruleset(ruleset)
    household_id = args.household_id(household_id)
    data = args.loaded_data(data)
    schema = ruleset.schema
    households, persons = schema.households, schema.persons
    assert households.key and persons.owner_key and persons.key
    frames: dict[str, pl.LazyFrame] = {
        households.name: data.frames[households.name].filter(pl.col(households.key) == household_id)
    }
    members = data.frames[persons.name].filter(pl.col(persons.owner_key) == household_id).collect()
    frames[persons.name] = members.lazy()
    ids = members[persons.key].to_list()
    for table in schema.event_tables:
        frame = data.frames.get(table.name)
        if frame is None or table.owner_key is None:
            continue
        owners = ids if table.owner == persons.name else [household_id]
        frames[table.name] = frame.filter(pl.col(table.owner_key).is_in(owners))
    found = list(households_from_frames(schema, frames, data.missing_tables))
    return found[0] if found else None


def explain(
    ruleset: CheckedRuleset,
    data: DataSource,
    as_of: str | dt.date,
    household_id: str,
    *,
    rules: Iterable[str] | None = None,
    mapping: MappingSource | None = None,
    connections: Mapping[str, str] | None = None,
) -> Explanation:
    """Why one household got each value (see `tfrules.interpret.explain`);
    raises KeyError if there is no such household. `mapping` and
    `connections` read a council's own extract, as `load_data` does."""
    ruleset = args.loaded_ruleset(ruleset)
    day = args.as_of_date(as_of)
    household_id = args.household_id(household_id)
    wanted = args.rule_names(ruleset, rules)
    dataset = load_data(ruleset, data, mapping=mapping, connections=connections)
    found = household(ruleset, dataset, household_id)
    if found is None:
        raise KeyError(f"there is no household {household_id!r}")
    return explain_household(ruleset, found, day, list(wanted) if wanted is not None else None)


__all__ = [
    "CouncilError",
    "DataError",
    "DiffError",
    "OutputError",
    "RulesError",
    "RulesWarning",
    "RunResult",
    "check",
    "compile_plan",
    "diff",
    "evaluate",
    "explain",
    "household",
    "load",
    "load_data",
    "load_locals",
    "load_mapping",
    "mapping_for",
    "write_results",
]
