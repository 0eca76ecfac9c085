"""The claim return of a programme at a claim date: what each council can claim
now, by kind; the families who cannot claim yet and why; the overclaims.

    from tfrules.claims import make_claims
    claim = make_claims(rules, data, "2015-03-31", local=locals_)
    claim.ledger          # new rows for the claims table, adding up to payment_due
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import polars as pl

from tfrules.check.usage import required_columns
from tfrules.claims.ledger import MONEY, allocate, cap_amount, claimed_by_kind, ledger_rows
from tfrules.claims.reasons import unknown_causes
from tfrules.claims.schemes import ClaimKind, ClaimScheme, scheme_for
from tfrules.compile.plan import build_plan
from tfrules.data.councils import council_name
from tfrules.data.load import Dataset, load_dataset
from tfrules.data.validate import validate
from tfrules.model.mapping import CheckedMapping
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.councils import APPLIED, plan_councils

CLAIMS_TABLE = "claims"

#: Status of a line of a council's return.
CLAIMED, NOT_YET, HELD_BACK, OVERCLAIMED = (
    "claimed now",
    "not yet claimable",
    "held back",
    "overclaimed",
)


@attrs.frozen
class ClaimReturn:
    scheme: ClaimScheme
    ruleset: CheckedRuleset
    as_of: dt.date
    council_column: str
    #: every household: its key, council, the rules the return reads
    results: pl.DataFrame
    #: the programme's households with, per kind, due / claimed / short / claim columns
    allocated: pl.DataFrame
    #: the new rows of the claims table (household_id, claimed_on, claim, amount)
    ledger: pl.DataFrame
    #: one line per household and kind: council, household_id, claim, status, amount, reason
    lines: pl.DataFrame
    #: per council: the figures of its return
    summary: pl.DataFrame

    @property
    def councils(self) -> list[str]:
        return sorted(self.lines[self.council_column].unique().to_list())

    def for_council(self, council: str) -> pl.DataFrame:
        return self.lines.filter(pl.col(self.council_column) == council)


def load_claims_data(
    rulesets: Sequence[CheckedRuleset],
    source: object,
    *,
    mapping: CheckedMapping | None = None,
    connections: Mapping[str, str] | None = None,
) -> Dataset:
    """Load and validate what the rules read, and the whole claims ledger (its
    `claim` column too, which the rules themselves never read), through the
    mapping of a council's own extract if one is given. Raises DataError."""
    if isinstance(source, Dataset):
        return source
    required: dict[str, set[str]] = {}
    for each in rulesets:
        for table, columns in required_columns(each).items():
            required.setdefault(table, set()).update(columns)
    schema = rulesets[0].schema
    ledger = schema.table(CLAIMS_TABLE)
    if ledger is not None:
        required.setdefault(CLAIMS_TABLE, set()).update(c.name for c in ledger.columns)
    dataset = load_dataset(
        source,  # type: ignore[arg-type]
        schema,
        required,
        mapping=mapping,
        connections=connections,
    )
    validate(dataset)
    return dataset


