"""Households and their members: composition, ages, latent need, attachment.

A ``Population`` is the NumPy skeleton every event generator hangs rows on:
per household its council, latent need, crisis date and attachment; per
person its household, role and date of birth.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

import numpy as np

from tfrules.data.synth.areas import CouncilEffects
from tfrules.data.synth.calendar import YEAR_DAYS, Days, Window
from tfrules.data.synth.draws import Bools, Floats, Ints, categorical, expand, expit
from tfrules.data.synth.rates import Rates


class Role(enum.IntEnum):
    """A member's place in the household; members are stored in this order."""

    PARENT = 0
    SECOND_PARENT = 1
    ADULT_CHILD = 2
    CHILD = 3
    GRANDPARENT = 4


@dataclass(frozen=True)
class Population:
    """Households ``0..n-1`` of one block and their members.

    ``first_person[h]`` and ``size[h]`` locate household ``h``'s members in the
    person arrays (members are contiguous, parents first).
    """

    la: Ints
    need: Floats
    crisis: Days
    attached: Bools
    attached_on: Days
    responds: Bools
    lone_parent: Bools
    size: Ints
    first_person: Ints
    person_household: Ints
    member: Ints
    role: Ints
    dob: Days

    @property
    def households(self) -> int:
        return int(self.la.size)

    @property
    def persons(self) -> int:
        return int(self.dob.size)

    def with_attachment(self, attached: Bools) -> Population:
        """The same population with attachment withdrawn where ``attached`` is false."""
        return replace(self, attached=attached, responds=self.responds & attached)


def _ages_to_dob(rng: np.random.Generator, reference: int, ages: Floats) -> Days:
    """Dates of birth for ages (in fractional years) at the reference day.

    A continuous age gives every calendar day, 29 February included, its
    natural share of birthdays.
    """
    return reference - np.floor(ages * YEAR_DAYS + rng.random(ages.size)).astype(np.int64)


def draw_population(
    rng: np.random.Generator,
    households: int,
    councils: CouncilEffects,
    window: Window,
    rates: Rates,
) -> Population:
    n = households
    la = rng.integers(0, len(councils.codes), n).astype(np.int64)
    need = rng.standard_normal(n) + councils.need_shift[la]
    crisis = np.floor(
        window.first - 180 + rng.random(n) * (window.last - window.first + 360)
    ).astype(np.int64)

    # Composition: 1-2 parents, 0-5 children, sometimes adult children, a grandparent.
    lone = rng.random(n) < rates.lone_parent
    parents = np.where(lone, 1, 2).astype(np.int64)
    has_children = rng.random(n) >= rates.no_children
    children = np.where(has_children, 1 + categorical(rng, rates.children, n), 0)
    adult_children = categorical(rng, rates.adult_children, n)
    # Most households without a child under 18 have an adult child at home; the
    # rest are adults alone or couples (e.g. a parent whose children are in care).
    with_adult_child = ~has_children & (rng.random(n) < 0.6)
    adult_children = np.where(with_adult_child, np.maximum(adult_children, 1), adult_children)
    grandparents = (rng.random(n) < rates.grandparent).astype(np.int64)
    adult_children = np.minimum(adult_children, 8 - parents - grandparents - 1)
    children = np.minimum(children, 8 - parents - grandparents - adult_children)
    size = parents + adult_children + children + grandparents

    person_household, position = expand(size)
    # Role by position: parents, then adult children, then children, then grandparent.
    c1 = parents[person_household]
    c2 = c1 + adult_children[person_household]
    c3 = c2 + children[person_household]
    role = np.select(
        [position == 0, position < c1, position < c2, position < c3],
        [Role.PARENT, Role.SECOND_PARENT, Role.ADULT_CHILD, Role.CHILD],
        Role.GRANDPARENT,
    ).astype(np.int64)

    # Ages at the reference date (the programme's start).
    mean, sd, low, high = rates.parent_age
    adult_child_age = 17.0 + 6.0 * rng.random(person_household.size)
    oldest_adult_child = np.zeros(n)
    is_ac = role == Role.ADULT_CHILD
    np.maximum.at(oldest_adult_child, person_household[is_ac], adult_child_age[is_ac])
    parent_age = np.clip(mean + sd * rng.standard_normal(n), low, high)
    parent_age = np.where(
        oldest_adult_child > 0,
        np.maximum(parent_age, oldest_adult_child + 17.0 + 8.0 * rng.random(n)),
        parent_age,
    )
    hh_parent_age = parent_age[person_household]
    young, old = rates.child_age
    child_age = young + rng.random(person_household.size) * (
        np.minimum(old, hh_parent_age - 16.0) - young
    )
    second_parent_age = np.clip(
        hh_parent_age + 2.5 + 4.0 * rng.standard_normal(hh_parent_age.size), 18.0, 66.0
    )
    grandparent_age = np.minimum(hh_parent_age + 19.0 + 11.0 * rng.random(hh_parent_age.size), 88.0)
    age = np.choose(
        role,
        [hh_parent_age, second_parent_age, adult_child_age, child_age, grandparent_age],
    )
    dob = _ages_to_dob(rng, window.reference, age)

    first_person = np.cumsum(size) - size

    # Attachment: likelier with need; near the family's crisis when that falls in
    # the programme's years, otherwise any time in them.
    attach_first, attach_last = window.attach_first, window.attach_last
    p_attach = np.minimum(
        1.0, expit(rates.attach[0] + rates.attach[1] * need) * councils.attach_factor[la]
    )
    attached = (rng.random(n) < p_attach) & (children + adult_children > 0)
    if rates.attached_share is not None:  # a results cohort
        attached = rng.random(n) < rates.attached_share
    near = np.rint(crisis + 120.0 * rng.standard_normal(n)).astype(np.int64)
    anywhere = attach_first + np.floor(rng.random(n) * (attach_last - attach_first + 1)).astype(
        np.int64
    )
    attached_on = np.where((near >= attach_first) & (near <= attach_last), near, anywhere)
    responds = attached & (rng.random(n) < expit(rates.respond + councils.response_shift[la]))

    return Population(
        la=la,
        need=need,
        crisis=crisis,
        attached=attached,
        attached_on=attached_on,
        responds=responds,
        lone_parent=lone,
        size=size,
        first_person=first_person,
        person_household=person_household,
        member=position + 1,
        role=role,
        dob=dob,
    )
