"""Values and expressions as an officer reads them, for explanations.

A category value is a word, not a name (`child_protection_plan` is "child
protection plan"), money is pounds and pence (£1,234.50, £4,000), a
percentage is 15%, a date is 2012-12-12, unknown is "unknown". A long
expression is shortened at a word, never in the middle of one.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from typing import Any

from tfrules.model import types as T

WIDTH = 100


def money(value: Decimal | int) -> str:
    """£4,000, £1,234.50, -£20: whole pounds without pence."""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    text = f"£{abs(amount):,.2f}"
    return sign + (text[:-3] if text.endswith(".00") else text)


def words(category_value: str) -> str:
    """A category value in plain words: child_in_need -> child in need (JSA stays JSA)."""
    return category_value.replace("_", " ")


def plain(value: Any, found: T.Type | None = None) -> str:
    """A value as an officer reads it."""
    if value is None:
        return "unknown"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = found.kind if found is not None else None
    if isinstance(value, frozenset):
        element = found.element if found is not None else None
        return "{" + ", ".join(sorted(plain(v, element) for v in value)) + "}"
    if kind is T.Kind.MONEY and isinstance(value, Decimal | int):
        return money(value)
    if kind is T.Kind.PERCENT and isinstance(value, Decimal | int):
        return f"{(Decimal(value) * 100).normalize():f}%"
    if kind is T.Kind.DURATION and found is not None:
        return f"{value} {found.unit}"
    if kind is T.Kind.CATEGORY and isinstance(value, str):
        return words(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def shorten(text: str, width: int = WIDTH) -> str:
    """`text` on one line, cut at a word (with …) if longer than `width`."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    return textwrap.shorten(flat, width=width, placeholder=" …")
