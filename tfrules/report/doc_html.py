"""A ruleset's page as one standalone HTML file (`tfrules doc --out FILE.html`).

Everything from the rule files is escaped; a comment's `code` becomes
<code>, its lists become lists: no Markdown reaches the page as text. Every
link leads to an anchor on the same page.
"""

from __future__ import annotations

import html
import re

from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.doc_page import (
    DocRule,
    Page,
    blocks,
    build_page,
    header_parts,
    kind_sentence,
    param_value_text,
    rule_text,
)

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}"
    "pre{background:#f4f4f4;padding:1rem;overflow-x:auto}"
    "table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
    ".title{font-weight:bold}.facts{color:#444}"
)
_CODE = re.compile(r"`([^`]+)`")


def _text(text: str) -> str:
    """Escaped text, with `code` spans as <code>."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def _comment(comment: list[str]) -> str:
    out = []
    for kind, items in blocks(comment):
        if kind == "ul":
            out.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in items) + "</ul>")
        else:
            out.append(f"<p>{_text(items[0])}</p>")
    return "".join(out)


def _link(name: str, on_page: set[str]) -> str:
    e = html.escape
    code = f"<code>{e(name)}</code>"
    return f'<a href="#{e(name)}">{code}</a>' if name in on_page else code


def rule_pre(text: str) -> str:
    """Rules as an HTML `<pre>` block, highlighted by the language's Pygments lexer."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    from tfrules.syntax.highlight import TfrulesLexer

    inner = highlight(text, TfrulesLexer(), HtmlFormatter(nowrap=True))
    return f'<pre class="tfr">{inner.rstrip()}</pre>'


def _highlight_style() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".tfr").replace("\n", "")


def render_html(ruleset: CheckedRuleset) -> str:
    page = build_page(ruleset)
    e = html.escape
    on_page = {r.name for r in page.rules} | {
        r.name for rules in page.base_rules.values() for r in rules
    }
    body = [
        f"<h1>{e(ruleset.title or ruleset.name)}</h1>",
        "<p>"
        + " ".join([f"Ruleset <code>{e(ruleset.name)}</code>.", *map(e, header_parts(ruleset))])
        + "</p>",
    ]
    if ruleset.sources:
        body.append(
            "<ul>" + "".join(f"<li>Source: {_text(s)}</li>" for s in ruleset.sources) + "</ul>"
        )
    body.append(_comment(page.intro))
    if page.params:
        body.append(
            '<h2 id="section-parameters">Parameters</h2><table><tr><th>parameter</th>'
            "<th>meaning</th><th>value</th><th>source</th><th>councils may change it</th></tr>"
        )
        for info in page.params:
            sources = _text("; ".join(info.decl.sources))
            body.append(
                f"<tr><td><code>{e(info.name)}</code></td><td>{_text(info.title or '')}</td>"
                f"<td>{e(param_value_text(info))}</td><td>{sources}</td>"
                f"<td>{'yes' if info.overridable else 'no'}</td></tr>"
            )
        body.append("</table>")
    if page.rules:
        body.append('<h2 id="section-rules">Rules</h2>')
        body += [_rule_html(page, rule, on_page) for rule in page.rules]
    for layer, rules in page.base_rules.items():
        body.append(f"<h2>Rules of {e(layer)} used here</h2>")
        body.append(
            f"<p>The rules of <code>{e(layer)}</code> that the rules above use, as "
            f"<code>{e(layer)}</code> defines them.</p>"
        )
        body += [_rule_html(page, rule, on_page) for rule in rules]
    if page.tests:
        body.append('<h2 id="section-examples">Worked examples</h2>')
        body.append(
            "<p>Each example is one of the ruleset's tests: a few households, the run date, "
            "and the values the rules must give them (<code>expect</code>). "
            "<code>tfrules test</code> checks every one.</p>"
        )
        for test in page.tests:
            body.append(f"<h3>{_text(test.title)}</h3>{_comment(test.comment)}")
            if test.text:
                body.append(rule_pre(test.text))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(ruleset.title or ruleset.name)}</title><style>{STYLE}{_highlight_style()}"
        "</style></head><body>\n" + "\n".join(b for b in body if b) + "\n</body></html>\n"
    )


def _rule_html(page: Page, rule: DocRule, on_page: set[str]) -> str:
    e = html.escape
    info = rule.info
    parts = [f'<h3 id="{e(rule.name)}"><code>{e(rule.name)}</code></h3>']
    if info.title:
        parts.append(f'<p class="title">{_text(info.title)}</p>')
    parts.append(_comment(rule.comment))
    facts = kind_sentence(info)
    if info.decl.sources:
        facts += " Source: " + "; ".join(info.decl.sources) + "."
    parts.append(f'<p class="facts">{_text(facts)} Defined in {e(info.layer)}.</p>')
    parts.append(rule_pre(rule_text(info)))
    params = page.ruleset.params
    if rule.uses_params:
        items = "; ".join(
            f"<code>{e(p)}</code> = {e(param_value_text(params[p]))}" for p in rule.uses_params
        )
        parts.append(f"<p>Parameters: {items}.</p>")
    if rule.uses_rules:
        parts.append("<p>Uses: " + ", ".join(_link(r, on_page) for r in rule.uses_rules) + ".</p>")
    if rule.used_by:
        parts.append("<p>Used by: " + ", ".join(_link(r, on_page) for r in rule.used_by) + ".</p>")
    return "".join(p for p in parts if p)
