"""docs/errors.md is right: every code tfrules emits has a section, every
section documents a code tfrules emits, every wrong example gives its code and
every fixed example checks without errors.

Examples are fenced ```` ```tfr wrong ```` or ```` ```tfr fixed ````, with
options after the role:

- `file=NAME`: one file of an example of several files (the blocks of one
  section and role with `file=` are checked together, in one folder);
- `latin-1`: the file is saved in Latin-1 rather than UTF-8;
- `padded`: the file is padded with comment lines to 6 MB;
- `broken-link`: the file is a link to a file that does not exist;
- `outside-link`: the file is saved outside the folder checked, which holds a link to it;
- `text-link`: the file is saved as `NAME.txt`, and `NAME.tfr` is a link to it.

An example that does not start with `ruleset`, `schema` or `mapping` is a fragment of a
council's ruleset: it is put under a `ruleset ... extends national.phase1`
header, with `criterion local = true` added if it does not define `local`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tfr_helpers import check_files, codes_in_source, summary

from tfrules.check import check_paths
from tfrules.diagnostics import render_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "errors.md"

#: Codes documented without examples, and why.
WITHOUT_EXAMPLES = {"E017": "a bug in the formatter: no rule file gives it"}

DOC_HEADER = 'ruleset local.example "Example"\n    extends national.phase1\n\n'
_SECTION = re.compile(r"^## (?P<code>[EW]\d{3}): (?P<title>.+)$", re.MULTILINE)
_BLOCK = re.compile(
    r"^```tfr (?P<role>wrong|fixed)(?P<options>[^\n]*)\n(?P<text>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)
_DEFINES_LOCAL = re.compile(r"^\s*(abstract\s+)?(criterion|measure)\s+local\b", re.MULTILINE)


@dataclass
class Example:
    code: str
    role: str
    number: int
    files: dict[str, str] = field(default_factory=dict)
    options: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"{self.code}-{self.role}-{self.number}"


def sections() -> dict[str, str]:
    """The text of each code's section, by code."""
    text = DOC.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    matches = list(_SECTION.finditer(text))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        assert match["code"] not in found, f"{match['code']} is documented twice"
        found[match["code"]] = text[match.end() : end]
    return found


def examples() -> list[Example]:
    found: list[Example] = []
    for code, body in sections().items():
        grouped: dict[str, Example] = {}
        for block in _BLOCK.finditer(body):
            role, text = block["role"], block["text"]
            options = set(block["options"].split())
            names = [o.removeprefix("file=") for o in options if o.startswith("file=")]
            options -= {f"file={n}" for n in names}
            if names:  # one file of an example of several files
                example = grouped.setdefault(role, Example(code, role, len(found)))
                if example not in found:
                    found.append(example)
                example.files[names[0]] = text
                example.options |= options
            else:
                found.append(Example(code, role, len(found), {"example.tfr": text}, options))
    return found


def as_file(text: str) -> str:
    """A complete rule file from an example (fragments get a council header)."""
    lines = [line for line in text.splitlines() if line.strip()]
    content = [line for line in lines if not line.lstrip().startswith("#")]
    if not content or content[0].startswith(("ruleset ", "schema ", "mapping ")):
        return text
    local = "" if _DEFINES_LOCAL.search(text) else "\ncriterion local = true\n"
    return DOC_HEADER + text + local


EXAMPLES = examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example(example: Example, tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {}
    for name, text in example.files.items():
        content = as_file(text)
        if "padded" in example.options:
            content += "# padding\n" * 600_000
        files[name] = content.encode("latin-1") if "latin-1" in example.options else content
    if "broken-link" in example.options:
        for name in files:
            (tmp_path / name).symlink_to(tmp_path / "moved" / name)
        report = check_paths([tmp_path])
    elif {"outside-link", "text-link"} & example.options:
        folder = tmp_path / "rules"
        folder.mkdir()
        for name, content in files.items():
            if "outside-link" in example.options:
                target = tmp_path / name
            else:
                target = folder / Path(name).with_suffix(".txt")
            target.write_text(str(content), encoding="utf-8")
            (folder / name).symlink_to(target)
        report = check_paths([folder])
    else:
        report = check_files(tmp_path, files)
    codes = [d.code for d in report.diagnostics]
    if example.role == "wrong":
        assert example.code in codes, summary(report)
    else:
        assert report.errors == 0, summary(report)
        assert example.code not in codes, summary(report)


def test_every_code_in_the_source_is_documented() -> None:
    documented = set(sections())
    in_source = codes_in_source()
    assert in_source - documented == set(), "codes with no section in docs/errors.md"
    assert documented - in_source == set(), "sections for codes tfrules never emits"


def test_every_code_has_a_wrong_and_a_fixed_example() -> None:
    for code in sections():
        roles = {e.role for e in EXAMPLES if e.code == code}
        if code in WITHOUT_EXAMPLES:
            assert roles == set(), f"{code}: examples, yet listed as without"
        else:
            assert roles == {"wrong", "fixed"}, f"{code}: {sorted(roles)}"


def test_sections_are_in_order_with_plain_titles() -> None:
    codes = list(sections())
    errors = [c for c in codes if c.startswith("E")]
    assert errors == sorted(errors)
    assert codes[-len([c for c in codes if c.startswith("W")]) :] == sorted(
        c for c in codes if c.startswith("W")
    )
    for match in _SECTION.finditer(DOC.read_text(encoding="utf-8")):
        title = match["title"]
        assert title == title.lower() or title[0].islower(), title
        assert not title.endswith("."), title


def test_the_page_explains_diagnostics_and_exit_codes() -> None:
    text = DOC.read_text(encoding="utf-8")
    intro = text[: text.index("\n## E001")]
    for needed in ("error[E101]", "^^^", "hint:", "--format json", "--format github"):
        assert needed in intro, needed
    for code in range(4):
        assert f"\n| {code} |" in intro, f"exit code {code}"


def test_the_diagnostic_shown_in_the_intro_is_what_tfrules_prints(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    shown = text[text.index("```\nrulesets/local/leeds.tfr") + 4 :].split("```", 1)[0]
    rules = DOC_HEADER + "# ...\n" * 8 + "criterion local = crime_abs and education\n"
    report = check_files(tmp_path, {"leeds.tfr": rules})
    (diagnostic,) = report.diagnostics
    printed = render_text(diagnostic, report.sources).splitlines()
    expected = shown.rstrip("\n").splitlines()
    assert printed[0].endswith(expected[0].removeprefix("rulesets/local/"))
    assert printed[1:] == expected[1:]
