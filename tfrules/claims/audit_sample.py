"""The internal-audit sample of a claim return: a reproducible, seeded sample of
the families claimed for, stratified by council and kind of claim, each with an
evidence page (HTML) an auditor can check the claim against: the explanation
with the records that decided it, the parameters, and the ruleset (with the
SHA-256 of each of its files)."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from pathlib import Path

import attrs
import numpy as np
import polars as pl

from tfrules import api
from tfrules.audit.rule_files import file_digest, rule_files
from tfrules.claims.claim_return import CLAIMED, ClaimReturn
from tfrules.data.councils import council_name
from tfrules.data.load import Dataset
from tfrules.interpret.explain import explain_household, render_text, show
from tfrules.model.ruleset import CheckedRuleset
from tfrules.report.ruleset_doc import param_value_text
from tfrules.run.councils import APPLIED


@attrs.frozen
class SampleSize:
    """A share of each stratum (at least one family of each), or a number of families."""

    share: float | None = None
    count: int | None = None

    def of(self, size: int) -> int:
        if self.count is not None:
            return min(self.count, size)
        share = self.share if self.share is not None else 0.02
        return min(size, max(1, math.ceil(share * size)))


def draw_sample(claim: ClaimReturn, size: SampleSize, seed: int) -> pl.DataFrame:
    """The sampled claims: council, household_id, claim, amount. The same claim
    return, size and seed always draw the same families."""
    council = claim.council_column
    claimed = (
        claim.lines.filter(pl.col("status") == CLAIMED)
        .select(council, "household_id", "claim", "amount")
        .sort(council, "claim", "household_id")
    )
    draws = np.random.default_rng(seed).random(claimed.height)
    ranked = claimed.with_columns(pl.Series("draw", draws)).with_columns(
        pl.col("draw").rank("ordinal").over(council, "claim").alias("rank"),
        pl.len().over(council, "claim").alias("stratum"),
    )
    wanted = {n: size.of(n) for n in ranked["stratum"].unique().to_list()}
    return (
        ranked.filter(
            pl.col("rank") <= pl.col("stratum").replace_strict(wanted, return_dtype=pl.UInt32)
        )
        .drop("draw", "rank", "stratum")
        .sort(council, "claim", "household_id")
    )


def _ruleset_for(
    household: str, claim: ClaimReturn, local: Mapping[str, CheckedRuleset]
) -> CheckedRuleset:
    if APPLIED in claim.results.columns:
        key = claim.ruleset.schema.households.key or "household_id"
        applied = claim.results.filter(pl.col(key) == household)[APPLIED].item()
        return local.get(applied, claim.ruleset)
    return claim.ruleset


def evidence_page(
    claim: ClaimReturn,
    dataset: Dataset,
    household: str,
    claims: pl.DataFrame,
    local: Mapping[str, CheckedRuleset],
) -> str:
    """One sampled family's evidence page (a standalone HTML document)."""
    ruleset = _ruleset_for(household, claim, local)
    scheme = claim.scheme
    found = api.household(ruleset, dataset, household)
    assert found is not None
    rules = [scheme.payment_due, scheme.already_claimed]
    for kind in scheme.kinds:
        if kind.claim in claims["claim"].to_list():
            rules += [kind.measure, *(c for way in kind.conditions for c in way)]
    rules = list(dict.fromkeys(rules))
    explanation = explain_household(ruleset, found, claim.as_of, rules)
    e = html.escape
    council = claim.council_column
    code = claims[council][0]
    money = ruleset.rules[scheme.payment_due].type
    rows = "".join(
        f"<tr><td>{e(r['claim'])}</td><td class=n>{e(show(r['amount'], money))}</td></tr>"
        for r in claims.iter_rows(named=True)
    )
    values = "".join(
        f"<tr><td><code>{e(r.rule)}</code></td><td>{e(r.title or '')}</td>"
        f"<td>{e(show(r.value, ruleset.rules[r.rule].type))}</td><td>{e(r.layer)}</td></tr>"
        for r in explanation.rules
    )
    params = "".join(
        f"<tr><td><code>{e(name)}</code></td><td>{e(info.title or '')}</td>"
        f"<td>{e(param_value_text(info))}</td><td>{e(info.layer)}</td></tr>"
        for name, info in explanation.params.items()
    )
    files = "".join(
        f"<tr><td><code>{e(name)}</code></td><td>{e(path.name)}</td>"
        f"<td><code>{file_digest(path)}</code></td></tr>"
        for name, path in rule_files(ruleset).items()
    )
    trace = render_text(explanation, ruleset, depth=6)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Evidence: household {e(household)}, claim of {claim.as_of}</title>
<style>{_STYLE}</style></head><body>
<h1>Evidence for the claim for household {e(household)}</h1>
<p>{e(council_name(code))}; {e(scheme.title)}; claim date {claim.as_of}; decided by the ruleset
<code>{e(ruleset.name)}</code>.</p>
<h2>Claimed now</h2>
<table><tr><th>claim</th><th>amount</th></tr>{rows}</table>
<h2>The values that decided it</h2>
<table><tr><th>rule</th><th>meaning</th><th>value</th><th>defined in</th></tr>{values}</table>
<h2>Parameters used</h2>
<table><tr><th>parameter</th><th>meaning</th><th>value</th><th>set in</th></tr>{params}</table>
<h2>The ruleset</h2>
<table><tr><th>ruleset</th><th>file</th><th>SHA-256</th></tr>{files}</table>
<h2>How each value was reached, with the records that decided it</h2>
<pre>{e(trace)}</pre>
</body></html>
"""


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45}table{border-collapse:collapse;margin:.5rem 0}"
    "td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "td.n{text-align:right}pre{background:#f4f4f4;padding:1rem;overflow-x:auto;font-size:.85rem}"
)


def write_audit_sample(
    claim: ClaimReturn,
    dataset: Dataset,
    folder: Path,
    size: SampleSize,
    seed: int,
    local: Mapping[str, CheckedRuleset],
) -> pl.DataFrame:
    """Write `sample.csv` and one evidence page per sampled family into `folder`."""
    sample = draw_sample(claim, size, seed)
    folder.mkdir(parents=True, exist_ok=True)
    pages: list[str] = []
    for (household,), claims in sample.group_by("household_id", maintain_order=True):
        name = f"{household}.html"
        page = evidence_page(claim, dataset, str(household), claims, local)
        (folder / name).write_text(page, encoding="utf-8")
        pages.append(name)
    with_pages = sample.with_columns(
        (pl.col("household_id") + ".html").alias("evidence"),
        pl.lit(seed).alias("seed"),
    )
    with_pages.write_csv(folder / "sample.csv")
    return with_pages
