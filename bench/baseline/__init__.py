"""Hand-written lazy Polars baseline for the phase 1 rules (see README.md)."""

from .phase1 import DETAIL_COLUMNS, OUTPUT_COLUMNS, Params, phase1

__all__ = ["DETAIL_COLUMNS", "OUTPUT_COLUMNS", "Params", "phase1"]
