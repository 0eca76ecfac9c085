"""Reading a category, true/false or text column through its labels, without
string work on every row.

A labelled value is matched without regard to capitals or spaces at its ends
(`tfrules.model.mapping.fold`). Folding every row (trimming it, lower-casing it,
looking it up) cost more than the rest of a run put together, so a row is read
in two steps, each a Polars expression over the whole column:

1. its raw text is compared with each label exactly as the mapping writes it
   (and, in a category, with the values no label is written for): equality is
   the cheapest thing Polars does to a string column, and reads every row of an
   extract written the way its mapping says;
2. only the rows that step leaves unread are folded (the others are null by
   then, which string functions skip) and looked up in an `Enum` of the folded
   labels.

Both give a row's *code*, the index of its label's meaning, held in helper
columns beside the source's own (each bound once: common sub-expressions are
not reliably computed once otherwise). A row neither reads keeps its text in a
category or text column (the validator reports a category value with no label)
and is null in a true/false column (reported as unreadable); a label meaning
unknown gives null, and its row's shown value is null too, so that it is not
reported as unreadable.

Every expression is elementwise, so that filters on a table's other columns
are still pushed into its scan.
"""

from __future__ import annotations

import functools
import operator

import attrs
import polars as pl

from tfrules.model.mapping import ColumnSource, LabelValue, fold
from tfrules.model.schema import Column
from tfrules.model.types import Kind

#: Kinds whose every readable value is a label (or one of their own words):
#: they are read here; other kinds' labels can only mean unknown.
LOOKUP_KINDS = (Kind.CATEGORY, Kind.BOOL, Kind.TEXT)

#: How a true/false column's values are read without labels (`casts.cast_value`).
BOOL_WORDS: dict[str, LabelValue] = {"true": True, "false": False, "1": True, "0": False}


def exact_name(column: str) -> str:
    """The helper column holding the code of a row read by its exact spelling."""
    return f"__tfrules_exact_{column}"


def code_name(column: str) -> str:
    """The helper column holding the code of each row's label (null: none)."""
    return f"__tfrules_code_{column}"


def unknown_name(column: str) -> str:
    """The helper column true where a row is a label meaning unknown."""
    return f"__tfrules_unknown_{column}"


def text_name(column: str) -> str:
    """The helper column holding a column's raw value as text, where it is not text."""
    return f"__tfrules_text_{column}"


@attrs.frozen
class Lookup:
    """The labels of one column of one source.

    A meaning's code is its index in `meanings`; `unknown` (one past them) is
    the code of a label meaning unknown. `spellings` maps each text compared
    exactly to its code. `slots` are the folded labels as an `Enum` holds
    them: in rounds of one slot for each code, a slot no label fills holding a
    text no folded value can be (it starts with a space), so that a folded
    label's index in the `Enum`, modulo `unknown + 1`, is its code.
    """

    meanings: tuple[LabelValue, ...]
    spellings: tuple[tuple[str, int], ...]
    slots: tuple[str, ...]

    @property
    def unknown(self) -> int:
        return len(self.meanings)

    @property
    def says_unknown(self) -> bool:
        """Whether a label means unknown."""
        every = self.unknown + 1
        return any(not slot.startswith(" ") for slot in self.slots[self.unknown :: every])

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
        meanings = [meaning for meaning in groups if meaning is not None]
        by_code = [groups[meaning] for meaning in meanings] + [groups.get(None, [])]
        code = {key: number for number, keys in enumerate(by_code) for key in keys}
        slots = [
            keys[turn] if turn < len(keys) else f" {turn} {number}"
            for turn in range(max(map(len, by_code)))
            for number, keys in enumerate(by_code)
        ]
        # Compared exactly: the labels as written, and a category's own values that
        # no label is written for (a value with labels is most likely written so).
        labelled = set(source.labels.values())
        written = [*source.spellings, *(value for value in own if value not in labelled)]
        if dtype != pl.String:  # a typed column's text is its canonical form: `true`, `1`
            written += list(table)
        spellings = {text: code[fold(text)] for text in written if fold(text) in code}
        return cls(tuple(meanings), tuple(spellings.items()), tuple(slots))


@attrs.frozen
class LabelReading:
    """Helper columns to add, stage by stage, and the value and shown value over them."""

    stages: tuple[tuple[pl.Expr, ...], ...]
    value: pl.Expr
    shown: pl.Expr


def read_labelled(
    raw: pl.Expr, dtype: pl.DataType, column: Column, source: ColumnSource, target: pl.DataType
) -> LabelReading:
    """The reading of `raw` (held as `dtype`) through the labels of `source`."""
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
        for spelling, number in rest:
            chain = chain.when(text == spelling).then(pl.lit(number, kind))
        stages.append((chain.alias(exact_name(name)),))
        exact = pl.col(exact_name(name))
    unread = text if exact is None else pl.when(exact.is_null()).then(text)
    folded = unread.str.strip_chars().str.to_lowercase()
    index = folded.cast(pl.Enum(lookup.slots), strict=False).to_physical()
    found = (index % (lookup.unknown + 1)).cast(kind)
    stages.append(((found if exact is None else exact.fill_null(found)).alias(code_name(name)),))
    code = pl.col(code_name(name))
    bool_kind = column.type.kind is Kind.BOOL
    value = _truth(code, lookup) if bool_kind else _meant(code, text, lookup)
    shown = raw
    if lookup.says_unknown:
        shown = pl.when(code == lookup.unknown).then(pl.lit(None, dtype=dtype)).otherwise(raw)
    return LabelReading(tuple(stages), value, shown)


def _code_dtype(largest: int) -> pl.DataType:
    """The smallest unsigned integer dtype that holds codes up to `largest` (the
    physical dtype of an `Enum` of the meanings, which `cat.to` reads)."""
    return pl.UInt8 if largest < 2**8 else pl.UInt16 if largest < 2**16 else pl.UInt32


def _meant(code: pl.Expr, text: pl.Expr, lookup: Lookup) -> pl.Expr:
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


def said_unknown(text: pl.Expr, source: ColumnSource, name: str) -> tuple[pl.Expr, pl.Expr]:
    """For a column whose labels can only mean unknown (a date, an amount): a
    helper column true where a row (as `text`) is such a label, and the
    expression reading it. Labels written as in the mapping are compared
    exactly; other rows are folded (in such a column, most of them)."""
    keys = [key for key, meaning in source.labels.items() if meaning is None]
    written = [text == spelling for spelling in source.spellings if fold(spelling) in keys]
    folded = text.str.strip_chars().str.to_lowercase()
    if written:
        exact = functools.reduce(operator.or_, written)
        folded = pl.when(~exact).then(text).str.strip_chars().str.to_lowercase()
        mask = exact | folded.is_in(keys)
    else:
        mask = folded.is_in(keys)
    return mask.alias(unknown_name(name)), pl.col(unknown_name(name))