def make_claims(
    ruleset: CheckedRuleset,
    dataset: Dataset,
    as_of: dt.date,
    *,
    local: Sequence[CheckedRuleset] = (),
) -> ClaimReturn:
    """The claim return of `ruleset`'s programme at the claim date `as_of`.

    `ruleset` is a national ruleset (with the councils' `local` rulesets, each
    for its own households) or one council's ruleset. Raises SchemeError for a
    ruleset with no claims, CouncilError for local rulesets that clash.
    """
    scheme = scheme_for(ruleset)
    schema = ruleset.schema
    key = schema.households.key or "household_id"
    council = schema.council_column or "la_code"
    rules = scheme.rules()

    def evaluate(
        frames: Mapping[str, pl.LazyFrame],
        missing: frozenset[str],
        fixed: Mapping[str, object] | None,
    ) -> pl.LazyFrame:
        if local:
            return plan_councils(ruleset, local, frames, as_of, missing=missing, rules=rules).plan
        return build_plan(ruleset, frames, as_of, missing=missing, rules=rules, fixed=fixed)

    def national_only(
        frames: Mapping[str, pl.LazyFrame],
        missing: frozenset[str],
        fixed: Mapping[str, object] | None,
    ) -> pl.LazyFrame:
        return build_plan(ruleset, frames, as_of, missing=missing, rules=rules, fixed=fixed)

    results = evaluate(dataset.frames, dataset.missing_tables, None).collect()
    if APPLIED in results.columns:
        no_local = results[APPLIED] == ruleset.name
    else:
        no_local = pl.Series([bool(ruleset.abstract_rules)] * results.height)
    claims = dataset.frames.get(CLAIMS_TABLE)
    if claims is None:
        claims = pl.LazyFrame(
            schema={"household_id": pl.String, "claim": pl.String, "claimed_on": pl.Date}
        ).with_columns(pl.lit(None, dtype=MONEY).alias("amount"))
    claimed = claimed_by_kind(claims, scheme, as_of, key)
    allocated = allocate(results, claimed, scheme, key, cap_amount(ruleset, scheme, as_of))
    ledger = ledger_rows(allocated, scheme, key, as_of)
    criteria = list(dict.fromkeys(c for k in scheme.kinds for way in k.conditions for c in way))
    causes = unknown_causes(
        evaluate, national_only, dataset, ruleset, criteria, results, key, no_local
    )
    lines = _lines(allocated, causes, scheme, key, council)
    return ClaimReturn(
        scheme,
        ruleset,
        as_of,
        council,
        results,
        allocated,
        ledger,
        lines,
        _summary(lines, scheme, council),
    )


# ---------------------------------------------------------------- the return's lines


def _criterion_text(criterion: str, causes: pl.Expr) -> pl.Expr:
    """`education_result unknown (records incomplete in school_terms)`."""
    return pl.concat_str(pl.lit(f"{criterion} unknown ("), causes.list.join("; "), pl.lit(")"))


