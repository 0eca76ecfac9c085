"""Assembling the tables: households are generated in fixed blocks, each from
its own random stream, so any run of blocks can be produced on its own.

Block ``b`` holds households ``b * BLOCK_SIZE + 1 ..`` and draws from
``SeedSequence(seed, spawn_key=(b,))``. Its rows therefore depend only on
(seed, la_codes, window, rates, b): ``generate(n)`` and a chunked
``generate_to_dir(n)`` produce identical data, and chunks never share an id.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from tfrules.data.synth import attachment, events, ledger, school, work
from tfrules.data.synth.areas import DEFAULT_LA_CODES, CouncilEffects, council_effects
from tfrules.data.synth.calendar import NO_DATE, Term, Window, terms_between
from tfrules.data.synth.frames import Raw, household_ids, person_ids, to_frame
from tfrules.data.synth.households import draw_population
from tfrules.data.synth.rates import Rates
from tfrules.data.synth.schema import TABLE_NAMES, empty_frame

#: Households per random stream. Chunk sizes are whole numbers of blocks.
BLOCK_SIZE = 25_000

DEFAULT_RATES = Rates()


@dataclass(frozen=True)
class Plan:
    """Everything a block needs besides its index: fixed for one data set."""

    households: int
    seed: int
    councils: CouncilEffects
    window: Window
    rates: Rates
    terms: tuple[Term, ...]

    @property
    def blocks(self) -> int:
        return -(-self.households // BLOCK_SIZE)

    def block_households(self, block: int) -> int:
        return min(BLOCK_SIZE, self.households - block * BLOCK_SIZE)


def make_plan(
    households: int,
    seed: int,
    la_codes: Sequence[str] = DEFAULT_LA_CODES,
    *,
    start: date = date(2012, 4, 1),
    end: date = date(2015, 3, 31),
    events_from: date = date(2010, 1, 1),
    events_to: date = date(2016, 12, 31),
    rates: Rates = DEFAULT_RATES,
) -> Plan:
    if households < 0:
        raise ValueError(f"households must be >= 0, got {households}")
    if households >= 10**9:
        raise ValueError("at most 999,999,999 households (ids are 9 digits)")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    window = Window(events_from=events_from, events_to=events_to, attach_from=start, attach_to=end)
    return Plan(
        households=households,
        seed=seed,
        councils=council_effects(la_codes, seed, rates.council_spread),
        window=window,
        rates=rates,
        terms=terms_between(events_from, events_to),
    )


def generate_block(plan: Plan, block: int) -> dict[str, pl.DataFrame]:
    """Every table for block ``block`` of ``plan``."""
    n = plan.block_households(block)
    rng = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(plan.seed, spawn_key=(block,)))
    )
    window, rates = plan.window, plan.rates
    pop = draw_population(rng, n, plan.councils, window, rates)

    offences = events.offences(rng, pop, window, rates)
    raw: dict[str, Raw] = {
        "offences": offences,
        "asb": events.asb(rng, pop, window, rates),
        "custody": events.custody(rng, offences, pop, window, rates),
        "police_incidents": events.police_incidents(rng, pop, window, rates),
        "health": events.health(rng, pop, window, rates),
        "social_care": events.social_care(rng, pop, window, rates),
        "housing": events.housing(rng, pop, window, rates),
        "school_terms": school.school_terms(rng, pop, rates, plan.terms),
    }
    w = work.work_tables(rng, pop, window, rates)
    raw["benefit_claims"] = w.benefit_claims
    raw["employment_spells"] = w.employment_spells
    raw["work_referrals"] = w.work_referrals

    if rates.attached_share is None:  # in a results cohort every attachment stands
        pop = pop.with_attachment(
            attachment.confirmed(rng, pop, raw, plan.terms, rates.attach_two, rates.attach_other)
        )
    raw["claims"] = ledger.claims(
        rng,
        pop,
        window,
        rates,
        w.job_after_attachment & pop.attached,
        w.referred_after_attachment & pop.attached,
    )
    raw["households"] = {
        "household_id": np.arange(n, dtype=np.int64),
        "la_code": pop.la,
        "attached_on": np.where(pop.attached, pop.attached_on, NO_DATE),
    }
    raw["persons"] = {
        "person_id": np.arange(pop.persons, dtype=np.int64),
        "household_id": pop.person_household,
        "date_of_birth": pop.dob,
    }

    first_number = block * BLOCK_SIZE + 1
    lookups = {
        "household_id": household_ids(first_number, n),
        "person_id": person_ids(first_number + pop.person_household, pop.member),
        "la_code": pl.Series("la_code", plan.councils.codes, dtype=pl.String),
    }
    return {table: to_frame(table, raw[table], lookups) for table in TABLE_NAMES}


def iter_blocks(
    plan: Plan, first: int = 0, stop: int | None = None
) -> Iterator[dict[str, pl.DataFrame]]:
    for block in range(first, plan.blocks if stop is None else min(stop, plan.blocks)):
        yield generate_block(plan, block)


def concat_blocks(parts: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """One frame per table from per-block frames, in block order."""
    if not parts:
        return {table: empty_frame(table) for table in TABLE_NAMES}
    return {
        table: pl.concat([p[table] for p in parts], how="vertical", rechunk=False)
        for table in TABLE_NAMES
    }


def generate(
    households: int,
    seed: int,
    la_codes: Sequence[str] = DEFAULT_LA_CODES,
    *,
    start: date = date(2012, 4, 1),
    end: date = date(2015, 3, 31),
    events_from: date = date(2010, 1, 1),
    events_to: date = date(2016, 12, 31),
    rates: Rates = DEFAULT_RATES,
) -> dict[str, pl.DataFrame]:
    """Every table of docs/data-model.md for ``households`` synthetic households.

    The households represent families known to children's and family services
    in ``la_codes``; ``start..end`` is when families can be attached (phase 1's
    financial years 2012-2014) and ``events_from..events_to`` the span of event
    dates. The same arguments always give identical frames.
    """
    plan = make_plan(
        households,
        seed,
        la_codes,
        start=start,
        end=end,
        events_from=events_from,
        events_to=events_to,
        rates=rates,
    )
    return concat_blocks(list(iter_blocks(plan)))
