"""The pieces of the language server, without a server: a project over a
council's folder, and what it answers at positions of its files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lsp_support import LOCAL, PILOT, position_of, write_council

from tfrules.check import check_paths
from tfrules.check.council_codes import council_code_problems
from tfrules.lsp import actions, navigation
from tfrules.lsp.completion import complete
from tfrules.lsp.hover import hover
from tfrules.lsp.project import Project
from tfrules.lsp.recovery import recover
from tfrules.lsp.symbols import outline
from tfrules.lsp.text import SourceText
from tfrules.syntax.parser import parse_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "check"))
from catalogue_cases import CASES
from tfr_helpers import write_files


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    write_council(tmp_path)
    return Project([tmp_path])


def at(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> tuple[int, int]:
    """A 1-based line and column, as the pieces take them."""
    line, character = position_of(text, needle, occurrence, offset)
    return line + 1, character + 1


def key(diagnostic) -> tuple:
    span = diagnostic.span
    return (span.file, span.line, span.column, span.end_line, span.end_column, diagnostic.code,
            diagnostic.message, diagnostic.hint)  # fmt: skip


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.source is not None and not c.unreadable], ids=lambda c: c.name
)
def test_diagnostics_are_those_of_tfrules_check(case, tmp_path: Path, monkeypatch) -> None:
    """Every case of the error catalogue gives the editor exactly what `tfrules check` prints."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"local.tfr": case.source, **case.extra_files})
    expected = check_paths([tmp_path]).diagnostics
    project = Project([tmp_path])
    found = [d for f in sorted(tmp_path.rglob("*.tfr")) for d in project.analysis(f).diagnostics]
    assert sorted(map(key, found)) == sorted(map(key, expected))


def test_typing_reparses_only_the_changed_file(project: Project, tmp_path: Path) -> None:
    local = tmp_path / "local.tfr"
    project.analysis(local)
    parsed = dict(project._parses)
    project.change(local, LOCAL.replace("12 months", "6 months"), 2)
    project.analysis(local)
    again = [k for k, v in project._parses.items() if parsed.get(k) is not v]
    assert [path for path, _ in again] == [local.resolve()]  # the open document alone


def test_dependents_are_the_open_files_built_on_a_file(project: Project, tmp_path: Path) -> None:
    local, pilot = tmp_path / "local.tfr", tmp_path / "pilot.tfr"
    project.open(pilot, PILOT, 1)
    project.open(local, LOCAL, 1)
    for path in (local, pilot):
        project.analysis(path)
    assert project.dependents(local) == [pilot.resolve()]
    assert project.dependents(pilot) == []
    assert {p.name for p in project.analysis(pilot).depends_on} == {
        "pilot.tfr", "local.tfr", "phase1.tfr", "canonical.tfr"
    }  # fmt: skip


def test_bases_are_the_councils_own_files_a_file_extends(project: Project, tmp_path: Path) -> None:
    assert project.analysis(tmp_path / "pilot.tfr").bases == [(tmp_path / "local.tfr").resolve()]
    assert project.analysis(tmp_path / "local.tfr").bases == []  # national.phase1 ships
    broken = (tmp_path / "halfway" / "base.tfr").resolve()
    assert project.analysis(tmp_path / "halfway" / "pilot.tfr").bases == [broken]


def test_recovery_keeps_every_whole_declaration() -> None:
    text = LOCAL + "\ncriterion half = any member where\n\nparameter after = 3\n"
    parsed = parse_text(text, "f.tfr")
    assert parsed.file is None
    recovered = recover(parsed, "f.tfr")
    assert recovered is not None and recovered.file is not None
    names = [getattr(d, "name", None) for d in recovered.file.decls]
    assert names == ["concern_window", "domestic_abuse", "local", None, None, "after"]
    assert recovered.file.decls[-1].span.line == text.count("\n")
    assert recover(parse_text("ruleset (", "f.tfr"), "f.tfr") is None


