"""`tfrules explain --format html`: one household's case page.

One self-contained HTML file (its style inline, no script, nothing fetched):
the household and its members, then for each rule its value, title and the
ruleset that defined it, the facts that decided it, and the whole evaluation
folded away beneath; then the parameters used. Every text from the data or the
rules is escaped.
"""

from __future__ import annotations

import html

from tfrules.interpret.deciding import Decider, Fact
from tfrules.interpret.explain import Explanation, param_text, trace_lines
from tfrules.interpret.household import HouseholdData
from tfrules.interpret.plain_values import plain
from tfrules.model.ruleset import CheckedRuleset
from tfrules.semantics import calendar

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1b1b1b}"
    "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #ddd;"
    "padding-top:1rem}"
    ".value{font-weight:bold}.true{color:#0b6b2b}.false{color:#8a1c1c}.unknown{color:#8a5a00}"
    ".layer,.detail{color:#555}.missing{color:#8a5a00}"
    "ul.facts{margin:.3rem 0;padding-left:1.4rem}"
    "pre{background:#f4f4f4;padding:1rem;overflow-x:auto;font-size:.85rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;"
    "text-align:left}"
)


def _value_class(value: str | None) -> str:
    return value if value in ("true", "false", "unknown") else ""


def _fact_html(fact: Fact) -> str:
    e = html.escape
    if fact.kind == "missing":
        line = f'<span class="missing">missing: {e(fact.text)}</span>'
    elif fact.kind in ("more", "note"):
        line = f'<span class="detail">{e(fact.text)}</span>'
    else:
        line = f"<code>{e(fact.text)}</code>"
        if fact.value is not None and not (fact.kind == "element" and fact.value == "true"):
            css = _value_class(fact.value)
            line += f' = <span class="value {css}">{e(fact.value)}</span>'
        if fact.detail:
            line += f' <span class="detail">{e(fact.detail)}</span>'
    below = "".join(_fact_html(f) for f in fact.facts)
    return f"<li>{line}" + (f'<ul class="facts">{below}</ul>' if below else "") + "</li>"


def _members(household: HouseholdData, ruleset: CheckedRuleset, explanation: Explanation) -> str:
    persons = ruleset.schema.persons
    if not household.members or persons.key is None:
        return "<p>The household has no members.</p>"
    rows = []
    for member in household.members:
        born = member.get(persons.aged_by) if persons.aged_by else None
        age = calendar.age(born, explanation.as_of) if born is not None else None
        rows.append(
            f"<tr><td>{html.escape(str(member[persons.key]))}</td>"
            f"<td>{html.escape(plain(born))}</td><td>{html.escape(plain(age))}</td></tr>"
        )
    return (
        "<table><tr><th>member</th><th>born</th><th>age at the run date</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def render_html(
    explanation: Explanation,
    ruleset: CheckedRuleset,
    household: HouseholdData | None = None,
    depth: int = 8,
) -> str:
    """The case page of one household, as one HTML document."""
    e = html.escape
    decider = Decider(ruleset, explanation.missing, depth, explanation.as_of)
    title = f"Household {explanation.household}, as of {explanation.as_of}"
    body = [
        f"<h1>{e(title)}</h1>",
        f"<p>Rules: <code>{e(ruleset.name)}</code>"
        + (f", {e(ruleset.title)}" if ruleset.title else "")
        + "</p>",
    ]
    if explanation.missing:
        body.append(
            '<p class="missing">Tables not supplied (facts drawn from them are unknown): '
            + e(", ".join(sorted(explanation.missing)))
            + "</p>"
        )
    if household is not None:
        body.append(_members(household, ruleset, explanation))
    for rule in explanation.rules:
        value = plain(rule.value, ruleset.rules[rule.rule].type)
        body.append(
            f'<h2 id="{e(rule.rule)}"><code>{e(rule.rule)}</code> = '
            f'<span class="value {_value_class(value)}">{e(value)}</span></h2>'
        )
        if rule.title:
            body.append(
                f'<p>{e(rule.title)} <span class="layer">[defined in {e(rule.layer)}]</span></p>'
            )
        facts = "".join(_fact_html(f) for f in decider.rule(rule.tree))
        if facts:
            body.append(f'<p>Because:</p><ul class="facts">{facts}</ul>')
        trace = "\n".join(trace_lines(rule, ruleset, depth))
        if trace:
            body.append(
                f"<details><summary>The whole evaluation</summary><pre>{e(trace)}</pre></details>"
            )
    if explanation.params:
        rows = "".join(
            f"<tr><td><code>{e(name)}</code></td><td>{e(param_text(info))}</td>"
            f"<td>{e(info.layer)}</td></tr>"
            for name, info in explanation.params.items()
        )
        body.append(
            "<h2>Parameters used</h2><table><tr><th>parameter</th><th>value</th>"
            f"<th>set by</th></tr>{rows}</table>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
