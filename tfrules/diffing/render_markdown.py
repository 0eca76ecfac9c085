"""A diff as Markdown, written to be posted as a pull-request comment.

The summary first (the gate's verdict, what changed in the rules, the
criteria and money over every household), then the same by council and
the sample households in collapsible `<details>` sections, each sample's
two short explanations side by side.
"""

from __future__ import annotations

import html
from typing import Any

import polars as pl

from tfrules.data.councils import council_name
from tfrules.diffing.changes import Change
from tfrules.diffing.counts import ALL, TRANSITIONS, transition_name
from tfrules.diffing.gate import Verdict
from tfrules.diffing.render_json import amount_text
from tfrules.diffing.result import DiffResult
from tfrules.diffing.samples import Sample

ARROW = "→"
#: GitHub refuses a comment over 65,536 characters: sample sections beyond this
#: many characters are left out (and counted), the figures never are.
MAX_CHARACTERS = 60_000


def render_markdown(
    result: DiffResult,
    verdicts: list[Verdict] | None = None,
    *,
    max_characters: int = MAX_CHARACTERS,
) -> str:
    lines = [f"## tfrules diff: {_code(result.base)} {ARROW} {_code(result.new)}", ""]
    lines.append(
        f"As of {result.as_of.isoformat()}, over {result.households:,} households."
        + ("" if not result.nothing_changed else " **No household changes value.**")
    )
    lines.append("")
    if verdicts:
        lines += _gate(verdicts)
    lines += _rule_changes(result)
    lines += _criteria(result)
    lines += _amounts(result, result.money, "Money")
    lines += _amounts(result, result.measures, "Numbers")
    lines += _others(result)
    room = max_characters - len("\n".join(lines))
    lines += _samples(result, room)
    return "\n".join(lines).rstrip() + "\n"


def _code(text: str) -> str:
    return f"`{text}`"


