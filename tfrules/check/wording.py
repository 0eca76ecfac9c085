"""What the checker's messages say in plain words: kinds of values as a rule
author calls them, and hints that name the fix for the common slips."""

from __future__ import annotations

from tfrules.model import types as T
from tfrules.syntax import ast

VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "of": "take"}
PREPOSITIONS = {"+": "and", "-": "and", "*": "by", "/": "by", "of": "of"}


def a_value(found: T.Type) -> str:
    words = {
        T.Kind.BOOL: "a true/false value",
        T.Kind.INT: "a whole number",
        T.Kind.DECIMAL: "a number",
        T.Kind.MONEY: "an amount of money",
        T.Kind.PERCENT: "a percentage",
        T.Kind.DATE: "a date",
        T.Kind.DURATION: f"a duration in {found.unit}" if found.unit else "a duration",
        T.Kind.TEXT: "a text",
        T.Kind.CATEGORY: "one of {" + shortlist(found.values) + "}",
        T.Kind.SET: "a set of values",
        T.Kind.NULL: "unknown",
        T.Kind.ERROR: "a value in error",
        T.Kind.TABLE: "a table",
    }
    return words[found.kind]


def shortlist(values: tuple[str, ...]) -> str:
    return ", ".join(values[:6]) + (", …" if len(values) > 6 else "")


def quoted(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def bool_hint(node: ast.Expr) -> str | None:
    if isinstance(node, ast.Aggregate) and node.where:
        return (
            "a count or sum ends at the end of its 'where' conditions: to compare it, put it "
            "in parentheses, e.g. (count offences where proven) >= 2"
        )
    return None


def compare_hint(left: T.Type, right: T.Type, op: str) -> str | None:
    if T.Kind.MONEY in (left.kind, right.kind):
        return "amounts of money compare with amounts of money: write £500, not 500"
    if left.kind is T.Kind.DURATION and right.kind is T.Kind.DURATION:
        return "days and weeks compare with each other, months and years with each other"
    if left.kind in (T.Kind.BOOL, T.Kind.CATEGORY) and op not in ("=", "!="):
        return "true/false values and categories compare only with '=' and '!='"
    return None


def arith_hint(op: str, left: T.Type, right: T.Type) -> str | None:
    kinds = {left.kind, right.kind}
    if T.Kind.MONEY in kinds and T.Kind.PERCENT in kinds:
        return "to take a percentage of an amount, write 'rate of amount', e.g. 40% of £4,000"
    if T.Kind.DATE in kinds and T.Kind.BOOL in kinds:
        return "a date can be moved by a duration: attached_on + 12 months"
    if T.Kind.MONEY in kinds:
        return "amounts of money add to amounts of money: write £500, not 500"
    return None
