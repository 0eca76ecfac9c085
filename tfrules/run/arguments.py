"""What callers of the API pass, checked where it comes in: a mistake is a
TypeError or ValueError that names the argument, never a failure deep inside
Polars or the interpreter."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from tfrules.data.load import Dataset
from tfrules.diagnostics import did_you_mean
from tfrules.model.ruleset import CheckedRuleset
from tfrules.semantics.calendar import EARLIEST_DATE, LATEST_DATE

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_as_of(text: str) -> dt.date:
    """A run date written YYYY-MM-DD, inside the supported range; ValueError
    in plain words otherwise (other ISO forms, such as 20130115 or
    2013-W03-2, are refused: the documented form is the only one)."""
    if not _ISO_DAY.fullmatch(text.strip()):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return check_in_range(day)


def check_in_range(day: dt.date) -> dt.date:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"{day.isoformat()} is outside the dates tfrules supports "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})"
        )
    return day


def as_of_date(value: object, argument: str = "as_of") -> dt.date:
    """`value` as a run date: a datetime.date, or a string YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        raise TypeError(f"{argument} must be a date, not a datetime: pass {argument}=value.date()")
    if isinstance(value, dt.date):
        try:
            return check_in_range(value)
        except ValueError as exc:
            raise ValueError(f"{argument}: {exc}") from None
    if isinstance(value, str):
        try:
            return parse_as_of(value)
        except ValueError as exc:
            raise ValueError(f"{argument}: {exc}") from None
    raise TypeError(
        f"{argument} must be a datetime.date or a string YYYY-MM-DD, "
        f"not {type(value).__name__} ({value!r})"
    )


def loaded_ruleset(value: object, argument: str = "ruleset") -> CheckedRuleset:
    """A ruleset given to the API must be loaded first (tfrules.load)."""
    if isinstance(value, CheckedRuleset):
        return value
    if isinstance(value, str | os.PathLike):
        raise TypeError(
            f"{argument} must be a loaded ruleset, not the name {str(value)!r}: "
            f"pass tfrules.load({str(value)!r})"
        )
    raise TypeError(
        f"{argument} must be a loaded ruleset (from tfrules.load), not {type(value).__name__}"
    )


def local_rulesets(value: object) -> tuple[CheckedRuleset, ...]:
    """The `local=` argument: loaded local rulesets (tfrules.load_locals)."""
    if isinstance(value, CheckedRuleset | str | os.PathLike) or not isinstance(value, Iterable):
        raise TypeError(
            "local must be a list of loaded local rulesets (from tfrules.load_locals), "
            f"not {type(value).__name__}"
        )
    found = tuple(value)
    for item in found:
        loaded_ruleset(item, "each of local")
    return found


def rule_names(ruleset: CheckedRuleset, rules: object) -> tuple[str, ...] | None:
    """The `rules=` argument: household rules of the ruleset, or None for all."""
    if rules is None:
        return None
    if isinstance(rules, str):
        raise TypeError(f"rules must be a list of rule names, not a string: rules=[{rules!r}]")
    if not isinstance(rules, Iterable):
        raise TypeError(f"rules must be a list of rule names, not {type(rules).__name__}")
    wanted = tuple(rules)
    for name in wanted:
        if not isinstance(name, str):
            raise TypeError(f"rules must hold rule names (text), not {type(name).__name__}")
    unknown = [r for r in wanted if r not in ruleset.output_rules]
    if unknown:
        hint = did_you_mean(unknown[0], ruleset.output_rules)
        raise ValueError(
            f"rules: no household rule {unknown[0]!r} in {ruleset.name}"
            + (f": {hint}" if hint else "")
        )
    return wanted


def household_id(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(
            f"household_id must be text (household ids are text, like 'H000000042'), "
            f"not {type(value).__name__}: pass {str(value)!r}"
        )
    return value


def data_source(value: object) -> Any:
    """The `data=` argument: a folder, a mapping of table names to frames, or a Dataset."""
    if isinstance(value, Dataset | str | os.PathLike):
        return value
    if isinstance(value, Mapping):
        for name, frame in value.items():
            if not isinstance(name, str) or not isinstance(frame, pl.DataFrame | pl.LazyFrame):
                raise TypeError(
                    "data must map table names to Polars DataFrames or LazyFrames; "
                    f"{name!r} is {type(frame).__name__}"
                )
        return value
    raise TypeError(
        "data must be a folder of data files, a mapping of table names to Polars frames, "
        f"or a loaded data set (tfrules.load_data), not {type(value).__name__}"
    )


def loaded_data(value: object) -> Dataset:
    """A data set already loaded and validated (tfrules.load_data)."""
    if not isinstance(value, Dataset):
        raise TypeError(
            f"data must be a loaded data set (tfrules.load_data), not {type(value).__name__}"
        )
    return value


def output_path(value: object) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise TypeError(f"out must be a file path, not {type(value).__name__}")
    return Path(value)


def slice_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"slices must be a whole number, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"slices must be 0 (one per million households) or more, not {value}")
    return value
