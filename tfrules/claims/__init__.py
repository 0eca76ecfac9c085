"""Payment-by-results claims: the claim return of a programme at a claim date,
its new ledger rows, and the internal-audit sample with its evidence pages."""

from tfrules.claims.claim_return import ClaimReturn, make_claims
from tfrules.claims.schemes import SchemeError, scheme_for

__all__ = ["ClaimReturn", "SchemeError", "make_claims", "scheme_for"]
