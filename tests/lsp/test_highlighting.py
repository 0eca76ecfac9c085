"""The Pygments lexer: registered by name and file name, every word of the
grammar highlighted, nothing lost, and used by `tfrules doc` HTML pages."""

from __future__ import annotations

from pathlib import Path

from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, Operator, String

from tfrules.check import check_paths
from tfrules.report.ruleset_doc import render_html
from tfrules.syntax.highlight import TfrulesLexer, language_words

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "rulesets").rglob("*.tfr"))


def tokens(text: str) -> list[tuple[object, str]]:
    return list(TfrulesLexer().get_tokens(text))


def test_the_lexer_is_registered_for_pygments() -> None:
    assert isinstance(get_lexer_by_name("tfr"), TfrulesLexer)
    assert isinstance(get_lexer_by_name("tfrules"), TfrulesLexer)
    assert isinstance(get_lexer_for_filename("leeds_phase1.tfr"), TfrulesLexer)


def test_every_shipped_file_lexes_without_loss_or_error() -> None:
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        found = tokens(text)
        assert "".join(value for _, value in found) == text, path
        assert not [v for kind, v in found if kind in Error], path


def test_what_each_part_of_a_rule_is() -> None:
    text = (
        'criterion burgled "Linked to a burglary"  # a note\n'
        "    = any member has police_incidents where category = burglary,\n"
        "      in the last 12 months, incident_date >= 2012-04-01 and not unknown\n"
        "measure fee: money = max(£4,000, 15% of £1,000)\n"
    )
    kinds = {value: kind for kind, value in tokens(text) if value.strip()}
    assert kinds["criterion"] in Keyword.Declaration
    assert kinds["burgled"] in Name.Function
    assert kinds["burglary,"[:-1]] in Name
    assert kinds['"Linked to a burglary"'] in String
    assert kinds["# a note"] in Comment
    assert kinds["any"] in Keyword and kinds["where"] in Keyword
    assert kinds["police_incidents"] in Name
    assert kinds["12 months"] in Number
    assert kinds["2012-04-01"] in Literal.Date
    assert kinds["unknown"] in Keyword.Constant
    assert kinds["max"] in Name.Builtin
    assert kinds["£4,000"] in Number and kinds["15%"] in Number


def test_the_words_come_from_the_grammar() -> None:
    words = language_words()
    assert {"criterion", "where", "satisfies", "termly", "otherwise"} <= words
    for word in words:
        [(kind, value), *_] = tokens(word)
        assert value == word and (kind in Keyword or kind in Operator.Word), word


def test_tfrules_doc_html_highlights_the_rules() -> None:
    report = check_paths([REPO / "rulesets" / "local" / "leeds_phase1.tfr"])
    [ruleset] = report.rulesets
    page = render_html(ruleset)
    assert '<pre class="tfr"><span class="n">burglary_linked</span>' in page
    assert '<span class="k">where</span>' in page
    assert ".tfr .k {" in page  # the colours
