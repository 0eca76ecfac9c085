"""Shared helpers of the semantic property tests: checking generated rule text,
evaluating a ruleset both ways (compiled plan and reference interpreter) and
comparing the results value by value, nulls included, Decimals exactly.

Imported by the `test_semantics_*` modules (no conftest: each puts `tests/`
and this folder on `sys.path`).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import polars as pl
from hypothesis import HealthCheck, settings
from strategies.data_strategies import DataSet

from tfrules.check import Workspace, check_paths, check_ruleset
from tfrules.check.workspace import SourceFile, bundled_rulesets_dir
from tfrules.compile.plan import build_plan
from tfrules.interpret.evaluator import Interpreter
from tfrules.model.ruleset import CheckedRuleset
from tfrules.model.schema import Level
from tfrules.semantics.dtypes import dtype

#: The issue asks for at least 500 examples per property in CI.
EXAMPLES = 500
#: Polars engines a plan is collected with: the default, and each one by name.
ENGINES = ("auto", "in-memory", "streaming")
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # CI (.ci/run sets TFRULES_CI) runs the same examples every time, so that
    # a run is reproducible and a change is judged on its own; run locally,
    # each run draws new ones and keeps exploring
    derandomize=bool(os.environ.get("TFRULES_CI")),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
    print_blob=True,
)

Rows = dict[str, dict[str, Any]]


# ---------------------------------------------------------------- rulesets


@functools.cache
def _schema_source() -> SourceFile:
    """The canonical schema, parsed once (parsing it costs more than checking a ruleset)."""
    path = bundled_rulesets_dir() / "schema" / "canonical.tfr"
    workspace = Workspace(include_bundled=False)
    return workspace.add_text(path.read_text(encoding="utf-8"), str(path))


def check_text(text: str) -> tuple[CheckedRuleset | None, list[str]]:
    """Check the text of ruleset `gen.t`: the ruleset, or None and the errors."""
    workspace = Workspace(include_bundled=False)
    workspace.schemas["canonical"] = _schema_source()
    workspace.add_text(text, "gen.tfr")
    result = check_ruleset(workspace, "gen.t")
    errors = [
        f"{d.code} {d.message} (line {d.span.line})"
        for d in (*workspace.diagnostics, *result.diagnostics)
        if d.is_error
    ]
    if errors or result.ruleset is None:
        return None, errors
    return result.ruleset, []


@functools.cache
def phase1() -> CheckedRuleset:
    """The shipped `national.phase1` ruleset, checked."""
    report = check_paths([bundled_rulesets_dir()])
    assert report.errors == 0, [str(d.message) for d in report.diagnostics]
    return next(r for r in report.rulesets if r.name == "national.phase1")


# ---------------------------------------------------------------- evaluating both ways


def household_rules(ruleset: CheckedRuleset, rules: Iterable[str] | None = None) -> list[str]:
    names = ruleset.output_rules if rules is None else list(rules)
    return [n for n in names if ruleset.rules[n].level is Level.HOUSEHOLD]


def compiled(
    ruleset: CheckedRuleset,
    data: DataSet,
    as_of: dt.date,
    *,
    fixed: Mapping[str, object] | None = None,
    rules: Iterable[str] | None = None,
    engine: str = "auto",
) -> Rows:
    """The compiled plan's rows by household id (checking the plan's shape:
    one row per household, sorted, each rule in its language type's dtype).
    `engine` is Polars' (`auto` is what `collect()` does by default)."""
    names = household_rules(ruleset, rules)
    plan = build_plan(
        ruleset, data.lazy(), as_of, missing=sorted(data.missing), rules=names, fixed=fixed
    )
    frame = plan.collect(engine=engine)  # type: ignore[arg-type]
    ids = frame["household_id"].to_list()
    assert ids == sorted(data.household_ids), "one row per household, sorted by household_id"
    for name in names:
        expected = dtype(ruleset.rules[name].type)
        assert frame.schema[name] == expected, f"{name}: {frame.schema[name]} is not {expected}"
    return {row["household_id"]: {n: row[n] for n in names} for row in frame.iter_rows(named=True)}


def interpreted(
    ruleset: CheckedRuleset,
    data: DataSet,
    as_of: dt.date,
    *,
    fixed: Mapping[str, object] | None = None,
    rules: Iterable[str] | None = None,
) -> Rows:
    """The reference interpreter's values by household id."""
    names = household_rules(ruleset, rules)
    interpreter = Interpreter(ruleset, as_of, fixed=dict(fixed or {}))
    return {hh.id: interpreter.evaluate(hh, names) for hh in data.households(ruleset.schema)}


def same(a: object, b: object) -> bool:
    """Equal values of the same kind: null only equals null, a bool is not a
    number, numbers compare exactly (int and Decimal by value), no floats."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) or isinstance(b, float):
        return False
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal):
        return Decimal(a) == Decimal(b)
    return type(a) is type(b) and a == b


def differences(left: Rows, right: Rows) -> list[str]:
    """Every (household, rule) where the two evaluations disagree."""
    found = []
    if sorted(left) != sorted(right):
        found.append(f"households differ: {sorted(left)} vs {sorted(right)}")
    for household in sorted(set(left) & set(right)):
        for rule, value in left[household].items():
            other = right[household].get(rule, "<absent>")
            if not same(value, other):
                found.append(f"{household!r} {rule}: {value!r} vs {other!r}")
    return found


def describe(data: DataSet, households: Iterable[str] | None = None) -> str:
    """The rows of a data set (or of some of its households), for a failure message."""
    keep = None if households is None else set(households)
    persons = data.frames["persons"]
    if keep is not None:
        persons = persons.filter(pl.col("household_id").is_in(sorted(keep)))
    people = set(persons["person_id"].to_list())
    lines = [f"refs={data.refs} missing={sorted(data.missing)}"]
    for name, frame in data.frames.items():
        if keep is not None and name != "persons":
            if "person_id" in frame.columns:
                frame = frame.filter(pl.col("person_id").is_in(sorted(people)))
            elif "household_id" in frame.columns:
                frame = frame.filter(pl.col("household_id").is_in(sorted(keep)))
        elif name == "persons":
            frame = persons
        lines.append(f"{name}: {frame.rows()}")
    return "\n".join(lines)


def agree(
    ruleset: CheckedRuleset,
    data: DataSet,
    as_of: dt.date,
    *,
    fixed: Mapping[str, object] | None = None,
    text: str = "",
    engine: str = "auto",
) -> Rows:
    """Assert that the compiled plan and the interpreter agree; the compiled rows."""
    plan_rows = compiled(ruleset, data, as_of, fixed=fixed, engine=engine)
    oracle_rows = interpreted(ruleset, data, as_of, fixed=fixed)
    found = differences(plan_rows, oracle_rows)
    assert not found, (
        f"compiled ({engine}) vs interpreted at as_of={as_of} fixed={fixed}:\n"
        + "\n".join(found)
        + f"\n--- rules\n{text}\n--- data\n{describe(data)}"
    )
    return plan_rows
