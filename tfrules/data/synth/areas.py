"""Local authorities the synthetic households live in, and per-council variation.

The National Audit Office found results varying widely between councils; a
dashboard built on synthetic data should show that too, so each council gets a
small, deterministic shift in need, attachment rate and turnaround rate.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tfrules.data.councils import COUNCIL_NAMES

#: The councils synthetic households are spread over by default.
LA_NAMES: dict[str, str] = {
    code: COUNCIL_NAMES[code]
    for code in ("E08000035", "E10000012", "E09000002", "E10000008", "E08000021", "E08000003")
}

DEFAULT_LA_CODES: tuple[str, ...] = tuple(LA_NAMES)


@dataclass(frozen=True)
class CouncilEffects:
    """Per-council multipliers, aligned with the ``la_codes`` passed to ``generate``."""

    codes: tuple[str, ...]
    #: Added to every household's latent need score (standard-normal units).
    need_shift: np.ndarray
    #: Multiplies the probability that a household is attached to the programme.
    attach_factor: np.ndarray
    #: Added to the logit of an attached household responding to the work.
    response_shift: np.ndarray


def council_effects(codes: Sequence[str], seed: int, spread: float) -> CouncilEffects:
    """Deterministic per-council effects from (seed, code) alone.

    Deriving each council's draw from its own code (not its position) means adding
    or reordering councils does not change the others' character.
    """
    codes = tuple(codes)
    if not codes:
        raise ValueError("la_codes must name at least one local authority")
    if len(set(codes)) != len(codes):
        raise ValueError("la_codes must not repeat a code")
    need, attach, response = [], [], []
    for code in codes:
        entropy = [seed, zlib.crc32(code.encode())]
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))
        need.append(rng.normal(0.0, spread))
        attach.append(float(np.exp(rng.normal(0.0, 2 * spread))))
        response.append(rng.normal(0.0, 3 * spread))
    return CouncilEffects(
        codes=codes,
        need_shift=np.array(need),
        attach_factor=np.array(attach),
        response_shift=np.array(response),
    )
