"""school_terms: one row per pupil per term, with the gaps real returns have.

A child is on a school roll from reception (4 on 31 August) to year 11 (15 on
31 August). Absence, exclusions, alternative provision and time off roll all
rise with household need; a share of pupils have no rows for a contiguous run
of terms (their school became an academy and stopped returning attendance),
which the rules must read as unknown, not as good attendance.
"""

from __future__ import annotations

import numpy as np

from tfrules.data.synth.calendar import Term, day_number, split_ymd
from tfrules.data.synth.draws import Bools, Ints, expand, expit, need_factor
from tfrules.data.synth.frames import Raw
from tfrules.data.synth.households import Population, Role
from tfrules.data.synth.rates import Rates


def _spell_rows(
    rng: np.random.Generator,
    p: np.ndarray,
    first: Ints,
    last: Ints,
    mean_terms: float,
    row_pupil: Ints,
    row_term: Ints,
) -> tuple[Bools, Bools]:
    """Per pupil, with probability ``p``, a run of terms starting uniformly in
    ``first..last``; returns (row is in the run, row is the run's first term)."""
    n = p.size
    has = (rng.random(n) < p) & (last >= first)
    start = first + np.floor(rng.random(n) * np.maximum(last - first + 1, 1)).astype(np.int64)
    length = 1 + rng.poisson(max(mean_terms - 1.0, 0.0), n)
    s = start[row_pupil]
    inside = has[row_pupil] & (row_term >= s) & (row_term < s + length[row_pupil])
    return inside, inside & (row_term == s)


