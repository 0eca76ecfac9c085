"""A diff on a terminal: Rich tables of what moved, and the sample
households with their two explanations side by side."""

from __future__ import annotations

from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tfrules.data.councils import council_name
from tfrules.diffing.changes import Change
from tfrules.diffing.counts import ALL, TRANSITIONS, transition_name
from tfrules.diffing.gate import Verdict
from tfrules.diffing.render_json import amount_text
from tfrules.diffing.result import DiffResult

ARROW = "→"
_SHORT = {"true": "T", "false": "F", "unknown": "?"}


def print_diff(
    result: DiffResult,
    console: Console,
    verdicts: list[Verdict] | None = None,
    *,
    by_council: bool = False,
) -> None:
    console.print(
        Text(
            f"{result.base} {ARROW} {result.new}: {result.households:,} households "
            f"as of {result.as_of.isoformat()}",
            style="bold",
        )
    )
    _rule_changes(result, console)
    _criteria(result, console, by_council)
    for table, title in ((result.money, "Money"), (result.measures, "Numbers")):
        _amounts(result, table, title, console, by_council)
    _others(result, console)
    _samples(result, console)
    if verdicts:
        _gate(verdicts, console)


def _rule_changes(result: DiffResult, console: Console) -> None:
    lines: list[str] = [f"parameter {p.name}: {p.before} {ARROW} {p.after}" for p in result.params]
    for each in result.changes:
        prefix = f"{each.new}: "
        defined = each.of_kind(Change.DEFINITION)
        if defined:
            lines.append(prefix + "definition changed: " + ", ".join(c.rule for c in defined))
        through = each.of_kind(Change.PARAMETERS, Change.USES)
        if through:
            text = ", ".join(f"{c.rule} (uses {', '.join((*c.params, *c.uses))})" for c in through)
            lines.append(prefix + "changed through what they use: " + text)
        for kind in (Change.ADDED, Change.REMOVED):
            found = each.of_kind(kind)
            if found:
                lines.append(prefix + f"{kind.value}: " + ", ".join(c.rule for c in found))
    console.print()
    console.print(Text("What changed in the rules", style="bold"))
    for line in lines or ["no rule or parameter differs"]:
        console.print(Text("  " + line))


def _rows(table: pl.DataFrame, rules: list[str], by_council: bool) -> list[dict[str, Any]]:
    rows = [
        r for r in table.iter_rows(named=True)
        if r["rule"] in rules and (by_council or r["council"] == ALL)
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (rules.index(r["rule"]), r["council"] != ALL, r["council"]))


def _place(council: str) -> str:
    return "all" if council == ALL else council


def _criteria(result: DiffResult, console: Console, by_council: bool) -> None:
    table = result.transitions.filter(pl.col("rule").is_in(list(result.criteria)))
    moved = [
        r for r in result.criteria
        if table.filter((pl.col("rule") == r) & (pl.col("changed") > 0)).height
    ]  # fmt: skip
    console.print()
    if not moved:
        console.print(Text("No household changes value for any criterion.", style="green"))
        return
    shown = Table(
        title="Criteria: households moving from one value to another",
        caption="T true, F false, ? unknown" + ("; councils by ONS code" if by_council else ""),
    )
    _heads(
        shown, by_council, [f"{_SHORT[a]}{ARROW}{_SHORT[b]}" for a, b in TRANSITIONS] + ["changed"]
    )
    for row in _rows(table, moved, by_council):
        if row["council"] != ALL and not row["changed"]:
            continue
        moves = [f"{row[transition_name(a, b)]:,}" for a, b in TRANSITIONS]
        shown.add_row(*_where(row, by_council), *moves, f"{row['changed']:,}")
    console.print(shown)


def _heads(table: Table, by_council: bool, figures: list[str]) -> None:
    table.add_column("rule", no_wrap=True)
    if by_council:
        table.add_column("council")
    for heading in figures:
        table.add_column(heading, justify="right")


def _where(row: dict[str, Any], by_council: bool) -> list[str]:
    return [row["rule"], _place(row["council"])] if by_council else [row["rule"]]


def _amount(value: object, money: bool, signed: bool = False) -> str:
    text = amount_text(value)  # type: ignore[arg-type]
    if text is None:
        return "unknown"
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    body = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    sign = "-" if negative else ("+" if signed else "")
    return f"{sign}£{body}" if money else f"{sign}{body}"


def _amounts(
    result: DiffResult, table: pl.DataFrame, title: str, console: Console, by_council: bool
) -> None:
    if table.height == 0:
        return
    money = title == "Money"
    changed = [
        r for r in table.iter_rows(named=True)
        if r["change"] != 0 or r["unknown_before"] != r["unknown_after"]
    ]  # fmt: skip
    moved = [r for r in result.rules if any(c["rule"] == r for c in changed)]
    if not moved:
        return
    shown = Table(title=f"{title}: totals of the known amounts")
    heads = ["before", "after", "change", "unknown\nbefore", "unknown\nafter"]
    _heads(shown, by_council, heads)
    for row in _rows(table, moved, by_council):
        if row["council"] != ALL and row not in changed:
            continue
        shown.add_row(
            *_where(row, by_council),
            _amount(row["before"], money),
            _amount(row["after"], money),
            _amount(row["change"], money, signed=True),
            f"{row['unknown_before']:,}",
            f"{row['unknown_after']:,}",
        )
    console.print(shown)


def _others(result: DiffResult, console: Console) -> None:
    table = result.transitions.filter(
        pl.col("rule").is_in(list(result.other_rules))
        & (pl.col("council") == ALL)
        & (pl.col("changed") > 0)
    )
    if table.height == 0:
        return
    shown = Table(title="Other values: households whose value changed")
    shown.add_column("rule")
    shown.add_column("changed", justify="right")
    for row in table.iter_rows(named=True):
        shown.add_row(row["rule"], f"{row['changed']:,}")
    console.print(shown)


def _samples(result: DiffResult, console: Console) -> None:
    if not result.samples:
        return
    console.print()
    console.print(Text("Sample households", style="bold"))
    for sample in result.samples:
        where = f", {council_name(sample.council)}" if sample.council else ""
        title = f"{sample.household}{where}: {sample.rule} {sample.before} {ARROW} {sample.after}"
        if sample.cause != sample.rule:
            title += (
                f"; first difference: {sample.cause} {sample.cause_before} {ARROW} "
                f"{sample.cause_after}"
            )
        shown = Table(title=title, title_justify="left", expand=True)
        shown.add_column(f"before: {sample.cause} = {sample.cause_before}", ratio=1)
        shown.add_column(f"after: {sample.cause} = {sample.cause_after}", ratio=1)
        shown.add_row(Text("\n".join(sample.base_facts)), Text("\n".join(sample.new_facts)))
        console.print(shown)


def _gate(verdicts: list[Verdict], console: Console) -> None:
    console.print()
    failed = [v for v in verdicts if v.exceeded]
    console.print(
        Text(
            f"Gate: {'FAILED' if failed else 'passed'} ({len(failed)} of {len(verdicts)} "
            "limits exceeded)",
            style="bold red" if failed else "bold green",
        )
    )
    for verdict in verdicts:
        mark = "exceeded" if verdict.exceeded else "ok"
        console.print(
            Text(f"  {mark}: {verdict.describe()}", style="red" if verdict.exceeded else "")
        )
