"""Person and household events outside school and work: crime, ASB, police,
health, social care, custody and housing.

Each generator returns a ``Raw`` table (see ``frames``): person or household
indices within the block, day numbers, category codes and pence, turned into
the canonical Polars frame later in one place.
"""

from __future__ import annotations

import numpy as np

from tfrules.data.synth.calendar import NO_DATE, YEAR_DAYS, Days, Window, add_years
from tfrules.data.synth.draws import (
    Bools,
    Floats,
    Ints,
    categorical,
    crisis_days,
    expand,
    expit,
    lognormal_days,
    need_factor,
    poisson_counts,
    uniform_days,
)
from tfrules.data.synth.frames import Raw
from tfrules.data.synth.households import Population, Role
from tfrules.data.synth.rates import Rates

#: Upper edges of the age bands the per-band factors in ``Rates`` refer to:
#: <10, 10-13, 14-17, 18-24, 25-39, 40+.
AGE_BAND_EDGES = np.array([10.0, 14.0, 18.0, 25.0, 40.0])

#: Rent arrears are capped at £15,000 (a long log-normal tail is not credible).
MAX_ARREARS_PENCE = 1_500_000


def approximate_age(dob: Days, on: Days) -> Floats:
    """Age in fractional years; good enough for thinning by age band."""
    return (on - dob) / YEAR_DAYS


def _event_dates(
    rng: np.random.Generator, pop: Population, window: Window, rates: Rates, household: Ints
) -> Days:
    return crisis_days(
        rng,
        pop.crisis[household],
        window.first,
        window.last,
        rates.crisis_share,
        rates.crisis_sd_days,
    )


def _averted(
    rng: np.random.Generator, pop: Population, household: Ints, days: Days, share: float
) -> Bools:
    """Events of responding attached families, a month or more after attachment,
    that the family work prevented (dropped with probability ``share``)."""
    return (
        pop.responds[household]
        & (days > pop.attached_on[household] + 30)
        & (rng.random(days.size) < share)
    )


def person_events(
    rng: np.random.Generator,
    pop: Population,
    window: Window,
    rates: Rates,
    rate: float,
    beta: float,
    age_factor: tuple[float, ...],
    crime_like: bool,
) -> tuple[Ints, Days]:
    """Dated events per person: Poisson counts scaled by household need and a
    per-person log-normal (so a few members account for most events), then
    thinned by age band at the event date (and, for crime-like events, by the
    family's response to the programme)."""
    sigma = rates.person_sigma
    hh = pop.person_household
    lam = (
        rate
        * window.years
        * need_factor(pop.need[hh], beta)
        * np.exp(sigma * rng.standard_normal(hh.size) - 0.5 * sigma * sigma)
    )
    person, _ = expand(poisson_counts(rng, lam))
    household = hh[person]
    days = _event_dates(rng, pop, window, rates, household)
    band = np.searchsorted(AGE_BAND_EDGES, approximate_age(pop.dob[person], days), side="right")
    keep = rng.random(days.size) < np.asarray(age_factor)[band]
    if crime_like:
        keep &= ~_averted(rng, pop, household, days, rates.respond_crime_drop)
    return person[keep], days[keep]


def offences(rng: np.random.Generator, pop: Population, window: Window, rates: Rates) -> Raw:
    person, days = person_events(
        rng, pop, window, rates, rates.offence_rate, rates.offence_beta, rates.offence_age, True
    )
    return {
        "person_id": person,
        "offence_date": days,
        "proven": rng.random(person.size) < rates.offence_proven,
    }


def asb(rng: np.random.Generator, pop: Population, window: Window, rates: Rates) -> Raw:
    person, days = person_events(
        rng, pop, window, rates, rates.asb_rate, rates.asb_beta, rates.asb_age, True
    )
    return {
        "person_id": person,
        "recorded_on": days,
        "kind": categorical(rng, rates.asb_kinds, person.size),
    }


def custody(
    rng: np.random.Generator, offences_raw: Raw, pop: Population, window: Window, rates: Rates
) -> Raw:
    """Custodial spells following a share of proven offences (more often for adults)."""
    person = offences_raw["person_id"]
    day = offences_raw["offence_date"]
    adult = approximate_age(pop.dob[person], day) >= 18.0
    p = np.where(adult, rates.custody[1], rates.custody[0])
    chosen = offences_raw["proven"] & (rng.random(person.size) < p)
    person, day = person[chosen], day[chosen]
    start = day + uniform_days(rng, 30, 240, person.size)
    length = lognormal_days(rng, rates.custody[2], 0.8, person.size)
    keep = start <= window.last
    start, end, person = start[keep], (start + length)[keep], person[keep]
    return {
        "person_id": person,
        "start_date": start,
        "end_date": np.where(end > window.last, NO_DATE, end),
    }


