"""Which drawn attachments a council would actually have made.

A household is drawn for attachment from its latent need (households.py);
once its events exist, the attachment stands if, in the year up to the
attachment date, the family showed problems in at least two of the three
national domains (crime/ASB, school, worklessness), or, with probability
``Rates.attach_local``, in one of them plus another service (police, health,
social care, rent arrears), standing in for a council's local criterion.
The domains are looser than the rules (any offence, 10% absence), so attached
families are mostly, but not always, identified at attachment by the rules.
"""

from __future__ import annotations

import numpy as np

from tfrules.data.synth.calendar import NO_DATE, Term, day_number
from tfrules.data.synth.draws import Bools, Ints
from tfrules.data.synth.frames import Raw
from tfrules.data.synth.households import Population
from tfrules.data.synth.work import HB

#: How far back (days) "the year up to attachment" looks.
LOOKBACK_DAYS = 365


def _mark_recent(flag: Bools, household: Ints, day: Ints, at: Ints) -> None:
    """Set ``flag[h]`` where an event of ``h`` falls in the year up to ``at[h]``."""
    anchor = at[household]
    flag[household[(day <= anchor) & (day > anchor - LOOKBACK_DAYS)]] = True


def _term_starts(terms: tuple[Term, ...]) -> Ints:
    """Lookup from term index to the term's first day."""
    lookup = np.zeros(terms[-1].index + 1 if terms else 1, dtype=np.int64)
    for t in terms:
        lookup[t.index] = day_number(t.first)
    return lookup


def confirmed(
    rng: np.random.Generator,
    pop: Population,
    raw: dict[str, Raw],
    terms: tuple[Term, ...],
    local: float,
) -> Bools:
    """Per household, whether its drawn attachment stands (see the module docstring)."""
    n = pop.households
    hh = pop.person_household
    at = pop.attached_on

    crime = np.zeros(n, dtype=bool)
    for table, column in (("offences", "offence_date"), ("asb", "recorded_on"),
                          ("custody", "start_date")):
        _mark_recent(crime, hh[raw[table]["person_id"]], raw[table][column], at)

    school = np.zeros(n, dtype=bool)
    st = raw["school_terms"]
    poor = (
        (10 * st["sessions_unauthorised_absence"] >= st["sessions_possible"])
        | (st["fixed_exclusions"] > 0)
        | st["alternative_provision"]
        | ~st["on_roll"]
    )
    starts = _term_starts(terms)[3 * st["academic_year"][poor] + st["term"][poor]]
    _mark_recent(school, hh[st["person_id"][poor]], starts, at)

    workless = np.zeros(n, dtype=bool)
    claims = raw["benefit_claims"]
    claim_hh = hh[claims["person_id"]]
    anchor = at[claim_hh]
    active = (
        (claims["benefit"] != HB)
        & (claims["start_date"] <= anchor)
        & ((claims["end_date"] == NO_DATE) | (claims["end_date"] >= anchor))
    )
    workless[claim_hh[active]] = True

    other = np.zeros(n, dtype=bool)
    for table, column in (("police_incidents", "incident_date"), ("health", "recorded_on"),
                          ("social_care", "start_date")):
        _mark_recent(other, hh[raw[table]["person_id"]], raw[table][column], at)
    housing = raw["housing"]
    arrears = housing["rent_arrears"] > 0
    _mark_recent(other, housing["household_id"][arrears], housing["recorded_on"][arrears], at)

    national = crime.astype(np.int64) + school + workless
    by_local = (national == 1) & other & (rng.random(n) < local)
    return pop.attached & ((national >= 2) | by_local)