def _not_yet_reason(kind: ClaimKind, causes_of: dict[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
    """(reason, detail) for a family that cannot claim `kind` yet: the condition
    false (which criteria), or unknown (which criteria, and the missing data)."""
    all_false: pl.Expr = pl.lit(True)
    false_texts: list[pl.Expr] = []
    unknown_texts: list[pl.Expr] = []
    for way in kind.conditions:
        way_false = pl.lit(False)
        for criterion in way:
            is_false = pl.col(criterion).eq_missing(False)
            way_false = way_false | is_false
            false_texts.append(pl.when(is_false).then(pl.lit(f"{criterion} false")))
            unknown_texts.append(
                pl.when(pl.col(criterion).is_null()).then(
                    _criterion_text(criterion, causes_of[criterion])
                )
            )
        all_false = all_false & way_false
    reason = (
        pl.when(all_false)
        .then(pl.lit("condition false"))
        .when(pl.any_horizontal(*(t.is_not_null() for t in unknown_texts)))
        .then(pl.lit("unknown: missing data"))
        .otherwise(pl.lit("nothing due for it"))
    )
    detail = (
        pl.when(all_false)
        .then(pl.concat_str(false_texts, separator="; ", ignore_nulls=True))
        .otherwise(pl.concat_str(unknown_texts, separator="; ", ignore_nulls=True))
    )
    if kind.superseded_by:
        paid_instead = pl.col(kind.superseded_by).eq_missing(True)
        reason = pl.when(paid_instead).then(pl.lit("paid as another claim")).otherwise(reason)
        detail = pl.when(paid_instead).then(pl.lit(f"{kind.superseded_by} true")).otherwise(detail)
    return reason, detail


def _lines(
    allocated: pl.DataFrame,
    causes: pl.DataFrame,
    scheme: ClaimScheme,
    key: str,
    council: str,
) -> pl.DataFrame:
    renamed = causes.rename({c: f"causes:{c}" for c in causes.columns if c != key})
    frame = allocated.join(renamed, on=key, how="left", maintain_order="left")
    causes_of = {c: pl.col(f"causes:{c}") for c in causes.columns if c != key}
    attached = pl.col(scheme.attached).fill_null(False)
    parts: list[pl.DataFrame] = []
    base = [pl.col(council), pl.col(key).alias("household_id")]
    for kind in scheme.kinds:
        k = kind.claim
        claim, short = pl.col(f"claim:{k}"), pl.col(f"short:{k}")
        due, claimed = pl.col(f"due:{k}"), pl.col(f"claimed:{k}")
        reason, detail = _not_yet_reason(kind, causes_of)
        held_reason = pl.lit(
            "the cap or an earlier overpayment of another claim leaves less to pay"
        )
        status = (
            pl.when(claim > 0)
            .then(pl.lit(CLAIMED))
            .when(short > claim)
            .then(pl.lit(HELD_BACK))
            .when(attached & (due == 0) & (claimed == 0))
            .then(pl.lit(NOT_YET))
        )
        parts.append(
            frame.select(
                *base,
                pl.lit(k).alias("claim"),
                status.alias("status"),
                pl.when(claim > 0).then(claim).otherwise(short - claim).alias("amount"),
                pl.when(status == NOT_YET)
                .then(reason)
                .when(status == HELD_BACK)
                .then(held_reason)
                .alias("reason"),
                pl.when(status == NOT_YET).then(detail).alias("detail"),
            ).filter(pl.col("status").is_not_null())
        )
    parts.append(
        frame.filter(pl.col("overclaimed") > 0).select(
            *base,
            pl.lit("all").alias("claim"),
            pl.lit(OVERCLAIMED).alias("status"),
            pl.col("overclaimed").alias("amount"),
            pl.lit("already claimed more than the rules now say is due: to be repaid").alias(
                "reason"
            ),
            pl.format(
                "claimed {}, due {}",
                pl.col("claimed:all"),
                pl.col("claimed:all") - pl.col("overclaimed"),
            ).alias("detail"),
        )
    )
    lines = pl.concat(parts, how="vertical_relaxed")
    order = {s: i for i, s in enumerate((CLAIMED, HELD_BACK, NOT_YET, OVERCLAIMED))}
    return lines.sort(
        council,
        pl.col("status").replace_strict(order, return_dtype=pl.Int32),
        "claim",
        "household_id",
    )


def _summary(lines: pl.DataFrame, scheme: ClaimScheme, council: str) -> pl.DataFrame:
    """Per council: families and amount claimed now by kind, held back, not yet
    claimable (false / unknown), and overclaimed."""
    figures: list[pl.Expr] = []
    for kind in scheme.kinds:
        mine = (pl.col("claim") == kind.claim) & (pl.col("status") == CLAIMED)
        figures += [
            mine.sum().alias(f"{kind.claim}: families"),
            pl.col("amount").filter(mine).sum().cast(MONEY).alias(f"{kind.claim}: amount"),
        ]
    claimed = pl.col("status") == CLAIMED
    not_yet = pl.col("status") == NOT_YET
    figures += [
        pl.col("household_id").filter(claimed).n_unique().alias("families claimed for"),
        pl.col("amount").filter(claimed).sum().cast(MONEY).alias("claimed now"),
        pl.col("amount").filter(pl.col("status") == HELD_BACK).sum().cast(MONEY).alias("held back"),
        (not_yet & (pl.col("reason") == "condition false")).sum().alias("not yet: condition false"),
        (not_yet & pl.col("reason").str.starts_with("unknown")).sum().alias("not yet: unknown"),
        (pl.col("status") == OVERCLAIMED).sum().alias("families overclaimed"),
        pl.col("amount")
        .filter(pl.col("status") == OVERCLAIMED)
        .sum()
        .cast(MONEY)
        .alias("overclaimed"),
    ]
    table = lines.group_by(council).agg(figures).sort(council)
    return table.with_columns(
        pl.col(council)
        .replace_strict({c: council_name(c) for c in table[council].to_list()})
        .alias("council")
    ).select("council", pl.exclude("council"))
