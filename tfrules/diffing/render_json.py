"""A diff as JSON, for machines.

The counts have exactly this shape, one entry per criterion and council
(`"council": "all"` for every household, the ONS code otherwise):

    {"rules": [{"rule": "identified", "council": "all",
                "changes": {"true->false": 12, "false->true": 3, ...},
                "changed": 15, "households": 118}, ...]}

beside them the money and number totals (amounts as exact decimal strings),
the other rules' changed households, what changed in the rules, the
samples and, when limits were given, the gate's verdicts.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import polars as pl

from tfrules.diffing.counts import TRANSITIONS, transition_name
from tfrules.diffing.gate import Verdict
from tfrules.diffing.result import DiffResult
from tfrules.diffing.samples import Sample


def render_json(result: DiffResult, verdicts: list[Verdict] | None = None) -> str:
    return json.dumps(to_json(result, verdicts), indent=2, ensure_ascii=False) + "\n"


def to_json(result: DiffResult, verdicts: list[Verdict] | None = None) -> dict[str, Any]:
    criteria, others = list(result.criteria), list(result.other_rules)
    found: dict[str, Any] = {
        "base": result.base,
        "new": result.new,
        "as_of": result.as_of.isoformat(),
        "households": result.households,
        "rules": [_rule_entry(row) for row in _rows(result.transitions, criteria)],
        "money": [_amount_entry(row) for row in result.money.iter_rows(named=True)],
        "measures": [_amount_entry(row) for row in result.measures.iter_rows(named=True)],
        "values": [
            {"rule": row["rule"], "council": row["council"], "changed": row["changed"]}
            for row in _rows(result.transitions, others)
        ],
        "parameters": [
            {"name": p.name, "before": p.before, "after": p.after} for p in result.params
        ],
        "rule_changes": [
            {
                "base_ruleset": each.base,
                "new_ruleset": each.new,
                "rule": change.rule,
                "change": change.change.value,
                "parameters": list(change.params),
                "uses": list(change.uses),
            }
            for each in result.changes
            for change in each.rules
        ],
        "only_in_base": list(result.only_base),
        "only_in_new": list(result.only_new),
        "samples": [_sample_entry(s) for s in result.samples],
    }
    if verdicts is not None:
        found["gate"] = {
            "passed": not any(v.exceeded for v in verdicts),
            "limits": [v.to_json() for v in verdicts],
        }
    return found


def _rows(table: pl.DataFrame, rules: list[str]) -> list[dict[str, Any]]:
    order = {rule: index for index, rule in enumerate(rules)}
    rows = [row for row in table.iter_rows(named=True) if row["rule"] in order]
    return sorted(rows, key=lambda row: (order[row["rule"]], row["council"] != "all"))


def _rule_entry(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": row["rule"],
        "council": row["council"],
        "changes": {transition_name(a, b): row[transition_name(a, b)] for a, b in TRANSITIONS},
        "changed": row["changed"],
        "households": row["households"],
    }


def _amount_entry(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": row["rule"],
        "council": row["council"],
        "type": row["kind"],
        "before": amount_text(row["before"]),
        "after": amount_text(row["after"]),
        "change": amount_text(row["change"]),
        "unknown_before": row["unknown_before"],
        "unknown_after": row["unknown_after"],
    }


def amount_text(value: Decimal | int | None) -> str | None:
    """An exact total as text: pence kept for money, no trailing zeros otherwise."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if value.as_tuple().exponent == -2:  # type: ignore[comparison-overlap]
            return f"{value:f}"
        normal = value.normalize()
        return f"{normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal:f}"
    return str(value)


def _sample_entry(sample: Sample) -> dict[str, Any]:
    return {
        "rule": sample.rule,
        "transition": sample.transition,
        "household": sample.household,
        "council": sample.council,
        "before": sample.before,
        "after": sample.after,
        "first_difference": {
            "rule": sample.cause,
            "before": sample.cause_before,
            "after": sample.cause_after,
        },
        "explanation_before": list(sample.base_facts),
        "explanation_after": list(sample.new_facts),
    }
