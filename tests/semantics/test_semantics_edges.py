"""Every window, age and spell at its exact edges, compiled against interpreted.

Not random: for each reference date, one data set with a household per edge
date (the first day in and the last day out of every usual window, term
boundaries, the days either side), each with exactly one row per table placed
on that date, so that a window one day too wide or too narrow changes a
household's answer. Members are born to turn 5, 16 or 18 on those dates.
The generated properties reach these edges only now and then; here every
combination is checked on every run.
"""

from __future__ import annotations

import datetime as dt

import pytest
from semantic_harness import agree, check_text
from strategies.data_strategies import (
    REFERENCE_DATES,
    DataSet,
    add_days,
    boundary_dates,
    make_frame,
    window_edges,
)

from tfrules.model.ruleset import CheckedRuleset
from tfrules.semantics import calendar

LENGTHS = (
    "0 days", "1 day", "7 days", "13 weeks", "26 weeks", "52 weeks",
    "0 months", "1 month", "6 months", "12 months", "1 year",
    "0 terms", "1 term", "3 terms",
)  # fmt: skip


def edge_rules() -> str:
    lines = ['ruleset gen.t "x"', "uses schema canonical"]
    for index, length in enumerate(LENGTHS):
        lines += [
            f"criterion dated_{index} = any offences where in the last {length}",
            f"criterion span_{index} = any custody where in the last {length}",
            f"criterion starts_{index} = any social_care where in the last {length}",
            f"criterion date_{index} = attached_on in the last {length}",
        ]
        if not length.endswith(("term", "terms")):
            # windows around a date per household or per row (in terms: see below)
            moved = f"(count offences where in the last {length}) at attached_on"
            lines += [
                f"measure moved_{index} = {moved}",
                f"criterion local_{index} = any custody where (in the last {length}) at end_date",
            ]
        if length.endswith(("term", "terms")):
            lines.append(f"criterion termly_{index} = any school_terms where in the last {length}")
    lines += [
        "criterion in_custody = any custody where active",
        "criterion active_then = any custody where active at attached_on",
        "measure longest = highest lasted over custody",
        "criterion lasted_26 = any custody where lasted >= 26 weeks",
        "criterion lasted_13 = any employment_spells where lasted >= 13 weeks",
        "criterion adult = any member where age >= 18",
        "criterion school_age = any member where (age >= 5 and age <= 15)",
        "measure ages = sum age over members",
        "criterion youth = any offences where age at offence_date < 18",
        "measure year = financial_year(attached_on)",
        "parameter fee: money = by financial year 2011: £1 2012: £2 2013: £3 otherwise: £4",
        "measure fee_then = fee at attached_on",
        "measure fee_now = fee",
        "measure months_on = attached_on + 6 months",
        "measure months_back = attached_on - 12 months",
        "measure latest_term = latest academic_year over school_terms",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def ruleset() -> CheckedRuleset:
    found, errors = check_text(edge_rules())
    assert found is not None, errors
    return found


def born(day: dt.date, years: int, shift: int) -> dt.date:
    try:
        birthday = day.replace(year=day.year - years)
    except ValueError:
        birthday = dt.date(day.year - years, 2, 28)
    return add_days(birthday, shift)


def edge_data(as_of: dt.date) -> DataSet:
    """A household per edge date of `as_of`, with one row per table on that date."""
    edges = sorted(set(window_edges((as_of,))) | set(boundary_dates((as_of,))))
    households, persons = [], []
    offences, custody, care, spells, terms = [], [], [], [], []
    for number, day in enumerate(edges):
        household = f"H{number:03d}"
        households.append({"household_id": household, "la_code": "x", "attached_on": day})
        for years, shift, tag in ((18, number % 3 - 1, "a"), (5, 1, "c"), (16, -1, "t")):
            person = f"{household}{tag}"
            persons.append(
                {
                    "person_id": person,
                    "household_id": household,
                    "date_of_birth": born(day, years, shift),
                }
            )
        member = f"{household}a"
        offences.append({"person_id": member, "offence_date": day, "proven": True})
        # a spell that stops on the edge, and one that starts on it (and goes on)
        custody.append({"person_id": member, "start_date": add_days(day, -400), "end_date": day})
        care.append(
            {
                "person_id": f"{household}c",
                "status": "child_in_need",
                "start_date": day,
                "end_date": None,
            }
        )
        spells.append({"person_id": member, "start_date": add_days(day, -91), "end_date": day})
        index = calendar.term_index(day)
        terms.append(
            {
                "person_id": member,
                "academic_year": index // 3,
                "term": calendar.TERMS[index % 3],
                "sessions_possible": 100,
                "sessions_authorised_absence": 0,
                "sessions_unauthorised_absence": 15,
                "fixed_exclusions": 0,
                "permanently_excluded": False,
                "alternative_provision": False,
                "on_roll": True,
            }
        )
    frames = {
        "households": make_frame("households", households),
        "persons": make_frame("persons", persons),
        "offences": make_frame("offences", offences),
        "custody": make_frame("custody", custody),
        "social_care": make_frame("social_care", care),
        "employment_spells": make_frame("employment_spells", spells),
        "school_terms": make_frame("school_terms", terms),
    }
    return DataSet(frames, refs=(as_of,))


@pytest.mark.parametrize("as_of", REFERENCE_DATES, ids=str)
def test_every_edge_compiled_equals_interpreter(ruleset: CheckedRuleset, as_of: dt.date) -> None:
    rows = agree(ruleset, edge_data(as_of), as_of, text=edge_rules())
    # the data does sit on the edges: a window holds some households and not others
    for rule in ("dated_9", "span_9", "date_9", "termly_13", "adult", "youth"):
        assert {row[rule] for row in rows.values()} == {True, False}, rule


TERM_RULES = """ruleset gen.t "x"
uses schema canonical
measure moved = (count offences where in the last 3 terms) at attached_on
criterion local = any custody where (in the last 1 term) at end_date
criterion moved_span = (any custody where in the last 1 term) at attached_on
"""


@pytest.mark.parametrize("as_of", [dt.date(2013, 4, 1), dt.date(2014, 4, 20)], ids=str)
def test_term_windows_around_a_date_per_household_or_row(as_of: dt.date) -> None:
    """Windows in terms around attached_on or a row's own date, at Easter.
    Only two run dates: Polars takes about a second to plan each such window
    (the term bounds repeat the term index and Easter arithmetic many times)."""
    ruleset, errors = check_text(TERM_RULES)
    assert ruleset is not None, errors
    agree(ruleset, edge_data(as_of), as_of, text=TERM_RULES)
