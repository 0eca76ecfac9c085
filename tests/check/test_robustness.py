"""The checker never fails on bad input: whatever a file holds (binary data,
huge or deeply nested text, random text, a real rule file with random damage),
`check_paths` returns diagnostics and never raises, and every diagnostic it
returns points into the file and renders."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tfr_helpers import LOCAL_HEADER, check_files, summary, where

from tfrules.check import CheckReport, check_paths
from tfrules.check.workspace import PathError
from tfrules.diagnostics import render_text
from tfrules.syntax.grammar import grammar_text

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = {
    path.relative_to(ROOT / "rulesets").as_posix(): path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "rulesets").rglob("*.tfr"))
}
KEYWORDS = sorted(set(re.findall(r'"([^"\s]+)"', grammar_text())))
NAMES = sorted(
    set(re.findall(r"\b[a-z_][a-z0-9_]*\b", RULE_FILES["national/phase1.tfr"])) - set(KEYWORDS)
)
LITERALS = ["15%", "£4,000", "£0", "2013-04-01", "2013-02-30", "12 months", "3 terms", '"Title"',
            "3", "0.5", "true", "false", "unknown", "national.phase1", "canonical"]  # fmt: skip
SYMBOLS = ["(", ")", "[", "]", "{", "}", ",", ":", "=", "==", "&&", "'", "$", "#", "\n", "\t"]
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\S")

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_sound(report: CheckReport) -> None:
    """Every diagnostic has a code, points at a real place and renders."""
    for diagnostic in report.diagnostics:
        assert re.fullmatch(r"[EW]\d{3}", diagnostic.code)
        assert diagnostic.span.line >= 1 and diagnostic.span.column >= 1
        assert diagnostic.message
        rendered = render_text(diagnostic, report.sources)
        assert rendered.startswith(f"{diagnostic.span.file}:{diagnostic.span.line}:")


def check_text(files: dict[str, str | bytes]) -> CheckReport:
    with tempfile.TemporaryDirectory() as folder:
        report = check_files(Path(folder), files)
    assert_sound(report)
    return report


# ---------------------------------------------------------------- odd files


def test_binary_garbage(tmp_path: Path) -> None:
    garbage = bytes(range(256)) * 40 + b"\x89PNG\r\n\x1a\n"
    report = check_files(tmp_path, {"image.tfr": garbage})
    # the first byte that is not UTF-8 is 0x80, on line 2 (after the byte 0x0a)
    assert [where(d) for d in report.diagnostics] == [("E001", "image.tfr", 2, 118)]


def test_invalid_utf8_in_the_middle_of_a_rule(tmp_path: Path) -> None:
    text = (LOCAL_HEADER + "criterion local = crime_asb # caf\xe9\n").encode("latin-1")
    report = check_files(tmp_path, {"local.tfr": text})
    assert [where(d) for d in report.diagnostics] == [("E001", "local.tfr", 4, 34)]
    assert "0xe9" in report.diagnostics[0].message


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    text = "\ufeff" + LOCAL_HEADER + "criterion local = crime_asb\n"
    report = check_files(tmp_path, {"local.tfr": text.encode("utf-8")})
    assert report.diagnostics == (), summary(report)


def test_windows_line_endings_are_fine(tmp_path: Path) -> None:
    text = (LOCAL_HEADER + "criterion local = crime_asb\n").replace("\n", "\r\n")
    report = check_files(tmp_path, {"local.tfr": text.encode("utf-8")})
    assert report.diagnostics == (), summary(report)


@pytest.mark.parametrize("depth", [10_000])
def test_ten_thousand_nested_parentheses(tmp_path: Path, depth: int) -> None:
    # parentheses alone add no depth to what is evaluated: the rule is just `true`
    rules = LOCAL_HEADER + "criterion local = " + "(" * depth + "true" + ")" * depth + "\n"
    report = check_files(tmp_path, {"local.tfr": rules})
    assert [d.code for d in report.diagnostics] == []
    nested = LOCAL_HEADER + "criterion local = " + "not (" * depth + "true" + ")" * depth + "\n"
    report = check_files(tmp_path, {"local.tfr": nested})
    assert [d.code for d in report.diagnostics] == ["E013"]


def test_ten_thousand_nots(tmp_path: Path) -> None:
    report = check_files(tmp_path, {"local.tfr": LOCAL_HEADER + "criterion local = "
                                    + "not " * 10_000 + "x\n"})  # fmt: skip
    assert [d.code for d in report.diagnostics] == ["E013"]


def test_a_very_long_sum(tmp_path: Path) -> None:
    rules = LOCAL_HEADER + "measure m = " + "1 + " * 2_000 + "1\ncriterion local = m > 1\n"
    report = check_files(tmp_path, {"local.tfr": rules})
    assert [where(d) for d in report.diagnostics] == [("E013", "local.tfr", 4, 13)]


def test_a_long_chain_of_rules(tmp_path: Path) -> None:
    chain = "".join(f"criterion r{i} = r{i + 1}\n" for i in range(400))
    rules = LOCAL_HEADER + chain + "criterion r400 = true\ncriterion local = r0\n"
    report = check_files(tmp_path, {"local.tfr": rules})
    assert report.errors >= 1
    assert {d.code for d in report.diagnostics} == {"E013"}


def test_a_long_circle_of_rules(tmp_path: Path) -> None:
    circle = "".join(f"criterion r{i} = r{(i + 1) % 100}\n" for i in range(100))
    report = check_files(tmp_path, {"local.tfr": LOCAL_HEADER + circle + "criterion local = r0\n"})
    assert [d.code for d in report.diagnostics] == ["E401"]
    assert report.diagnostics[0].message.count("→") == 100


def test_a_fifty_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.tfr"
    with path.open("wb") as out:
        out.write(LOCAL_HEADER.encode())
        out.truncate(50_000_000)  # sparse: quick to make, 50 MB to read
    report = check_paths([tmp_path])
    assert [where(d) for d in report.diagnostics] == [("E002", "huge.tfr", 1, 1)]
    assert "50.0 MB" in report.diagnostics[0].message


@pytest.mark.parametrize(
    "text",
    ["", "\n\n\n", "   \t  \n  ", "# only a comment", "# one\n\n   # two\n#three"],
    ids=["empty", "blank-lines", "whitespace", "comment", "comments"],
)
def test_files_without_rules(tmp_path: Path, text: str) -> None:
    report = check_files(tmp_path, {"nothing.tfr": text})
    assert [where(d) for d in report.diagnostics] == [("E016", "nothing.tfr", 1, 1)]


def test_very_long_lines(tmp_path: Path) -> None:
    comment = "# " + "x" * 200_000 + "\n"
    rules = LOCAL_HEADER + comment + "criterion local = " + " or ".join(["crime_asb"] * 2000)
    report = check_files(tmp_path, {"local.tfr": rules + " or identifed\n"})
    assert [d.code for d in report.diagnostics] == ["E101"]
    caret_line = render_text(report.diagnostics[0], report.sources).splitlines()[2]
    assert len(caret_line) < 300


def test_a_folder_without_rule_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not rules")
    with pytest.raises(PathError, match=r"no \.tfr files"):
        check_paths([tmp_path])


def test_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(PathError, match="no such file or folder"):
        check_paths([tmp_path / "missing.tfr"])


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "folder.tfr").mkdir()
    (tmp_path / "link.tfr").symlink_to(tmp_path / "gone.tfr")
    report = check_paths([tmp_path])
    assert sorted(where(d) for d in report.diagnostics) == [
        ("E003", "folder.tfr", 1, 1),
        ("E003", "link.tfr", 1, 1),
    ]


# ---------------------------------------------------------------- random text


@FAST
@given(st.text())
def test_any_text_gives_diagnostics_not_exceptions(text: str) -> None:
    check_text({"any.tfr": text})


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_give_diagnostics_not_exceptions(data: bytes) -> None:
    check_text({"any.tfr": data})


VOCABULARY = st.sampled_from([*KEYWORDS, *NAMES, *LITERALS, *SYMBOLS])
HEADERS = ["", LOCAL_HEADER, 'ruleset local.x "X"\n uses schema canonical\n', "schema mini\n"]


@FAST
@given(
    st.sampled_from(HEADERS),
    st.lists(VOCABULARY, max_size=60),
)
def test_text_of_the_languages_words_gives_diagnostics_not_exceptions(
    header: str, words: list[str]
) -> None:
    check_text({"words.tfr": header + " ".join(words)})


# ---------------------------------------------------------------- damaged real rule files

Mutation = Callable[[st.DrawFn, str], str]


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def delete_line(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    del lines[draw(st.integers(0, len(lines) - 1))]
    return "".join(lines)


def duplicate_line(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    index = draw(st.integers(0, len(lines) - 1))
    lines.insert(index, lines[index])
    return "".join(lines)


def swap_lines(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    first, second = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
    lines[first], lines[second] = lines[second], lines[first]
    return "".join(lines)


def delete_characters(draw: st.DrawFn, text: str) -> str:
    start = draw(st.integers(0, len(text)))
    return text[:start] + text[start + draw(st.integers(1, 8)) :]


def insert_characters(draw: st.DrawFn, text: str) -> str:
    start = draw(st.integers(0, len(text)))
    inserted = draw(st.text(min_size=1, max_size=5) | st.sampled_from(SYMBOLS + LITERALS))
    return text[:start] + inserted + text[start:]


def replace_token(draw: st.DrawFn, text: str) -> str:
    tokens = list(TOKEN.finditer(text))
    if not tokens:
        return text
    token = tokens[draw(st.integers(0, len(tokens) - 1))]
    replacement = draw(st.sampled_from(KEYWORDS + NAMES))
    return text[: token.start()] + replacement + text[token.end() :]


MUTATIONS: list[Mutation] = [
    delete_line, duplicate_line, swap_lines, delete_characters, insert_characters, replace_token,
]  # fmt: skip


_DECLARATION = re.compile(
    r"^(?=(abstract|overridable|override|parameter|criterion|measure|test|entity|events)\b)",
    re.MULTILINE,
)
#: The most of a file that one example damages and checks, to keep the test quick.
EXCERPT = 6_000


def excerpt(draw: st.DrawFn, text: str) -> str:
    """A long file's header (up to its first declaration) and a run of its
    declarations of about EXCERPT characters; a short file whole."""
    if len(text) <= EXCERPT:
        return text
    header, *declarations = _DECLARATION.split(text)[::2]
    if not declarations:
        return text[:EXCERPT]
    start = draw(st.integers(0, len(declarations) - 1))
    chosen: list[str] = []
    for declaration in declarations[start:]:
        if chosen and sum(map(len, chosen)) + len(declaration) > EXCERPT:
            break
        chosen.append(declaration)
    return header + "".join(chosen)


@st.composite
def damaged_rule_files(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(RULE_FILES)))
    text = excerpt(draw, RULE_FILES[name])
    for _ in range(draw(st.integers(1, 3))):
        text = draw(st.sampled_from(MUTATIONS))(draw, text)
    return name, text


def test_the_real_rule_files_check_clean() -> None:
    """The starting point of the damage below: every shipped file is clean."""
    with tempfile.TemporaryDirectory() as folder:
        report = check_files(Path(folder), RULE_FILES)
    assert report.errors == 0, summary(report)


@FAST
@given(damaged_rule_files())
def test_damaged_rule_files_give_diagnostics_not_exceptions(damaged: tuple[str, str]) -> None:
    name, text = damaged
    check_text({name: text})
