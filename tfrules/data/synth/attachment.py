"""Which drawn attachments a council would actually have made.

A household is drawn for attachment from its latent need, on a date near its
crisis (households.py). Once its events exist, the attachment stands according
to how many of the three phase-1 national criteria the family met at that
date, computed here much as the national rules do (12 months of proven youth
offences and formal ASB; the last three DfE terms of school records; an active
out-of-work claim):

- all three: it stands (the family is identified nationally);
- two: it stands with probability ``Rates.attach_two`` (the council's local
  criterion, which the national rules cannot see, made up the difference);
- fewer: it stands with probability ``Rates.attach_other`` (families attached
  on other grounds or on stale data: claims for them are not due, which is
  worth having in test data).

So attachment never precedes the problems that justify it, and the attachment
fee is mostly, not always, due. The approximations (12 months as 365 days,
ages in fractional years, gaps counted as not meeting) only matter at the
margins.
"""

from __future__ import annotations

import numpy as np

from tfrules.data.synth.calendar import NO_DATE, YEAR_DAYS, Term, add_years, day_number
from tfrules.data.synth.draws import Bools, Ints
from tfrules.data.synth.frames import Raw
from tfrules.data.synth.households import Population
from tfrules.data.synth.work import HB

#: "The last 12 months", approximately.
LOOKBACK_DAYS = 365
#: asb kind codes that count for identification (all but ``incident``).
FORMAL_ASB_FIRST_CODE = 1


def _in_year_to(day: Ints, anchor: Ints) -> Bools:
    return (day <= anchor) & (day > anchor - LOOKBACK_DAYS)


def _flag(n: int, household: Ints) -> Bools:
    flag = np.zeros(n, dtype=bool)
    flag[household] = True
    return flag


def crime_at(pop: Population, raw: dict[str, Raw], at: Ints) -> Bools:
    hh = pop.person_household
    off = raw["offences"]
    person = off["person_id"]
    youth = off["offence_date"] < add_years(pop.dob[person], 18)
    hit = off["proven"] & youth & _in_year_to(off["offence_date"], at[hh[person]])
    asb = raw["asb"]
    formal = (asb["kind"] >= FORMAL_ASB_FIRST_CODE) & _in_year_to(
        asb["recorded_on"], at[hh[asb["person_id"]]]
    )
    return _flag(pop.households, np.concatenate([hh[person[hit]], hh[asb["person_id"][formal]]]))


def education_at(pop: Population, raw: dict[str, Raw], terms: tuple[Term, ...], at: Ints) -> Bools:
    if not terms:
        return np.zeros(pop.households, dtype=bool)
    hh = pop.person_household
    st = raw["school_terms"]
    person = st["person_id"]
    starts = np.array([day_number(t.first) for t in terms], dtype=np.int64)
    anchor = at[hh[person]]
    current = terms[0].index + np.searchsorted(starts, anchor, side="right") - 1
    row_term = 3 * st["academic_year"] + st["term"]
    recent = (row_term >= current - 3) & (row_term < current)
    age = (anchor - pop.dob[person]) / YEAR_DAYS
    recent &= (age >= 5.0) & (age < 16.0)

    p = person[recent]
    n = pop.persons
    possible = np.bincount(p, st["sessions_possible"][recent], minlength=n)
    unauthorised = np.bincount(p, st["sessions_unauthorised_absence"][recent], minlength=n)
    fixed = np.bincount(p, st["fixed_exclusions"][recent], minlength=n)
    out = (st["permanently_excluded"] | st["alternative_provision"] | ~st["on_roll"])[recent]
    pupil = (possible > 0) & (20 * unauthorised >= 3 * possible)
    pupil |= fixed >= 3
    pupil[p[out]] = True
    return _flag(pop.households, hh[np.flatnonzero(pupil)])


def work_at(pop: Population, raw: dict[str, Raw], at: Ints) -> Bools:
    """An active out-of-work claim (claims never start before the 18th birthday)."""
    claims = raw["benefit_claims"]
    household = pop.person_household[claims["person_id"]]
    anchor = at[household]
    active = (
        (claims["benefit"] != HB)
        & (claims["start_date"] <= anchor)
        & ((claims["end_date"] == NO_DATE) | (claims["end_date"] >= anchor))
    )
    return _flag(pop.households, household[active])


def confirmed(
    rng: np.random.Generator,
    pop: Population,
    raw: dict[str, Raw],
    terms: tuple[Term, ...],
    two: float,
    other: float,
) -> Bools:
    """Per household, whether its drawn attachment stands (see the module docstring)."""
    at = pop.attached_on
    met = (
        crime_at(pop, raw, at).astype(np.int64)
        + education_at(pop, raw, terms, at)
        + work_at(pop, raw, at)
    )
    p = np.select([met == 3, met == 2], [1.0, two], other)
    return pop.attached & (rng.random(pop.households) < p)
