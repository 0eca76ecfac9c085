"""`tfrules doc`: pages an officer can read. No Markdown left as text in the
HTML; every link leads to a rule on the same page (the rules a council's
ruleset uses from the national one are rendered there); the file's comments
and its tests shown as worked examples; parameters as an officer reads them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from cli_support import REPO, expect_exit, run

from tfrules import api
from tfrules.report.ruleset_doc import render_html, render_markdown

SHIPPED = sorted((REPO / "rulesets").glob("*/*.tfr"))
NAMES = [
    "national.phase1", "national.phase2", "national.dwp_fmp",
    "local.leeds.phase1", "local.devon.phase1", "local.essex.phase2",
]  # fmt: skip


@pytest.fixture(scope="module", params=NAMES)
def ruleset(request):  # type: ignore[no-untyped-def]
    return api.load(request.param)


def _text_of(page: str) -> str:
    """What a reader of an HTML page sees: its text, without tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _outside_pre(page: str) -> str:
    return re.sub(r"<pre.*?</pre>", "", page, flags=re.DOTALL)


def test_no_markdown_is_left_as_text_in_the_html(ruleset) -> None:  # type: ignore[no-untyped-def]
    text = _outside_pre(render_html(ruleset))
    for pattern in (r"`", r"\*\*", r"\[[^\]]*\]\([^)]*\)", r"^#+ ", r"^\s*- "):
        assert not re.search(pattern, text, re.MULTILINE), pattern


def test_every_html_link_leads_to_an_anchor_on_the_page(ruleset) -> None:  # type: ignore[no-untyped-def]
    page = render_html(ruleset)
    anchors = set(re.findall(r'id="([^"]+)"', page))
    links = re.findall(r'href="([^"]+)"', page)
    assert links
    assert all(link.startswith("#") and link[1:] in anchors for link in links), links


def test_every_markdown_link_leads_to_a_rule_heading(ruleset) -> None:  # type: ignore[no-untyped-def]
    page = render_markdown(ruleset)
    headings = set(re.findall(r"^### `([^`]+)`$", page, re.MULTILINE))
    targets = re.findall(r"\]\(#([^)]+)\)", page)
    assert targets
    assert set(targets) <= headings


def test_a_council_page_renders_the_national_rules_it_uses() -> None:
    leeds = api.load("local.leeds.phase1")
    page = render_html(leeds)
    assert "<h2>Rules of national.phase1 used here</h2>" in page
    assert '<a href="#adult"><code>adult</code></a>' in page
    assert '<h3 id="adult"><code>adult</code></h3>' in page
    markdown = render_markdown(leeds)
    assert "[`adult`](#adult)" in markdown and "### `adult`" in markdown


def test_comments_and_tests_are_worked_examples() -> None:
    leeds = api.load("local.leeds.phase1")
    for page in (render_markdown(leeds), _text_of(render_html(leeds))):
        assert "Families First Leeds: the local criterion Leeds City Council used" in page
        assert "Worked examples" in page
        assert "the local criterion at the attachment date decides identification at" in page
        assert "expect H1: local = false, local_at_attachment = true" in page
        assert "Pinned reading 1 (revised): identification at attachment takes the local" in page
    national = render_markdown(api.load("national.phase1"))
    # the comment above a rule introduces it
    assert "payment_due never goes below £0, so a family claimed for beyond" in national
    # a comment's list stays a list
    devon = render_html(api.load("local.devon.phase1"))
    assert "<ul><li>Probation: offenders on probation are not recorded" in devon


def test_parameters_read_as_an_officer_reads_them() -> None:
    page = render_markdown(api.load("national.phase1"))
    assert "£3,200 in financial year 2012/13; £2,400 in financial year 2013/14" in page
    assert "any of: acceptable behaviour contract, asbo, housing intervention, injunction" in page
    assert "| `payment_cap` | Most that can be paid for one family | £4,000 |" in page
    assert "The programme ran from 2012-04-01 to 2015-03-31" in page


def test_html_escapes_everything_from_the_rules(tmp_path: Path) -> None:
    rules = tmp_path / "odd.tfr"
    rules.write_text(
        "# A council's <b>rules</b> & `notes`\n\n"
        'ruleset local.odd.phase1 "Odd <script>alert(1)</script>"\n'
        "    extends national.phase1\n"
        "    applies to E08000035\n\n"
        "# Uses <i>offences</i>.\n"
        'criterion local "Offending & <more>"\n'
        "    = any member has offences where proven\n",
        encoding="utf-8",
    )
    page = render_html(api.load(rules))
    assert "<script>" not in page and "<b>rules</b>" not in page and "<i>" not in page
    assert "Odd &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A council&#x27;s &lt;b&gt;rules&lt;/b&gt; &amp; <code>notes</code>" in page
    assert "Offending &amp; &lt;more&gt;" in page


def test_doc_writes_an_html_page(tmp_path: Path) -> None:
    out = tmp_path / "leeds.html"
    expect_exit(run("doc", "local.leeds.phase1", "--out", out), 0)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_shipped_pages_are_current() -> None:
    """docs/rulesets/ is what `tfrules doc --all rulesets/` makes (CI checks it too)."""
    for path in SHIPPED:
        if path.parent.name == "schema":
            continue
        ruleset = api.load(path)
        page = REPO / "docs" / "rulesets" / f"{ruleset.name}.md"
        assert page.read_text(encoding="utf-8") == render_markdown(ruleset), page.name