def police_incidents(
    rng: np.random.Generator, pop: Population, window: Window, rates: Rates
) -> Raw:
    """Household incidents; domestic abuse is mostly recorded against the parent."""
    rate, beta = rates.police
    household, _ = expand(poisson_counts(rng, rate * window.years * need_factor(pop.need, beta)))
    days = _event_dates(rng, pop, window, rates, household)
    category = categorical(rng, rates.police_categories, household.size)
    anyone = pop.first_person[household] + np.floor(
        rng.random(household.size) * pop.size[household]
    ).astype(np.int64)
    on_parent = (category == 1) & (rng.random(household.size) < 0.7)
    person = np.where(on_parent, pop.first_person[household], anyone)
    # Nobody is involved in an incident before they are born: give it to the parent.
    person = np.where(days < pop.dob[person], pop.first_person[household], person)
    return {"person_id": person, "incident_date": days, "category": category}


def health(rng: np.random.Generator, pop: Population, window: Window, rates: Rates) -> Raw:
    """Mental-health and substance-misuse records (13 and over), and vulnerable
    new mothers around births in the window (recorded on the household's parent)."""
    teen_adult = (0.0, 0.0, 0.5, 1.0, 1.0, 1.0)
    mh_person, mh_days = person_events(
        rng, pop, window, rates, rates.mental_health[0], rates.mental_health[1], teen_adult, False
    )
    sm_person, sm_days = person_events(
        rng,
        pop,
        window,
        rates,
        rates.substance_misuse[0],
        rates.substance_misuse[1],
        teen_adult,
        False,
    )
    born = (pop.role == Role.CHILD) & (pop.dob >= window.first) & (pop.dob <= window.last)
    babies = np.flatnonzero(born)
    baby_need = pop.need[pop.person_household[babies]]
    p = np.minimum(1.0, rates.new_mother[0] * need_factor(baby_need, rates.new_mother[1]))
    babies = babies[rng.random(babies.size) < p]
    nm_person = pop.first_person[pop.person_household[babies]]
    nm_days = np.clip(
        pop.dob[babies] + uniform_days(rng, -60, 120, babies.size), window.first, window.last
    )
    person = np.concatenate([mh_person, sm_person, nm_person])
    condition = np.concatenate(
        [
            np.full(mh_person.size, 1, np.int64),
            np.full(sm_person.size, 0, np.int64),
            np.full(nm_person.size, 2, np.int64),
        ]
    )
    return {
        "person_id": person,
        "condition": condition,
        "recorded_on": np.concatenate([mh_days, sm_days, nm_days]),
    }


def social_care(rng: np.random.Generator, pop: Population, window: Window, rates: Rates) -> Raw:
    """Children's social-care episodes, each ended by the child's 18th birthday."""
    rate, beta = rates.social_care
    children = np.flatnonzero((pop.role == Role.CHILD) | (pop.role == Role.ADULT_CHILD))
    lam = rate * window.years * need_factor(pop.need[pop.person_household[children]], beta)
    index, _ = expand(poisson_counts(rng, lam))
    person = children[index]
    household = pop.person_household[person]
    start = _event_dates(rng, pop, window, rates, household)
    adult_on = add_years(pop.dob[person], 18)
    keep = (start >= pop.dob[person]) & (start < adult_on)
    person, start, adult_on = person[keep], start[keep], adult_on[keep]
    status = categorical(rng, rates.social_care_status, person.size)
    median = np.asarray(rates.social_care_days)[status]
    end = np.minimum(start + lognormal_days(rng, median, 0.8, person.size), adult_on - 1)
    end = np.maximum(end, start)
    return {
        "person_id": person,
        "status": status,
        "start_date": start,
        "end_date": np.where(end > window.last, NO_DATE, end),
    }


def housing(rng: np.random.Generator, pop: Population, window: Window, rates: Rates) -> Raw:
    """Tenancy records of social tenants: rent arrears (often zero) and eviction
    notices; arrears ease for responding families after attachment."""
    p_tenant, per_year = rates.tenant
    tenant = rng.random(pop.households) < np.minimum(1.0, p_tenant * need_factor(pop.need, 0.3))
    counts = np.where(
        tenant, 1 + poisson_counts(rng, np.full(pop.households, per_year * window.years)), 0
    )
    household, _ = expand(counts)
    days = _event_dates(rng, pop, window, rates, household)
    intercept, beta, median, sigma = rates.arrears
    p_arrears = expit(intercept + beta * pop.need[household])
    eased = pop.responds[household] & (days > pop.attached_on[household] + 60)
    p_arrears = np.where(eased, 0.4 * p_arrears, p_arrears)
    in_arrears = rng.random(household.size) < p_arrears
    pence = np.where(
        in_arrears,
        np.minimum(
            np.rint(median * 100 * np.exp(sigma * rng.standard_normal(household.size))),
            MAX_ARREARS_PENCE,
        ),
        0,
    ).astype(np.int64)
    high, low = rates.eviction
    eviction = rng.random(household.size) < np.where(pence > 100_000, high, low * in_arrears)
    return {
        "household_id": household,
        "recorded_on": days,
        "rent_arrears": pence,
        "eviction_notice": eviction,
    }
