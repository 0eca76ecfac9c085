"""The golden error catalogue: small wrong rule files, each with the diagnostic
it must give (code, file, line, column, error or warning, and where it says
something a rule author needs, words of the message or hint).

Council rulesets (`local(...)`) extend national.phase1, which the checker finds
among the rulesets shipped with tfrules; their rules start on line 4. Every
case lists every diagnostic the file gives: the main one, and in `others` any
that follow from the same mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from tfr_helpers import LOCAL_HEADER, tfr

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    line: int
    column: int
    #: The text of `local.tfr`; bytes for a file that is not text; None for no such file.
    source: str | bytes | None
    severity: Severity = "error"
    #: The file the diagnostic is in (a name in the folder).
    file: str = "local.tfr"
    message: str = ""
    hint: str = ""
    #: Further diagnostics the same mistake gives: (code, line, column) in `file`,
    #: or (code, file, line, column).
    others: tuple[tuple[str, int, int] | tuple[str, str, int, int], ...] = ()
    #: Other files in the folder.
    extra_files: Mapping[str, str] = field(default_factory=dict)
    #: Make `local.tfr` a folder, which cannot be read as a file.
    unreadable: bool = False
    #: Make `local.tfr` a link to `source` saved elsewhere: "outside" the
    #: folder, or in it under a name that is not a rule file's ("notes.txt").
    linked: Literal["outside", "notes.txt"] | None = None


def local(rules: str) -> str:
    """A council ruleset extending national.phase1 with these rules (from line 4)."""
    return LOCAL_HEADER + tfr(rules)


_MINI_SCHEMA = """
    schema mini "Mini"

    entity household
        key household_id
        attached_on: optional date

    entity person
        key person_id
        member of household by household_id
        aged by date_of_birth
        date_of_birth: date
"""


def schema(tables: str) -> str:
    """A small schema `mini` with a household, a person, and these tables (from line 12)."""
    return tfr(_MINI_SCHEMA) + tfr(tables)


_TEST_FAMILY = """
    criterion local = crime_asb

    test "a family"
        as of 2013-01-15
        household H1
            member A born 1980-05-01
