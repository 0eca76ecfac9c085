"""The canonical layout, by example: what `tfrules fmt` makes of a file."""

from __future__ import annotations

import pytest

from tfrules.syntax.formatter import format_text


def fmt(text: str) -> str:
    result = format_text(text)
    assert result.text is not None, result.diagnostics
    return result.text


def fmt_expr(expr: str) -> str:
    """The canonical form of one expression, as the body of a criterion."""
    lines = fmt(f"ruleset r\ncriterion c = {expr}\n").split("\n")
    assert lines[3].startswith("    = ")
    return "\n".join(line[6:] for line in lines[3:] if line)


RULESET_CANONICAL = """\
# comments before the header
ruleset national.phase1 "Title"
    extends national.base
    uses schema canonical
    applies to E08000035, E08000036
    runs from 2012-04-01 to 2015-03-31
    source "..."

overridable parameter absence_threshold "Unauthorised absence that makes attendance a problem": percent
    source "Financial framework (2012), para 3.7"
    = 15%

parameter attachment_fee_amount "Attachment fee": money
    = by financial year
        2012: £3,200
        2013: £2,400
        otherwise: £0

parameter adult_age "Age from which a member counts as an adult" = 18

criterion crime_asb "Crime and anti-social behaviour"
    source "para 3.6"
    = any member has offences where proven, in the last 12 months, age at offence_date < 18
      or any member has asb where kind in formal_asb_kinds, in the last 12 months

abstract criterion local "The council's own criterion"

test "a family meeting all three national criteria is identified"
    as of 2013-01-15
    with absence_threshold = 10%
    household H1: la_code E08000035, attached_on 2012-06-01
        member A born 1980-05-01
        member C born 2001-03-02, sex F
    offences C: offence_date 2012-10-01, proven true
    missing benefit_claims
    expect identified = true, payment_due = £4,000
    expect H1: crime_asb = unknown
"""  # noqa: E501

RULESET_MESSY = """\
# comments before the header
ruleset national.phase1 "Title" uses schema canonical
applies to E08000035 extends national.base source "..." runs from 2012-04-01
  to 2015-03-31 applies to E08000036
overridable parameter absence_threshold "Unauthorised absence that makes attendance a problem"
  : percent = 15.0% source "Financial framework (2012), para 3.7"
parameter attachment_fee_amount "Attachment fee": money = by financial year
  2012: £3200 2013: £2,400.00 otherwise: £0
parameter adult_age "Age from which a member counts as an adult"
    = 18
criterion crime_asb "Crime and anti-social behaviour" source "para 3.6" = any member has offences
  where proven, in last 12 month, age at offence_date < 18 or any member has any asb where
  kind in formal_asb_kinds, in the last 12 months
abstract criterion local "The council's own criterion"
test "a family meeting all three national criteria is identified" as of 2013-01-15
  with absence_threshold = 10%
  household H1: la_code E08000035, attached_on 2012-06-01 member A born 1980-05-01
  member C born 2001-03-02, sex F
  offences C: offence_date 2012-10-01, proven true missing benefit_claims
  expect identified = true, payment_due = £4000 expect H1: crime_asb = unknown
"""


def test_a_ruleset_in_canonical_layout_stays_as_it_is() -> None:
    assert fmt(RULESET_CANONICAL) == RULESET_CANONICAL


def test_any_layout_of_a_ruleset_becomes_the_canonical_one() -> None:
    assert fmt(RULESET_MESSY) == RULESET_CANONICAL


SCHEMA_MESSY = """\
schema canonical "Canonical" source "v1"
entity person "A member" member of household by household_id key person_id table persons
  aged by date_of_birth
  date_of_birth: date   kind : optional {a,b} "Kind" default "x"
events benefit_claims "Benefit claims, with a title long enough to push the owner onto its own line"
  of person by person_id spanning start_date to end_date empty when missing
  end_date: optional date "Null while the claim goes on"
  amount: money default £1200.5
  ref: offences.offence_date
  tags: set of {x, y}
events offences of person by person_id dated offence_date
"""

