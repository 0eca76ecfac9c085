"""What the editor shows on hover: the meaning of a name, in Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tfrules.lsp.occurrences import (
    BuiltinTarget,
    CategoryTarget,
    ColumnTarget,
    ParamTarget,
    RulesetTarget,
    RuleTarget,
    SchemaTarget,
    TableTarget,
    occurrence_at,
)
from tfrules.model import types as T
from tfrules.model.schema import Level, Table
from tfrules.syntax import ast

if TYPE_CHECKING:
    from tfrules.lsp.analysis import Analysis

#: The meaning of each built-in value and function (docs/language.md, sections 7.11 and 9).
BUILTIN_MEANINGS = {
    "as_of": "The date the rules are run for (`tfrules eval --as-of`, a test's `as of`): "
    "windows such as `in the last 12 months` end on it.",
    "age": "A member's age in whole years on the run date, from their date of birth "
    "(`age at offence_date`: their age on another date).",
    "active": "True when a spell (a row with a start and an end date) is going on on the run "
    "date: started on or before it, and not ended before it.",
    "lasted": "How long a spell has lasted: from its start to its end, or to the run date "
    "while it goes on. Compare it with a duration: `lasted >= 26 weeks`.",
    "min": "The smallest of its values: `min(a, b, ...)`. Unknown if any value is unknown.",
    "max": "The largest of its values: `max(a, b, ...)`. Unknown if any value is unknown.",
    "first_known": "The first of its values that is known: `first_known(attached_on, as_of)`.",
    "financial_year": "The financial year (April to March) a date falls in, as the year it "
    "starts: `financial_year(2013-01-15)` is 2012.",
}


def hover(analysis: Analysis, line: int, column: int) -> tuple[str, ast.Span] | None:
    """Markdown about the name at a 1-based position, and the name's span."""
    occurrence = occurrence_at(analysis.occurrences, line, column)
    if occurrence is None:
        return None
    text = describe(analysis, occurrence.target)
    return (text, occurrence.span) if text else None


def describe(analysis: Analysis, target: object) -> str | None:
    view = analysis.view
    checked = view.checked
    if isinstance(target, RuleTarget) and checked is not None and target.name in checked.rules:
        return _rule(analysis, target.name)
    if isinstance(target, ParamTarget) and checked is not None and target.name in checked.params:
        return _param(analysis, target.name)
    if isinstance(target, ColumnTarget | TableTarget) and view.schema is not None:
        table = view.schema.table(target.table)
        if table is None:
            return None
        if isinstance(target, TableTarget):
            return _table(table)
        column = table.column(target.column)
        return _column(table, target.column) if column is not None else None
    if isinstance(target, BuiltinTarget) and target.name in BUILTIN_MEANINGS:
        kind = (
            "function"
            if target.name in ("min", "max", "first_known", "financial_year")
            else "built-in value"
        )
        return f"**{target.name}** ({kind})\n\n{BUILTIN_MEANINGS[target.name]}"
    if isinstance(target, CategoryTarget):
        return _category(analysis, target)
    if isinstance(target, RulesetTarget | SchemaTarget):
        workspace = view.workspace
        is_ruleset = isinstance(target, RulesetTarget)
        source = workspace.ruleset(target.name) if is_ruleset else workspace.schema(target.name)
        if source is None or source.ast is None:
            return None
        tree = source.ast
        lines = [f"**{'ruleset' if is_ruleset else 'schema'} {target.name}**"]
        if tree.title:
            lines.append(f"\n{tree.title}")
        lines.append(f"\nIn `{source.display}`.")
        lines += [f"\n- source: {s}" for s in tree.sources]
        return "\n".join(lines)
    return None


def type_words(found: T.Type) -> str:
    words = {
        T.Kind.BOOL: "true, false or unknown",
        T.Kind.INT: "a whole number",
        T.Kind.DECIMAL: "a number",
        T.Kind.MONEY: "an amount of money",
        T.Kind.PERCENT: "a percentage",
        T.Kind.DATE: "a date",
        T.Kind.TEXT: "a text",
        T.Kind.DURATION: f"a duration in {found.unit}" if found.unit else "a duration",
    }
    if found.kind is T.Kind.CATEGORY:
        return "one of " + ", ".join(found.values)
    if found.kind is T.Kind.SET and found.element is not None:
        return "a set of values, each " + type_words(found.element)
    return words.get(found.kind, str(found))


def _about(level: Level) -> str:
    return "a member of the household" if level is Level.PERSON else "the household"


