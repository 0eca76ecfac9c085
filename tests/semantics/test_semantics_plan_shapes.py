"""The plan shapes the compiler chooses for speed read exactly as the plain
semantics do (the interpreter is the oracle), on a small hand-made data set:

- `any member ... has T where C` is one group_by of T by household;
- an aggregate at a household date that may be unknown (`at attached_on`) is
  split: the households whose date is known read their own rows, the others
  take it at an unknown date;
- `if C then unknown else X`: X's aggregates read only the households where C
  is false;
- `count distinct academic_year, term` over a few terms counts term by term.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from semantic_harness import check_text, compiled, differences, interpreted
from strategies.data_strategies import DataSet, make_frame

D = dt.date
AS_OF = D(2014, 2, 28)


def _frames() -> dict[str, pl.DataFrame]:
    households = [
        ("H1", D(2013, 6, 1)),  # attached, members with rows
        ("H2", None),  # not attached, members with rows
        ("H3", None),  # not attached, a member without rows
        ("H4", D(2013, 9, 1)),  # attached, no members
        ("H5", D(2014, 1, 15)),  # attached, a member with rows only long ago
    ]
    persons = [
        ("P1", "H1", D(1999, 3, 1)),
        ("P2", "H1", D(1975, 1, 1)),
        ("P3", "H1", D(2005, 9, 1)),
        ("P4", "H2", D(1998, 2, 28)),
        ("P5", "H2", D(2006, 1, 1)),
        ("P6", "H3", D(1980, 1, 1)),
        ("P7", "H5", D(2004, 4, 1)),
    ]
    offences = [
        ("P1", D(2013, 5, 1), True),
        ("P1", D(2013, 12, 1), False),
        ("P2", D(2012, 1, 1), True),
        ("P2", D(2013, 10, 1), False),
        ("P4", D(2013, 3, 1), True),
        ("P4", D(2014, 2, 28), True),
        ("P7", D(2010, 1, 1), True),
    ]
    asb = [("P2", D(2013, 7, 1), "asbo"), ("P4", D(2013, 1, 1), "incident")]
    terms = [
        ("P3", 2012, "autumn", 100, 20, 0),
        ("P3", 2012, "spring", 100, 5, 1),
        ("P3", 2012, "summer", 90, 0, 0),
        ("P3", 2013, "autumn", 100, 30, 3),
        ("P5", 2013, "autumn", 100, 0, 0),
        ("P5", 2013, "spring", 80, 2, 0),
        ("P7", 2009, "summer", 100, 50, 1),
    ]
    return {
        "households": make_frame(
            "households",
            [{"household_id": h, "la_code": "E08000035", "attached_on": a} for h, a in households],
        ),
        "persons": make_frame(
            "persons",
            [{"person_id": p, "household_id": h, "date_of_birth": b} for p, h, b in persons],
        ),
        "offences": make_frame(
            "offences",
            [{"person_id": p, "offence_date": d, "proven": v} for p, d, v in offences],
        ),
        "asb": make_frame(
            "asb", [{"person_id": p, "recorded_on": d, "kind": k} for p, d, k in asb]
        ),
        "school_terms": make_frame(
            "school_terms",
            [
                {
                    "person_id": p,
                    "academic_year": y,
                    "term": t,
                    "sessions_possible": s,
                    "sessions_authorised_absence": 0,
                    "sessions_unauthorised_absence": u,
                    "fixed_exclusions": x,
                    "permanently_excluded": False,
                    "alternative_provision": False,
                    "on_roll": True,
                }
                for p, y, t, s, u, x in terms
            ],
        ),
    }


RULES = {
    "flat_any": "criterion r = any member has offences where proven, in the last 12 months",
    "flat_qualified": (
        "criterion adult for person = age >= 18\n"
        "criterion r = any adult member where age < 40 has offences where in the last 12 months"
    ),
    "flat_no": "criterion r = no member has asb where kind = asbo",
    "flat_satisfies": "criterion r = any member has offences satisfies proven",
    "every_has": "criterion r = every member has offences",
    "split_count": "measure r = (count offences where in the last 6 months) at attached_on",
    "split_any": (
        "criterion r = (any member has offences where in the last 12 months) at attached_on"
    ),
    "split_terms": (
        "measure r = (count distinct academic_year, term over school_terms"
        " where in the last 3 terms) at attached_on"
    ),
    "terms_now": (
        "measure r = count distinct academic_year, term over school_terms where in the last 2 terms"
    ),
    "terms_many": (
        "measure r = count distinct term, academic_year over school_terms"
        " where in the last 13 terms"
    ),
    "split_sum": (
        "measure r = (sum sessions_possible over school_terms where in the last 3 terms)"
        " at attached_on"
    ),
    "split_lowest": (
        "measure r = (lowest offence_date over offences where in the last 2 years) at attached_on"
    ),
    "narrow_else": (
        "criterion r = if attached_on is unknown then unknown"
        " else any member has offences where offence_date >= attached_on"
    ),
    "narrow_then": (
        "criterion r = if attached_on is known"
        " then (sum sessions_possible over school_terms where in the last 2 terms) > 10"
        " else unknown"
    ),
    "narrow_split": (
        "criterion r = if not (attached_on is known) then unknown"
        " else (any member has offences where in the last 12 months) at attached_on"
    ),
    "narrow_nested": (
        "criterion r = if attached_on is unknown then unknown"
        " else (if attached_on > 2013-07-01 then unknown else (count asb) > 0)"
    ),
    "narrow_rule_at": (
        "criterion crime = any member has asb where kind = asbo, in the last 12 months\n"
        "criterion term_rows for person = (count school_terms where in the last 3 terms) > 0\n"
        "criterion school = any member where term_rows\n"
        "criterion r = if attached_on is unknown then unknown"
        " else not ((crime or school) at attached_on)\n"
        "criterion unguarded = (crime or school) at attached_on"
    ),
    "narrow_rule": (
        "criterion young_offender for person = any offences where age at offence_date < 18\n"
        "criterion r = if attached_on is unknown then unknown"
        " else any member where young_offender"
    ),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_plan_shapes_read_as_the_semantics(name: str) -> None:
    ruleset, errors = check_text(f'ruleset gen.t "x"\nuses schema canonical\n{RULES[name]}\n')
    assert ruleset is not None, errors
    data = DataSet(_frames(), frozenset())
    seen = set()
    for as_of in (AS_OF, D(2013, 8, 31), D(2014, 4, 21), D(2013, 6, 1)):
        oracle = interpreted(ruleset, data, as_of)
        assert differences(compiled(ruleset, data, as_of), oracle) == [], as_of
        seen |= {repr(row["r"]) for row in oracle.values()}
    # the data decides: the rule is not the same value everywhere
    assert len(seen) > 1, name