SCHEMA_CANONICAL = """\
schema canonical "Canonical"
    source "v1"

entity person "A member"
    table persons
    key person_id
    member of household by household_id
    aged by date_of_birth
    date_of_birth: date
    kind: optional {a, b} "Kind" default "x"

events benefit_claims "Benefit claims, with a title long enough to push the owner onto its own line"
    of person by person_id
    spanning start_date to end_date
    empty when missing
    end_date: optional date "Null while the claim goes on"
    amount: money default £1,200.50
    ref: offences.offence_date
    tags: set of {x, y}

events offences of person by person_id
    dated offence_date
"""


def test_a_schema_gets_indented_clauses_and_columns() -> None:
    assert fmt(SCHEMA_MESSY) == SCHEMA_CANONICAL
    assert fmt(SCHEMA_CANONICAL) == SCHEMA_CANONICAL


def test_parameters_by_date_and_rules_with_several_sources() -> None:
    source = (
        "ruleset r\n"
        "parameter fee: money = by date from 2013-04-01: £3,200 from 2014-04-01: £2,400\n"
        'measure m "M" for person: money source "a" = x source "b"\n'
    )
    assert fmt(source) == (
        "ruleset r\n\n"
        "parameter fee: money\n    = by date\n        from 2013-04-01: £3,200\n"
        "        from 2014-04-01: £2,400\n\n"
        'measure m "M" for person: money\n    source "a"\n    source "b"\n    = x\n'
    )


def test_titles_keep_their_quotes_and_backslashes() -> None:
    source = 'ruleset r "say \\"hi\\" \\\\ # not a comment"\n'
    assert fmt(source) == source


# ---------------------------------------------------------------- long expressions


def test_a_long_if_goes_on_three_lines() -> None:
    assert fmt_expr(
        "if long_condition_name_number_one and long_condition_name_number_two_and_more "
        "then £1,000 else £0"
    ) == (
        "if long_condition_name_number_one and long_condition_name_number_two_and_more\n"
        "then £1,000\n"
        "else £0"
    )


def test_long_operands_break_recursively() -> None:
    assert fmt_expr(
        "first_long_condition_of_the_rule and (second_long_condition_of_the_rule or "
        "third_long_condition_of_the_rule or fourth_long_condition)"
    ) == (
        "first_long_condition_of_the_rule\n"
        "and (second_long_condition_of_the_rule\n"
        "     or third_long_condition_of_the_rule\n"
        "     or fourth_long_condition)"
    )


def test_a_long_quantifier_breaks_after_its_commas() -> None:
    assert fmt_expr(
        "any adult member where on_out_of_work_benefits at attached_on has employment_spells "
        "where start_date >= attached_on, lasted >= job_length_needed"
    ) == (
        "any adult member where on_out_of_work_benefits at attached_on has employment_spells\n"
        "    where start_date >= attached_on, lasted >= job_length_needed"
    )


def test_long_sums_and_lists_break_too() -> None:
    assert fmt_expr(
        "first_long_component_of_the_total + second_long_component_of_the_total "
        "- third_long_component_of_the_sum"
    ) == (
        "first_long_component_of_the_total\n"
        "+ second_long_component_of_the_total\n"
        "- third_long_component_of_the_sum"
    )
    assert fmt_expr(
        "at least 2 of [crime_asb_problem_identified, education_problem_identified, "
        "work_problem_identified_for_sure]"
    ) == (
        "at least 2 of [crime_asb_problem_identified, education_problem_identified,\n"
        "               work_problem_identified_for_sure]"
    )


