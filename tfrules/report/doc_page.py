"""What a ruleset's page says (`tfrules doc`), before it is written as
Markdown or HTML.

A page has the ruleset's header (what it builds on, the councils it is for,
the period the programme ran in, its sources), the comment at the top of its
file as an introduction, its parameters as an officer reads them, its rules
each with the comment written above it, the rules of the rulesets it builds
on that its rules use (so that every link on the page leads somewhere), and
its tests as worked examples, each with its comment and its text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import attrs

from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.data.councils import council_name
from tfrules.interpret.plain_values import money, plain, words
from tfrules.model import types as T
from tfrules.model.ruleset import (
    CheckedRuleset,
    DateValues,
    ParamInfo,
    ParamRef,
    RuleInfo,
    RuleRef,
    YearValues,
)
from tfrules.model.schema import Level
from tfrules.syntax import ast
from tfrules.syntax.format_expr import layout
from tfrules.syntax.walk import walk

BUNDLED = "<tfrules>/"
_DIVIDER = re.compile(r"^#\s*-{3,}")


# ---------------------------------------------------------------- comments in the file


def source_lines(display: str) -> list[str] | None:
    """The lines of a rule file, by the name diagnostics give it; None if unreadable."""
    path = (
        bundled_rulesets_dir() / display[len(BUNDLED) :]
        if display.startswith(BUNDLED)
        else Path(display)
    )
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def _comment_text(line: str) -> str:
    return line.strip()[1:].removeprefix(" ").rstrip()


def header_comment(lines: list[str]) -> list[str]:
    """The comment lines above the `ruleset` line (without their `#`)."""
    found: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            found.append(_comment_text(stripped))
        elif stripped:
            break
    return found


def comment_above(lines: list[str], line: int) -> list[str]:
    """The comment written directly above line `line` (1-based): the run of
    comment lines that ends just before it, without section dividers."""
    found: list[str] = []
    index = line - 2
    while index >= 0:
        stripped = lines[index].strip()
        if not stripped.startswith("#") or _DIVIDER.match(stripped):
            break
        found.append(_comment_text(stripped))
        index -= 1
    return list(reversed(found))


def blocks(comment: list[str]) -> list[tuple[str, list[str]]]:
    """A comment as paragraphs and lists: ("p", [text]) or ("ul", [item, ...])."""
    out: list[tuple[str, list[str]]] = []
    for chunk in "\n".join(comment).split("\n\n"):
        lines = [line for line in chunk.splitlines() if line.strip()]
        first_item = next((i for i, line in enumerate(lines) if line.startswith("- ")), len(lines))
        if first_item:  # the lines before a list: a paragraph that introduces it
            out.append(("p", [" ".join(line.strip() for line in lines[:first_item])]))
        items: list[str] = []
        for line in lines[first_item:]:
            if line.startswith("- "):
                items.append(line[2:].strip())
            else:
                items[-1] += " " + line.strip()
        if items:
            out.append(("ul", items))
    return out


# ---------------------------------------------------------------- values


def param_value_text(info: ParamInfo) -> str:
    """A parameter's value as an officer reads it: £3,200 in 2012/13, 15%,
    12 months, any of: asbo, injunction."""
    value = info.value
    if isinstance(value, YearValues):
        parts = [
            f"{_value(v, info.type)} in financial year {y}/{(y + 1) % 100:02d}"
            for y, v in value.entries
        ]
        if value.otherwise is not None:
            parts.append(f"{_value(value.otherwise, info.type)} in other financial years")
        return "; ".join(parts)
    if isinstance(value, DateValues):
        parts = [f"{_value(v, info.type)} from {d}" for d, v in value.entries]
        if value.otherwise is not None:
            parts.insert(0, f"{_value(value.otherwise, info.type)} before {value.entries[0][0]}")
        return "; ".join(parts)
    if isinstance(value, ast.Duration):
        return str(value)
    return _value(value, info.type)


def _value(value: object, found: T.Type) -> str:
    if isinstance(value, frozenset):
        element = found.element
        shown = sorted(words(v) if isinstance(v, str) else plain(v, element) for v in value)
        return "any of: " + ", ".join(shown)
    if value is True or value is False:
        return "yes" if value else "no"
    if found.kind is T.Kind.MONEY and value is not None:
        return money(value)  # type: ignore[arg-type]
    if isinstance(value, ast.Duration):
        return str(value)
    return plain(value, found)


# ---------------------------------------------------------------- the page


@attrs.frozen
class DocRule:
    info: RuleInfo
    comment: list[str]
    uses_rules: tuple[str, ...]
    uses_params: tuple[str, ...]
    used_by: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.info.name


@attrs.frozen
class DocTest:
    title: str
    comment: list[str]
    text: str


@attrs.frozen
class Page:
    ruleset: CheckedRuleset
    intro: list[str]
    params: list[ParamInfo]
    rules: list[DocRule]
    #: rules of the rulesets this one builds on that its rules use, by ruleset
    base_rules: dict[str, list[DocRule]]
    tests: list[DocTest]

    @property
    def base(self) -> str | None:
        return self.ruleset.chain[-2] if len(self.ruleset.chain) > 1 else None


def _names_in(node: object) -> Iterator[ast.Name]:
    return (n for n in walk(node) if isinstance(n, ast.Name))


def _collections(node: object) -> Iterator[ast.Collection]:
    return (n for n in walk(node) if isinstance(n, ast.Collection))


def uses(ruleset: CheckedRuleset, rule: RuleInfo) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rules and parameters a rule reads, in the order it reads them."""
    if rule.body is None:
        return (), ()
    rules: list[str] = []
    params: list[str] = []
    for name in _names_in(rule.body):
        resolution = ruleset.annotations.resolution_or_none(name)
        if isinstance(resolution, RuleRef) and resolution.name not in rules:
            rules.append(resolution.name)
        elif isinstance(resolution, ParamRef) and resolution.name not in params:
            params.append(resolution.name)
    for collection in _collections(rule.body):
        qualifier = ruleset.annotations.qualifier(collection)
        if qualifier and qualifier not in rules:
            rules.append(qualifier)
    return tuple(rules), tuple(params)