def test_hover_says_what_a_name_is(project: Project, tmp_path: Path) -> None:
    analysis = project.analysis(tmp_path / "local.tfr")
    text = analysis.text
    found = {
        needle: hover(analysis, *at(text, needle, occurrence))
        for needle, occurrence in [
            ("concern_window\n", 0), ("category", 0), ("domestic_abuse,", 0),
            ("police_incidents", 0), ("active", 0), ("status", 0),
        ]
    }  # fmt: skip
    assert found["concern_window\n"][0].startswith("**parameter concern_window**")
    assert "value: 12 months" in found["concern_window\n"][0]
    assert "councils cannot change it" in found["concern_window\n"][0]
    assert found["category"][0].startswith("**column police_incidents.category**")
    assert "one of burglary, domestic_abuse" in found["category"][0]
    assert found["domestic_abuse,"][0].startswith("**domestic_abuse**: one of the values")
    assert "dated by `incident_date`" in found["police_incidents"][0]
    assert found["active"][0].startswith("**active** (built-in value)")
    assert (found["status"][1].line, found["status"][1].column) == at(text, "status")


def test_hover_on_a_parameter_a_council_may_override(project: Project, tmp_path: Path) -> None:
    text = LOCAL + "\noverride parameter absence_threshold = 10%\n"
    path = tmp_path / "override.tfr"
    project.open(path, text.replace("testshire.phase1", "testshire.over"), 1)
    analysis = project.analysis(path)
    shown = hover(analysis, *at(analysis.text, "absence_threshold"))[0]
    assert "value: 10%" in shown
    assert "overriding the value of `national.phase1`" in shown
    assert "councils may change it" in shown


def test_definition_of_an_abstract_rule_defined_here(project: Project, tmp_path: Path) -> None:
    analysis = project.analysis(tmp_path / "local.tfr")
    [found] = navigation.definition(analysis, *at(analysis.text, "criterion local", offset=10))
    assert found.path.name == "phase1.tfr"
    national = found.path.read_text(encoding="utf-8").split("\n")
    assert national[found.span.line - 1].startswith("abstract criterion local")
    [column] = navigation.definition(analysis, *at(analysis.text, "category"))
    assert column.path.name == "canonical.tfr"


def test_rename_is_refused_with_a_reason(project: Project, tmp_path: Path) -> None:
    analysis = project.analysis(tmp_path / "local.tfr")
    where = at(analysis.text, "concern_window")
    for new_name, reason in [
        ("two words", "is not a name"),
        ("count", "word of the language"),
        ("local", "already a rule"),
        ("status", "column of social_care"),
    ]:
        with pytest.raises(navigation.RenameError, match=reason):
            navigation.rename(project, analysis, *where, new_name)
    with pytest.raises(navigation.RenameError, match="only the name of a rule or a parameter"):
        navigation.rename(project, analysis, *at(analysis.text, "category"), "kind")
    edits = navigation.rename(project, analysis, *where, "look_back")
    assert [len(v) for v in edits.values()] == [2]