# ---------------------------------------------------------------- literals and parentheses


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("£3200", "£3,200"),
        ("£3,200.00", "£3,200"),
        ("£3200.5", "£3,200.50"),
        ("-(£0.05)", "-£0.05"),
        ("15.0%", "15%"),
        ("12.50%", "12.5%"),
        ("1 months", "1 month"),
        ("2 day", "2 days"),
        ("1.50", "1.50"),
        ("-(3)", "-3"),
        ("d in last 12 months", "d in the last 12 months"),
        ("in last n", "in the last n"),
        ("x not in {a,b}", "x not in {a, b}"),
        ("x is unknown", "x is unknown"),
        ("at least 2 of [a,b]", "at least 2 of [a, b]"),
        ("any member has any offences", "any member has offences"),
        ("count adult member", "count adult members"),
    ],
)
def test_literals_and_words_are_spelled_one_way(written: str, canonical: str) -> None:
    assert fmt_expr(written) == canonical


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("(a or b) or c", "(a or b) or c"),  # keeps the tree's shape
        ("a or (b or c)", "a or (b or c)"),
        ("(a and b) or c", "(a and b) or c"),
        ("a and b or c", "(a and b) or c"),
        ("(a or b) and c", "(a or b) and c"),
        ("not (a and b)", "not (a and b)"),
        ("not (a = b)", "not a = b"),
        ("(not a) = b", "(not a) = b"),
        ("not (any member)", "not any member"),
        ("(any member where a) and b", "(any member where a) and b"),
        ("b and any member where a", "b and any member where a"),
        ("x * (y at attached_on)", "x * (y at attached_on)"),
        ("(count offences) >= 2", "(count offences) >= 2"),
        ("1 + (sum x over members)", "1 + (sum x over members)"),
        ("(if a then b else c) + 1", "(if a then b else c) + 1"),
        ("(if a then b else c) or d", "(if a then b else c) or d"),
        ("if a then b else (c or d)", "if a then b else c or d"),
        ("(a - b) - c", "a - b - c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) * c", "(a - b) * c"),
        ("a / (b * c)", "a / (b * c)"),
        ("(a * b) of c", "a * b of c"),
        ("5 - -3", "5 - -3"),
        ("-(a + b)", "-(a + b)"),
        ("-(-a)", "- -a"),
        ("(-3) at d", "(-3) at d"),
        ("-(x at d)", "-x at d"),
        ("x at (a + b)", "x at (a + b)"),
        ("(x at a) at b", "x at a at b"),
        ("x at (a at b)", "x at (a at b)"),
        ("x in (s at d)", "x in s at d"),
        ("x in (a + b)", "x in (a + b)"),
        ("(x in s) = true", "(x in s) = true"),
        ("(in the last 3 months) = x", "(in the last 3 months) = x"),
        ("(a = b) is true", "(a = b) is true"),
        ("f((any member), a or b, not c)", "f((any member), a or b, not c)"),
        ("{(count x), (if a then b else c)}", "{(count x), (if a then b else c)}"),
        ("at least 1 of [(every member), a and b]", "at least 1 of [(every member), a and b]"),
        ("any member where (a or b), not c", "any member where (a or b), not c"),
        (
            "every member satisfies (a and b), not (any x)",
            "every member satisfies (a and b), not (any x)",
        ),
        ("sum (a + b) over members", "sum a + b over members"),
        ("count distinct (a = b), c over x", "count distinct (a = b), c over x"),
    ],
)
def test_exactly_the_parentheses_needed(written: str, canonical: str) -> None:
    assert fmt_expr(written) == canonical


# ---------------------------------------------------------------- files that do not parse


def test_a_file_with_a_syntax_error_is_not_formatted() -> None:
    result = format_text("ruleset r\ncriterion c = a +\ncriterion d = (b\n")
    assert result.text is None
    assert result.diagnostics[0].code == "E010"


def test_an_empty_file_is_not_formatted() -> None:
    result = format_text("# only a comment\n")
    assert result.text is None
    assert [d.code for d in result.diagnostics] == ["E016"]