def school_terms(
    rng: np.random.Generator, pop: Population, rates: Rates, terms: tuple[Term, ...]
) -> Raw:
    if not terms:
        return {name: np.zeros(0, np.int64) for name in _COLUMNS}
    t_first, t_last = terms[0].index, terms[-1].index
    sessions = np.array([t.sessions for t in terms], dtype=np.int64)
    term_start = np.array([day_number(t.first) for t in terms], dtype=np.int64)
    term_year = np.array([t.academic_year for t in terms], dtype=np.int64)
    term_code = np.array([t.index % 3 for t in terms], dtype=np.int64)

    pupils = np.flatnonzero((pop.role == Role.CHILD) | (pop.role == Role.ADULT_CHILD))
    y, m, _ = split_ymd(pop.dob[pupils])
    reception = y + (m >= 9) + 4  # academic year in which the child is 4 on 31 August
    first = np.maximum(3 * reception, t_first)
    last = np.minimum(3 * (reception + 11) + 2, t_last)
    counts = np.maximum(last - first + 1, 0)
    row_pupil, offset = expand(counts)
    row_term = first[row_pupil] + offset

    need = pop.need[pop.person_household[pupils]]
    household = pop.person_household[pupils]

    # Missing returns: a contiguous run of terms (often to the end), or all of them.
    gap_start = first + np.floor(rng.random(pupils.size) * np.maximum(counts, 1)).astype(np.int64)
    to_end = rng.random(pupils.size) < 0.5
    gap_len = np.where(to_end, 10_000, 1 + rng.geometric(1 / 3, pupils.size))
    has_gap = rng.random(pupils.size) < rates.gap
    all_gone = rng.random(pupils.size) < rates.gap_all
    gs = gap_start[row_pupil]
    missing = all_gone[row_pupil] | (
        has_gap[row_pupil] & (row_term >= gs) & (row_term < gs + gap_len[row_pupil])
    )

    # Alternative provision (sometimes after a permanent exclusion), and time off
    # roll, as runs of terms in secondary school.
    secondary_first = np.maximum(first, 3 * (reception + 7))
    p_ap, beta_ap, mean_ap = rates.alternative_provision
    in_ap, ap_starts = _spell_rows(
        rng,
        np.minimum(1.0, p_ap * need_factor(need, beta_ap)),
        secondary_first,
        last,
        mean_ap,
        row_pupil,
        row_term,
    )
    excluded_pupil = rng.random(pupils.size) < rates.permanent_given_ap
    permanently_excluded = ap_starts & excluded_pupil[row_pupil]
    p_off, beta_off, mean_off = rates.off_roll
    off_roll, _ = _spell_rows(
        rng,
        np.minimum(1.0, p_off * need_factor(need, beta_off)),
        first,
        last,
        mean_off,
        row_pupil,
        row_term,
    )

    keep = ~missing
    row_pupil, row_term = row_pupil[keep], row_term[keep]
    in_ap, permanently_excluded, off_roll = in_ap[keep], permanently_excluded[keep], off_roll[keep]
    n = row_pupil.size
    k = row_term - t_first
    row_household = household[row_pupil]
    secondary = row_term >= 3 * (reception[row_pupil] + 7)
    after = pop.responds[row_household] & (term_start[k] > pop.attached_on[row_household])

    # One float32 draw per row and purpose: these arrays have tens of millions of
    # rows, and float32 uniforms are several times cheaper than float64.
    u = rng.random((5, n), dtype=np.float32)
    z = rng.standard_normal((2, n), dtype=np.float32)

    # Sessions possible: the term's typical count less a few school-specific days;
    # pupils joining or leaving mid-term, or off roll, have fewer.
    possible = sessions[k] - 2 * np.floor(u[0] * 3).astype(np.int64)
    part = u[1] < rates.part_term
    fraction = np.where(part, 0.2 + 0.75 * (u[1] / rates.part_term), 1.0)
    fraction = np.where(off_roll, 0.6 * u[2], fraction)
    possible = np.floor(possible * fraction).astype(np.int64)

    u0, u1, u2, u3 = rates.unauthorised
    pupil_u = u0 + u1 * need + u2 * rng.standard_normal(pupils.size)
    p_unauth = expit(pupil_u[row_pupil] + rates.secondary_shift * secondary + u3 * z[0])
    p_unauth = np.where(after, p_unauth * rates.respond_absence, p_unauth)
    # Stochastic rounding of sessions x rate rather than a binomial draw: the
    # per-term noise is already in the rate, and this is several times faster.
    unauthorised = np.floor(possible * p_unauth + u[3]).astype(np.int64)
    a0, a1, a2 = rates.authorised
    pupil_a = a0 + a1 * need + a2 * rng.standard_normal(pupils.size)
    p_auth = expit(pupil_a[row_pupil] + 0.4 * z[1])
    authorised = np.floor((possible - unauthorised) * p_auth + u[4]).astype(np.int64)
    authorised = np.minimum(authorised, possible - unauthorised)

    # Fixed exclusions are rare: decide which rows have any (P = 1 - e^-lam), and
    # only for those draw 1 + Poisson(lam), instead of a Poisson draw per row.
    fx_rate, fx_beta = rates.fixed_exclusion
    lam = (
        fx_rate
        * np.where(secondary, 1.0, 0.25)
        * need_factor(need, fx_beta)[row_pupil]
        * np.where(after, 0.4, 1.0)
        * np.where(in_ap, 2.0, 1.0)
    )
    some = np.flatnonzero(rng.random(n, dtype=np.float32) < -np.expm1(-lam))
    fixed = np.zeros(n, dtype=np.int64)
    fixed[some] = 1 + rng.poisson(lam[some])

    return {
        "person_id": pupils[row_pupil],
        "academic_year": term_year[k],
        "term": term_code[k],
        "sessions_possible": possible,
        "sessions_authorised_absence": authorised,
        "sessions_unauthorised_absence": unauthorised,
        "fixed_exclusions": fixed,
        "permanently_excluded": permanently_excluded,
        "alternative_provision": in_ap,
        "on_roll": ~off_roll,
    }


_COLUMNS = (
    "person_id",
    "academic_year",
    "term",
    "sessions_possible",
    "sessions_authorised_absence",
    "sessions_unauthorised_absence",
    "fixed_exclusions",
    "permanently_excluded",
    "alternative_provision",
    "on_roll",
)
