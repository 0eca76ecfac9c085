"""Literals, names of types and collections, and quoted text in canonical form,
for `tfrules fmt` and everything else that writes rule text (`format_expr`
lays out the expressions around them)."""

from __future__ import annotations

from decimal import Decimal

from tfrules.syntax import ast


def quote(text: str) -> str:
    """A quoted string token whose value is `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(lit: ast.Literal) -> str:
    """The canonical spelling of a literal: `£3,200`, `£3,200.50`, `12.5%`,
    `12 months`, `1 month`, `2013-04-01`."""
    value = lit.value
    match lit.kind:
        case "int":
            return str(value)
        case "decimal":
            assert isinstance(value, Decimal)
            text = format(abs(value) if value == 0 else value, "f")  # no "-0.0"
            return text if "." in text else text + ".0"
        case "percent":
            assert isinstance(value, Decimal)
            return format((value * 100).normalize(), "f") + "%"
        case "money":
            assert isinstance(value, Decimal)
            return _money(value)
        case "date":
            return value.isoformat()  # type: ignore[union-attr]
        case "duration":
            return str(value)
        case "text":
            assert isinstance(value, str)
            return quote(value)
        case "bool":
            return "true" if value else "false"
        case _:
            return "unknown"


def _money(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    amount = abs(value).quantize(Decimal("0.01"))
    pounds = int(amount)
    pence = int((amount - pounds) * 100)
    return f"{sign}£{pounds:,}" + (f".{pence:02d}" if pence else "")


def field_value(value: ast.Literal | ast.Name) -> str:
    return value.name if isinstance(value, ast.Name) else literal(value)


def type_ref(ref: ast.TypeRef) -> str:
    if ref.element is not None:
        return "set of " + type_ref(ref.element)
    if ref.column is not None:
        return f"{ref.column[0]}.{ref.column[1]}"
    if ref.values:
        return "{" + ", ".join(ref.values) + "}"
    return ref.name or ""


def collection(coll: ast.Collection, singular: bool) -> str:
    """`member` after a quantifier (`any adult member`), `members` after an
    aggregate (`count adult members`); the tree does not keep which."""
    if not coll.is_members:
        return coll.name
    word = "member" if singular else "members"
    return f"{coll.qualifier} {word}" if coll.qualifier else word
