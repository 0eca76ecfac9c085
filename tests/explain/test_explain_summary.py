"""`explain` for people: the facts that decided each value, on one screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from explain_support import D, explain, frames

from tfrules import api
from tfrules.interpret.explain import render_text, to_json
from tfrules.interpret.explain_html import render_html
from tfrules.interpret.explain_text import render_summary
from tfrules.interpret.plain_values import money, plain, shorten
from tfrules.model import types as T

SCREEN = 40  # lines

#: A family identified by a proven youth offence, an adult on JSA and the
#: Leeds local criterion; the adult also has 28 older offences, none deciding.
FAMILY = {
    "households": [("H1", "E08000035", D(2012, 6, 1))],
    "persons": [("A", "H1", D(1980, 5, 1)), ("Y", "H1", D(1997, 3, 2))],
    "offences": [("Y", D(2012, 10, 1), True)]
    + [("A", D(2011, 1, day), True) for day in range(1, 29)],
    "asb": [("A", D(2012, 11, 5), "acceptable_behaviour_contract")],
    "benefit_claims": [("A", "JSA", D(2011, 1, 1), None)],
    "police_incidents": [("Y", D(2012, 9, 9), "burglary"), ("A", D(2012, 8, 1), "domestic_abuse")],
    "claims": [("H1", D(2012, 7, 1), "attachment", "1234.50")],
}


@pytest.fixture(scope="module")
def leeds():  # type: ignore[no-untyped-def]
    return api.load("local.leeds.phase1")


def test_the_proven_offence_is_on_the_first_screen(leeds) -> None:  # type: ignore[no-untyped-def]
    text = render_summary(explain(leeds, FAMILY, "2013-01-15", rules=["identified"]), leeds)
    first_screen = "\n".join(text.splitlines()[:SCREEN])
    assert "identified = true" in first_screen
    assert "offences row: offence date 2012-10-01" in first_screen
    assert "and 28 more" not in text and "… and" not in text
    assert len(text.splitlines()) <= 2 * SCREEN


def test_deciding_rows_come_first_and_are_never_hidden(leeds) -> None:  # type: ignore[no-untyped-def]
    """Under crime_asb only the deciding offence shows; the adult's 28 older
    offences did not decide it."""
    text = render_summary(explain(leeds, FAMILY, "2013-01-15", rules=["crime_asb"]), leeds)
    assert "member Y; offences row: offence date 2012-10-01, proven true" in text
    assert "age at offence_date < youth_age (15 < 18)" in text
    assert "2011-01-0" not in text


def test_an_or_that_is_true_shows_every_true_part(leeds) -> None:  # type: ignore[no-untyped-def]
    text = render_summary(explain(leeds, FAMILY, "2013-01-15", rules=["local"]), leeds)
    assert "burglary_linked = true" in text
    assert "adult_offending_asb = true" in text
    assert "police_incidents row: incident date 2012-09-09, category burglary" in text
    # both reasons of the adult: the ASB record and (none here) offences as an adult
    assert "kind acceptable behaviour contract" in text


def test_an_unknown_names_the_missing_table(leeds) -> None:  # type: ignore[no-untyped-def]
    family = {k: v for k, v in FAMILY.items() if k != "police_incidents"}
    family["persons"] = [("A", "H1", D(1980, 5, 1)), ("C", "H1", D(2004, 3, 2))]
    family["offences"] = []
    family["asb"] = []
    text = render_summary(explain(leeds, family, "2013-01-15", rules=["local", "education"]), leeds)
    assert "local = unknown" in text
    assert "missing: the table police_incidents was not supplied" in text
    assert "missing: the table school_terms was not supplied" in text
    # said once under each rule, not under every step of it
    assert text.count("school_terms was not supplied") == 1


def test_an_unknown_from_too_few_terms_says_so(leeds) -> None:  # type: ignore[no-untyped-def]
    family = dict(FAMILY)
    family["persons"] = [*FAMILY["persons"], ("C", "H1", D(2004, 3, 2))]
    family["school_terms"] = [("C", 2012, "autumn", 60)]
    text = render_summary(explain(leeds, family, "2013-01-15", rules=["education"]), leeds)
    assert "education = unknown" in text
    assert "terms_recorded < terms_needed = true  (1 < 3)" in text
    assert "so the rule gives unknown" in text


def test_unattached_family_says_attached_on_is_empty(leeds) -> None:  # type: ignore[no-untyped-def]
    family = dict(FAMILY)
    family["households"] = [("H1", "E08000035", None)]
    text = render_summary(explain(leeds, family, "2013-01-15", rules=["turned_around"]), leeds)
    assert "missing: attached_on is empty in households" in text


def test_values_print_as_values(leeds) -> None:  # type: ignore[no-untyped-def]
    text = render_summary(explain(leeds, FAMILY, "2013-01-15"), leeds)
    assert "already_claimed = £1,234.50" in text
    assert re.search(r"^overclaimed = £[\d,]+(\.\d\d)?: ", text, re.MULTILINE)
    assert "domestic_abuse = domestic_abuse" not in text
    category = T.Type(T.Kind.CATEGORY, values=("child_protection_plan",))
    assert plain("child_protection_plan", category) == "child protection plan"
    assert money(4000) == "£4,000" and money(1234.5) == "£1,234.50"
    assert plain(None) == "unknown" and plain(D(2012, 12, 12)) == "2012-12-12"


def test_long_expressions_are_cut_at_a_word() -> None:
    text = "any member has offences where proven, in the last identification_window, " * 3
    short = shorten(text, 90)
    assert len(short) <= 90 and short.endswith(" …")
    kept = short.removesuffix(" …").split()
    assert all(word in text.split() for word in kept)


def test_no_expression_in_the_text_is_cut_mid_word(leeds) -> None:  # type: ignore[no-untyped-def]
    explanation = explain(leeds, FAMILY, "2013-01-15")
    for text in (render_summary(explanation, leeds), render_text(explanation, leeds, 8)):
        assert "..." not in text
        for line in text.splitlines():
            if "…" in line and line.strip() != "…":  # a lone … is the depth limit
                assert re.search(r"\S …", line), line  # a whole word, then the mark


def test_full_shows_every_row(leeds) -> None:  # type: ignore[no-untyped-def]
    explanation = explain(leeds, FAMILY, "2013-01-15", rules=["crime_asb"])
    full = render_text(explanation, leeds, depth=20)
    assert full.count("offences row:") >= 29
    assert "more" not in full


def test_json_has_the_deciding_facts_and_the_trace(leeds) -> None:  # type: ignore[no-untyped-def]
    found = to_json(explain(leeds, FAMILY, "2013-01-15", rules=["crime_asb"]), leeds)
    rule = found["rules"][0]
    assert rule["explanation"]["because"]
    dumped = json.dumps(rule["deciding"])
    assert "offence date 2012-10-01" in dumped
    json.dumps(found)  # all of it is JSON


def test_html_case_page_is_self_contained_and_escaped(tmp_path: Path) -> None:
    rules = tmp_path / "risky.tfr"
    rules.write_text(
        'ruleset local.risky.phase1 "Risky <b>council</b>"\n'
        "    extends national.phase1\n"
        "    applies to E08000035\n\n"
        'criterion local "A family at <high> risk & \\"urgent\\""\n'
        "    = any member has offences where proven\n",
        encoding="utf-8",
    )
    ruleset = api.load(rules)
    data = frames(FAMILY)
    dataset = api.load_data(ruleset, data)
    household = api.household(ruleset, dataset, "H1")
    assert household is not None
    explanation = api.explain(ruleset, data, "2013-01-15", "H1", rules=["local", "identified"])
    page = render_html(explanation, ruleset, household)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "&lt;high&gt; risk &amp; &quot;urgent&quot;" in page
    assert "<high>" not in page and "<b>council</b>" not in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "offence date 2012-10-01" in page
    assert "<details>" in page  # the whole evaluation, folded away
    assert "<td>A</td><td>1980-05-01</td><td>32</td>" in page
