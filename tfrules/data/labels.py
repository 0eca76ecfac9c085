"""Reading a category, true/false or text column through its labels, without
string work on every row.

A labelled value is matched without regard to capitals or spaces at its ends
(`tfrules.model.mapping.fold`). Folding every row (trimming it, lower-casing it,
looking it up) cost more than the rest of a run put together, so a row is read
in two steps, each a Polars expression over the whole column:

1. the raw text is compared with the labels exactly as the mapping writes them
   (and, in a category, with the category's own values): a comparison of
   short strings, about a nanosecond a row, which reads every row of an
   extract written the way its mapping says;
2. only the rows that step leaves unread are folded (the others are null by
   then, which string functions skip) and looked up among the folded labels,
   through an `Enum` of them.

Both steps give the index of a label (its *code*, in a helper column beside
the source's own), and the value is the label's meaning at that index. A row
no label reads keeps its text in a category or text column (the validator
reports a category value with no label) and is null in a true/false column
(reported as unreadable); a label meaning unknown gives null, and its row's
shown value is null too, so that it is not reported as unreadable.
"""

from __future__ import annotations

import itertools

import attrs
import polars as pl

from tfrules.model.mapping import ColumnSource, LabelValue, fold
from tfrules.model.schema import Column
from tfrules.model.types import Kind

#: Kinds whose every readable value is a label (or one of their own words):
#: they are read through `Lookup`; other kinds' labels can only mean unknown.
LOOKUP_KINDS = (Kind.CATEGORY, Kind.BOOL, Kind.TEXT)

#: How a true/false column's values are read without labels (`casts.cast_value`).
BOOL_WORDS: dict[str, LabelValue] = {"true": True, "false": False, "1": True, "0": False}


def exact_name(column: str) -> str:
    """The helper column holding the code of a row read by its exact spelling."""
    return f"__tfrules_exact_{column}"


def code_name(column: str) -> str:
    """The helper column holding the code of each row's label (null: none)."""
    return f"__tfrules_code_{column}"


def key_name(column: str) -> str:
    """The helper column holding the index of the label a row read folded is."""
    return f"__tfrules_key_{column}"


def text_name(column: str) -> str:
    """The helper column holding a column's raw value as text, where it is not text."""
    return f"__tfrules_text_{column}"


@attrs.frozen
class Lookup:
    """The labels of one column of one source.

    `keys` are folded and grouped by meaning: `meanings[j]` is the meaning of
    the keys before `ends[j]` (and from `ends[j - 1]`); the keys from
    `ends[-1]` on mean unknown. A row's code is the index of its meaning in
    `meanings`, or `len(meanings)` for a label meaning unknown. `spellings`
    maps a raw text compared exactly to its code."""

    keys: tuple[str, ...]
    meanings: tuple[LabelValue, ...]
    ends: tuple[int, ...]
    spellings: tuple[tuple[str, int], ...]

    @property
    def unknown(self) -> int:
        """The code of a label meaning unknown."""
        return len(self.meanings)

    @property
    def says_unknown(self) -> bool:
        return len(self.keys) > (self.ends[-1] if self.ends else 0)

    @property
    def codes_are_keys(self) -> bool:
        """Whether each key's index is its code (one key for each meaning, and at
        most one meaning unknown)."""
        return (
            self.ends == tuple(range(1, len(self.meanings) + 1))
            and len(self.keys) <= len(self.meanings) + 1
        )

    @classmethod
    def of(cls, column: Column, source: ColumnSource, dtype: pl.DataType) -> Lookup:
        kind = column.type.kind
        table: dict[str, LabelValue] = {}
        own: list[str] = []
        if kind is Kind.BOOL:
            table.update(BOOL_WORDS)
        elif kind is Kind.CATEGORY and dtype == pl.String:
            own = list(column.type.values)
            table.update({fold(value): value for value in own})
        table.update(source.labels)
        groups: dict[LabelValue, list[str]] = {}
        for key, meaning in table.items():
            groups.setdefault(meaning, []).append(key)
        unknown = groups.pop(None, [])
        meanings = list(groups)
        keys = [key for meaning in meanings for key in groups[meaning]] + unknown
        ends = tuple(itertools.accumulate(len(groups[meaning]) for meaning in meanings))
        code = {
            key: meanings.index(table[key]) if table[key] is not None else len(meanings)
            for key in keys
        }
        # Compared exactly: the labels as written, and a category's own values that
        # no label is written for (a value with labels is most likely written so).
        labelled = set(source.labels.values())
        written = [*source.spellings, *(value for value in own if value not in labelled)]
        if dtype != pl.String:  # a typed column's text is its canonical form: `true`, `1`
            written += keys
        spellings = {text: code[fold(text)] for text in written if fold(text) in code}
        return cls(tuple(keys), tuple(meanings), ends, tuple(spellings.items()))


