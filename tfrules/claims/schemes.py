"""What a programme's rules say about claims: which measure is due for each kind
of claim (the claims table's `claim` values), what decides it, and which
measures hold the household's already-claimed and still-due totals.

The amounts and conditions themselves live in the rulesets; a scheme only
names the rules, so a claim return never computes money the rules do not.
"""

from __future__ import annotations

import attrs

from tfrules.model.ruleset import CheckedRuleset


class SchemeError(Exception):
    """A ruleset that has no claims (or lacks a rule a claim needs)."""


@attrs.frozen
class ClaimKind:
    #: the value of the claims table's `claim` column
    claim: str
    #: the measure that is the amount due for this kind of claim
    measure: str
    #: the ways it can pay, each a set of criteria that must all be true (read for
    #: the reasons a family cannot claim it yet)
    conditions: tuple[tuple[str, ...], ...]
    #: a criterion that, when true, pays another kind instead of this one
    superseded_by: str | None = None


@attrs.frozen
class ClaimScheme:
    programme: str  # the national ruleset
    title: str
    kinds: tuple[ClaimKind, ...]
    already_claimed: str
    payment_due: str
    #: the criterion that says a family was attached (only they can claim)
    attached: str
    #: the criterion that says a household's claims are this programme's (None: every household's)
    in_programme: str | None
    #: the parameter capping what one family can be paid (None: no cap)
    cap: str | None = None

    @property
    def measures(self) -> list[str]:
        return [k.measure for k in self.kinds]

    def rules(self) -> list[str]:
        """Every rule a claim return reads."""
        names = [self.attached, self.already_claimed, self.payment_due, *self.measures]
        names += [self.in_programme] if self.in_programme else []
        for kind in self.kinds:
            names += [c for way in kind.conditions for c in way]
            names += [kind.superseded_by] if kind.superseded_by else []
        return list(dict.fromkeys(names))


PHASE1 = ClaimScheme(
    programme="national.phase1",
    title="Troubled Families, phase 1 (2012-2015)",
    kinds=(
        ClaimKind("attachment", "attachment_fee", (("identified_at_attachment",),)),
        ClaimKind(
            "results",
            "education_crime_payment",
            (("identified_at_attachment", "education_result", "crime_asb_result"),),
            superseded_by="employment_result",
        ),
        ClaimKind(
            "progress_to_work",
            "progress_payment",
            (("progress_to_work",),),
            superseded_by="employment_result",
        ),
        ClaimKind("employment", "employment_payment", (("employment_result",),)),
    ),
    already_claimed="already_claimed",
    payment_due="payment_due",
    attached="attached",
    in_programme=None,
    cap="payment_cap",
)

PHASE2 = ClaimScheme(
    programme="national.phase2",
    title="Troubled Families, phase 2 (2015-2020)",
    kinds=(
        ClaimKind("attachment", "attachment_fee", (("identified_at_attachment",),)),
        ClaimKind(
            "results",
            "results_payment",
            (("continuous_employment",), ("identified_at_attachment", "significant_progress")),
        ),
    ),
    already_claimed="already_claimed",
    payment_due="payment_due",
    attached="attached",
    in_programme="attached_in_programme",
)

SCHEMES = (PHASE1, PHASE2)


def scheme_for(ruleset: CheckedRuleset) -> ClaimScheme:
    """The claim scheme of the programme the ruleset builds on."""
    for scheme in SCHEMES:
        if scheme.programme in ruleset.chain:
            missing = [r for r in scheme.rules() if r not in ruleset.output_rules]
            if missing:
                raise SchemeError(
                    f"{ruleset.name} builds on {scheme.programme} but has no household rule "
                    + ", ".join(repr(m) for m in missing)
                    + ": a claim return needs the programme's payment rules"
                )
            return scheme
    programmes = " or ".join(s.programme for s in SCHEMES)
    raise SchemeError(
        f"{ruleset.name} has no claims: claims are made under {programmes} "
        "(or a council's ruleset that builds on one of them)"
    )