def _declaration_text(analysis: Analysis, decl: ast.RuleDecl | ast.ParamDecl) -> str | None:
    source = analysis.view.workspace.ruleset(_layer_of(analysis, decl) or "")
    text = source.parsed.text if source is not None else None
    if text is None:
        return None
    lines = text.split("\n")[decl.span.line - 1 : decl.span.end_line]
    if len(lines) > 12:
        lines = [*lines[:12], "    …"]
    return "\n".join(line.rstrip() for line in lines)


def _layer_of(analysis: Analysis, decl: ast.RuleDecl | ast.ParamDecl) -> str | None:
    checked = analysis.view.checked
    if checked is None:
        return None
    for name, display in checked.files.items():
        if display == decl.span.file:
            return name
    return None


def _rule(analysis: Analysis, name: str) -> str:
    checked = analysis.view.checked
    assert checked is not None
    rule = checked.rules[name]
    kind = "abstract " + rule.decl.kind if rule.abstract else rule.decl.kind
    head = f"**{kind} {name}**" + (f": {rule.title}" if rule.title else "")
    facts = [f"{type_words(rule.type)}; about {_about(rule.level)}"]
    facts += [f"source: {s}" for s in rule.decl.sources]
    origin = analysis.origins.get(("rule", name), rule.layer)
    defined = f"defined in `{rule.layer}` ({checked.files.get(rule.layer, '?')})"
    if origin != rule.layer:
        defined += f", left abstract by `{origin}` for each council to define"
    elif rule.abstract:
        defined += "; left for each council's local ruleset to define"
    facts.append(defined)
    out = [head, "", *(f"- {f}" for f in facts)]
    text = _declaration_text(analysis, rule.decl)
    if text:
        out += ["", "```tfr", text, "```"]
    return "\n".join(out)


def _param(analysis: Analysis, name: str) -> str:
    from tfrules.report.ruleset_doc import param_value_text

    checked = analysis.view.checked
    assert checked is not None
    info = checked.params[name]
    head = f"**parameter {name}**" + (f": {info.title}" if info.title else "")
    facts = [f"value: {param_value_text(info)}", f"type: {type_words(info.type)}"]
    facts += [f"source: {s}" for s in info.decl.sources]
    origin = analysis.origins.get(("parameter", name), info.layer)
    if origin != info.layer:
        facts.append(f"set by `{info.layer}`, overriding the value of `{origin}`")
    else:
        facts.append(f"set by `{info.layer}` ({checked.files.get(info.layer, '?')})")
    if info.overridable:
        facts.append(f"councils may change it: `override parameter {name} = ...`")
    else:
        facts.append("councils cannot change it")
    return "\n".join([head, "", *(f"- {f}" for f in facts)])


def _table(table: Table) -> str:
    if table.level is Level.EVENT:
        what = f"events: each row belongs to a row of {table.owner} (by `{table.owner_key}`)"
    else:
        what = f"the {table.entity or table.name}s: one row each"
    out = [f"**table {table.name}**" + (f": {table.title}" if table.title else ""), "", f"- {what}"]
    if table.date_column:
        out.append(f"- each row is dated by `{table.date_column}`")
    elif table.span:
        out.append(f"- each row is a spell from `{table.span[0]}` to `{table.span[1]}`")
    elif table.term:
        out.append(f"- each row is a school term (`{table.term[0]}`, `{table.term[1]}`)")
    if table.empty_when_missing:
        out.append("- a data set without it is read as having no rows")
    elif table.level is Level.EVENT:
        out.append("- a data set without it makes what is drawn from it unknown")
    out.append("- columns: " + ", ".join(f"`{c}`" for c in table.column_names))
    return "\n".join(out)


def _column(table: Table, name: str) -> str:
    column = table.column(name)
    assert column is not None
    out = [f"**column {table.name}.{name}**" + (f": {column.title}" if column.title else ""), ""]
    out.append(
        f"- type: {type_words(column.type)}" + (" (never negative)" if column.non_negative else "")
    )
    out.append("- may be empty (optional)" if column.nullable else "- always has a value")
    if column.default is not None:
        out.append(f"- in tests, rows without it get `{column.default}`")
    return "\n".join(out)


def _category(analysis: Analysis, target: CategoryTarget) -> str:
    schema = analysis.view.schema
    columns = []
    if schema is not None:
        columns = [
            f"`{t.name}.{c.name}`"
            for t in schema.tables
            for c in t.columns
            if c.type == target.category
        ]
    out = [f"**{target.value}**: one of the values {', '.join(target.category.values)}"]
    if columns:
        out.append("\nAllowed in " + ", ".join(columns) + ".")
    return "\n".join(out)
