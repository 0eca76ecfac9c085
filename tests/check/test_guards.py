"""The guard-rail warnings (W020-W022) go where a rule says nothing about
empty rows, open spells or a zero divisor, and stay away once the rule does:
what counts as a guard is documented in docs/errors.md and docs/language.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfr_helpers import check_local, summary

from tfrules.check import Workspace, check_ruleset

EVERY = (
    "every school_terms where in the last 3 terms "
    "satisfies sessions_unauthorised_absence < 10% of sessions_possible"
)


def codes(folder: Path, rules: str) -> list[str]:
    report = check_local(folder, rules)
    assert report.errors == 0, summary(report)
    return [d.code for d in report.diagnostics]


@pytest.mark.parametrize(
    ("rule", "warned"),
    [
        (EVERY, True),
        (f"(count school_terms where in the last 3 terms) >= 3 and {EVERY}", False),
        (f"if terms_seen < 3 then unknown else {EVERY}", False),
        (f"(any school_terms where in the last 3 terms) and {EVERY}", False),
        # a count of another table guards nothing
        (f"(count offences) >= 1 and {EVERY}", True),
        # `no` is meant to be true for no rows; `every` over members is not warned
        ("no school_terms where fixed_exclusions > 0", False),
    ],
)
def test_every_over_rows(tmp_path: Path, rule: str, warned: bool) -> None:
    rules = f"""
        measure terms_seen for person = count school_terms where in the last 3 terms
        criterion attends for person = {rule}
        criterion local = any member where attends
        """
    found = codes(tmp_path, rules)
    assert ("W020" in found) is warned, found


def test_every_over_members_is_not_warned(tmp_path: Path) -> None:
    assert codes(tmp_path, "criterion local = every adult member where age > 20") == []


@pytest.mark.parametrize(
    ("condition", "warned"),
    [
        ("end_date in the last 12 months", True),
        ("end_date < as_of", True),
        ("end_date >= 2013-01-01", True),
        ("end_date is known, end_date in the last 12 months", False),
        ("(end_date is unknown or end_date > as_of)", False),
        ("start_date in the last 12 months", False),  # a start is never empty
        ("in the last 12 months", False),  # the spell's own window
        ("active", False),
    ],
)
def test_open_spells(tmp_path: Path, condition: str, warned: bool) -> None:
    found = codes(tmp_path, f"criterion local = any member has custody where {condition}")
    assert ("W021" in found) is warned, found


@pytest.mark.parametrize(
    ("share", "warned"),
    [
        ("(before - now) / before >= 60%", True),
        ("before > 0 and (before - now) / before >= 60%", False),
        ("if before = 0 then false else (before - now) / before >= 60%", False),
        ("now / 2 >= 1", False),
        ("now / 0 >= 1", True),
        ("now / halves >= 1", False),
        ("now / nothing >= 1", True),
        ("now / max(before, 1) >= 1", False),
        ("now / max(before, 0) >= 1", True),
        ("now <= 40% of before", False),
        # a period written out is never zero; a difference of dates can be
        ("(as_of - attached_on) / 1 week >= 2", False),
        ("(as_of - attached_on) / 0 days >= 2", True),
        ("now / ((as_of - attached_on) / 1 day) >= 1", True),
        ("(as_of - attached_on) / max(as_of - attached_on, 1 day) >= 1", False),
    ],
)
def test_division(tmp_path: Path, share: str, warned: bool) -> None:
    rules = f"""
        parameter halves = 2
        parameter nothing = 0
        measure before = (count asb where in the last 12 months) at attached_on
        measure now = count asb where in the last 6 months
        criterion local = {share}
        """
    found = [c for c in codes(tmp_path, rules) if c != "W001"]
    assert ("W022" in found) is warned, found


def test_only_the_rules_of_the_ruleset_checked_are_warned_about() -> None:
    """A ruleset built on another is not told about the other's rules."""
    workspace = Workspace()
    workspace.add_text(
        'ruleset local.base "Base"\n    extends national.phase1\n\n'
        "criterion local = every offences satisfies proven\n",
        "base.tfr",
    )
    workspace.add_text(
        'ruleset local.leaf "Leaf"\n    extends local.base\n\ncriterion mine = local\n',
        "leaf.tfr",
    )
    assert [d.code for d in check_ruleset(workspace, "local.base").diagnostics] == ["W020"]
    assert [d.code for d in check_ruleset(workspace, "local.leaf").diagnostics] == []
