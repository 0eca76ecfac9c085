"""What a mapping's pictures of dates and amounts mean.

A date picture is written as an officer sees the dates in the file:
`dd/mm/yyyy`, `d mmm yyyy`, `yyyy-mm-dd hh:mm:ss`. Its parts:

    d, dd       the day, with or without a leading zero
    m, mm       the month as a number, with or without a leading zero
    mmm         the month's short name (Jan, Feb, ...)
    mmmm        the month's full name (January, ...)
    yyyy        the year, four digits (two-digit years are ambiguous: refused)
    hh:mm       a time after the date, read and then dropped; also hh:mm:ss

separated by any of `/ - . , ` and spaces. Day, month and year must each be
there once.

An amount picture is an example amount as the file writes it: `£1,234.50`
says that a pound sign may come first and that `,` separates thousands;
`1.234,50` says `.` separates thousands and `,` is the decimal point. A value
may be negative (`-£12.50` or `£-12.50`) and may have fewer decimal places than
the picture (`£3`).
"""

from __future__ import annotations

import re

import attrs

_DATE_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dd|d|hh:mm:ss|hh:mm|[/\-., ]+|.", re.IGNORECASE)
_SEPARATORS = set("/-., ")
_PARTS = {
    "yyyy": ("%Y", r"\d{4}", "year"),
    "mmmm": ("%B", r"[A-Za-z]{3,9}", "month"),
    "mmm": ("%b", r"[A-Za-z]{3}", "month"),
    "mm": ("%m", r"\d{1,2}", "month"),
    "m": ("%m", r"\d{1,2}", "month"),
    "dd": ("%d", r"\d{1,2}", "day"),
    "d": ("%d", r"\d{1,2}", "day"),
    "hh:mm:ss": ("%H:%M:%S", r"\d{1,2}:\d{2}:\d{2}", "time"),
    "hh:mm": ("%H:%M", r"\d{1,2}:\d{2}", "time"),
}

#: Currency signs an amount picture may start with.
CURRENCY_SIGNS = ("£", "GBP")


class PictureError(ValueError):
    """The picture cannot be understood; the message says why in plain words."""


@attrs.frozen
class DatePicture:
    picture: str
    #: The strftime/strptime format that reads it.
    format: str
    #: A regular expression a value must match in full before it is read.
    pattern: str
    has_time: bool = False


@attrs.frozen
class AmountPicture:
    picture: str
    currency: str | None
    thousands: str | None
    decimal: str


def date_picture(picture: str) -> DatePicture:
    """The meaning of a date picture such as `dd/mm/yyyy` (raises PictureError)."""
    text = picture.strip()
    if not text:
        raise PictureError("the picture is empty")
    fmt, pattern, seen = [], [], []
    for token in _DATE_TOKEN.findall(text):
        part = _PARTS.get(token.lower())
        if part is not None:
            strf, regex, name = part
            if name in seen:
                raise PictureError(f"the picture has the {name} twice")
            if name == "time" and len(seen) < 3:
                raise PictureError("a time (hh:mm) can only come after the day, month and year")
            seen.append(name)
            fmt.append(strf)
            pattern.append(regex)
        elif token.lower() == "yy":
            raise PictureError(
                "a two-digit year is ambiguous (is 15 1915 or 2015?): write yyyy, and "
                "have the extract give four-digit years"
            )
        elif set(token) <= _SEPARATORS:
            fmt.append(token.replace("%", "%%"))
            pattern.append(r"\s+" if token.strip() == "" else re.escape(token))
        else:
            raise PictureError(
                f"'{token}' is not part of a date picture: use d or dd for the day, m, mm, "
                "mmm or mmmm for the month, yyyy for the year, separated by / - . or spaces"
            )
    missing = [name for name in ("day", "month", "year") if name not in seen]
    if missing:
        raise PictureError(f"the picture has no {' and no '.join(missing)}")
    return DatePicture(picture, "".join(fmt), "^" + "".join(pattern) + "$", has_time="time" in seen)


def amount_picture(picture: str) -> AmountPicture:
    """The meaning of an amount picture such as `£1,234.50` (raises PictureError)."""
    text = picture.strip()
    currency = next((sign for sign in CURRENCY_SIGNS if text.startswith(sign)), None)
    body = text[len(currency) :].strip() if currency else text
    grouped = re.fullmatch(
        r"\d{1,3}(?P<sep>[,. '])\d{3}(?:(?P=sep)\d{3})*(?P<dec>[.,]\d{1,2})?", body
    )
    plain = re.fullmatch(r"\d+(?P<dec>[.,]\d{1,2})?", body)
    if grouped is None and plain is None:
        raise PictureError(
            "an amount picture is an example amount as the file writes it, such as "
            "£1,234.50 or 1234.50 (a pound sign, thousands separators and pence are optional)"
        )
    match = grouped or plain
    assert match is not None
    thousands = grouped["sep"] if grouped else None
    decimal = match["dec"][0] if match["dec"] else ("," if thousands == "." else ".")
    if thousands == decimal:
        raise PictureError(f"'{decimal}' cannot both separate thousands and mark the pence")
    return AmountPicture(picture, currency, thousands, decimal)
