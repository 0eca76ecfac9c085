"""The golden error catalogue: every wrong file of `catalogue_cases` gives
exactly the diagnostics it lists, at the line and column it lists; together
they cover every code tfrules can emit. Also: several mistakes in one file are
all reported in one run, and diagnostics render with a caret under the mistake.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from catalogue_cases import CASES, Case
from tfr_helpers import (
    LOCAL_HEADER,
    check_files,
    check_local,
    codes_in_source,
    summary,
    tfr,
    where,
)

from tfrules.diagnostics import Diagnostic, SourceCache, render_text

#: Codes that no rule file can give: each has its own test below.
NOT_FROM_RULE_FILES = {"E017": "the formatter's safety net against its own bugs"}


def run_case(case: Case, folder: Path) -> list[Diagnostic]:
    files: dict[str, str | bytes] = dict(case.extra_files)
    if case.unreadable:
        (folder / "local.tfr").mkdir()
    elif case.linked is not None:
        assert isinstance(case.source, str)
        target = folder / ("elsewhere.tfr" if case.linked == "outside" else "rules/notes.txt")
        folder = folder / "rules"
        folder.mkdir()
        target.write_text(case.source, encoding="utf-8")
        (folder / "local.tfr").symlink_to(target)
    elif case.source is not None:
        files["local.tfr"] = case.source
    return list(check_files(folder, files).diagnostics)


def expected_places(case: Case) -> list[tuple[str, str, int, int]]:
    places = [(case.code, case.file, case.line, case.column)]
    for other in case.others:
        if len(other) == 3:
            code, line, column = other
            places.append((code, case.file, line, column))
        else:
            places.append(other)
    return sorted(places)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_catalogue_case(case: Case, tmp_path: Path) -> None:
    found = run_case(case, tmp_path)
    shown = "\n".join(
        f"{d.code} {Path(d.span.file).name}:{d.span.line}:{d.span.column} {d.message} "
        f"(hint: {d.hint})"
        for d in found
    )
    assert sorted(where(d) for d in found) == expected_places(case), shown
    main = next(d for d in found if where(d) == (case.code, case.file, case.line, case.column))
    assert main.severity.value == case.severity
    assert case.message in main.message, shown
    if case.hint:
        assert main.hint is not None and case.hint in main.hint, shown


def test_the_catalogue_is_large() -> None:
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES), "case names must be unique"


def test_the_catalogue_covers_every_code_in_the_source() -> None:
    in_source = codes_in_source()
    assert len(in_source) >= 40  # the scan itself works
    covered = {case.code for case in CASES} | {code for case in CASES for code, *_ in case.others}
    assert in_source - covered == set(NOT_FROM_RULE_FILES), (
        "codes the source emits with no catalogue case"
    )
    assert covered - in_source == set(), "catalogue codes the source never emits"


def test_e017_the_formatter_refuses_to_change_what_a_file_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """E017 is a bug in tfrules itself (the formatter's output would not read
    back as its input): no rule file gives it, so a broken formatter stands in."""
    from tfrules.syntax import formatter

    def wrong_layout(*args: object, **kwargs: object) -> str:
        return 'ruleset local.other "Other"\n    extends national.phase1\n'

    monkeypatch.setattr(formatter, "format_file", wrong_layout)
    result = formatter.format_text(LOCAL_HEADER + "criterion local = true\n", "local.tfr")
    assert result.text is None
    assert [where(d) for d in result.diagnostics] == [("E017", "local.tfr", 1, 1)]
    assert "please report" in (result.diagnostics[0].hint or "")


def test_warnings_are_warnings_and_codes_say_so() -> None:
    for case in CASES:
        assert (case.severity == "warning") == case.code.startswith("W"), case.name


# ---------------------------------------------------------------- all errors in one run


def test_three_syntax_errors_in_three_declarations_are_all_reported(tmp_path: Path) -> None:
    report = check_local(
        tmp_path,
        """
        criterion local = crime_asb && education
        parameter limit: 3
        measure fee = attached_on == 2013-01-01
        criterion other = true
        """,
    )
    assert [where(d) for d in report.diagnostics] == [
        ("E011", "local.tfr", 4, 29),
        ("E010", "local.tfr", 5, 18),
        ("E010", "local.tfr", 6, 28),
    ], summary(report)


def test_five_type_errors_in_one_file_are_all_reported(tmp_path: Path) -> None:
    report = check_local(
        tmp_path,
        """
        measure fee: money = £4,000 + 15%
        criterion a = crime_asb and 3
        criterion b = already_claimed > 4000
        criterion c = crime_asb at 12 months
        measure d = if crime_asb then £1 else 2 months
        criterion local = a or b or c or fee > £0 or d is known
        """,
    )
    assert [where(d) for d in report.diagnostics] == [
        ("E201", "local.tfr", 4, 22),
        ("E202", "local.tfr", 5, 29),
        ("E205", "local.tfr", 6, 15),
        ("E206", "local.tfr", 7, 28),
        ("E209", "local.tfr", 8, 13),
    ], summary(report)
    assert report.errors == 5


def test_errors_of_names_levels_and_tests_come_together(tmp_path: Path) -> None:
    report = check_local(
        tmp_path,
        """
        criterion local = identifed or adult
        override parameter adult_age = 16

        test "a family"
            household H1
            expect identified = 3
        """,
    )
    assert [d.code for d in report.diagnostics] == ["E101", "E301", "E404", "E504", "E502"]


def test_every_file_of_a_folder_is_reported_in_one_run(tmp_path: Path) -> None:
    report = check_files(
        tmp_path,
        {
            "a.tfr": LOCAL_HEADER + "criterion local = crime_asb && education\n",
            "b.tfr": "",
            "sub/c.tfr": 'ruleset local.c "C"\n    extends national.phase1\n\n'
            "criterion local = not identifed\n",
            "sub/d.tfr": b"\xff\xfe binary",
        },
    )
    assert sorted(where(d) for d in report.diagnostics) == [
        ("E001", "d.tfr", 1, 1),
        ("E011", "a.tfr", 4, 29),
        ("E016", "b.tfr", 1, 1),
        ("E101", "c.tfr", 4, 23),
    ], summary(report)
    assert len(report.files) == 4


def test_a_clean_local_ruleset_checks_clean(tmp_path: Path) -> None:
    report = check_local(
        tmp_path,
        """
        parameter serious_kinds = {asbo, injunction}
        criterion local "Serious anti-social behaviour"
            = any member has asb where kind in serious_kinds, in the last 12 months

        test "a family with an ASBO"
            as of 2013-01-15
            household H1
                member A born 1980-05-01
            asb A: recorded_on 2012-11-01, kind asbo
            expect local = true
        """,
    )
    assert report.diagnostics == (), summary(report)


# ---------------------------------------------------------------- rendering


def rendered(tmp_path: Path, rules: str) -> tuple[list[str], Diagnostic]:
    report = check_local(tmp_path, rules)
    assert len(report.diagnostics) == 1, summary(report)
    diagnostic = report.diagnostics[0]
    return render_text(diagnostic, report.sources).splitlines(), diagnostic


def test_rendering_shows_the_line_a_caret_and_the_hint(tmp_path: Path) -> None:
    lines, diagnostic = rendered(tmp_path, "criterion local = not identifed")
    assert lines == [
        f"{diagnostic.span.file}:4:23: error[E101]: unknown name 'identifed'",
        " 4 | criterion local = not identifed",
        "   |                       ^^^^^^^^^",
        "   = hint: did you mean 'identified'?",
    ]


def test_the_caret_spans_a_whole_operation(tmp_path: Path) -> None:
    lines, _ = rendered(tmp_path, "criterion local = already_claimed > 4000")
    assert lines[1:3] == [
        " 4 | criterion local = already_claimed > 4000",
        "   |                   ^^^^^^^^^^^^^^^^^^^^^^",
    ]
    assert lines[3] == "   = hint: amounts of money compare with amounts of money: " + (
        "write £500, not 500"
    )


def test_a_warning_renders_as_a_warning(tmp_path: Path) -> None:
    lines, _ = rendered(tmp_path, "parameter min_offences = 2\ncriterion local = crime_asb")
    assert "warning[W001]: the parameter 'min_offences' is never used" in lines[0]
    assert lines[2] == "   | " + "^" * len("parameter min_offences = 2")


def test_the_caret_stays_under_the_mistake_after_a_tab(tmp_path: Path) -> None:
    lines, _ = rendered(tmp_path, "criterion local =\tnot identifed")
    source, caret = lines[1], lines[2]
    assert source == " 4 | criterion local = not identifed"
    assert caret.index("^") == source.index("identifed")


def test_the_caret_of_a_syntax_error_is_under_the_unexpected_token(tmp_path: Path) -> None:
    lines, _ = rendered(tmp_path, "criterion local = attached_on == 2013-01-01")
    assert lines[2].index("^") == lines[1].index("== 2013") + 1
    assert lines[2].count("^") == 1


def test_a_mistake_far_along_a_long_line_stays_in_view(tmp_path: Path) -> None:
    padding = " or ".join(["crime_asb"] * 40)  # 520 characters
    lines, diagnostic = rendered(tmp_path, f"criterion local = {padding} or identifed")
    assert diagnostic.span.column > 500
    source, caret = lines[1], lines[2]
    assert len(source) < 300
    assert caret.count("^") == len("identifed")
    assert source[caret.index("^") : caret.index("^") + len("identifed")] == "identifed"


def test_a_diagnostic_without_its_source_still_renders(tmp_path: Path) -> None:
    report = check_local(tmp_path, "criterion local = not identifed")
    text = render_text(report.diagnostics[0], SourceCache())
    assert text.splitlines() == [
        f"{report.diagnostics[0].span.file}:4:23: error[E101]: unknown name 'identifed'",
        "    = hint: did you mean 'identified'?",
    ]


# ---------------------------------------------------------------- hints for common slips


def test_a_colon_for_equals_before_a_value_is_hinted(tmp_path: Path) -> None:
    report = check_local(tmp_path, "parameter limit: 3\ncriterion local = true")
    (diagnostic,) = report.diagnostics
    assert diagnostic.code == "E010"
    assert diagnostic.hint is not None and "'='" in diagnostic.hint


def test_a_count_compared_without_parentheses_is_hinted(tmp_path: Path) -> None:
    report = check_local(tmp_path, "criterion local = count offences >= 2")
    (diagnostic,) = report.diagnostics
    assert diagnostic.hint is not None and "parentheses" in diagnostic.hint


def test_a_keyword_used_as_a_name_is_pointed_out(tmp_path: Path) -> None:
    report = check_local(tmp_path, "measure count = 3\ncriterion local = count > 2")
    assert any("word of the language" in (d.hint or "") for d in report.diagnostics)


def test_an_unfinished_expression_is_reported_on_its_own_line(tmp_path: Path) -> None:
    report = check_local(tmp_path, "measure fee = £4,000 +\ncriterion local = true")
    (diagnostic,) = report.diagnostics
    assert (diagnostic.span.line, diagnostic.code) == (4, "E010")


def test_the_nesting_limit_counts_what_the_author_wrote(tmp_path: Path) -> None:
    nested = "(" * 100 + "crime_asb" + ")" * 100
    report = check_local(tmp_path, f"criterion local = {nested}")
    assert report.diagnostics == (), summary(report)


def test_the_catalogue_sources_are_readable() -> None:
    """`tfr` strips the indentation the cases are written with."""
    assert tfr("\n    a\n      b\n") == "a\n  b\n"
