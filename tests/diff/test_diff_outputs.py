"""The diff's Markdown and JSON against golden files, the terminal tables,
and a what-if that changes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from diff_support import (
    BASE_RULES,
    GOLDEN_AS_OF,
    GOLDEN_DATA,
    HERE,
    NEW_RULES,
    expect_exit,
    run,
)

from tfrules import api
from tfrules.diffing.render_markdown import render_markdown

GOLDEN = HERE / "golden"
#: Set to rewrite the golden files from the current output (then review the diff).
UPDATE = os.environ.get("TFRULES_UPDATE_GOLDEN") == "1"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def golden_args(fmt: str) -> list[object]:
    """Paths relative to tests/diff (the test runs there), as a reader would type them."""
    return [
        "diff", BASE_RULES.relative_to(HERE), NEW_RULES.relative_to(HERE),
        "--data", GOLDEN_DATA.relative_to(HERE), "--as-of", GOLDEN_AS_OF,
        "--format", fmt, "--max-changed", "attached=20%", "--max-money-change", "fee_due=£500",
    ]  # fmt: skip


@pytest.fixture
def in_tests_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)


@pytest.mark.usefixtures("in_tests_folder")
def test_markdown_is_the_golden_file() -> None:
    result = expect_exit(run(*golden_args("markdown")), 1)  # the money limit is exceeded
    golden("golden.md", result.stdout)
    assert "<details>" in result.stdout and "### Gate: **failed**" in result.stdout


@pytest.mark.usefixtures("in_tests_folder")
def test_json_is_the_golden_file() -> None:
    result = expect_exit(run(*golden_args("json")), 1)
    golden("golden.json", result.stdout)
    found = json.loads(result.stdout)
    first = found["rules"][0]
    assert set(first) >= {"rule", "council", "changes"}
    assert first["council"] == "all"
    assert list(first["changes"]) == [
        "true->false", "false->true", "true->unknown",
        "unknown->true", "false->unknown", "unknown->false",
    ]  # fmt: skip
    assert found["gate"]["passed"] is False


def test_the_golden_figures_are_right() -> None:
    """The golden files are checked by hand once: these are the figures in them."""
    result = api.diff(BASE_RULES, NEW_RULES, data=GOLDEN_DATA, as_of=GOLDEN_AS_OF)
    # H1's offence was at 16: young under 18, not under 16
    assert result.changed("young_offending") == 1
    assert result.changed("young_offending", "E08000035") == 1
    # H3 is attached after the run date
    assert result.changed("attached") == 1
    money = result.money.filter(result.money["council"] == "all").row(0, named=True)
    assert (str(money["before"]), str(money["after"]), str(money["change"])) == (
        "3000.00", "2400.00", "-600.00",
    )  # fmt: skip
    kinds = {c.rule: c.change.value for c in result.changes[0].rules}
    assert kinds == {
        "attached": "definition",
        "young_offending": "parameters",
        "fee_due": "parameters",
    }
    first = next(s for s in result.samples if s.rule == "fee_due" and s.household == "H1")
    assert first.cause == "young_offending"
    assert (first.cause_before, first.cause_after) == ("true", "false")


def test_terminal_tables() -> None:
    result = expect_exit(
        run("diff", BASE_RULES, NEW_RULES, "--data", GOLDEN_DATA, "--as-of", GOLDEN_AS_OF,
            "--by-council"),
        0,
    )  # fmt: skip
    text = result.stdout
    assert "young_offending" in text and "E08000035" in text
    assert "£3,000.00" in text and "-£600.00" in text
    assert "before: young_offending = true" in text


def test_out_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "diff.md"
    expect_exit(
        run("diff", BASE_RULES, NEW_RULES, "--data", GOLDEN_DATA, "--as-of", GOLDEN_AS_OF,
            "--format", "markdown", "--out", out),
        0,
    )  # fmt: skip
    assert out.read_text(encoding="utf-8").startswith("## tfrules diff")


def test_samples_are_reproducible(synth_folder: Path) -> None:
    def picked(seed: int) -> list[tuple[str, str, str]]:
        found = api.diff(
            "national.phase1", data=synth_folder, as_of="2014-03-31",
            params=["youth_age=15"], samples=2, seed=seed,
        )  # fmt: skip
        return [(s.rule, s.transition, s.household) for s in found.samples]

    first = picked(7)
    assert first and first == picked(7)
    assert len({h for _, _, h in first}) >= 2


def test_a_what_if_that_changes_nothing_reports_nothing(synth_folder: Path) -> None:
    result = api.diff(
        "national.phase1", data=synth_folder, as_of="2014-03-31", params=["youth_age=18"]
    )
    assert result.nothing_changed
    assert result.params == ()
    assert all(not each.rules for each in result.changes)
    assert result.samples == ()
    assert result.money["change"].abs().max() == 0


def test_a_what_if_that_changes_nothing_passes_the_gate(synth_folder: Path) -> None:
    found = expect_exit(
        run("diff", "national.phase1", "--param", "youth_age=18", "--data", synth_folder,
            "--as-of", "2014-03-31", "--format", "markdown",
            "--max-changed", "identified=0", "--max-money-change", "payment_due=£0"),
        0,
    )  # fmt: skip
    text = found.stdout
    assert "### Gate: passed" in text
    assert "No household changes value for any criterion." in text
    assert "no rule or parameter differs" in text
    assert "Sample households" not in text


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json"])
def test_every_format_runs_on_synthetic_data(synth_folder: Path, fmt: str) -> None:
    expect_exit(
        run("diff", "national.phase1", "--param", "youth_age=15", "--param",
            "payment_cap=£3000", "--data", synth_folder, "--as-of", "2014-03-31",
            "--format", fmt, "--samples", "1"),
        0,
    )  # fmt: skip


def test_markdown_stays_under_the_size_of_a_comment() -> None:
    result = api.diff(BASE_RULES, NEW_RULES, data=GOLDEN_DATA, as_of=GOLDEN_AS_OF)
    whole = render_markdown(result)
    short = render_markdown(result, max_characters=len(whole) - 200)
    assert len(short) < len(whole)
    assert "more sample section(s) left out" in short
    assert "### Criteria" in short and "### Money" in short  # the figures are always there


def test_a_councils_own_extract_through_its_mapping() -> None:
    """docs/examples/anytown: a council's files in its own shape, read through
    its mapping, by the command and by the API alike."""
    anytown = HERE.parents[1] / "docs" / "examples" / "anytown"
    found = expect_exit(
        run("diff", "national.phase1", "--param", "youth_age=16", "--data", anytown,
            "--mapping", anytown / "mapping.tfr", "--as-of", "2014-03-31", "--format", "json"),
        0,
    )  # fmt: skip
    counts = json.loads(found.stdout)
    through_api = api.diff(
        "national.phase1", data=anytown, as_of="2014-03-31", params=["youth_age=16"],
        mapping=anytown / "mapping.tfr", samples=0,
    )  # fmt: skip
    assert counts["households"] == through_api.households > 0
    moved = {r["rule"]: r["changed"] for r in counts["rules"] if r["council"] == "all"}
    assert moved["crime_asb"] == through_api.changed("crime_asb") > 0
