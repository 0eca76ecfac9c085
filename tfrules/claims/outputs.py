"""Writing a claim return: the new ledger rows (`claims.csv`, in the columns of
the canonical claims table), each council's return (CSV and Excel), the
overclaims listed apart, and the internal-audit sample with its evidence."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import xlsxwriter

from tfrules.claims.audit_sample import SampleSize, write_audit_sample
from tfrules.claims.claim_return import (
    CLAIMED,
    HELD_BACK,
    NOT_YET,
    OVERCLAIMED,
    ClaimReturn,
)
from tfrules.data.councils import COUNCIL_NAMES
from tfrules.data.load import Dataset
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.atomic import staged_folder

SHEETS = (
    ("Claims", CLAIMED),
    ("Held back", HELD_BACK),
    ("Not yet claimable", NOT_YET),
    ("Overclaims", OVERCLAIMED),
)


def return_name(code: str) -> str:
    """`E08000035-leeds`: the file name of a council's return, without suffix."""
    name = COUNCIL_NAMES.get(code, "")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{code}-{slug}" if slug else code


def _write_workbook(
    path: Path, summary: pl.DataFrame, lines: pl.DataFrame, claim_date: dt.date
) -> None:
    """The return as a workbook; dated by the claim date, never the clock, so the
    same return is the same file byte for byte (an audit bundle compares hashes)."""
    figures = summary.drop("council").transpose(include_header=True, column_names=["value"])
    figures = figures.rename({"column": "figure"}).with_columns(pl.col("value").cast(pl.String))
    with xlsxwriter.Workbook(path) as workbook:
        workbook.set_properties(
            {"created": dt.datetime.combine(claim_date, dt.time()), "title": path.stem}
        )
        figures.write_excel(workbook, worksheet="Summary", autofit=True)
        for sheet, status in SHEETS:
            part = lines.filter(pl.col("status") == status).drop("status")
            part.write_excel(workbook, worksheet=sheet, autofit=True)


def write_claim_return(
    claim: ClaimReturn,
    dataset: Dataset,
    out: Path,
    *,
    sample: SampleSize,
    seed: int,
    local: Mapping[str, CheckedRuleset],
) -> list[Path]:
    """Write everything into `out`, all or nothing; the paths written, relative to it."""
    council = claim.council_column
    with staged_folder(out) as staging:
        claim.ledger.write_csv(staging / "claims.csv")
        claim.summary.write_csv(staging / "summary.csv")
        claim.lines.filter(pl.col("status") == OVERCLAIMED).drop("status", "claim").write_csv(
            staging / "overclaims.csv"
        )
        (staging / "returns").mkdir()
        for code in claim.councils:
            name = return_name(code)
            lines = claim.for_council(code)
            lines.write_csv(staging / "returns" / f"{name}.csv")
            summary = claim.summary.filter(pl.col(council) == code)
            _write_workbook(staging / "returns" / f"{name}.xlsx", summary, lines, claim.as_of)
        write_audit_sample(claim, dataset, staging / "audit-sample", sample, seed, local)
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
    return written
