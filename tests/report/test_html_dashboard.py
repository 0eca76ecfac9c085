"""The dashboard as a web page, opened in a real browser (headless Chromium):
it loads from disk with no network, every chart is drawn, nothing is logged as
an error, a screenshot is kept for CI, and a narrow window still reads."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfrules.audit.manifest import read_manifest
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.cli.main import app
from tfrules.data.synth import generate_to_dir

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / ".ci" / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHARTS = 8


def _browser_available() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") or os.environ.get("TFRULES_CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is not installed here (apt-get install chromium)")


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    generate_to_dir(1_500, 3, root / "data")
    html = root / "dashboard.html"
    result = CliRunner().invoke(
        app,
        [
            "report", "--data", str(root / "data"), "--as-of", "2015-03-31",
            "--local", str(bundled_rulesets_dir() / "local"), "--out", str(root / "out"),
            "--html", str(html), "--audit-bundle", str(root / "bundle"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"The dashboard as a web page: {html}" in result.output
    manifest = read_manifest(root / "bundle")
    assert manifest["command"] == "report"
    assert {"dashboard.csv", "phase1.parquet", "other files/dashboard.html"} <= set(
        manifest["outputs"]
    )
    return html


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _browser_available()
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="tfrules-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def _open(browser, path: Path, width: int):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.chart svg').length >= {CHARTS}", timeout=60_000
    )
    return page, problems, requests


def test_the_page_is_one_file_with_no_outside_references(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text
    assert "cdn." not in text and "unpkg" not in text and "jsdelivr" not in text
    for title in (
        "Variation between councils",
        "From identification to payment",
        "Unknown identification, by the data that is missing",
        "Troubled Families and DWP Families with Multiple Problems",
        "Money, per council",
        "Attachments and results by quarter",
        "Cost savings of the families attached, per council",
        "Net savings by agency, per council",
    ):
        assert title in text
    assert "Barking and Dagenham" in text and "Newcastle upon Tyne" in text
    assert "programme average" in text


def test_the_savings_tables_have_the_whole_summary_and_every_agency(page_file: Path) -> None:
    """Issue 16: per council and in total, families counted, gross and net
    savings, intervention cost and savings per £1; and the savings by agency."""
    text = page_file.read_text(encoding="utf-8")
    savings = text[text.index('<section id="savings">') :]
    savings = savings[: savings.index("</section>")]
    for heading in ("families counted", "gross saving", "net saving", "intervention cost"):
        assert f">{heading}</th>" in savings
    assert ">net per £1</th>" in savings and ">All councils</td>" in savings
    agencies = text[text.index('<section id="savings_by_agency">') :]
    agencies = agencies[: agencies.index("</section>")]
    assert agencies.count('<th scope="col"') >= 7  # the council and six agencies
    assert ">All councils</td>" in agencies


def test_every_chart_is_drawn_with_no_errors_and_no_network(browser, page_file: Path) -> None:
    page, problems, requests = _open(browser, page_file, 1280)
    try:
        assert page.evaluate("document.querySelectorAll('.chart svg').length") == CHARTS
        assert (
            page.evaluate(
                "document.querySelectorAll('.chart svg .mark-rect, .chart svg "
                ".mark-line, .chart svg .mark-rule').length"
            )
            > CHARTS
        )
        assert page.evaluate("document.querySelectorAll('section table').length") == CHARTS
        assert problems == []
        assert [url for url in requests if not url.startswith("file:")] == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
    finally:
        page.close()


def test_a_narrow_window_still_reads(browser, page_file: Path) -> None:
    page, problems, _ = _open(browser, page_file, 375)
    try:
        # the page itself never scrolls sideways: wide charts and tables scroll in their box
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        heading = page.locator("h2").first.bounding_box()
        assert heading is not None and heading["x"] >= 0 and heading["width"] <= 375
        assert page.locator("h2").count() == CHARTS
        assert problems == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard-narrow.png"))
    finally:
        page.close()
