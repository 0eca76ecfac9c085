"""A ruleset as pages a commissioner or auditor can read (`tfrules doc`).

For each rule: its title, what it is about, its source in the guidance, which
ruleset defined it, the rule itself laid out readably, the parameters it uses
with their values (and the dates they changed), and which rules use it. The
same content renders as Markdown or as a standalone HTML page.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterator

import attrs

from tfrules.check import types as T
from tfrules.check.model import (
    CheckedRuleset,
    DateValues,
    ParamInfo,
    ParamRef,
    RuleInfo,
    RuleRef,
    YearValues,
)
from tfrules.check.schema import Level
from tfrules.data.councils import council_name
from tfrules.interpret.explain import show
from tfrules.syntax import ast
from tfrules.syntax.format_expr import layout


def _names_in(node: object) -> Iterator[ast.Name]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            yield current
        if isinstance(current, ast.Expr | ast.Collection):
            for field in attrs.fields(type(current)):
                value = getattr(current, field.name)
                if isinstance(value, ast.Expr | ast.Collection):
                    stack.append(value)
                elif isinstance(value, tuple):
                    stack.extend(v for v in value if isinstance(v, ast.Expr))


@attrs.frozen
class _Uses:
    rules: tuple[str, ...]
    params: tuple[str, ...]


def _uses(ruleset: CheckedRuleset, rule: RuleInfo) -> _Uses:
    if rule.body is None:
        return _Uses((), ())
    rules: list[str] = []
    params: list[str] = []
    for name in _names_in(rule.body):
        resolution = ruleset.annotations.names.get(id(name))
        if isinstance(resolution, RuleRef) and resolution.name not in rules:
            rules.append(resolution.name)
        elif isinstance(resolution, ParamRef) and resolution.name not in params:
            params.append(resolution.name)
    for collection in _collections(rule.body):
        qualifier = ruleset.annotations.qualifiers.get(id(collection))
        if qualifier and qualifier not in rules:
            rules.append(qualifier)
    return _Uses(tuple(rules), tuple(params))


def _collections(node: object) -> Iterator[ast.Collection]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Collection):
            yield current
        if isinstance(current, ast.Expr):
            for field in attrs.fields(type(current)):
                value = getattr(current, field.name)
                if isinstance(value, ast.Expr | ast.Collection):
                    stack.append(value)
                elif isinstance(value, tuple):
                    stack.extend(v for v in value if isinstance(v, ast.Expr))


def param_value_text(info: ParamInfo) -> str:
    value = info.value
    if isinstance(value, YearValues):
        parts = [
            f"financial year {y}/{(y + 1) % 100:02d}: {show(v, info.type)}"
            for y, v in value.entries
        ]
        if value.otherwise is not None:
            parts.append(f"other years: {show(value.otherwise, info.type)}")
        return "; ".join(parts)
    if isinstance(value, DateValues):
        parts = [f"from {d}: {show(v, info.type)}" for d, v in value.entries]
        if value.otherwise is not None:
            parts.insert(0, f"before that: {show(value.otherwise, info.type)}")
        return "; ".join(parts)
    if isinstance(value, ast.Duration):
        return str(value)
    return show(value, info.type)


def _kind(rule: RuleInfo) -> str:
    about = "a member of the household" if rule.level is Level.PERSON else "the household"
    what = (
        "Criterion (true, false or unknown)"
        if rule.type.kind is T.Kind.BOOL
        else (f"Measure ({_type_words(rule.type)})")
    )
    return f"{what} about {about}"


def _facts(rule: RuleInfo) -> str:
    """`Criterion ... about the household. Source: ... Defined in national.phase1.`"""
    text = _kind(rule) + "."
    if rule.decl.sources:
        text += " Source: " + "; ".join(rule.decl.sources) + "."
    return text + f" Defined in {rule.layer}."


def _type_words(found: T.Type) -> str:
    return {
        T.Kind.MONEY: "an amount of money",
        T.Kind.INT: "a whole number",
        T.Kind.DECIMAL: "a number",
        T.Kind.PERCENT: "a percentage",
        T.Kind.DATE: "a date",
        T.Kind.DURATION: f"a duration in {found.unit}",
    }.get(found.kind, str(found))


def _rule_text(rule: RuleInfo) -> str:
    if rule.body is None:
        return "(left for each council's local ruleset to define)"
    lines = layout(rule.body, 0)
    return "\n".join(" " * line.indent + line.text for line in lines)


@attrs.frozen
class _Page:
    ruleset: CheckedRuleset
    rules: list[RuleInfo]
    params: list[ParamInfo]
    used_by: dict[str, list[str]]


def _page(ruleset: CheckedRuleset) -> _Page:
    own_rules = [r for r in ruleset.rules.values() if r.layer == ruleset.name]
    own_params = [p for p in ruleset.params.values() if p.layer == ruleset.name]
    used_by: dict[str, list[str]] = defaultdict(list)
    for rule in ruleset.rules.values():
        uses = _uses(ruleset, rule)
        for name in (*uses.rules, *uses.params):
            used_by[name].append(rule.name)
    return _Page(ruleset, own_rules, own_params, used_by)


def render_markdown(ruleset: CheckedRuleset) -> str:
    page = _page(ruleset)
    out = [f"# {ruleset.title or ruleset.name}", ""]
    out.append(f"Ruleset `{ruleset.name}`. {_header_sentence(ruleset)}".rstrip())
    out += [""] + [f"- Source: {s}" for s in ruleset.sources]
    out += [
        "",
        "This page is generated by `tfrules doc` from the rule file; do not edit it by hand.",
        "",
    ]
    if page.params:
        out += [
            "## Parameters",
            "",
            "| parameter | meaning | value | source | councils may change it |",
            "|---|---|---|---|---|",
        ]
        for info in page.params:
            out.append(
                f"| `{info.name}` | {_md(info.title or '')} | {_md(param_value_text(info))} | "
                f"{_md('; '.join(info.decl.sources))} | {'yes' if info.overridable else 'no'} |"
            )
        out.append("")
    if page.rules:
        out += ["## Rules", ""]
        for rule in page.rules:
            out += _rule_markdown(page, rule)
    tests = [t for t, layer in ruleset.tests if layer == ruleset.name]
    if tests:
        out += ["## Worked examples (tests)", ""]
        out += [f"- {_md(t.title)}" for t in tests]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _header_sentence(ruleset: CheckedRuleset) -> str:
    parts = []
    if len(ruleset.chain) > 1:
        parts.append(f"It builds on `{ruleset.chain[-2]}`")
    if ruleset.applies_to:
        parts.append("applies to " + ", ".join(council_name(c) for c in ruleset.applies_to))
    return (", and ".join(parts) + ".") if parts else ""


def _rule_markdown(page: _Page, rule: RuleInfo) -> list[str]:
    ruleset = page.ruleset
    out = [f"### `{rule.name}`: {_md(rule.title or '')}", ""]
    out += [_md(_facts(rule)), ""]
    out += ["```tfr", _rule_text(rule), "```", ""]
    uses = _uses(ruleset, rule)
    if uses.params:
        items = [f"`{p}` = {_md(param_value_text(ruleset.params[p]))}" for p in uses.params]
        out += ["Parameters: " + "; ".join(items) + ".", ""]
    if uses.rules:
        out += ["Uses: " + ", ".join(f"`{r}`" for r in uses.rules) + ".", ""]
    if page.used_by.get(rule.name):
        out += ["Used by: " + ", ".join(f"`{r}`" for r in page.used_by[rule.name]) + ".", ""]
    return out


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_html(ruleset: CheckedRuleset) -> str:
    page = _page(ruleset)
    e = html.escape
    body = [
        f"<h1>{e(ruleset.title or ruleset.name)}</h1>",
        f"<p>Ruleset <code>{e(ruleset.name)}</code>. {e(_header_sentence(ruleset))}</p>",
    ]
    if ruleset.sources:
        body.append("<ul>" + "".join(f"<li>Source: {e(s)}</li>" for s in ruleset.sources) + "</ul>")
    if page.params:
        body.append(
            "<h2>Parameters</h2><table><tr><th>parameter</th><th>meaning</th><th>value</th>"
            "<th>source</th><th>councils may change it</th></tr>"
        )
        for info in page.params:
            body.append(
                f"<tr><td><code>{e(info.name)}</code></td><td>{e(info.title or '')}</td>"
                f"<td>{e(param_value_text(info))}</td><td>{e('; '.join(info.decl.sources))}</td>"
                f"<td>{'yes' if info.overridable else 'no'}</td></tr>"
            )
        body.append("</table>")
    if page.rules:
        body.append("<h2>Rules</h2>")
    for rule in page.rules:
        uses = _uses(ruleset, rule)
        body.append(
            f'<h3 id="{e(rule.name)}"><code>{e(rule.name)}</code>: {e(rule.title or "")}</h3>'
        )
        body.append(f"<p>{e(_facts(rule))}</p><pre>{e(_rule_text(rule))}</pre>")
        if uses.params:
            body.append(
                "<p>Parameters: "
                + "; ".join(
                    f"<code>{e(p)}</code> = {e(param_value_text(ruleset.params[p]))}"
                    for p in uses.params
                )
                + ".</p>"
            )
        if uses.rules:
            body.append(
                "<p>Uses: "
                + ", ".join(f'<a href="#{e(r)}"><code>{e(r)}</code></a>' for r in uses.rules)
                + ".</p>"
            )
        if page.used_by.get(rule.name):
            body.append(
                "<p>Used by: "
                + ", ".join(
                    f'<a href="#{e(r)}"><code>{e(r)}</code></a>' for r in page.used_by[rule.name]
                )
                + ".</p>"
            )
    style = (
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}"
        "pre{background:#f4f4f4;padding:1rem;overflow-x:auto}"
        "table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(ruleset.title or ruleset.name)}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
