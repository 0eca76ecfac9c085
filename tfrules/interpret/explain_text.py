"""`tfrules explain` as text: by default the facts that decided each value,
a screen or so per rule; with `full`, the whole evaluation tree."""

from __future__ import annotations

from tfrules.interpret.deciding import Decider, Fact
from tfrules.interpret.explain import Explanation, param_text
from tfrules.interpret.plain_values import plain
from tfrules.model.ruleset import CheckedRuleset

INDENT = "  "


def render_summary(explanation: Explanation, ruleset: CheckedRuleset, depth: int = 8) -> str:
    """For each rule: its value, its title, the ruleset that defined it, and
    the facts that decided it; then the parameters used."""
    decider = Decider(ruleset, explanation.missing, depth, explanation.as_of)
    lines = [
        f"household {explanation.household}, as of {explanation.as_of}",
        "(the facts that decided each value; the whole evaluation: --full)",
        "",
    ]
    for rule in explanation.rules:
        info = ruleset.rules[rule.rule]
        title = f": {rule.title}" if rule.title else ""
        value = plain(rule.value, info.type)
        lines.append(f"{rule.rule} = {value}{title}  [defined in {rule.layer}]")
        for fact in decider.rule(rule.tree):
            render_fact(fact, 1, lines)
        lines.append("")
    if explanation.params:
        lines.append("parameters used:")
        for name, info in explanation.params.items():
            lines.append(f"  {name} = {param_text(info)}  [{info.layer}]")
    return "\n".join(lines).rstrip() + "\n"


def fact_line(fact: Fact) -> str:
    """One fact on one line, as it reads."""
    if fact.kind in ("missing", "more", "note"):
        return ("missing: " if fact.kind == "missing" else "") + fact.text
    if fact.kind == "element":
        shown = fact.text if fact.value in (None, "true") else f"{fact.text} = {fact.value}"
        return shown + (f": {fact.detail}" if fact.detail else "")
    text = fact.text if fact.value is None else f"{fact.text} = {fact.value}"
    return text + (f"  {fact.detail}" if fact.detail and fact.kind == "rule" else
                   f"  ({fact.detail})" if fact.detail else "")  # fmt: skip


def render_fact(fact: Fact, level: int, lines: list[str]) -> None:
    lines.append(INDENT * level + fact_line(fact))
    for below in fact.facts:
        render_fact(below, level + 1, lines)
