"""claims: the ledger of what councils claimed for their attached families.

Amounts follow the phase-1 payment table by the financial year of attachment
(docs/programme-rules.md); a council claims the attachment fee soon after
attachment and, for a family that responded, one results claim later. The
total for a household never exceeds the £4,000 cap.
"""

from __future__ import annotations

import numpy as np

from tfrules.data.synth.calendar import Days, Window, split_ymd
from tfrules.data.synth.draws import Bools, uniform_days
from tfrules.data.synth.frames import Raw
from tfrules.data.synth.households import Population
from tfrules.data.synth.rates import Rates

#: Pence by financial year 2012, 2013, 2014 (index 0, 1, 2); later years pay nothing.
ATTACHMENT_FEE = np.array([320_000, 240_000, 160_000, 0])
EDUCATION_CRIME_RESULT = np.array([70_000, 150_000, 230_000, 0])
PROGRESS_TO_WORK = np.array([10_000, 10_000, 10_000, 0])
EMPLOYMENT_RESULT = np.array([80_000, 160_000, 240_000, 0])

ATTACHMENT, RESULTS, PROGRESS, EMPLOYMENT = range(4)


def financial_year(days: Days) -> Days:
    """The year in which the April-to-March year containing each day starts."""
    y, m, _ = split_ymd(days)
    return y - (m < 4)


def claims(
    rng: np.random.Generator,
    pop: Population,
    window: Window,
    rates: Rates,
    job_after_attachment: Bools,
    referred_after_attachment: Bools,
) -> Raw:
    attached = np.flatnonzero(pop.attached)
    on = pop.attached_on[attached]
    fy = np.clip(financial_year(on) - 2012, -1, 3)
    fy = np.where(fy < 0, 3, fy)

    fee = attached[rng.random(attached.size) < rates.claim_attachment]
    fee_on = pop.attached_on[fee] + uniform_days(rng, 14, 120, fee.size)
    fee_amount = ATTACHMENT_FEE[fy[np.searchsorted(attached, fee)]]

    responders = attached[pop.responds[attached]]
    claiming = responders[rng.random(responders.size) < rates.claim_results]
    r_fy = fy[np.searchsorted(attached, claiming)]
    r_on = pop.attached_on[claiming] + uniform_days(rng, 183, 720, claiming.size)
    job = job_after_attachment[claiming]
    r_kind = np.where(job, EMPLOYMENT, RESULTS)
    r_amount = np.where(job, EMPLOYMENT_RESULT[r_fy], EDUCATION_CRIME_RESULT[r_fy])

    progress = claiming[~job & referred_after_attachment[claiming]]
    p_on = pop.attached_on[progress] + uniform_days(rng, 120, 540, progress.size)
    p_amount = PROGRESS_TO_WORK[fy[np.searchsorted(attached, progress)]]

    household = np.concatenate([fee, claiming, progress])
    amount = np.concatenate([fee_amount, r_amount, p_amount])
    claimed_on = np.concatenate([fee_on, r_on, p_on])
    keep = (amount > 0) & (claimed_on <= window.last)
    return {
        "household_id": household[keep],
        "claimed_on": claimed_on[keep],
        "claim": np.concatenate(
            [
                np.full(fee.size, ATTACHMENT, np.int64),
                r_kind,
                np.full(progress.size, PROGRESS, np.int64),
            ]
        )[keep],
        "amount": amount[keep].astype(np.int64),
    }
