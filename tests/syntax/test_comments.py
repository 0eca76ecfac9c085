"""Comments: found by the parser, put back by the formatter."""

from __future__ import annotations

from textwrap import dedent

from tfrules.syntax import ast
from tfrules.syntax.formatter import format_file, format_text
from tfrules.syntax.parser import find_comments, parse_text


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    text = 'ruleset a "x # y"  # real\ncriterion b "q \\" # still text" = c\n'
    assert find_comments(text) == (ast.Comment(1, 20, "# real", own_line=False),)


def test_comments_have_positions_and_know_whether_they_have_a_line_of_their_own() -> None:
    text = '# one\nruleset a\n    # two "quoted" # three\ncriterion b = c  # four\t \n'
    assert find_comments(text) == (
        ast.Comment(1, 1, "# one", own_line=True),
        ast.Comment(3, 5, '# two "quoted" # three', own_line=True),
        ast.Comment(4, 18, "# four", own_line=False),
    )


def test_windows_line_endings_are_not_part_of_a_comment() -> None:
    text = "ruleset a  # x\r\ncriterion b = c\r\n"
    assert [c.text for c in find_comments(text)] == ["# x"]
    assert format_text(text).text == "ruleset a  # x\n\ncriterion b\n    = c\n"


def test_the_parse_result_carries_the_comments() -> None:
    parsed = parse_text("ruleset a # here\n")
    assert parsed.ok
    assert parsed.comments == (ast.Comment(1, 11, "# here", own_line=False),)


SOURCE = """\
# File header comment
# second line

ruleset national.phase1 "Title # not a comment"  # trailing header
    # about extends
    extends national.base  # base
    uses schema canonical
    source "s" # the source

# ---- section ----

# about p
parameter p "P" = 15% # fifteen
    source "x"  # src x
parameter q = by financial year   # table
  2012: £3200  # y2012
  # before 2013
  2013: £2,400.5
  otherwise: £0 # other

criterion c "C" # header c
  = a # after a
    # before or
    or b and # after and
    c
    or (d  # inside parens
    or e)

test "t" # test header
  as of 2013-01-15 # as of
  # before household
  household H1: la_code E08000035 # hh
    # before member
    member A born 1980-05-01 # member A
  expect x = true  # expect

# trailing at end

# really the end
"""

FORMATTED = """\
# File header comment
# second line

ruleset national.phase1 "Title # not a comment"  # trailing header
    # about extends
    extends national.base  # base
    uses schema canonical
    source "s"  # the source

# ---- section ----

# about p
parameter p "P"
    source "x"  # src x
    = 15%  # fifteen

parameter q
    = by financial year  # table
        2012: £3,200  # y2012
        # before 2013
        2013: £2,400.50
        otherwise: £0  # other

criterion c "C"  # header c
    # after a
    # before or
    # after and
    = a or (b and c) or (d or e)  # inside parens

test "t"  # test header
    as of 2013-01-15  # as of
    # before household
    household H1: la_code E08000035  # hh
        # before member
        member A born 1980-05-01  # member A
    expect x = true  # expect

# trailing at end

# really the end
"""


def test_every_comment_stays_next_to_its_code() -> None:
    """Own-line comments go before what follows them, end-of-line comments
    stay at the end of their line; lines joined by the formatter keep the
    last comment at the end and move the others just above."""
    result = format_text(SOURCE)
    assert result.diagnostics == ()
    assert result.text == FORMATTED
    assert format_text(FORMATTED).text == FORMATTED


def test_comments_stay_on_the_lines_of_a_broken_expression() -> None:
    source = dedent("""\
        ruleset r
        criterion crime_asb = any member has offences where proven, in the last 12 months, age at offence_date < 18  # youth
            # formal ones only
            or any member has asb where kind in formal_asb_kinds, in the last 12 months  # asb
        """)  # noqa: E501
    assert format_text(source).text == dedent("""\
        ruleset r

        criterion crime_asb
            = any member has offences where proven, in the last 12 months, age at offence_date < 18  # youth
              # formal ones only
              or any member has asb where kind in formal_asb_kinds, in the last 12 months  # asb
        """)  # noqa: E501


def test_a_blank_line_between_comments_and_a_declaration_is_kept() -> None:
    source = "ruleset r\n# a\n\n# b\n\ncriterion c = d\n# e\ncriterion f = g\n\n\n# end\n"
    assert format_text(source).text == (
        "ruleset r\n\n# a\n\n# b\n\ncriterion c\n    = d\n\n# e\ncriterion f\n    = g\n\n# end\n"
    )


def test_without_clause_positions_comments_go_to_the_nearest_line_with_one() -> None:
    """`format_file` given only the tree and the comments cannot tell where
    a span-less `source` line was: its comment moves to the next line that
    has a position, but is kept."""
    parsed = parse_text('ruleset r\ncriterion c "C"\n    # why\n    source "s"\n    = d\n')
    assert parsed.file is not None
    assert format_file(parsed.file, parsed.comments) == (
        'ruleset r\n\ncriterion c "C"\n    source "s"\n    # why\n    = d\n'
    )
    assert format_text(parsed.text).text == (
        'ruleset r\n\ncriterion c "C"\n    # why\n    source "s"\n    = d\n'
    )