def test_completion_by_context(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "typing.tfr"

    def labels(tail: str) -> list[str]:
        text = LOCAL.replace("testshire.phase1", "testshire.typing") + tail
        project.open(path, text, 1)
        lines = text.split("\n")
        return [s.label for s in complete(project.analysis(path), len(lines), len(lines[-1]) + 1)]

    in_set = labels("\ncriterion b = any member has benefit_claims where benefit in {JSA, ")
    assert in_set[:8] == ["CA", "ESA", "HB", "IB", "IS", "JSA", "SDA", "UC"]
    where = labels("\ncriterion b = any member has offences where proven, ")
    assert where[:3] == ["offence_date", "person_id", "proven"]
    assert "age" in where and "active" not in where
    adults = labels("\ncriterion b = any adult member where ")  # a qualifier is a rule
    assert "age" in adults and "date_of_birth" in adults
    spells = labels("\ncriterion b = any member has custody where ")
    assert "active" in spells and "lasted" in spells
    household = labels("\ncriterion b = ")
    assert "adult" not in household  # a member's rule is not usable about the household
    assert {"work", "concern_window", "attached_on", "as_of", "min", "any", "not"} <= set(household)
    assert labels("\ncriterion b = any ")[:2] == ["asb", "benefit_claims"]
    assert set(labels("\ncriterion b = any member wh")) >= {"where", "has", "satisfies"}
    assert "where" not in labels("\ncriterion b = any member where ")
    assert labels("\ncriterion b: ")[:2] == ["bool", "date"]
    no_column = labels("\ncriterion b = any member where status = ")  # members have no status
    assert "child_in_need" not in no_column and no_column[0] == "date_of_birth"
    test = '\ntest "t"\n    as of 2013-01-15\n    household H1\n        member A born 1980-05-01\n'
    assert labels(test + "    social_care A: status ")[:3] == [
        "child_in_need", "child_protection_plan", "looked_after"
    ]  # fmt: skip
    assert labels(test + "    social_care ") == ["A"]
    assert "local" in labels(test + "    expect ")
    assert labels("\n# a comment, criterion b = ") == []


def test_completion_of_a_ruleset_name(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "new.tfr"
    project.open(path, 'ruleset local.x "X"\n    extends national.ph', 1)
    found = complete(project.analysis(path), 2, 24)
    assert ("national.phase1", 11) in [(s.label, s.replaces) for s in found]
    assert "local.testshire.phase1" in [s.label for s in found]


def test_quick_fix_replaces_only_the_misspelt_name() -> None:
    text = 'ruleset local.x "X"\n    extends national.phase1\n\n'
    text += "override parameter absence_thresold = 10%\n"
    source = SourceText(text, "f.tfr")
    span = parse_text(text, "f.tfr").file.decls[0].span
    [fix] = actions.fixes(
        source,
        "E405",
        "there is no parameter 'absence_thresold' to override",
        "did you mean 'absence_threshold'?",
        span,
    )
    assert fix.replacement == "absence_threshold"
    assert (fix.span.line, fix.span.column, fix.span.end_column) == (4, 20, 36)


def test_quick_fix_writes_the_council_code_for_its_name() -> None:
    text = 'ruleset local.x "X"\n    extends national.phase1\n    applies to Manchester\n'
    tree = parse_text(text, "f.tfr").file
    (problem,) = council_code_problems(tree)
    [fix] = actions.fixes(
        SourceText(text, "f.tfr"), problem.code, problem.message, problem.hint, problem.span
    )
    assert fix.replacement == "E08000003"
    assert (fix.span.line, fix.span.column, fix.span.end_column) == (3, 16, 26)


def test_outline_of_a_ruleset_and_of_the_schema(project: Project, tmp_path: Path) -> None:
    analysis = project.analysis(tmp_path / "local.tfr")
    [ruleset] = outline(analysis.view.tree, analysis.view.source)
    assert [(s.name, s.kind) for s in ruleset.children] == [
        ("concern_window", "parameter"),
        ("domestic_abuse", "criterion"),
        ("local", "criterion"),
        ("test: domestic abuse meets the local criterion", "test"),
        ("test: a test that fails", "test"),
    ]
    schema_file = navigation.definition(analysis, *at(analysis.text, "category"))[0].path
    schema = project.analysis(schema_file)
    [top] = outline(schema.view.tree, schema.view.source)
    assert top.kind == "schema" and top.children[0].name == "household"
    assert top.children[0].children[0].kind == "column"


def test_text_positions() -> None:
    source = SourceText('criterion a "a # b" = x # note\n  y = "q"\n', "f")
    assert not source.in_string_or_comment(source.offset(1, 10))
    assert source.in_string_or_comment(source.offset(1, 15))
    assert not source.in_string_or_comment(source.offset(1, 21))
    assert source.in_string_or_comment(source.offset(1, 28))
    assert source.position(source.offset(2, 3)) == (2, 3)
    span = source.word_span("a", source.span(0, 30))
    assert (span.line, span.column, span.end_column) == (1, 11, 12)  # not the 'a' in the title
