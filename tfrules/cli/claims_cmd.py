"""`tfrules claims`: the claim return of a programme at a claim date."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tfrules.cli.common import (
    AUDIT_BUNDLE_HELP,
    DATA_HELP,
    DATABASE_HELP,
    EXIT_OK,
    INCLUDE_HELP,
    MAPPING_HELP,
    PARAM_HELP,
    RULESET_HELP,
    app,
    data_arguments,
    fail,
    load_checked_data,
    load_local_rules,
    load_rules,
    parse_date,
    plain_failures,
    record_run,
)
from tfrules.cli.interrupts import in_worker
from tfrules.cli.output import console

if TYPE_CHECKING:
    from tfrules.claims import ClaimReturn
    from tfrules.claims.audit_sample import SampleSize


def parse_sample(text: str) -> SampleSize:
    """`2%` (a share of each council's claims of each kind) or `5` (a number of each)."""
    from tfrules.claims.audit_sample import SampleSize

    try:
        if text.endswith("%"):
            share = float(text[:-1]) / 100
            if not 0 < share <= 1:
                raise ValueError
            return SampleSize(share=share)
        count = int(text)
        if count < 0:
            raise ValueError
        return SampleSize(count=count)
    except ValueError:
        fail(f"--sample {text!r} is neither a share (2%) nor a number (5)")


@app.command()
def claims(
    ruleset: str = typer.Argument(..., help=RULESET_HELP),
    data: Path = typer.Option(..., "--data", metavar="DIR", help=DATA_HELP),
    as_of: str = typer.Option(
        ..., "--as-of", metavar="CLAIM_DATE", help="The claim date, YYYY-MM-DD."
    ),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="The folder to write into."),
    local: list[Path] = typer.Option(
        [], "--local", metavar="DIR", help="Folders of the councils' local rulesets; repeatable."
    ),
    sample: str = typer.Option(
        "2%",
        "--sample",
        metavar="SHARE|N",
        help="The internal-audit sample: a share of each council's claims of each kind "
        "(2%, at least one) or a number of each (5).",
    ),
    seed: int = typer.Option(
        2012, "--seed", help="Seed of the audit sample: the same seed draws the same families."
    ),
    param: list[str] = typer.Option([], "--param", metavar="NAME=VALUE", help=PARAM_HELP),
    include: list[Path] = typer.Option([], "--include", metavar="DIR", help=INCLUDE_HELP),
    audit_bundle: Path = typer.Option(
        None, "--audit-bundle", metavar="DIR", help=AUDIT_BUNDLE_HELP
    ),
    mapping: Path = typer.Option(None, "--mapping", metavar="FILE", help=MAPPING_HELP),
    database: list[str] = typer.Option(
        [], "--database", metavar="NAME=ADDRESS", help=DATABASE_HELP
    ),
) -> None:
    """The claim return at a claim date, for each council.

    For every council: the families newly claimable by kind of claim
    (attachment, results, progress to work, employment; phase 2's attachment
    and results) with their amounts; what the cap or an earlier overpayment
    holds back; the families not yet claimable and why (a condition false, or
    unknown because of missing data, and which table); and overclaims to be
    repaid, listed apart.

    Writes into --out: claims.csv (the new rows of the claims table, adding
    up exactly to payment_due: append them to the data's claims table and a
    later run claims nothing twice), returns/ (a CSV and an Excel workbook per
    council), overclaims.csv, summary.csv, and audit-sample/ (a seeded sample
    of the claimed families, each with an evidence page).
    """
    from tfrules.audit.manifest import RunArguments
    from tfrules.claims import SchemeError, make_claims
    from tfrules.claims.outputs import write_claim_return

    day = parse_date(as_of)
    size = parse_sample(sample)
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file; give a folder to write the return into")
    checked = load_rules(ruleset, include, param)
    locals_ = load_local_rules(checked, local, include, param) if local else []
    dataset = load_checked_data(
        [checked, *locals_], data, ledger=True, mapping=mapping, databases=database
    )

    def work() -> ClaimReturn:
        made = make_claims(checked, dataset, day, local=locals_)
        write_claim_return(
            made, dataset, out, sample=size, seed=seed, local={r.name: r for r in locals_}
        )
        return made

    try:
        with console(stderr=True).status("working out the claim return"), plain_failures():
            claim = in_worker(work)
    except SchemeError as exc:
        fail(str(exc))
    if audit_bundle is not None:
        arguments = RunArguments(
            "claims",
            (ruleset,),
            (
                *data_arguments(data, mapping),
                ("--as-of", day.isoformat()),
                *(("--local", str(p.resolve())) for p in local),
                ("--sample", sample),
                ("--seed", str(seed)),
                *(("--param", p) for p in param),
                *(("--include", str(p.resolve())) for p in include),
            ),
        )
        record_run(
            audit_bundle,
            arguments,
            out,
            [checked, *locals_],
            dataset,
            params=param,
            include=include,
        )
    _print_return(claim, out)
    raise typer.Exit(EXIT_OK)


def _print_return(claim: ClaimReturn, out: Path) -> None:
    from rich.table import Table
    from rich.text import Text

    from tfrules.report.dashboard import money_text
    from tfrules.report.terminal import short_council

    terminal = console()
    scheme = claim.scheme
    terminal.print(Text(f"Claim return, {scheme.title}, claim date {claim.as_of}", style="bold"))
    table = Table(title="Claimed now, by council", title_justify="left")
    table.add_column("council")
    for heading in ("families", "claimed now", "held back", "not yet", "overclaimed"):
        table.add_column(heading, justify="right")
    for row in claim.summary.iter_rows(named=True):
        table.add_row(
            short_council(row["council"]),
            f"{row['families claimed for']:,}",
            money_text(row["claimed now"]),
            money_text(row["held back"]),
            f"{row['not yet: condition false'] + row['not yet: unknown']:,}",
            money_text(row["overclaimed"]),
        )
    terminal.print(table)
    total = claim.ledger["amount"].sum()
    due = claim.results[scheme.payment_due].sum()
    terminal.print(
        f"{claim.ledger.height:,} new claims, {money_text(total)} in all "
        f"(payment_due of the same run: {money_text(due)}); written to {out}/claims.csv"
    )
    terminal.print(
        f"Each council's return is in {out}/returns/, the overclaims in {out}/overclaims.csv "
        f"and the audit sample in {out}/audit-sample/"
    )
