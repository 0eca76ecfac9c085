"""The Python API, for notebooks and scripts: load, check, compile, evaluate, explain.

    import tfrules
    rules = tfrules.load("local.leeds.phase1")                      # or a path to a .tfr file
    data = tfrules.load_data(rules, "data/")                 # validated before use
    result = tfrules.evaluate(rules, data, as_of="2013-01-15")   # a Polars DataFrame

    # a council's own extract, read through a mapping (data/mapping.tfr is found by itself)
    data = tfrules.load_data(rules, "extract/", mapping="anytown.tfr")

Every function raises `RulesError` (with the diagnostics) for mistakes in the
rules and `DataError` (naming table, column and key) for bad data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs
import polars as pl

from tfrules import diagnostics as diag
from tfrules.check import CheckReport, check_paths
from tfrules.check.mapping import check_mapping_source
from tfrules.check.overrides import apply_overrides
from tfrules.check.ruleset import check_ruleset
from tfrules.check.usage import required_columns
from tfrules.check.workspace import RULE_SUFFIX, Workspace
from tfrules.compile.plan import build_plan
from tfrules.compile.slices import slices_for, write_in_slices
from tfrules.data.errors import DataError
from tfrules.data.inventory import MAPPING_NAME
from tfrules.data.load import Dataset, load_dataset
from tfrules.data.validate import validate
from tfrules.interpret.explain import Explanation, explain_household
from tfrules.interpret.household import HouseholdData, households_from_frames
from tfrules.model.mapping import CheckedMapping
from tfrules.model.ruleset import CheckedRuleset
from tfrules.syntax import ast

DataSource = str | Path | Mapping[str, pl.DataFrame | pl.LazyFrame] | Dataset
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
    always available); `params` are what-if values, `name=value`.
    """
    workspace = workspace or Workspace()
    name = str(ruleset)
    workspace.add_paths(list(include))
    path = Path(ruleset)
    if path.suffix == RULE_SUFFIX or path.is_file():
        source = workspace.add_paths([path])[0]
        if not isinstance(source.ast, ast.RulesetFile):
            problems = source.parsed.diagnostics or (
                diag.error(
                    "E103", "this file is not a ruleset", ast.Span(source.display, 1, 1, 1, 1)
                ),
            )
            raise RulesError(problems, workspace.sources)
        name = source.ast.name
    result = check_ruleset(workspace, name)
    problems = [*workspace.diagnostics, *result.diagnostics]
    if result.ruleset is None or any(p.is_error for p in problems):
        raise RulesError(problems, workspace.sources)
    return apply_overrides(result.ruleset, list(params))


def load_locals(
    national: CheckedRuleset,
    folders: Iterable[str | Path],
    *,
    params: Iterable[str] = (),
) -> list[CheckedRuleset]:
    """Every local ruleset in `folders` that builds on `national` (each checked)."""
    workspace = Workspace()
    files = workspace.add_paths(list(folders))
    found: list[CheckedRuleset] = []
    problems: list[diag.Diagnostic] = list(workspace.diagnostics)
    for source in files:
        tree = source.ast
        if not isinstance(tree, ast.RulesetFile) or tree.name == national.name:
            continue
        result = check_ruleset(workspace, tree.name)
        problems.extend(result.diagnostics)
        if result.ruleset is not None and national.name in result.ruleset.chain:
            found.append(apply_overrides(result.ruleset, list(params)))
    if any(p.is_error for p in problems):
        raise RulesError(problems, workspace.sources)
    return found


def as_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def load_mapping(path: str | Path, *, workspace: Workspace | None = None) -> CheckedMapping:
    """A checked mapping file (raises RulesError with its problems, PathError if missing)."""
    workspace = workspace or Workspace()
    source = workspace.add_paths([path])[0]
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
    if isinstance(source, Dataset):
        return source
    rulesets = [ruleset] if isinstance(ruleset, CheckedRuleset) else list(ruleset)
    required: dict[str, set[str]] = {}
    for each in rulesets:
        for table, columns in required_columns(each).items():
            required.setdefault(table, set()).update(columns)
    if mapping is None and isinstance(source, str | Path):
        mapping = mapping_beside(source)
    checked = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    schema = rulesets[0].schema
    if checked is not None and checked.schema.name != schema.name:
        span = ast.Span(checked.file or "<mapping>", 1, 1, 1, 1)
        message = (
            f"the mapping {checked.name} maps onto the schema '{checked.schema.name}', but "
            f"{rulesets[0].name} reads the schema '{schema.name}'"
        )
        raise RulesError([diag.error("E407", message, span)], diag.SourceCache())
    dataset = load_dataset(
        source,  # type: ignore[arg-type]
        schema,
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
) -> pl.LazyFrame:
    """The lazy Polars plan: one row per household, one column per rule."""
    return build_plan(
        ruleset,
        data.frames,
        as_date(as_of),
        missing=data.missing_tables,
        rules=_known_rules(ruleset, rules),
        fixed=fixed,
    )


def evaluate(
    ruleset: CheckedRuleset,
    data: DataSource,
    as_of: str | dt.date,
    *,
    rules: Iterable[str] | None = None,
    mapping: MappingSource | None = None,
) -> pl.DataFrame:
    """Evaluate the ruleset over a data set: one row per household."""
    dataset = load_data(ruleset, data, mapping=mapping)
    return compile_plan(ruleset, dataset, as_of, rules=rules).collect()


def write_results(
    ruleset: CheckedRuleset,
    data: Dataset,
    as_of: str | dt.date,
    out: str | Path,
    *,
    rules: Iterable[str] | None = None,
    slices: int = 0,
) -> Path:
    """Stream the results into `out` (.parquet or .csv) without holding them in
    memory, a slice of households at a time (`slices`; 0: one slice per
    million households). The same rows as `evaluate`; returns the path."""
    target = Path(out)
    if target.suffix not in (".parquet", ".csv"):
        raise ValueError(f"{target}: the output must end in .parquet or .csv")
    count = slices_for(data.frames, ruleset.schema, slices)

    def build(frames: Mapping[str, pl.LazyFrame]) -> pl.LazyFrame:
        part = attrs.evolve(data, frames=dict(frames))
        return compile_plan(ruleset, part, as_of, rules=rules)

    write_in_slices(build, data.frames, ruleset.schema, count, target)
    return target


def household(ruleset: CheckedRuleset, data: Dataset, household_id: str) -> HouseholdData | None:
    """One household's rows, for the reference interpreter (None if absent)."""
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
) -> Explanation:
    """Why one household got each value (see `tfrules.interpret.explain`);
    raises KeyError if there is no such household."""
    dataset = load_data(ruleset, data, mapping=mapping)
    found = household(ruleset, dataset, household_id)
    if found is None:
        raise KeyError(f"there is no household {household_id!r}")
    return explain_household(ruleset, found, as_date(as_of), _known_rules(ruleset, rules))


def _known_rules(ruleset: CheckedRuleset, rules: Iterable[str] | None) -> list[str] | None:
    if rules is None:
        return None
    wanted = list(rules)
    unknown = [r for r in wanted if r not in ruleset.output_rules]
    if unknown:
        hint = diag.did_you_mean(unknown[0], ruleset.output_rules)
        raise ValueError(
            f"no household rule {unknown[0]!r} in {ruleset.name}" + (f": {hint}" if hint else "")
        )
    return wanted


__all__ = [
    "DataError",
    "RulesError",
    "check",
    "compile_plan",
    "evaluate",
    "explain",
    "household",
    "load",
    "load_data",
    "load_locals",
    "load_mapping",
]