"""


def family_test(*items: str) -> str:
    """A council ruleset with a test of one household, H1, whose member is A,
    followed by these lines of the test (from line 10)."""
    return local(_TEST_FAMILY) + "".join(f"    {item}\n" for item in items)


TOO_LARGE = b"# padding\n" * 600_000  # 6 MB: over the 5 MB a rule file may be

CASES: tuple[Case, ...] = (
    # ------------------------------------------------------------ reading files
    Case("e001_latin1", "E001", 4, 20,
         local('criterion local "Cr\xe8che place" = crime_asb').encode("latin-1"),
         message="not UTF-8", hint="UTF-8"),
    Case("e001_nul_byte", "E001", 2, 1, b'ruleset local.test "Test"\n\x00\x01\x02\n',
         message="NUL"),
    Case("e002_too_large", "E002", 1, 1, TOO_LARGE, message="too large"),
    Case("e003_unreadable", "E003", 1, 1, None, unreadable=True, message="cannot read"),
    Case("e004_link_out_of_the_folder", "E004", 1, 1, "secret=hunter2\n", linked="outside",
         message="a link to a file outside the folder", hint="copy the rule file"),
    Case("e005_not_a_rule_file", "E005", 1, 1, "secret=hunter2\n", linked="notes.txt",
         message="not a rule file", hint="named notes.txt"),
    # ------------------------------------------------------------ syntax
    Case("e010_colon_instead_of_equals", "E010", 4, 43,
         local('criterion local "Local" source "para 3.10": crime_asb'),
         hint="a definition follows '='"),
    Case("e010_colon_after_type", "E010", 4, 21, local("parameter limit: int: 3"),
         hint="a definition follows '='"),
    Case("e010_double_equals", "E010", 4, 32, local("criterion local = attached_on == 2013-01-01"),
         message="unexpected symbol '='", hint="single '='"),
    Case("e010_count_compared_after_filters", "E010", 4, 70,
         local("criterion local = count offences where proven, in the last 12 months >= 2"),
         message="'>='"),
    Case("e010_count_compared_without_filter", "E010", 4, 34,
         local("criterion local = count offences >= 2"), message="'>='"),
    Case("e010_keyword_used_as_name", "E010", 5, 25,
         local("""
            measure count = 3
            criterion local = count > 2
            """), message="'>'"),
    Case("e010_missing_and", "E010", 4, 29, local("criterion local = crime_asb education"),
         message="unexpected name 'education'",
         hint="join them with 'and' or 'or', e.g. crime_asb and education"),
    Case("e010_year_table_equals", "E010", 5, 10,
         local("""
            parameter fee: money = by financial year
                2012 = £100
            criterion local = true
            """), message="'='", hint="':'"),
    # the common slips: the hint names the fix, not the words the grammar takes
    Case("e010_comma_instead_of_and", "E010", 4, 28,
         local("criterion local = crime_asb, education"), message="unexpected symbol ','",
         hint="join conditions with 'and'"),
    Case("e010_comma_in_an_if", "E010", 4, 31,
         local("criterion local = if crime_asb, education then true else false"),
         hint="join conditions with 'and'"),
    Case("e010_forgotten_of", "E010", 5, 64,
         local("""
            measure asb_then = (count asb where in the last 6 months) at attached_on
            criterion local = (count asb where in the last 6 months) < 40% asb_then
            """), message="unexpected name 'asb_then'",
         hint="a share of a value is written with 'of': 40% of asb_then"),
    Case("e010_forgotten_where", "E010", 4, 30, local("criterion local = any member age >= 18"),
         hint="conditions follow 'where': any member where age ..."),
    Case("e010_forgotten_where_in_a_count", "E010", 4, 35,
         local("criterion local = (count offences proven) >= 2"),
         hint="conditions follow 'where': count offences where proven ..."),
    Case("e010_title_not_quoted", "E010", 4, 17,
         local("criterion local Local criterion = crime_asb"), message="unexpected name 'Local'"),
    Case("e011_double_ampersand", "E011", 4, 29, local("criterion local = crime_asb && education"),
         message="'&'", hint="write 'and'"),
    Case("e011_double_bar", "E011", 4, 29, local("criterion local = crime_asb || education"),
         hint="write 'or'"),
    Case("e011_single_quotes", "E011", 1, 20,
         "ruleset local.test 'Test'\n    extends national.phase1\n", hint="double quotes"),
    Case("e011_dollars", "E011", 4, 33, local("criterion local = payment_due > $4000"),
         message="'$'", hint="£4,000"),
    Case("e011_exclamation_mark", "E011", 4, 19, local("criterion local = !crime_asb"),
         hint="write 'not'"),
    Case("e012_file_ends_early", "E012", 4, 31, local("criterion local = crime_asb and"),
         message="ends in the middle"),
    Case("e012_rule_without_definition", "E012", 5, 1,
         local("""
            criterion local = crime_asb
            criterion extra "Extra"
            """), message="'extra' has no definition", hint="abstract criterion"),
    Case("e012_abstract_rule_defined_without_definition", "E012", 4, 1,
         local('criterion local "Local"'), message="'local' has no definition",
         hint="write '= ...' after it"),
    Case("e013_nested_too_deep", "E013", 4, 19,
         local("criterion local = " + "not (" * 200 + "true" + ")" * 200), message="nested"),
    Case("e013_sum_too_long", "E013", 4, 13,
         local("measure m = " + "1 + " * 300 + "1\ncriterion local = m > 1"), message="nested"),
    Case("e014_no_such_date", "E014", 4, 34, local("criterion local = attached_on >= 2013-02-30"),
         message="'2013-02-30' is not a real date"),
    Case("e014_month_13_in_test", "E014", 7, 11,
         local("""
            criterion local = crime_asb

            test "a family"
                as of 2013-13-01
                household H1
            """)),
    Case("e015_extends_twice", "E015", 3, 5,
         tfr("""
            ruleset local.test "Test"
                extends national.phase1
                extends national.phase1

            criterion local = true
            """), message="'extends' twice"),
    Case("e015_table_dated_twice", "E015", 14, 5,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id

            entity person
                key person_id
                member of household by household_id
                aged by date_of_birth
                date_of_birth: date

            events visits of person by person_id
                dated visit_on
                dated seen_on
                visit_on: date
                seen_on: date
            """), message="says 'dated' twice"),
    Case("e016_empty_file", "E016", 1, 1, "", message="empty"),
    Case("e016_only_comments", "E016", 1, 1, "# Leeds: local rules to come\n\n# (draft)\n",
         message="empty"),
    Case("e016_only_whitespace", "E016", 1, 1, "   \n\t\n  ", message="empty"),
    # ------------------------------------------------------------ names
    Case("e101_misspelt_rule", "E101", 4, 23, local("criterion local = not identifed"),
         message="unknown name 'identifed'", hint="did you mean 'identified'?"),
    Case("e101_misspelt_column", "E101", 4, 49,
         local("criterion local = any member has offences where prooven"),
         hint="did you mean 'proven'?"),
    Case("e101_misspelt_parameter", "E101", 4, 56,
         local("criterion local = any member has asb where in the last identification_windw"),
         hint="did you mean 'identification_window'"),
    Case("e101_category_value_as_a_name", "E101", 4, 52,
         local("criterion local = any member has social_care where looked_after"),
         message="unknown name 'looked_after'",
         hint="'looked_after' is a value of social_care.status, not a name: "
         "write status = looked_after"),
    Case("e102_rule_defined_twice", "E102", 5, 1,
         local("""
            criterion local = crime_asb
            criterion local = education
            """), message="defined twice"),
    Case("e102_parameter_declared_again", "E102", 4, 1,
         local("""
            parameter adult_age = 21
            criterion local = true
            """), message="already declared (in national.phase1)"),
    Case("e102_rule_named_like_parameter", "E102", 4, 1,
         local("""
            criterion adult_age = true
            criterion local = true
            """), message="already a parameter"),
    Case("e109_rule_named_like_builtin", "E109", 4, 1,
         local("""
            criterion age = true
            criterion local = true
            """), message="built-in value"),
    Case("e102_year_given_twice", "E102", 6, 11,
         local("""
            parameter bonus: money = by financial year
                2012: £100
                2012: £200
            criterion local = bonus > £0
            """), message="2012 is given twice"),
    Case("e102_test_household_twice", "E102", 10, 5,
         family_test("household H1", "expect H1: identified = false"), message="appears twice"),
    Case("e102_ruleset_declared_twice", "E102", 1, 1, local("criterion local = true"),
         file="other.tfr", extra_files={"other.tfr": local("criterion local = false")},
         message="also declared in"),
    Case("e102_column_declared_twice", "E102", 15, 5,
         schema("""
            events visits of person by person_id
                dated visit_on
                visit_on: date
                visit_on: date
            """), message="declared twice"),
    Case("e103_no_such_ruleset", "E103", 1, 1,
         "ruleset local.test \"Test\"\n    extends national.phase3\n\ncriterion local = true\n",
         message="no ruleset 'national.phase3'", hint="'national.phase1'"),
    Case("e103_no_schema_named", "E103", 1, 1,
         'ruleset local.test "Test"\n\ncriterion local = true\n',
         hint="uses schema canonical"),
    Case("e103_no_such_schema", "E103", 1, 1,
         'ruleset local.test "Test"\n    uses schema canonicl\n\ncriterion local = true\n',
         hint="did you mean 'canonical'?"),
    Case("e103_no_such_entity", "E103", 6, 1,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id

            entity person
                key person_id
                member of househld by household_id
            """), message="no entity 'househld'", hint="did you mean 'household'?"),
    Case("e104_no_such_table", "E104", 4, 34,
         local("criterion local = any member has offence where proven"),
         message="no event table 'offence'", hint="did you mean 'offences'?"),
    Case("e105_parameter_type_column", "E105", 4, 25,
         local("""
            parameter kinds: set of asb.kinds = {asbo}
            criterion local = any member has asb where kind in kinds
            """), message="no column asb.kinds"),
    Case("e105_test_column", "E105", 9, 35,
         local("""
            criterion local = crime_asb

            test "a family"
                as of 2013-01-15
                household H1
                    member A born 1980-05-01, gender F
                expect identified = false
            """), message="no column 'gender'"),
    Case("e105_aged_by", "E105", 6, 1,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id

            entity person
                key person_id
                member of household by household_id
                aged by birth_date
                date_of_birth: date
            """), message="'aged by birth_date'"),
    Case("e105_council_column", "E105", 3, 1,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id
                council la_cde
                la_code: text

            entity person
                key person_id
                member of household by household_id
            """), message="'council la_cde' names no column of 'household'",
         hint="did you mean 'la_code'?"),
    Case("e105_dated_by_missing_column", "E105", 12, 1,
         schema("""
            events visits of person by person_id
                dated visit_on
                seen_on: date
            """), message="'visit_on' is not a column of 'visits'"),
    Case("e106_category_value", "E106", 4, 51,
         local("criterion local = any member has asb where kind = asbo_order"),
         message="'asbo_order' is not an allowed value of asb.kind",
         hint="allowed values: incident, asbo, injunction, acceptable_behaviour_contract, "
         "housing_intervention"),
    Case("e106_value_in_set", "E106", 4, 72,
         local("criterion local = any member has benefit_claims where benefit in {JSA, PIP}"),
         message="'PIP'", hint="allowed values: JSA, ESA, IB, IS, CA, SDA, UC, HB"),
    Case("e106_value_in_set_parameter", "E106", 5, 52,
         local("""
            parameter serious = {asbo, asbo_order}
            criterion local = any member has asb where kind in serious
            """), message="'asbo_order' is not an allowed value of asb.kind",
         hint="allowed values: incident, asbo"),
    Case("e107_no_such_function", "E107", 4, 20,
         local("""
            measure m: money = maximum(£0, already_claimed)
            criterion local = crime_asb
            """), message="no function 'maximum'", hint="did you mean 'max'?"),
    Case("e109_reserved_word_as_a_rule", "E109", 4, 1,
         local("measure unknown = 3\ncriterion local = true"), hint="choose another name"),
    Case("e109_builtin_as_a_parameter", "E109", 4, 1,
         local("parameter age = 40\ncriterion local = true"), message="built-in value"),
    Case("e108_parameter_type", "E108", 4, 18,
         local("""
            parameter limit: number = 3
            criterion local = any member where age > limit
            """), message="'number' is not a type"),
    Case("e108_column_type", "E108", 14, 15,
         schema("""
            events visits of person by person_id
                dated visit_on
                visit_on: day
            """), message="'day' is not a column type"),
    Case("e112_period_the_wrong_way_round", "E112", 3, 5,
         tfr("""
            ruleset local.test "Test"
                extends national.phase1
                runs from 2015-03-31 to 2012-04-01

            criterion local = true
            """), message="ends (2012-04-01) before it starts", hint="runs from 2012-04-01"),
    Case("e112_period_beyond_the_programme", "E112", 3, 5,
         tfr("""
            ruleset local.test "Test"
                extends national.phase1
                runs from 2012-04-01 to 2016-03-31

            criterion local = true
            """), message="outside the period of the programme it extends (2012-04-01 to "
                          "2015-03-31)"),
    Case("e112_period_outside_supported_dates", "E112", 3, 5,
         tfr("""
            ruleset local.test "Test"
                extends national.phase1
                runs from 1700-01-01 to 2015-03-31

            criterion local = true
            """), message="outside the dates tfrules works with"),
    Case("e015_runs_twice", "E015", 4, 5,
         tfr("""
            ruleset local.test "Test"
                extends national.phase1
                runs from 2012-04-01 to 2015-03-31
                runs from 2013-04-01 to 2015-03-31

            criterion local = true
            """), message="'runs from' twice"),
    Case("e110_rule_for_unknown_entity", "E110", 4, 1,
         local("""
            criterion young for child = age < 18
            criterion local = true
            """), message="not 'child'", others=(("E301", 4, 29),)),
    Case("e110_schema_without_person", "E110", 1, 1,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id
            """), message="exactly two entities"),
    Case("e110_entity_without_key", "E110", 6, 1,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id

            entity person
                member of household by household_id
            """), message="no key"),
    Case("e110_council_on_the_person", "E110", 6, 1,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id

            entity person
                key person_id
                council la_code
                member of household by household_id
                la_code: text
            """), message="belongs to the household entity"),
    Case("e111_council_name", "E111", 3, 16,
         'ruleset local.test "Test"\n    extends national.phase1\n    applies to Manchester\n'
         "\ncriterion local = crime_asb\n",
         message="'Manchester' is not an ONS local-authority code",
         hint="did you mean 'E08000003' (Manchester)?"),
    Case("e111_code_missing_a_digit", "E111", 3, 27,
         'ruleset local.test "Test"\n    extends national.phase1\n'
         "    applies to E08000035, E8000003\n\ncriterion local = crime_asb\n",
         hint="did you mean 'E08000003' (Manchester)?"),
    # ------------------------------------------------------------ types
    Case("e201_money_plus_percent", "E201", 4, 22,
         local("""
            measure fee: money = £4,000 + 15%
            criterion local = fee > £0
            """), message="cannot add an amount of money and a percentage",
         hint="40% of £4,000"),
    Case("e201_date_plus_bool", "E201", 4, 22,
         local("""
            measure late: date = attached_on + true
            criterion local = late > 2013-01-01
            """), hint="attached_on + 12 months"),
    Case("e201_sum_of_categories", "E201", 4, 21,
         local("""
            measure kinds = sum kind over asb
            criterion local = kinds > 0
            """), message="cannot add up"),
    Case("e201_negative_text", "E201", 4, 19,
         local("criterion local = -la_code = 3"), message="negative"),
    Case("e202_and_a_number", "E202", 4, 33, local("criterion local = crime_asb and 3"),
         message="each side of 'and' must be true or false"),
    Case("e202_filter_not_a_condition", "E202", 4, 49,
         local("criterion local = any member has offences where offence_date"),
         message="a condition after 'where'"),
    Case("e202_qualifier_not_a_criterion", "E202", 4, 23,
         local("criterion local = any date_of_birth members where age > 40"),
         message="'date_of_birth members'"),
    Case("e202_default_of_wrong_type", "E202", 15, 24,
         schema("""
            events visits of person by person_id
                dated visit_on
                visit_on: date
                kept: bool default 3
            """), message="default of 'kept'"),
    Case("e203_parameter_type", "E203", 4, 1,
         local("""
            parameter limit: money = 15%
            criterion local = payment_cap > limit
            """), message="declared as money but its value is percent"),
    Case("e203_override_type", "E203", 4, 1,
         local("""
            override parameter absence_threshold = £10
            criterion local = true
            """), message="is percent in national.phase1"),
    Case("e203_untyped_unknown", "E203", 4, 1,
         local("""
            parameter cap = unknown
            criterion local = already_claimed > cap
            """), message="cannot be told from 'unknown'", hint="parameter cap: money"),
    Case("e203_measure_declared_type", "E203", 4, 24,
         local("""
            measure bonus: money = 500
            criterion local = bonus > £0
            """), message="declared as money but gives int"),
    Case("e203_abstract_measure_untyped", "E203", 4, 1,
         local("""
            abstract measure bonus
            criterion local = true
            """), message="needs a type", hint="abstract measure bonus: money"),
    Case("e203_abstract_rule_defined_as_another_type", "E203", 4, 17,
         'ruleset local.leaf "Leaf"\n    extends local.base\n\nmeasure bonus = 500\n',
         message="'bonus' is declared as money but gives int",
         extra_files={"base.tfr": 'ruleset local.base "Base"\n    extends national.phase1\n\n'
                      "abstract measure bonus: money\n\ncriterion local = bonus > £0\n"}),
    Case("e203_council_column_not_text", "E203", 3, 1,
         tfr("""
            schema mini "Mini"

            entity household
                key household_id
                council la_code
                la_code: int

            entity person
                key person_id
                member of household by household_id
            """), message="must be text, not int", hint="la_code: text"),
    Case("e204_at_least_too_many", "E204", 4, 19,
         local("criterion local = at least 4 of [crime_asb, education, work]"),
         message="can never be met"),
    Case("e204_max_of_one", "E204", 4, 13,
         local("""
            measure m = max(£0)
            criterion local = m > £1
            """), message="two values or more"),
    Case("e204_financial_year_of_text", "E204", 4, 19,
         local("criterion local = financial_year(la_code) = 2013"), message="one date"),
    Case("e205_money_and_number", "E205", 4, 19, local("criterion local = already_claimed > 4000"),
         message="cannot compare an amount of money with a whole number",
         hint="write £500, not 500"),
    Case("e205_days_and_months", "E205", 4, 55,
         local("criterion local = any member has benefit_claims where lasted > 6 months"),
         hint="days and weeks compare with each other"),
    Case("e205_days_between_dates_and_months", "E205", 4, 19,
         local("criterion local = as_of - attached_on >= 6 months"),
         hint="move the months to a date instead, attached_on + 6 months <= as_of"),
    Case("e205_ordering_criteria", "E205", 4, 19, local("criterion local = crime_asb > education"),
         hint="only with '=' and '!='"),
    Case("e206_at_a_duration", "E206", 4, 32, local("criterion local = crime_asb at 12 months"),
         message="'at' needs a date"),
    Case("e206_window_of_text", "E206", 4, 19,
         local("criterion local = la_code in the last 12 months"),
         message="'in the last ...' needs a date"),
    Case("e207_months_over_terms", "E207", 4, 65,
         local("criterion local = any member has school_terms where in the last 6 months"),
         message="by school term", hint="in the last 3 terms"),
    Case("e207_window_of_a_number", "E207", 4, 61,
         local("criterion local = any member has offences where in the last adult_age"),
         message="must be a duration"),
    Case("e207_window_from_the_data", "E207", 5, 61,
         local("""
            measure wait for person = if adult then 26 weeks else 13 weeks
            criterion local = any member has offences where in the last wait
            """),
         message="must be fixed"),
    Case("e208_numbers_in_text_set", "E208", 4, 31,
         local('criterion local = la_code in {1, "E08000035"}'),
         message="a whole number cannot be in a set of text"),
    Case("e208_in_not_a_set", "E208", 4, 30, local("criterion local = la_code in payment_cap"),
         message="needs a set", hint="{JSA, ESA}"),
    Case("e208_mixed_set", "E208", 4, 46,
         local("criterion local = 2013-01-01 in {2013-01-01, 3}"),
         message="a whole number cannot be in a set of date"),
    Case("e209_if_branches_differ", "E209", 4, 13,
         local("""
            measure m = if crime_asb then £100 else 5 months
            criterion local = m is known
            """), message="the two branches of 'if' differ"),
    Case("e209_year_table_kinds", "E209", 6, 11,
         local("""
            parameter fee = by financial year
                2012: £100
                2013: 15%
            criterion local = fee > £0
            """), message="of one kind"),
    Case("e210_criterion_gives_money", "E210", 4, 19, local("criterion local = payment_cap"),
         message="must be true or false, but it gives an amount of money",
         hint="make it a measure instead"),
    Case("e210_count_compared_without_parentheses", "E210", 4, 19,
         local("criterion local = count offences where proven >= 2"),
         hint="(count offences where proven) >= 2", others=(("E205", 4, 40),)),
    Case("e211_parameter_computed", "E211", 4, 19,
         local("""
            parameter limit = 2 * 3
            criterion local = any member where age > limit
            """), message="must be written out", hint="measure"),
    Case("e211_set_with_number", "E211", 4, 26,
         local("""
            parameter kinds = {asbo, 3}
            criterion local = any member has asb where kind in kinds
            """), message="lists names or quoted texts"),
    # ------------------------------------------------------------ entity levels
    Case("e301_person_column_at_household", "E301", 4, 19,
         local("criterion local = date_of_birth < 1990-01-01"),
         message="'date_of_birth' is a column of persons", hint="any member where"),
    Case("e301_member_rule_at_household", "E301", 4, 19, local("criterion local = adult"),
         message="'adult' is about one member", hint="any member where adult"),
    Case("e301_and_inside_where", "E301", 4, 46,
         local("criterion local = any member where adult and on_out_of_work_benefits"),
         message="'on_out_of_work_benefits' is about one member",
         hint="with commas: any member where adult, on_out_of_work_benefits"),
    Case("e301_and_inside_a_count", "E301", 4, 52,
         local("criterion local = (count offences where proven and offence_date in the last "
               "12 months) >= 2"),
         message="'offence_date' is about one row of offences, but the 'and' before it",
         hint="count offences where proven, offence_date in the last 12 months"),
    Case("e301_or_inside_where", "E301", 4, 45,
         local("criterion local = any member where adult or on_out_of_work_benefits"),
         hint="in brackets: any member where (adult or on_out_of_work_benefits)"),
    Case("e301_age_of_household", "E301", 4, 19, local("criterion local = age > 60"),
         message="'age' is a member's age"),
    Case("e302_members_inside_event", "E302", 4, 54,
         local("criterion local = any member has offences where (any member where adult)"),
         message="from inside a row of offences"),
    Case("e302_members_of_member", "E302", 4, 34,
         local("""
            criterion grown for person = any member where adult
            criterion local = any member where grown
            """), message="already about one member"),
    Case("e303_rule_at_member_date", "E303", 4, 50,
         local("criterion local = any member where (crime_asb at date_of_birth)"),
         message="belongs to a member"),
    Case("e304_window_without_rows", "E304", 4, 19,
         local("criterion local = in the last 12 months"),
         hint="attached_on in the last 12 months"),
    Case("e304_latest_member", "E304", 4, 34,
         local("""
            measure oldest = latest age over members
            criterion local = oldest > 60
            """), message="'latest' needs rows with a date"),
    Case("e305_active_offence", "E305", 4, 49,
         local("criterion local = any member has offences where active"),
         message="'active' is about a spell", hint="benefit_claims"),
    Case("e305_lasted_at_household", "E305", 4, 19,
         local("criterion local = lasted > 30 days"), message="'lasted'"),
    # ------------------------------------------------------------ structure
    Case("e401_two_rules", "E401", 4, 15,
         local("""
            criterion a = b
            criterion b = a
            criterion local = a
            """), message="in a circle: a → b → a"),
    Case("e401_itself", "E401", 4, 32, local("criterion local = crime_asb or local"),
         message="local → local"),
    Case("e401_through_national_rules", "E401", 4, 19,
         local("criterion local = payment_due > £0"),
         message="in a circle: local → payment_due → "),
    Case("e402_abstract_left_undefined", "E402", 1, 1,
         local("criterion extra = crime_asb and education"),
         message="'local' is left for each council to define", hint="criterion local = ..."),
    Case("e403_redefines_national_rule", "E403", 5, 1,
         local("""
            criterion local = true
            criterion work = true
            """), message="'work' is already defined by national.phase1"),
    Case("e403_abstract_defined_as_measure", "E403", 4, 1, local("measure local = 3"),
         message="define it the same way", others=(("E402", 1, 1),)),
    Case("e404_not_overridable", "E404", 4, 1,
         local("""
            override parameter adult_age = 16
            criterion local = true
            """), message="does not let other rulesets change it"),
    Case("e405_override_unknown", "E405", 4, 1,
         local("""
            override parameter absence_treshold = 10%
            criterion local = true
            """), hint="did you mean 'absence_threshold'?"),
    Case("e406_extends_itself", "E406", 1, 1,
         'ruleset local.test "Test"\n    extends local.test\n\ncriterion local = true\n',
         message="local.test → local.test"),
    Case("e406_two_rulesets", "E406", 1, 1,
         'ruleset local.a "A"\n    extends local.b\n\ncriterion local = true\n',
         extra_files={"other.tfr": 'ruleset local.b "B"\n    extends local.a\n'},
         message="local.a → local.b → local.a",
         others=(("E406", "other.tfr", 1, 1),)),
    Case("e407_other_schema", "E407", 1, 1,
         'ruleset local.test "Test"\n    extends national.phase1\n    uses schema mini\n\n'
         "criterion local = true\n",
         extra_files={"mini.tfr": schema("")},
         message="uses schema 'mini' but 'national.phase1'"),
    # ------------------------------------------------------------ tests
    Case("e501_no_household", "E501", 6, 1,
         local("""
            criterion local = crime_asb

            test "nobody"
                as of 2013-01-15
                expect identified = false
            """), message="no household"),
    Case("e501_row_of_unknown_member", "E501", 10, 5,
         family_test("offences B: offence_date 2012-10-01", "expect identified = false"),
         message="no member 'B'"),
    Case("e501_which_household", "E501", 12, 5,
         family_test("household H2", "member B born 1981-01-01", "expect identified = false"),
         message="say which one"),
    Case("e502_value_of_wrong_type", "E502", 10, 49,
         family_test("offences A: offence_date 2012-10-01, proven yes",
                     "expect identified = false"),
         message="offences.proven"),
    Case("e502_expected_value_of_wrong_type", "E502", 10, 25,
         family_test("expect identified = 3"), message="an int value where bool is expected"),
    Case("e502_expect_yes", "E502", 10, 20, family_test("expect local = yes"),
         message="'yes' is not a true/false value", hint="write true"),
    Case("e502_row_needs_date", "E502", 10, 5,
         family_test("asb A: kind asbo", "expect identified = false"),
         message="need a value for 'recorded_on'"),
    Case("e503_sets_a_rule", "E503", 8, 5,
         local("""
            criterion local = crime_asb

            test "a family"
                as of 2013-01-15
                with work = true
                household H1
                    member A born 1980-05-01
                expect identified = false
            """), message="cannot set 'work'"),
    Case("e503_expects_member_rule", "E503", 10, 12,
         family_test("expect adult = true"), message="no household rule 'adult'"),
    Case("e504_no_as_of", "E504", 6, 1,
         local("""
            criterion local = crime_asb

            test "when?"
                household H1
                    member A born 1980-05-01
                expect identified = false
            """), hint="as of 2013-01-15"),
    Case("e504_two_as_of", "E504", 6, 1,
         local("""
            criterion local = crime_asb

            test "twice dated"
                as of 2013-01-15
                as of 2014-01-15
                household H1
                expect identified = false
            """), message="one 'as of' line"),
    # ------------------------------------------------------------ mappings
    Case("e601_two_digit_year", "E601", 5, 9,
         tfr("""
            mapping m
            table households
                from "a.csv"
                "Date" -> attached_on
                    written "dd/mm/yy"
            """), message="two-digit year is ambiguous"),
    Case("e602_label_of_a_bool", "E602", 5, 21,
         tfr("""
            mapping m
            table offences
                from "a.csv"
                "Proven?" -> proven
                    "Yes" means proven
            """), message="a label means true, false or unknown"),
    Case("e603_written_without_a_column", "E603", 4, 5,
         tfr("""
            mapping m
            table persons
                from "a.csv"
                written "dd/mm/yyyy"
            """), message="must follow the line of the column"),
    Case("e604_label_twice", "E604", 6, 9,
         tfr("""
            mapping m
            table offences
                from "a.csv"
                "Proven?" -> proven
                    "Yes" means true
                    "YES" means false
            """), message='"YES" is given two meanings'),
    Case("e605_not_a_readable_file", "E605", 3, 5,
         tfr("""
            mapping m
            table persons
                from "People.xls"
            """), message="it reads CSV, Parquet and Excel files"),
    # ------------------------------------------------------------ warnings
    Case("w001_unused_parameter", "W001", 4, 1,
         local("""
            parameter min_offences = 2
            criterion local = crime_asb
            """), severity="warning", message="'min_offences' is never used"),
    Case("w002_unused_member_rule", "W002", 4, 1,
         local("""
            criterion teenager for person = age >= 13 and age <= 19
            criterion local = crime_asb
            """), severity="warning", message="'teenager' is never used"),
    Case("w030_replaces_a_shipped_ruleset", "W030", 1, 1,
         tfr("""
            ruleset national.dwp_fmp "Our own copy"
                uses schema canonical

            criterion eligible = true
            """), severity="warning", message="replaces the one shipped with tfrules",
         hint="another name"),
    Case("w010_events_without_dates", "W010", 12, 1,
         schema("""
            events visits "Visits" of person by person_id
                outcome: {seen, missed}
            """), severity="warning", message="neither 'dated', 'spanning' nor 'termly'"),
    Case("w020_every_term_with_no_terms", "W020", 5, 7,
         local("""
            criterion attends for person
                = every school_terms where in the last 3 terms
                      satisfies sessions_unauthorised_absence < 10% of sessions_possible
            criterion local = any member where attends
            """), severity="warning", message="a member with none at all meets it",
         hint="if (count school_terms where in the last 3 terms) = 0 then unknown"),
    Case("w020_every_offence_of_the_household", "W020", 4, 19,
         local("criterion local = every offences where in the last 12 months satisfies proven"),
         severity="warning", message="a household with none at all"),
    Case("w021_open_spell_in_a_window", "W021", 4, 48,
         local("criterion local = any member has custody where end_date in the last 12 months"),
         severity="warning", message="custody.end_date is empty while a spell goes on",
         hint="so this is false for it. For spells going on at some time in the window"),
    Case("w021_open_spell_ended_before", "W021", 4, 48,
         local("criterion local = any member has custody where end_date < as_of"),
         severity="warning", hint="has not ended: to leave open spells out write "
         "'end_date is known and end_date < as_of'"),
    Case("w021_open_spell_ends_after", "W021", 4, 64,
         local("criterion local = any member has benefit_claims where as_of <= end_date"),
         severity="warning", hint="still going on: to count open spells in write "
         "'end_date is unknown or as_of <= end_date'"),
    Case("w022_share_of_a_count", "W022", 6, 36,
         local("""
            measure before = (count asb where in the last 12 months) at attached_on
            measure now = count asb where in the last 6 months
            criterion local = (before - now) / before >= 60%
            """), severity="warning", message="'before' can be zero",
         hint="'before > 0 and ...'"),
)  # fmt: skip
