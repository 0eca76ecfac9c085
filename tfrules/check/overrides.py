"""What-if runs: parameter values given on the command line (`--param name=value`)."""

from __future__ import annotations

import attrs

from tfrules import diagnostics as diag
from tfrules.check import params as P
from tfrules.check import type_rules as R
from tfrules.model.ruleset import CheckedRuleset, ParamInfo
from tfrules.syntax import ast
from tfrules.syntax.parser import parse_text


class OverrideError(Exception):
    """A `--param` that names no parameter or whose value does not fit it."""


def parse_override(ruleset: CheckedRuleset, text: str) -> ParamInfo:
    """`name=value`, with the value written as in a rule file (15%, £4,000,
    {JSA, ESA}, 12 months), checked against the parameter's type."""
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise OverrideError(f"--param {text!r}: write it as name=value, e.g. absence_threshold=10%")
    existing = ruleset.params.get(name)
    if existing is None:
        hint = diag.did_you_mean(name, ruleset.params) or "see 'tfrules doc' for the parameters"
        raise OverrideError(f"--param {name}: there is no such parameter ({hint})")
    parsed = parse_text(f"ruleset what_if\nparameter {name} = {value}\n", "--param")
    problems: list[diag.Diagnostic] = list(parsed.diagnostics)
    if not parsed.ok or not isinstance(parsed.file, ast.RulesetFile):
        raise OverrideError(f"--param {name}: cannot read the value {value!r}")
    decl = parsed.file.decls[0]
    assert isinstance(decl, ast.ParamDecl)
    new_value, found = P.param_value(decl.value, problems.append)
    found = P.widen_set(found, ruleset.schema)
    if problems:
        raise OverrideError(f"--param {name}: {problems[0].message}")
    if not R.fits(found, existing.type):
        if existing.type.kind.name == "SET" and found.kind.name == "SET":
            allowed = existing.type.element.values if existing.type.element else ()
            stray = sorted(set(new_value or ()) - set(allowed)) if allowed else []  # type: ignore[arg-type]
            if not stray:
                return attrs.evolve(existing, value=new_value, layer="--param")
            raise OverrideError(f"--param {name}: {', '.join(stray)} not allowed here")
        raise OverrideError(f"--param {name}: the parameter is {existing.type}, not {found}")
    return attrs.evolve(existing, value=P.coerce(new_value, found, existing.type), layer="--param")


def apply_overrides(ruleset: CheckedRuleset, texts: list[str]) -> CheckedRuleset:
    if not texts:
        return ruleset
    overrides = {}
    for text in texts:
        info = parse_override(ruleset, text)
        overrides[info.name] = info
    return ruleset.with_params(overrides)