def build_page(ruleset: CheckedRuleset) -> Page:
    files: dict[str, list[str] | None] = {}

    def lines_of(layer: str) -> list[str]:
        if layer not in files:
            display = ruleset.files.get(layer)
            files[layer] = source_lines(display) if display else None
        return files[layer] or []

    used_by: dict[str, list[str]] = defaultdict(list)
    read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for rule in ruleset.rules.values():
        read[rule.name] = uses(ruleset, rule)
        for name in (*read[rule.name][0], *read[rule.name][1]):
            used_by[name].append(rule.name)

    def doc_rule(info: RuleInfo) -> DocRule:
        comment = comment_above(lines_of(info.layer), info.decl.span.line)
        rules, params = read[info.name]
        return DocRule(info, comment, rules, params, tuple(used_by.get(info.name, ())))

    own = [doc_rule(r) for r in ruleset.rules.values() if r.layer == ruleset.name]
    # every rule of a base ruleset reached from this one's rules, so each link works
    base: dict[str, list[DocRule]] = defaultdict(list)
    seen = {r.name for r in own}
    queue = [name for r in own for name in r.uses_rules]
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        info = ruleset.rules[name]
        base[info.layer].append(doc_rule(info))
        queue.extend(read[name][0])
    tests = []
    for decl, layer in ruleset.tests:
        if layer != ruleset.name:
            continue
        lines = lines_of(layer)
        span = decl.span
        text = "\n".join(lines[span.line - 1 : span.end_line]) if lines else ""
        tests.append(DocTest(decl.title, comment_above(lines, span.line), text))
    return Page(
        ruleset,
        header_comment(lines_of(ruleset.name)),
        [p for p in ruleset.params.values() if p.layer == ruleset.name],
        own,
        {layer: base[layer] for layer in ruleset.chain if layer in base},
        tests,
    )


# ---------------------------------------------------------------- sentences


def header_parts(ruleset: CheckedRuleset) -> list[str]:
    """Plain sentences about the ruleset (no markup)."""
    parts = []
    if len(ruleset.chain) > 1:
        parts.append(f"It builds on {ruleset.chain[-2]}.")
    if ruleset.applies_to:
        councils = ", ".join(council_name(c) for c in ruleset.applies_to)
        parts.append(f"It applies to {councils}.")
    if ruleset.period is not None:
        parts.append(
            f"The programme ran from {ruleset.period.start} to {ruleset.period.end}: "
            "a run at a date outside it is warned about."
        )
    return parts


def kind_sentence(rule: RuleInfo) -> str:
    about = "a member of the household" if rule.level is Level.PERSON else "the household"
    if rule.type.kind is T.Kind.BOOL:
        what = "Criterion (true, false or unknown)"
    else:
        what = f"Measure ({_type_words(rule.type)})"
    return f"{what} about {about}."


def _type_words(found: T.Type) -> str:
    return {
        T.Kind.MONEY: "an amount of money",
        T.Kind.INT: "a whole number",
        T.Kind.DECIMAL: "a number",
        T.Kind.PERCENT: "a percentage",
        T.Kind.DATE: "a date",
        T.Kind.DURATION: f"a duration in {found.unit}",
    }.get(found.kind, str(found))


def rule_text(rule: RuleInfo) -> str:
    if rule.body is None:
        return "(left for each council's local ruleset to define)"
    return "\n".join(" " * line.indent + line.text for line in layout(rule.body, 0))
