"""benefit_claims, employment_spells and work_referrals, generated together
because they are causally linked: jobs follow claims that end, referrals
happen during long claims, and a responding family's claimant leaves benefits
for work after attachment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from tfrules.data.synth.calendar import NO_DATE, YEAR_DAYS, Window, add_years, day_number
from tfrules.data.synth.draws import (
    Bools,
    Ints,
    categorical_rows,
    crisis_days,
    expand,
    expit,
    lognormal_days,
    uniform_days,
)
from tfrules.data.synth.frames import Raw
from tfrules.data.synth.households import Population, Role
from tfrules.data.synth.rates import Rates
from tfrules.data.synth.schema import CATEGORIES

BENEFITS = CATEGORIES["benefit_claims", "benefit"]
JSA, ESA, IB, IS, CA, SDA, UC, HB = range(8)
OUT_OF_WORK = np.array([True, True, True, True, True, True, True, False])

#: Incapacity Benefit closed to new claims when ESA began; SDA closed in 2001.
ESA_BEGAN = day_number(date(2008, 10, 27))
SDA_CLOSED = day_number(date(2001, 4, 6))
#: The Work Programme took referrals from June 2011; DWP's ESF Families with
#: Multiple Problems from December 2011 to March 2015.
WORK_PROGRAMME_BEGAN = day_number(date(2011, 6, 1))
ESF_FIRST, ESF_LAST = day_number(date(2011, 12, 1)), day_number(date(2015, 3, 31))
UC_YEARS = tuple(day_number(date(year, 1, 1)) for year in (2014, 2015, 2016))

_MIX_GROUPS = ("lone_parent", "parent", "adult_child", "grandparent")


@dataclass(frozen=True)
class WorkTables:
    benefit_claims: Raw
    employment_spells: Raw
    work_referrals: Raw
    #: Per household: a claimant entered work after attachment / was referred after it.
    job_after_attachment: Bools
    referred_after_attachment: Bools


def _close(end: Ints, last: int) -> Ints:
    """Spells still running at the end of the window are open (null end)."""
    return np.where(end > last, NO_DATE, end)


def _claims(
    rng: np.random.Generator, pop: Population, window: Window, rates: Rates
) -> tuple[Ints, Ints, Ints, Ints]:
    """(person, benefit, start, end-or-NO_DATE) of out-of-work claims."""
    adults = np.flatnonzero(pop.role != Role.CHILD)
    household = pop.person_household[adults]
    role = pop.role[adults]
    group = np.select(
        [
            (role == Role.PARENT) & pop.lone_parent[household],
            role <= Role.SECOND_PARENT,
            role == Role.ADULT_CHILD,
        ],
        [0, 1, 2],
        3,
    )
    shift = np.array([0.4, -0.2, -0.5, 0.0])[group]
    c0, c1 = rates.claimant
    claimant = rng.random(adults.size) < expit(c0 + c1 * pop.need[household] + shift)
    counts = np.where(claimant, 1 + rng.poisson(rates.extra_claims, adults.size), 0)
    index, _ = expand(counts)
    person = adults[index]
    household = pop.person_household[person]
    n = person.size

    mix = np.array([rates.benefit_mix[g] for g in _MIX_GROUPS])
    benefit = categorical_rows(rng, mix[group[index]])
    lookback = window.first - int(rates.claim_lookback_years * YEAR_DAYS)
    adult_on = add_years(pop.dob[person], 18)
    start = np.maximum(
        crisis_days(
            rng, pop.crisis[household], lookback, window.last, 0.5, 2 * rates.crisis_sd_days
        ),
        adult_on,
    )
    # SDA claims are legacy claims from before it closed in 2001; someone too young
    # to have claimed it then claims an incapacity benefit instead.
    sda_start = uniform_days(rng, SDA_CLOSED - 11 * 365, SDA_CLOSED - 1, n)
    sda = (benefit == SDA) & (sda_start >= adult_on)
    benefit = np.where((benefit == SDA) & ~sda, ESA, benefit)
    start = np.where(sda, sda_start, start)
    # Incapacity claims are IB before ESA began and ESA after it.
    incapacity = (benefit == IB) | (benefit == ESA)
    benefit = np.where(incapacity, np.where(start < ESA_BEGAN, IB, ESA), benefit)
    # Universal Credit replaced a few new JSA/ESA claims from 2014.
    p_uc = np.select(
        [start >= UC_YEARS[2], start >= UC_YEARS[1], start >= UC_YEARS[0]],
        list(rates.universal_credit[::-1]),
        0.0,
    )
    benefit = np.where(((benefit == JSA) | (benefit == ESA)) & (rng.random(n) < p_uc), UC, benefit)

    medians = np.array([rates.claim_median_days[b] for b in BENEFITS])
    length = lognormal_days(rng, medians[benefit], rates.claim_sigma, n)
    end = start + np.where(sda, length * 3, length)
    keep = (start <= window.last) & (end >= window.first)
    return person[keep], benefit[keep], start[keep], end[keep]


def work_tables(
    rng: np.random.Generator, pop: Population, window: Window, rates: Rates
) -> WorkTables:
    person, benefit, start, end = _claims(rng, pop, window, rates)
    household = pop.person_household[person]
    n_hh = pop.households

    # A responding family's claimant (one claim active at attachment per family)
    # leaves benefits for a job some months after attachment.
    active_at_attach = (
        pop.responds[household]
        & (start <= pop.attached_on[household])
        & (end >= pop.attached_on[household])
    )
    candidates = np.flatnonzero(active_at_attach)
    _, first_of_household = np.unique(household[candidates], return_index=True)
    leading = candidates[first_of_household]
    lead_household = household[leading]
    moves_to_work = rng.random(leading.size) < rates.respond_job
    new_end = pop.attached_on[lead_household] + uniform_days(rng, 60, 540, leading.size)
    moves_to_work &= (new_end < end[leading]) & (new_end <= window.last)
    movers = leading[moves_to_work]
    end[movers] = new_end[moves_to_work]
    job_after_attachment = np.zeros(n_hh, dtype=bool)
    job_after_attachment[household[movers]] = True
    turnaround_start = end[movers] + uniform_days(rng, 1, 21, movers.size)
    turnaround_end = turnaround_start + lognormal_days(rng, 300.0, 0.8, movers.size)

    # Jobs after other claims that end.
    p_job, job_median, job_sigma = rates.job_after_claim
    ended = np.ones(person.size, dtype=bool)
    ended[movers] = False
    after = np.flatnonzero(ended & (end <= window.last) & (rng.random(person.size) < p_job))
    after_start = end[after] + uniform_days(rng, 1, 42, after.size)
    after_end = after_start + lognormal_days(rng, job_median, job_sigma, after.size)

    # Working-age adults who never claim are mostly in work, on long spells.
    adults = np.flatnonzero(pop.role != Role.CHILD)
    claimed = np.zeros(pop.persons, dtype=bool)
    claimed[person] = True
    p_employed, employed_median = rates.employed
    working_age = pop.dob[adults] > window.reference - int(65 * YEAR_DAYS)
    workers = adults[~claimed[adults] & working_age & (rng.random(adults.size) < p_employed)]
    worker_start = np.maximum(
        uniform_days(rng, window.first - 8 * 365, window.last, workers.size),
        add_years(pop.dob[workers], 16),
    )
    worker_end = worker_start + lognormal_days(rng, employed_median, 1.0, workers.size)

    job_person = np.concatenate([person[movers], person[after], workers])
    job_start = np.concatenate([turnaround_start, after_start, worker_start])
    job_end = np.concatenate([turnaround_end, after_end, worker_end])
    keep = (job_start <= window.last) & (job_end >= window.first)
    employment = {
        "person_id": job_person[keep],
        "start_date": job_start[keep],
        "end_date": _close(job_end[keep], window.last),
    }

    referrals, referred_after = _referrals(
        rng, pop, window, rates, person, benefit, start, end, leading
    )

    # Housing benefit: most claimant households, some working ones; on the parent.
    claimant_household = np.zeros(n_hh, dtype=bool)
    claimant_household[household] = True
    p_hb = np.where(claimant_household, rates.housing_benefit[0], rates.housing_benefit[1])
    hb_household = np.flatnonzero(rng.random(n_hh) < p_hb)
    hb_person = pop.first_person[hb_household]
    lookback = window.first - int(rates.claim_lookback_years * YEAR_DAYS)
    hb_start = np.maximum(
        crisis_days(
            rng, pop.crisis[hb_household], lookback, window.last, 0.5, 2 * rates.crisis_sd_days
        ),
        add_years(pop.dob[hb_person], 18),
    )
    hb_end = hb_start + lognormal_days(
        rng, rates.claim_median_days["HB"], rates.claim_sigma, hb_household.size
    )
    hb_keep = (hb_start <= window.last) & (hb_end >= window.first)

    claims = {
        "person_id": np.concatenate([person, hb_person[hb_keep]]),
        "benefit": np.concatenate([benefit, np.full(int(hb_keep.sum()), HB, np.int64)]),
        "start_date": np.concatenate([start, hb_start[hb_keep]]),
        "end_date": _close(np.concatenate([end, hb_end[hb_keep]]), window.last),
    }
    return WorkTables(claims, employment, referrals, job_after_attachment, referred_after)


def _referrals(
    rng: np.random.Generator,
    pop: Population,
    window: Window,
    rates: Rates,
    person: Ints,
    benefit: Ints,
    start: Ints,
    end: Ints,
    leading: Ints,
) -> tuple[Raw, Bools]:
    household = pop.person_household[person]
    n = person.size
    # Work Programme: long JSA/UC claims after 9-12 months, some ESA claims.
    p_wp, lo, hi = rates.work_programme
    jobseeker = (benefit == JSA) | (benefit == UC)
    wp_day = np.where(
        jobseeker,
        start + uniform_days(rng, int(lo), int(hi), n),
        start + uniform_days(rng, 90, 365, n),
    )
    p = np.where(jobseeker, p_wp, np.where(benefit == ESA, rates.work_programme_esa, 0.0))
    wp = (
        (rng.random(n) < p)
        & (wp_day >= WORK_PROGRAMME_BEGAN)
        & (wp_day <= end)
        & (wp_day <= window.last)
    )

    # DWP ESF Families with Multiple Problems: a claimant in a high-need household.
    _, first_claim = np.unique(household, return_index=True)
    e0, e1 = rates.esf_families
    p_esf = expit(e0 + e1 * pop.need[household[first_claim]])
    esf = first_claim[rng.random(first_claim.size) < p_esf]
    esf_day = np.maximum(start[esf], ESF_FIRST) + uniform_days(rng, 0, 180, esf.size)
    ok = (esf_day <= ESF_LAST) & (esf_day <= end[esf] + 30)
    esf, esf_day = esf[ok], esf_day[ok]

    # Responding families: the claimant is referred after attachment.
    referred = leading[rng.random(leading.size) < rates.respond_referral]
    ref_day = pop.attached_on[household[referred]] + uniform_days(rng, 14, 300, referred.size)
    ok = ref_day <= window.last
    referred, ref_day = referred[ok], ref_day[ok]
    ref_programme = (rng.random(referred.size) < 0.3).astype(np.int64)
    referred_after = np.zeros(pop.households, dtype=bool)
    referred_after[household[referred]] = True

    raw = {
        "person_id": np.concatenate([person[wp], person[esf], person[referred]]),
        "referred_on": np.concatenate([wp_day[wp], esf_day, ref_day]),
        "programme": np.concatenate(
            [
                np.zeros(int(wp.sum()), np.int64),
                np.ones(esf.size, np.int64),
                ref_programme,
            ]
        ),
    }
    return raw, referred_after