def _cell(text: object) -> str:
    """Text safe inside a table cell: no pipes, no HTML."""
    return html.escape(str(text), quote=False).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table whose rule, council and limit columns are left-aligned, figures right."""
    words = {"rule", "council", "limit", "found"}
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" if h in words else "---:" for h in header) + "|")
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _details(summary: str, body: list[str]) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "</details>", ""]


def _gate(verdicts: list[Verdict]) -> list[str]:
    failed = [v for v in verdicts if v.exceeded]
    heading = "### Gate: " + ("**failed**" if failed else "passed")
    rows = [
        [("❌ " if v.exceeded else "✅ ") + _cell(v.limit.text), _cell(v.describe())]
        for v in verdicts
    ]
    return [heading, "", *_table(["limit", "found"], rows)]


def _rule_changes(result: DiffResult) -> list[str]:
    lines = ["### What changed in the rules", ""]
    if result.params:
        lines += [
            f"- parameter `{p.name}`: {_cell(p.before)} {ARROW} {_cell(p.after)}"
            for p in result.params
        ]
    for each in result.changes:
        where = "" if each.base == each.new else f" ({each.base} {ARROW} {each.new})"
        prefix = f"in `{each.new}`{where}: "
        defined = each.of_kind(Change.DEFINITION)
        if defined:
            lines.append(
                f"- {prefix}definition changed: " + ", ".join(f"`{c.rule}`" for c in defined)
            )
        through = each.of_kind(Change.PARAMETERS, Change.USES)
        if through:
            text = ", ".join(
                f"`{c.rule}` (uses {', '.join(f'`{u}`' for u in (*c.params, *c.uses))})"
                for c in through
            )
            lines.append(f"- {prefix}changed through what they use: {text}")
        for kind, words in ((Change.ADDED, "added"), (Change.REMOVED, "removed")):
            found = each.of_kind(kind)
            if found:
                lines.append(f"- {prefix}{words}: " + ", ".join(f"`{c.rule}`" for c in found))
    if len(lines) == 2:
        lines.append("- no rule or parameter differs")
    return [*lines, ""]


def _moves(row: dict[str, Any]) -> list[str]:
    return [f"{row[transition_name(a, b)]:,}" for a, b in TRANSITIONS]


def _criteria(result: DiffResult) -> list[str]:
    table = result.transitions.filter(pl.col("rule").is_in(list(result.criteria)))
    moved = sorted({r for r in table.filter(pl.col("changed") > 0)["rule"].to_list()},
                   key=list(result.rules).index)  # fmt: skip
    header = ["rule", *(f"{a} {ARROW} {b}" for a, b in TRANSITIONS), "changed"]
    lines = ["### Criteria (households)", ""]
    if not moved:
        return [*lines, "No household changes value for any criterion.", ""]
    overall = [
        [f"`{r['rule']}`", *_moves(r), f"{r['changed']:,}"]
        for r in _ordered(table, moved, councils=False)
    ]
    lines += _table(header, overall)
    by_council = [
        [f"`{r['rule']}`", _cell(council_name(r["council"])), *_moves(r), f"{r['changed']:,}"]
        for r in _ordered(table, moved, councils=True)
        if r["changed"] > 0
    ]
    if by_council:
        lines += _details(
            "By council",
            _table(["rule", "council", *header[1:]], by_council),
        )
    return lines


def _ordered(table: pl.DataFrame, rules: list[str], *, councils: bool) -> list[dict[str, Any]]:
    rows = [
        r for r in table.iter_rows(named=True)
        if r["rule"] in rules and (r["council"] != ALL) == councils
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (rules.index(r["rule"]), r["council"]))


def _amount(value: object, money: bool) -> str:
    text = amount_text(value)  # type: ignore[arg-type]
    if text is None:
        return "unknown"
    if not money:
        return text
    sign = "-" if text.startswith("-") else ""
    return f"{sign}£{_grouped(text.lstrip('-'))}"


def _grouped(text: str) -> str:
    whole, _, pence = text.partition(".")
    return f"{int(whole):,}" + (f".{pence}" if pence else "")


def _signed(value: object, money: bool) -> str:
    text = _amount(value, money)
    return text if text.startswith("-") or text == "unknown" else "+" + text


def _amounts(result: DiffResult, table: pl.DataFrame, title: str) -> list[str]:
    if table.height == 0:
        return []
    money = title == "Money"
    moved = sorted(
        {r["rule"] for r in table.iter_rows(named=True) if r["change"] != 0
         or r["unknown_before"] != r["unknown_after"]},
        key=list(result.rules).index,
    )  # fmt: skip
    lines = [f"### {title} (totals of the known amounts)", ""]
    if not moved:
        return [*lines, "No total changes.", ""]
    header = ["rule", "before", "after", "change", "unknown before", "unknown after"]

    def row(r: dict[str, Any], council: bool) -> list[str]:
        first = [f"`{r['rule']}`"] + ([_cell(council_name(r["council"]))] if council else [])
        return [
            *first,
            _amount(r["before"], money),
            _amount(r["after"], money),
            _signed(r["change"], money),
            f"{r['unknown_before']:,}",
            f"{r['unknown_after']:,}",
        ]

    lines += _table(header, [row(r, False) for r in _ordered(table, moved, councils=False)])
    by_council = [
        row(r, True)
        for r in _ordered(table, moved, councils=True)
        if r["change"] != 0 or r["unknown_before"] != r["unknown_after"]
    ]
    if by_council:
        lines += _details("By council", _table(["rule", "council", *header[1:]], by_council))
    return lines


def _others(result: DiffResult) -> list[str]:
    others = list(result.other_rules)
    table = result.transitions.filter(
        pl.col("rule").is_in(others) & (pl.col("council") == ALL) & (pl.col("changed") > 0)
    )
    if table.height == 0:
        return []
    rows = [[f"`{r['rule']}`", f"{r['changed']:,}"] for r in table.iter_rows(named=True)]
    return [
        "### Other values (households whose value changed)",
        "",
        *_table(["rule", "changed"], rows),
    ]


def _samples(result: DiffResult, room: int) -> list[str]:
    if not result.samples:
        return []
    lines = ["### Sample households", ""]
    groups: dict[tuple[str, str], list[Sample]] = {}
    for sample in result.samples:
        groups.setdefault((sample.rule, sample.transition), []).append(sample)
    used = len("\n".join(lines))
    left_out = 0
    for (rule, transition), samples in groups.items():
        total = _count(result, rule, transition)
        shown = f"{len(samples)} of {total:,}" if total is not None else f"{len(samples)}"
        moved = _cell(transition.replace("->", f" {ARROW} "))
        summary = f"<code>{_cell(rule)}</code>: {moved} ({shown} households)"
        body: list[str] = []
        for sample in samples:
            body += _sample(sample)
        section = _details(summary, body)
        size = len("\n".join(section)) + 1
        if left_out or used + size > room:
            left_out += 1
            continue
        lines += section
        used += size
    if left_out:
        lines += [
            f"{left_out} more sample section(s) left out, to keep this under the size of a "
            "pull-request comment: `--format json` has them all, or give `--samples` fewer.",
            "",
        ]
    return lines


def _count(result: DiffResult, rule: str, transition: str) -> int | None:
    column = "changed" if transition == "changed" else transition
    found = result.transitions.filter((pl.col("rule") == rule) & (pl.col("council") == ALL))
    return int(found[column][0]) if found.height and column in found.columns else None


def _sample(sample: Sample) -> list[str]:
    where = f", {_cell(council_name(sample.council))}" if sample.council else ""
    head = (
        f"**{_cell(sample.household)}**{where}: `{sample.rule}` {_cell(sample.before)} {ARROW} "
        f"{_cell(sample.after)}"
    )
    if sample.cause != sample.rule:
        head += (
            f"; first difference: `{sample.cause}` {_cell(sample.cause_before)} {ARROW} "
            f"{_cell(sample.cause_after)}"
        )
    rows = []
    for index in range(max(len(sample.base_facts), len(sample.new_facts))):
        rows.append([_fact(sample.base_facts, index), _fact(sample.new_facts, index)])
    table = ["| before | after |", "|---|---|", *("| " + " | ".join(r) + " |" for r in rows)]
    return [head, "", *table, ""]


def _fact(lines: tuple[str, ...], index: int) -> str:
    if index >= len(lines):
        return ""
    line = lines[index]
    depth = len(line) - len(line.lstrip(" "))
    return "&nbsp;" * depth + _cell(line.strip())
