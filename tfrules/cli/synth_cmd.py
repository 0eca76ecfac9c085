"""`tfrules synth`: realistic synthetic household data in the canonical model."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import typer

from tfrules.cli.common import EXIT_OK, app, fail, plain_failures
from tfrules.cli.interrupts import in_worker
from tfrules.cli.output import console


@app.command()
def synth(
    households: int = typer.Option(10_000, "--households", "-n", help="How many households."),
    seed: int = typer.Option(1, "--seed", help="The same seed gives the same data, byte for byte."),
    out: Path = typer.Option(
        ...,
        "--out",
        help="The folder to write one file per table into (created if needed). The tables "
        "appear together once all are written.",
    ),
    la_codes: str = typer.Option(
        None,
        "--la-codes",
        metavar="CODES",
        help="Councils (ONS codes, comma-separated) the households are spread over; by "
        "default six: Leeds, Essex, Barking and Dagenham, Devon, Newcastle upon Tyne and "
        "Manchester.",
    ),
    output_format: str = typer.Option("parquet", "--format", help="parquet or csv."),
    attached: float = typer.Option(
        None,
        "--attached",
        min=0.0,
        max=1.0,
        metavar="SHARE",
        help="Make a results cohort: this share of the households (e.g. 0.75) attached to the "
        "programme, on dates spread over 2012-2015, as in the families a council claims "
        "results for. Left out: a national extract, where attachment follows need (about "
        "5% attached).",
    ),
) -> None:
    """Write synthetic households known to family services, with their members'
    school, offending, anti-social behaviour, benefit, employment, social care,
    police, health, custody and housing records and the claims ledger, in the
    canonical data model. Real data never needs to leave a council to try the
    rules. The rates used and their sources are in docs/synthetic-data.md.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tfrules.data.synth import DEFAULT_LA_CODES, DEFAULT_RATES, LA_NAMES, generate_to_dir
    from tfrules.data.synth.schema import TABLE_NAMES
    from tfrules.run.outputs import check_output_folder

    if la_codes is None:
        la_codes = ",".join(DEFAULT_LA_CODES)
    codes = [c.strip() for c in la_codes.split(",") if c.strip()]
    bad = [c for c in codes if not re.fullmatch(r"[EWSN]\d{8}", c)]
    if bad:
        fail(f"{bad[0]!r} is not an ONS local-authority code (like E08000035)")
    if households < 0 or not codes or output_format not in ("parquet", "csv"):
        fail("need --households >= 0, some --la-codes, --format parquet|csv")
    with plain_failures():
        check_output_folder(out, names=[f"{t}.{output_format}" for t in TABLE_NAMES])
    started = time.perf_counter()
    with Progress(
        TextColumn("generating households"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("synth", total=households)
        rates = (
            DEFAULT_RATES
            if attached is None
            else dataclasses.replace(DEFAULT_RATES, attached_share=attached)
        )
        with plain_failures():
            rows = in_worker(
                lambda: generate_to_dir(
                    households,
                    seed,
                    out,
                    codes,
                    format=output_format,
                    rates=rates,
                    on_progress=lambda done, total: progress.update(task, completed=done),
                )
            )
    elapsed = time.perf_counter() - started
    names = ", ".join(LA_NAMES.get(c, c) for c in codes)
    typer.echo(
        f"wrote {households:,} households ({sum(rows.values()):,} rows in {len(rows)} tables) "
        f"to {out} in {elapsed:.1f} s; councils: {names}"
    )
    raise typer.Exit(EXIT_OK)
