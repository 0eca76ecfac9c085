"""The checker's annotations are kept by node id: an equal expression at two
places of a ruleset keeps what was found about each."""

from __future__ import annotations

from pathlib import Path

from tfr_helpers import check_local

from tfrules.model.ruleset import ColumnRef
from tfrules.syntax import ast
from tfrules.syntax.walk import walk


def test_equal_names_in_two_tables_resolve_each_to_its_own_column(tmp_path: Path) -> None:
    report = check_local(
        tmp_path,
        """
        criterion local = (any member has benefit_claims where start_date < as_of)
                          and (any member has employment_spells where start_date < as_of)
        """,
    )
    assert report.errors == 0
    ruleset = next(r for r in report.rulesets if r.name == "local.test")
    body = ruleset.rules["local"].body
    names = [n for n in walk(body) if isinstance(n, ast.Name) and n.name == "start_date"]
    assert len(names) == 2 and names[0] == names[1]
    tables = {ruleset.annotations.resolution(n).table for n in names}  # type: ignore[union-attr]
    assert tables == {"benefit_claims", "employment_spells"}
    assert all(isinstance(ruleset.annotations.resolution(n), ColumnRef) for n in names)


def test_a_qualifier_is_annotated_on_its_collection_only(tmp_path: Path) -> None:
    report = check_local(tmp_path, "criterion local = any adult member where age > 30\n")
    ruleset = next(r for r in report.rulesets if r.name == "local.test")
    body = ruleset.rules["local"].body
    assert isinstance(body, ast.Quantified)
    assert ruleset.annotations.qualifier(body.collection) == "adult"
    (age,) = [n for n in walk(body) if isinstance(n, ast.Name)]
    assert ruleset.annotations.resolution(age).name == "age"  # type: ignore[union-attr]