@attrs.frozen
class LabelReading:
    """Helper columns to add, stage by stage, and the value and shown value over them."""

    stages: tuple[tuple[pl.Expr, ...], ...]
    value: pl.Expr
    shown: pl.Expr


def read_labelled(
    raw: pl.Expr, dtype: pl.DataType, column: Column, source: ColumnSource, target: pl.DataType
) -> LabelReading:
    """The reading of `raw` (held as `dtype`) through the labels of `source`.

    Every expression is elementwise (no gather from a list of meanings), so
    that filters on the table's other columns are still pushed into its scan."""
    lookup = Lookup.of(column, source, dtype)
    name = column.name
    stages: list[tuple[pl.Expr, ...]] = []
    text = raw
    if dtype != pl.String or not raw.meta.is_column():
        # a derived column or a typed one: made text once, not in every step
        stages.append((raw.cast(pl.String).alias(text_name(name)),))
        text = pl.col(text_name(name))
    kind = _code_dtype(lookup.unknown)
    exact: pl.Expr | None = None
    if lookup.spellings:
        (first, first_code), *rest = lookup.spellings
        chain = pl.when(text == first).then(pl.lit(first_code, kind))
        for spelling, code in rest:
            chain = chain.when(text == spelling).then(pl.lit(code, kind))
        stages.append((chain.alias(exact_name(name)),))
        exact = pl.col(exact_name(name))
    unread = text if exact is None else pl.when(exact.is_null()).then(text)
    folded = unread.str.strip_chars().str.to_lowercase()
    key = folded.cast(pl.Enum(lookup.keys), strict=False).to_physical()
    if lookup.codes_are_keys:
        found = key.cast(kind)
    else:
        stages.append((key.alias(key_name(name)),))
        found = _code_of_key(pl.col(key_name(name)), lookup, kind)
    stages.append(((found if exact is None else exact.fill_null(found)).alias(code_name(name)),))
    code = pl.col(code_name(name))
    if column.type.kind is Kind.BOOL:
        value = _truth(code, lookup)
    else:  # a category or text that no label reads keeps its text
        value = _meant(code, text, lookup, target)
    shown = raw
    if lookup.says_unknown:
        shown = pl.when(code == lookup.unknown).then(pl.lit(None, dtype=dtype)).otherwise(raw)
    return LabelReading(tuple(stages), value, shown)


def _code_dtype(largest: int) -> pl.DataType:
    """The smallest unsigned integer dtype that holds codes up to `largest` (the
    physical dtype of an `Enum` of the meanings, which `cat.to` reads)."""
    return pl.UInt8 if largest < 2**8 else pl.UInt16 if largest < 2**16 else pl.UInt32


def _code_of_key(key: pl.Expr, lookup: Lookup, kind: pl.DataType) -> pl.Expr:
    """The code of a key's index: its meaning, from the range of keys it falls in."""
    chain = pl.when(key < lookup.ends[0]).then(pl.lit(0, kind))
    for index, end in enumerate(lookup.ends[1:], start=1):
        chain = chain.when(key < end).then(pl.lit(index, kind))
    return chain.when(key.is_not_null()).then(pl.lit(lookup.unknown, kind))


def _meant(code: pl.Expr, text: pl.Expr, lookup: Lookup, target: pl.DataType) -> pl.Expr:
    """A category or text column's value: its meaning, or its text where no label
    reads it (null where a label means unknown: its code is past the meanings).

    The code is read as an `Enum` of the meanings and its text taken with
    `cat.slice(0)`, which works on each category once: a cast to String (per
    row) cost nine times as much over 25 million rows, and a `when` for each
    meaning three times; a gather from a list of the meanings is as cheap but
    not elementwise, and would keep filters on other columns out of the scan."""
    meanings = pl.Enum([str(meaning) for meaning in lookup.meanings])
    meant = code.cat.to(meanings, strict=False).cat.slice(0)
    return pl.when(code.is_null()).then(text).otherwise(meant)


def _truth(code: pl.Expr, lookup: Lookup) -> pl.Expr:
    """A true/false column's value: null where no label reads it or one means unknown."""
    if True not in lookup.meanings:
        return pl.when(code < lookup.unknown).then(pl.lit(False))
    return pl.when(code < lookup.unknown).then(code == lookup.meanings.index(True))
