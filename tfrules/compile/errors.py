"""Compiler failures, told in terms of the rules.

A failure while a rule is compiled, or while Polars evaluates the plan, is
a bug in tfrules, not in the rules: but the person who meets it needs to know
which rule was being compiled or evaluated, and where it is written, to work
around it and to report it. Every column the compiler makes remembers the
rule it was made for (`Origins`); a Polars error that names generated
columns is traced back to those rules.
"""

from __future__ import annotations

import re

import attrs

from tfrules.semantics.values import NumberTooLarge
from tfrules.syntax import ast


class CompileError(Exception):
    """An internal inconsistency while building a plan (a bug, not a user error)."""


@attrs.frozen
class RuleOrigin:
    """The rule a generated column was made for, and where that rule is written."""

    rule: str
    span: ast.Span

    def __str__(self) -> str:
        return f"'{self.rule}' ({self.span.file}:{self.span.line})"


class RuleError(CompileError):
    """A failure while compiling or evaluating a rule."""

    def __init__(
        self,
        action: str,
        origins: list[RuleOrigin],
        cause: BaseException,
        fallback: str = "the ruleset",
    ) -> None:
        self.origins = origins
        self.cause = cause
        named = ", ".join(str(o) for o in origins) or fallback
        super().__init__(f"while {action} {named}: {type(cause).__name__}: {cause}")


#: Names of the columns the compiler generates (see `Graph.new_name`).
GENERATED = re.compile(r"__[a-z]+\d+")


@attrs.define
class Origins:
    """Generated column name -> the rule it was made for."""

    by_column: dict[str, RuleOrigin] = attrs.Factory(dict)
    #: what to name when an error names no generated column
    fallback: str = "the ruleset"

    def add(self, column: str, origin: RuleOrigin | None) -> None:
        if origin is not None:
            self.by_column.setdefault(column, origin)

    def named_in(self, message: str) -> list[RuleOrigin]:
        """The rules whose columns a message names, each once, in order."""
        found: list[RuleOrigin] = []
        for column in GENERATED.findall(message):
            origin = self.by_column.get(column)
            if origin is not None and origin not in found:
                found.append(origin)
        return found

    def explain(self, error: BaseException, action: str = "evaluating") -> RuleError:
        """A Polars error as a failure of the rules whose columns it names."""
        origins = self.named_in(str(error))
        if TOO_LARGE.search(str(error)):
            return NumberTooLargeInRule(origins, self.fallback)
        return RuleError(action, origins, error, self.fallback)


#: How Polars says a 128-bit result did not fit back into 64 bits.
TOO_LARGE = re.compile(r"conversion from `i128` to `i64` failed")


class NumberTooLargeInRule(RuleError):
    """A whole number beyond 64 bits, in the named rules: an error in the rules
    or the data (an implausibly large count), not in tfrules."""

    def __init__(self, origins: list[RuleOrigin], fallback: str = "the ruleset") -> None:
        error = NumberTooLarge()
        super().__init__("evaluating", origins, error, fallback)
        named = ", ".join(str(o) for o in origins) or fallback
        self.args = (f"{named}: {error}",)
