"""Why a criterion is unknown for a household: which missing data decided it.

Three causes are told apart, each found for every household at once by
evaluating the rules again with that cause taken away (no per-household code):

- a table that was not supplied: the rules are run again with it supplied
  empty (no such events); a household whose value becomes known was unknown
  because of that table (or of several missing tables together);
- no local ruleset for the council: run again with the abstract rules fixed
  true and then false; known under either, and the missing local rules count;
- records that the rules themselves call incomplete (fewer school terms
  recorded than needed): what is left unknown when the missing tables and the
  local rules are taken away, named by the tables read where a rule says
  `if ... then unknown`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import polars as pl

from tfrules.data.load import Dataset, canonical_dtype
from tfrules.model.ruleset import CheckedRuleset, ColumnRef, RuleRef
from tfrules.syntax import ast
from tfrules.syntax.walk import walk

#: Evaluates the rules over the given frames: (frames, missing tables, fixed rule values).
Evaluate = Callable[
    [Mapping[str, pl.LazyFrame], frozenset[str], Mapping[str, object] | None], pl.LazyFrame
]

NO_LOCAL = "no local ruleset for this council"


def missing_text(table: str) -> str:
    return f"{table} not supplied"


def incomplete_text(tables: Iterable[str]) -> str:
    return "records incomplete in " + ", ".join(sorted(tables))


def _is_unknown(node: ast.Expr) -> bool:
    return isinstance(node, ast.Literal) and node.value is None


def _tables_read(ruleset: CheckedRuleset, root: ast.Expr) -> set[str]:
    """The event tables an expression reads, through every rule it uses."""
    notes = ruleset.annotations
    event_tables = {t.name for t in ruleset.schema.event_tables}
    found: set[str] = set()
    seen: set[str] = set()
    stack: list[object] = [root]
    while stack:
        for node in walk(stack.pop()):
            if isinstance(node, ast.Collection):
                found.add(notes.collection(node).table.name)
                qualifier = notes.qualifier(node)
                if qualifier and qualifier not in seen:
                    seen.add(qualifier)
                    stack.append(ruleset.rules[qualifier].body)
                continue
            if isinstance(node, ast.InWindow):
                found.add(notes.window(node).table.name)
            resolution = notes.resolution_or_none(node)
            if isinstance(resolution, ColumnRef):
                found.add(resolution.table)
            elif isinstance(resolution, RuleRef) and resolution.name not in seen:
                seen.add(resolution.name)
                body = ruleset.rules[resolution.name].body
                if body is not None:
                    stack.append(body)
    return found & event_tables


def incomplete_tables(ruleset: CheckedRuleset, rule: str) -> set[str]:
    """Tables read where `rule`, or a rule it uses, says `if ... then unknown`."""
    found: set[str] = set()
    seen = {rule}
    stack = [ruleset.rules[rule].body]
    while stack:
        body = stack.pop()
        for node in walk(body):
            if isinstance(node, ast.If) and (_is_unknown(node.then) or _is_unknown(node.otherwise)):
                found |= _tables_read(ruleset, node.condition)
            resolution = ruleset.annotations.resolution_or_none(node)
            if isinstance(resolution, RuleRef) and resolution.name not in seen:
                seen.add(resolution.name)
                if ruleset.rules[resolution.name].body is not None:
                    stack.append(ruleset.rules[resolution.name].body)
    return found


def reads_abstract(national: CheckedRuleset, rule: str) -> bool:
    """Whether `rule` uses, in the national ruleset, a rule left to the councils."""
    abstract = set(national.abstract_rules)
    seen = {rule}
    stack = [national.rules[rule].body]
    while stack:
        for node in walk(stack.pop()):
            resolution = national.annotations.resolution_or_none(node)
            if isinstance(resolution, RuleRef) and resolution.name not in seen:
                if resolution.name in abstract:
                    return True
                seen.add(resolution.name)
                stack.append(national.rules[resolution.name].body)
    return False


def _empty(dataset: Dataset, table: str) -> pl.LazyFrame:
    found = dataset.schema.table(table)
    assert found is not None
    return pl.LazyFrame(schema={c.name: canonical_dtype(c.type) for c in found.columns})


def unknown_causes(
    evaluate: Evaluate,
    national_only: Evaluate,
    dataset: Dataset,
    national: CheckedRuleset,
    rules: Sequence[str],
    base: pl.DataFrame,
    key: str,
    no_local: pl.Series,
) -> pl.DataFrame:
    """For each of `rules` (criteria), a column of the causes of its unknowns:
    a list of short texts, empty where the value is known.

    `base` holds the rules' values (with `key`); `no_local` is true for the
    households whose council has no local ruleset; `national_only` evaluates
    the national ruleset alone with fixed values of its abstract rules.
    """
    frames, missing = dataset.frames, dataset.missing_tables
    keyed = base.select(key, *rules)

    def values(plan: pl.LazyFrame, suffix: str) -> pl.DataFrame:
        chosen = plan.select(key, *(pl.col(r).alias(f"{r}{suffix}") for r in rules)).collect()
        return keyed.select(key).join(chosen, on=key, how="left", maintain_order="left")

    tried: list[tuple[str, pl.DataFrame]] = []
    for table in sorted(missing):
        supplied = {**frames, table: _empty(dataset, table)}
        tried.append((missing_text(table), values(evaluate(supplied, missing - {table}, None), "")))
    all_tables: pl.DataFrame | None = None
    if len(missing) > 1:
        supplied = {**frames, **{t: _empty(dataset, t) for t in missing}}
        all_tables = values(evaluate(supplied, frozenset(), None), "")
    local_values: list[pl.DataFrame] = []
    if national.abstract_rules:
        for fixed in (True, False):
            pinned = dict.fromkeys(national.abstract_rules, fixed)
            local_values.append(values(national_only(frames, missing, pinned), ""))

    columns: list[pl.Expr] = []
    for rule in rules:
        unknown = pl.col(rule).is_null()
        causes: list[pl.Expr] = []
        resolved = pl.lit(False)
        for text, frame in tried:
            known = frame[rule].is_not_null()
            causes.append(pl.when(unknown & known).then(pl.lit(text)))
            resolved = resolved | known
        if all_tables is not None:
            together = all_tables[rule].is_not_null()
            texts = ", ".join(sorted(missing))
            causes.append(
                pl.when(unknown & together & ~resolved).then(pl.lit(f"{texts} not supplied"))
            )
            resolved = resolved | together
        if local_values and rule in national.rules and reads_abstract(national, rule):
            known = local_values[0][rule].is_not_null() | local_values[1][rule].is_not_null()
            causes.append(pl.when(unknown & no_local & known).then(pl.lit(NO_LOCAL)))
            resolved = resolved | (no_local & known)
        gaps = incomplete_tables(national, rule) if rule in national.rules else set()
        rest = incomplete_text(gaps) if gaps else "unknown by the rules"
        causes.append(pl.when(unknown & ~resolved).then(pl.lit(rest)))
        columns.append(pl.concat_list(causes).list.drop_nulls().alias(rule))
    return keyed.select(key, *columns)
