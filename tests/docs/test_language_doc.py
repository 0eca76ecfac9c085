"""Every ```tfr example in docs/language.md is checked, and its tests are run.

How an example is read (the guide says the same in "About the examples"):

- A block whose first line that is not a comment starts with `ruleset` or
  `schema` is a **complete file**. It must check with no errors.
- Any other block is a **fragment** of a council's ruleset. It is checked as if
  it were written after

      ruleset doc.example "An example from docs/language.md"
          extends national.phase1

  and, unless it defines `local` itself, followed by `criterion local = false`
  (a ruleset that extends national.phase1 must define `local`).
- Comment lines at the top of a block may carry markers:
  - `# error E101 E301`: the example is meant to be wrong. Checking it must
    give exactly these error codes (each at least once), and no others.
  - `# warning W002`: checking it must give these warnings too. Otherwise
    warnings are allowed.
  - `# from rulesets/schema/canonical.tfr`: the block is an excerpt of a file
    shipped with tfrules. It is not checked on its own; instead every line of
    it must be in that file, in the same order and next to each other (a line
    `...` stands for lines left out), so the guide cannot drift from it.
- The `test` declarations of every example that checks cleanly are run as
  `tfrules test` runs them (compiled plan and reference interpreter), and
  must pass.

The shipped rulesets that every example extends are parsed once for the whole
module (a cache in front of the parser, keyed on file and modification time),
which keeps the test to a few seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from tfrules import diagnostics as diag
from tfrules.check import check_paths
from tfrules.check import workspace as workspace_module
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.testing.runner import cases_of, run_case

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "language.md"

FENCE_OPEN = re.compile(r"^(\s*)```tfr\s*$")
FENCE_CLOSE = re.compile(r"^\s*```\s*$")
MARKER = re.compile(r"^#\s*(error|warning|from)\b\s*(.*)$")
CODE = re.compile(r"^[EW]\d{3}$")
DEFINES_LOCAL = re.compile(r"^\s*(?:abstract\s+)?criterion\s+local\b", re.MULTILINE)

WRAPPER = 'ruleset doc.example "An example from docs/language.md"\n    extends national.phase1\n\n'

#: The guide has far more examples than this; fewer means the extraction broke.
AT_LEAST = 50


@attrs.frozen
class Example:
    line: int  # line of the opening fence in docs/language.md
    text: str
    errors: frozenset[str] = frozenset()
    warnings: frozenset[str] = frozenset()
    excerpt_of: str | None = None

    @property
    def complete(self) -> bool:
        for raw in self.text.splitlines():
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            return re.match(r"(ruleset|schema)\b", stripped) is not None
        return False

    def source(self) -> str:
        """The file that is checked: the example itself, or the fragment wrapped."""
        if self.complete:
            return self.text
        tail = "" if DEFINES_LOCAL.search(self.text) else "\ncriterion local = false\n"
        return WRAPPER + self.text + tail

    @property
    def id(self) -> str:
        return f"language.md:{self.line}"


def read_examples(text: str) -> list[Example]:
    examples: list[Example] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if not FENCE_OPEN.match(lines[index]):
            index += 1
            continue
        start = index + 1
        end = start
        while end < len(lines) and not FENCE_CLOSE.match(lines[end]):
            end += 1
        if end == len(lines):
            raise AssertionError(f"language.md:{index + 1}: a ```tfr block is never closed")
        # A fence may be indented (a block inside a list item): its lines lose that indent.
        indent = len(FENCE_OPEN.match(lines[index]).group(1))
        body = [line[indent:] if line[:indent].isspace() else line for line in lines[start:end]]
        examples.append(_example(index + 1, body))
        index = end + 1
    return examples


def _example(line: int, body: list[str]) -> Example:
    errors: set[str] = set()
    warnings: set[str] = set()
    excerpt_of = None
    for raw in body:
        stripped = raw.strip()
        if not stripped.startswith("#"):
            break
        found = MARKER.match(stripped)
        if found is None:
            continue
        kind, rest = found.groups()
        if kind == "from":
            excerpt_of = rest.strip()
            continue
        codes = rest.split()
        bad = [c for c in codes if not CODE.match(c)]
        assert codes and not bad, f"language.md:{line}: '# {kind}' needs codes such as E101"
        (errors if kind == "error" else warnings).update(codes)
    return Example(line, "\n".join(body) + "\n", frozenset(errors), frozenset(warnings), excerpt_of)


EXAMPLES = read_examples(GUIDE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- one parse of the shipped files


@pytest.fixture(scope="module", autouse=True)
def parse_shipped_files_once() -> Iterator[None]:
    """Parse each shipped rule file once for all examples, not once per example."""
    original = workspace_module.parse_path
    shipped = bundled_rulesets_dir().resolve()
    cache: dict[tuple[Path, str | None, int, int], object] = {}

    def parse_path(path: Path, display: str | None = None):  # type: ignore[no-untyped-def]
        resolved = Path(path).resolve()
        if not resolved.is_relative_to(shipped):
            return original(path, display)
        stat = resolved.stat()
        key = (resolved, display, stat.st_mtime_ns, stat.st_size)
        if key not in cache:
            cache[key] = original(path, display)
        return cache[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workspace_module, "parse_path", parse_path)
        yield


# ---------------------------------------------------------------- the tests


def test_the_guide_has_its_examples() -> None:
    assert len(EXAMPLES) >= AT_LEAST, f"only {len(EXAMPLES)} ```tfr blocks found in {GUIDE}"
    wrong = [e for e in EXAMPLES if e.errors]
    assert len(wrong) >= 10, "the guide's 'Common mistakes' section should show its errors"


def _numbered(text: str) -> str:
    return "\n".join(f"{n:4} | {line}" for n, line in enumerate(text.splitlines(), 1))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example(example: Example, tmp_path: Path) -> None:
    if example.excerpt_of is not None:
        _check_excerpt(example)
        return
    path = tmp_path / "example.tfr"
    source = example.source()
    path.write_text(source, encoding="utf-8")
    report = check_paths([path])
    found_errors = {d.code for d in report.diagnostics if d.is_error}
    found_warnings = {d.code for d in report.diagnostics if not d.is_error}
    rendered = "\n".join(diag.render_text(d, report.sources) for d in report.diagnostics)
    where = (
        f"{example.id}: the example, as checked:\n{_numbered(source)}\n\ntfrules says:\n{rendered}"
    )
    if example.errors:
        assert found_errors == example.errors, (
            f"expected exactly the errors {sorted(example.errors)}, "
            f"got {sorted(found_errors) or 'none'}\n{where}"
        )
    else:
        assert not found_errors, f"the example should check cleanly\n{where}"
    missing_warnings = example.warnings - found_warnings
    assert not missing_warnings, f"expected the warnings {sorted(missing_warnings)}\n{where}"
    if example.errors:
        return
    if not _first_code_line(example.text).startswith("schema"):
        assert report.rulesets, f"no ruleset was checked\n{where}"
    failures = []
    for ruleset in report.rulesets:
        for case in cases_of(ruleset):
            result = run_case(ruleset, case)
            if result.passed:
                continue
            lines = [f'test "{case.title}" failed:']
            lines += [
                f"  {m.expected.household}.{m.expected.rule}: expected {m.expected.value!r}, "
                f"got {m.actual!r}"
                for m in result.mismatches
            ]
            lines += [f"  engines disagree: {d}" for d in result.disagreements]
            failures.append("\n".join(lines))
    assert not failures, "\n".join(failures) + f"\n{where}"


def _first_code_line(text: str) -> str:
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return ""


def _check_excerpt(example: Example) -> None:
    """Each part of the excerpt (parts are separated by `...` lines) must be in
    the shipped file, in order. Spaces and line breaks are not compared, so a
    rule laid out over more or fewer lines still matches."""
    assert example.excerpt_of is not None
    shipped = ROOT / example.excerpt_of
    assert shipped.is_file(), f"{example.id}: there is no file {example.excerpt_of}"
    parts: list[list[str]] = [[]]
    for raw in example.text.splitlines():
        line = raw.strip()
        if MARKER.match(line):
            continue
        if line == "...":
            parts.append([])
        elif line:
            parts[-1].append(line)
    have = _words(shipped.read_text(encoding="utf-8"))
    position = 0
    for part in (p for p in parts if p):
        wanted = _words("\n".join(part))
        found = have.find(wanted, position)
        assert found >= 0, (
            f"{example.id}: this part of the excerpt is not in {example.excerpt_of} "
            "(or not after the part before it):\n" + "\n".join(part)
        )
        position = found + len(wanted) - 1


def _words(text: str) -> str:
    return " " + " ".join(text.split()) + " "
