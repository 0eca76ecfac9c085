"""Vectorised sampling helpers shared by the table generators.

Everything works on whole NumPy arrays; "one row per parent, ``counts[i]``
children each" is always expressed with ``np.repeat`` and cumulative offsets
rather than a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from tfrules.data.synth.calendar import Days

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def expit(x: Floats | float) -> Floats:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def need_factor(need: Floats, beta: float) -> Floats:
    """``exp(beta * need - beta**2 / 2)``: mean 1 over a standard-normal need,
    so a base rate stays the population mean while need concentrates events."""
    return np.exp(beta * need - 0.5 * beta * beta)


def expand(counts: Ints) -> tuple[Ints, Ints]:
    """For ``counts[i]`` children of parent ``i``: each child's parent and its
    position (0-based) among its siblings."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(parent.size, dtype=np.int64) - starts[parent]
    return parent, position


def categorical(rng: np.random.Generator, probs: Sequence[float], size: int) -> Ints:
    """Indices drawn with the given probabilities (normalised)."""
    cum = np.cumsum(np.asarray(probs, dtype=np.float64))
    return np.searchsorted(cum / cum[-1], rng.random(size), side="right").astype(np.int64)


def categorical_rows(rng: np.random.Generator, probs: npt.NDArray[np.float64]) -> Ints:
    """One index per row of ``probs`` (shape rows x categories, rows normalised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(probs.shape[0])[:, None] * cum[:, -1:]
    return np.minimum((u >= cum).sum(axis=1), probs.shape[1] - 1).astype(np.int64)


def lognormal_days(
    rng: np.random.Generator, median: Floats | float, sigma: float, size: int
) -> Ints:
    """Durations in whole days (at least 1) with the given median."""
    return np.maximum(1, np.rint(median * np.exp(sigma * rng.standard_normal(size)))).astype(
        np.int64
    )


def uniform_days(rng: np.random.Generator, first: Days | int, last: Days | int, size: int) -> Ints:
    """Whole days uniformly in ``first..last`` inclusive (arrays broadcast)."""
    span = np.asarray(last, dtype=np.int64) - np.asarray(first, dtype=np.int64) + 1
    return np.asarray(first, dtype=np.int64) + np.floor(rng.random(size) * span).astype(np.int64)


def crisis_days(
    rng: np.random.Generator,
    crisis: Days,
    first: int,
    last: int,
    share: float,
    sd_days: float,
) -> Ints:
    """Event dates in ``first..last``: a ``share`` clustered around each event's
    household crisis date (normal, ``sd_days``), the rest uniform.

    Clustering in time is what makes a family's problems co-occur at a given
    date (the programme's premise), not merely over the whole seven years.
    """
    n = crisis.size
    uniform = uniform_days(rng, first, last, n)
    near = np.rint(crisis + sd_days * rng.standard_normal(n)).astype(np.int64)
    use_near = (rng.random(n) < share) & (near >= first) & (near <= last)
    return np.where(use_near, near, uniform)


def poisson_counts(rng: np.random.Generator, lam: Floats) -> Ints:
    return rng.poisson(np.maximum(lam, 0.0)).astype(np.int64)
