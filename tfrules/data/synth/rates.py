"""Every rate the generator draws from, in one place.

docs/synthetic-data.md explains each number and where it comes from (a
published figure, or plainly an assumption chosen to calibrate phase-1
identification shares). Event rates are per person-year unless said otherwise
and are scaled per household by ``exp(beta * need - beta**2 / 2)``, so the
population mean stays at the base rate while high-need households get more.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rates:
    # --- household composition -------------------------------------------------
    #: Share of households with one resident parent.
    lone_parent: float = 0.49
    #: Share of households with no child under 18 at the reference date.
    no_children: float = 0.05
    #: P(1..5 children) among households with children.
    children: tuple[float, ...] = (0.27, 0.30, 0.22, 0.12, 0.09)
    #: P(0, 1, 2 adult children aged 17-23 at the reference date).
    adult_children: tuple[float, ...] = (0.86, 0.11, 0.03)
    #: Share of households with a resident grandparent.
    grandparent: float = 0.03
    #: First parent's age at the reference date: normal(mean, sd) clipped to range.
    parent_age: tuple[float, float, float, float] = (34.0, 8.0, 19.0, 58.0)
    #: Youngest and oldest age of a child at the reference date (negative = born later).
    child_age: tuple[float, float] = (-3.5, 17.99)

    # --- need and timing ---------------------------------------------------------
    #: Spread of the per-council need shift (standard-normal units).
    council_spread: float = 0.12
    #: Share of a household's events clustered around its crisis date.
    crisis_share: float = 0.6
    #: Standard deviation (days) of events around the crisis date.
    crisis_sd_days: float = 300.0

    # --- crime and anti-social behaviour ----------------------------------------
    offence_rate: float = 0.25
    offence_beta: float = 1.3
    #: Relative offending by age band: (<10, 10-13, 14-17, 18-24, 25-39, 40+).
    offence_age: tuple[float, ...] = (0.0, 0.5, 1.0, 0.7, 0.3, 0.1)
    offence_proven: float = 0.8
    asb_rate: float = 0.30
    asb_beta: float = 1.2
    asb_age: tuple[float, ...] = (0.0, 0.7, 1.0, 0.8, 0.5, 0.3)
    #: P(incident, asbo, injunction, acceptable_behaviour_contract, housing_intervention).
    asb_kinds: tuple[float, ...] = (0.65, 0.07, 0.05, 0.14, 0.09)
    #: Heterogeneity between persons of one household (log-normal sigma).
    person_sigma: float = 1.0

    # --- education -----------------------------------------------------------------
    #: Logit of a pupil's unauthorised absence rate: intercept, need beta, pupil sd, term sd.
    unauthorised: tuple[float, float, float, float] = (-3.5, 1.3, 1.0, 0.45)
    #: Extra logit for secondary-age pupils (11-15 on 31 August).
    secondary_shift: float = 0.5
    #: Logit of the authorised absence rate: intercept, need beta, pupil sd.
    authorised: tuple[float, float, float] = (-3.05, 0.15, 0.3)
    #: Fixed exclusions per secondary term (primary gets a quarter), need beta.
    fixed_exclusion: tuple[float, float] = (0.035, 1.1)
    #: P(a pupil has a spell in alternative provision), need beta, mean spell terms.
    alternative_provision: tuple[float, float, float] = (0.03, 1.0, 4.0)
    #: Share of alternative-provision spells that start with a permanent exclusion.
    permanent_given_ap: float = 0.35
    #: P(a pupil has a spell off roll), need beta, mean spell terms.
    off_roll: tuple[float, float, float] = (0.008, 0.8, 2.0)
    #: P(a pupil's records are missing for a contiguous run of terms) and for all terms.
    gap: float = 0.08
    gap_all: float = 0.01
    #: P(a row has fewer sessions possible: joined/left mid-term).
    part_term: float = 0.04

    # --- work and benefits ----------------------------------------------------------
    #: Logit that an adult claims out-of-work benefits at all: intercept, need beta.
    claimant: tuple[float, float] = (0.9, 1.0)
    #: Mean number of extra claims per claimant (Poisson), beyond the first.
    extra_claims: float = 1.2
    #: Claims start this many years before the event window (long-term claimants).
    claim_lookback_years: float = 3.0
    #: Median claim length in days by benefit (log-normal, sigma below).
    claim_median_days: dict[str, float] = field(
        default_factory=lambda: {
            "JSA": 200.0,
            "ESA": 900.0,
            "IB": 2200.0,
            "IS": 1100.0,
            "CA": 1300.0,
            "SDA": 2600.0,
            "UC": 250.0,
            "HB": 1300.0,
        }
    )
    claim_sigma: float = 0.9
    #: Benefit mix for lone parents, other parents, adult children, grandparents:
    #: P(JSA, ESA, IB, IS, CA, SDA).
    benefit_mix: dict[str, tuple[float, ...]] = field(
        default_factory=lambda: {
            "lone_parent": (0.22, 0.18, 0.02, 0.50, 0.07, 0.01),
            "parent": (0.48, 0.25, 0.05, 0.05, 0.15, 0.02),
            "adult_child": (0.72, 0.18, 0.00, 0.08, 0.02, 0.00),
            "grandparent": (0.10, 0.35, 0.20, 0.00, 0.15, 0.20),
        }
    )
    #: P(a JSA or ESA claim starting in 2014, 2015, 2016+ is Universal Credit instead).
    universal_credit: tuple[float, float, float] = (0.02, 0.06, 0.15)
    #: P(housing benefit) for a household with / without an out-of-work claimant.
    housing_benefit: tuple[float, float] = (0.75, 0.25)
    #: P(an adult who never claims is in work), median job length (days).
    employed: tuple[float, float] = (0.75, 1800.0)
    #: P(a claim that ends is followed by a job), median job length (days), sigma.
    job_after_claim: tuple[float, float, float] = (0.45, 210.0, 1.0)
    #: P(a long JSA claim is referred to the Work Programme) and days into the claim.
    work_programme: tuple[float, float, float] = (0.6, 270.0, 365.0)
    #: P(an ESA claim is referred to the Work Programme).
    work_programme_esa: float = 0.10
    #: Logit that a claimant household is referred to the DWP ESF scheme: intercept, beta.
    esf_families: tuple[float, float] = (-4.2, 0.8)

    # --- other services --------------------------------------------------------------
    #: Social-care episodes per child-year, need beta.
    social_care: tuple[float, float] = (0.09, 1.0)
    #: P(child_in_need, child_protection_plan, looked_after) for an episode.
    social_care_status: tuple[float, ...] = (0.65, 0.25, 0.10)
    #: Median episode length in days by status.
    social_care_days: tuple[float, ...] = (240.0, 270.0, 700.0)
    #: Police incidents per household-year, need beta.
    police: tuple[float, float] = (0.25, 0.9)
    #: P(burglary, domestic_abuse, criminal_damage, violence, other).
    police_categories: tuple[float, ...] = (0.10, 0.30, 0.15, 0.20, 0.25)
    #: Mental-health and substance-misuse records per adult-year, need beta.
    mental_health: tuple[float, float] = (0.06, 0.8)
    substance_misuse: tuple[float, float] = (0.035, 1.0)
    #: P(a birth in the window is followed by a vulnerable-new-mother record), need beta.
    new_mother: tuple[float, float] = (0.15, 0.8)
    #: P(custody after a proven offence) for under-18s and adults; median days.
    custody: tuple[float, float, float] = (0.04, 0.10, 120.0)
    #: P(social tenant), housing records per tenant-year.
    tenant: tuple[float, float] = (0.62, 0.6)
    #: Logit of arrears on a record: intercept, need beta; median arrears (GBP), sigma.
    arrears: tuple[float, float, float, float] = (-1.2, 0.7, 450.0, 1.0)
    #: P(eviction notice) with arrears above / below 1,000 GBP.
    eviction: tuple[float, float] = (0.15, 0.01)

    # --- attachment, turnaround, claims -------------------------------------------
    #: Logit of attachment: intercept, need beta.
    attach: tuple[float, float] = (-1.5, 1.2)
    #: P(a drawn attachment stands) when the family meets two of the three national
    #: criteria at the date (a local criterion made up the third), and when fewer.
    attach_two: float = 0.5
    attach_other: float = 0.04
    #: A results cohort (the families a council has attached, whose results it
    #: claims): this share of households is attached, whatever their need, on
    #: dates spread over the programme's years; None: a national extract, where
    #: attachment follows need and the criteria met (about 5% attached).
    attached_share: float | None = None
    #: Logit that an attached family responds to the work (events thin out after).
    respond: float = 1.0
    #: Share of a responder's crime/ASB events after attachment that do not happen.
    respond_crime_drop: float = 0.8
    #: Multiplier on a responder's pupils' unauthorised absence after attachment.
    respond_absence: float = 0.25
    #: P(a responder's claimant leaves benefits for a job after attachment).
    respond_job: float = 0.30
    #: P(a responder's claimant is referred to a work programme after attachment).
    respond_referral: float = 0.35
    #: P(a council claims the attachment fee; P(it claims a result it is due).
    claim_attachment: float = 0.92
    claim_results: float = 0.75
