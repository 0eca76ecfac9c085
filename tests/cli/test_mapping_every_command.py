"""Every command that reads household data reads a council's own extract
through `--mapping` (through the one loading step they share) with the
results of the canonical data it was made from; an audit bundle records the
mapping and each file it read, and `tfrules verify` names a changed one."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
import typer.main
from cli_support import expect_exit, run
from strategies.extract_strategies import ColumnDisguise, TableDisguise, write_extract

from tfrules.cli.main import app
from tfrules.data.synth import generate

CLAIM_DATE = "2015-03-31"
POLICE = TableDisguise(
    "police_incidents",
    "Police Incidents",
    "csv",
    delimiter=";",
    parts=2,
    columns={
        "person_id": ColumnDisguise("Person Ref"),
        "incident_date": ColumnDisguise("Date", picture="dd/mm/yyyy"),
        "category": ColumnDisguise(
            "Type",
            labels=(
                ("burglary", "Burglary"),
                ("domestic_abuse", "Domestic Abuse"),
                ("criminal_damage", "Criminal Damage"),
                ("violence", "Violence"),
                ("other", "Other"),
            ),
        ),
    },
)
#: The claims ledger: the claims command reads all of it, `claim` too, which no rule reads.
LEDGER = TableDisguise(
    "claims",
    "Claims Made",
    "csv",
    columns={
        "household_id": ColumnDisguise("Family Ref"),
        "claimed_on": ColumnDisguise("Date Claimed", picture="dd/mm/yyyy"),
        "claim": ColumnDisguise(
            "Kind of Claim",
            labels=(
                ("attachment", "Attachment Fee"),
                ("results", "Results"),
                ("progress_to_work", "Progress to Work"),
                ("employment", "Employment"),
            ),
        ),
        "amount": ColumnDisguise("Amount", picture="£1,234.50"),
    },
)


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Canonical data, the same as a council's extract, and the extract's mapping."""
    root = tmp_path_factory.mktemp("every")
    frames = generate(150, seed=5)
    assert frames["claims"].height > 0, "the synthetic ledger has claims"
    canonical = root / "canonical"
    canonical.mkdir()
    for name, frame in frames.items():
        frame.write_parquet(canonical / f"{name}.parquet")
    extract = root / "extract"
    mapping = root / "council.tfr"
    mapping.write_text(write_extract(frames, [POLICE, LEDGER], extract), encoding="utf-8")
    return canonical, extract, mapping


def _options(command: object) -> set[str]:
    return {name for p in command.params for name in getattr(p, "opts", ())}


def _commands(group: object, prefix: str = "") -> dict[str, object]:
    """Every command of the app, a group's as 'group command'."""
    found: dict[str, object] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found |= _commands(command, f"{prefix}{name} ")
        else:
            found[f"{prefix}{name}"] = command
    return found


def test_every_command_with_a_data_folder_takes_a_mapping_and_databases():
    commands = _commands(typer.main.get_command(app))
    reading = {name for name, c in commands.items() if "--data" in _options(c)}
    assert {"eval", "explain", "report", "claims", "data check", "data init"} <= reading
    for name in reading - {"data init"}:  # init writes a mapping; it reads none
        assert {"--mapping", "--database"} <= _options(commands[name]), name


def test_claims_through_a_mapping_claim_what_the_canonical_data_claims(folders, tmp_path):
    canonical, extract, mapping = folders
    expect_exit(
        run("claims", "national.phase1", "--data", canonical, "--as-of", CLAIM_DATE,
            "--out", tmp_path / "a"),
        0,
    )  # fmt: skip
    result = run(
        "claims", "national.phase1", "--data", extract, "--mapping", mapping,
        "--as-of", CLAIM_DATE, "--out", tmp_path / "b",
    )  # fmt: skip
    expect_exit(result, 0)
    assert "warning" not in result.stderr
    for name in ("claims.csv", "summary.csv", "overclaims.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_report_html_reads_the_whole_ledger_through_a_mapping(folders, tmp_path):
    canonical, extract, mapping = folders
    for data, out, extra in (
        (canonical, tmp_path / "a", []),
        (extract, tmp_path / "b", ["--mapping", mapping]),
    ):
        expect_exit(
            run("report", "--data", data, *extra, "--as-of", CLAIM_DATE, "--out", out,
                "--html", out.with_suffix(".html")),
            0,
        )  # fmt: skip
    a = pl.read_parquet(tmp_path / "a" / "phase1.parquet")
    b = pl.read_parquet(tmp_path / "b" / "phase1.parquet")
    assert a.equals(b)
    markdown = (tmp_path / "b" / "dashboard.md").read_text(encoding="utf-8")
    assert "| claims | Claims Made.csv |" in markdown
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "Source of claims: Claims Made.csv" in page
    assert "Source of" not in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_data_check_reads_the_ledger_through_the_mapping(folders):
    _, extract, mapping = folders
    said = run(
        "data", "check", "national.phase1", "--data", extract, "--mapping", mapping,
        "--format", "json",
    )  # fmt: skip
    report = json.loads(expect_exit(said, 0).stdout)
    [ledger] = [t for t in report["tables"] if t["table"] == "claims"]
    assert ledger["sources"] == ["Claims Made.csv"] and report["unmatched_files"] == []


def test_an_audit_bundle_records_the_mapping_and_every_file_it_read(folders, tmp_path):
    _, original, original_mapping = folders
    extract = tmp_path / "extract"
    extract.mkdir()
    for path in original.iterdir():
        (extract / path.name).write_bytes(path.read_bytes())
    mapping = tmp_path / "council.tfr"
    mapping.write_bytes(original_mapping.read_bytes())
    bundle = tmp_path / "bundle"
    expect_exit(
        run("eval", "national.phase2", "--data", extract, "--mapping", mapping,
            "--as-of", CLAIM_DATE, "--out", tmp_path / "r.parquet", "--audit-bundle", bundle,
            "-q"),
        0,
    )  # fmt: skip
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert ["--mapping", str(mapping.resolve())] in manifest["arguments"]["options"]
    assert "--mapping" in manifest["command_line"]
    assert manifest["rule_files"]["mapping extract"]["path"] == str(mapping.resolve())
    inputs = manifest["inputs"]
    for part in ("Police Incidents 1.csv", "Police Incidents 2.csv"):
        entry = inputs[f"police_incidents ({part})"]
        assert entry["path"] == str((extract / part).resolve())
    assert inputs["persons"]["path"] == str((extract / "persons.parquet").resolve())
    assert manifest["database_sources"] == []

    verified = run("verify", bundle)
    assert expect_exit(verified, 0).stdout.count("the same") >= 1, verified.stdout

    police = extract / "Police Incidents 2.csv"
    police.write_text(police.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    mapping.write_text(mapping.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    changed = " ".join(expect_exit(run("verify", bundle), 1).stdout.split())
    assert "input file police_incidents (Police Incidents 2.csv) has changed" in changed
    assert "rule file mapping extract has changed" in changed


def test_an_output_may_not_be_a_file_the_mapping_reads(folders, tmp_path):
    _, original, original_mapping = folders
    extract = tmp_path / "extract"
    extract.mkdir()
    for path in original.iterdir():
        (extract / path.name).write_bytes(path.read_bytes())
    police = extract / "Police Incidents 1.csv"
    before = police.read_bytes()
    police_csv = run(
        "eval", "national.phase2", "--data", extract, "--mapping", original_mapping,
        "--as-of", CLAIM_DATE, "--out", police,
    )  # fmt: skip
    assert "is one of the files this run reads" in expect_exit(police_csv, 2).stderr
    assert police.read_bytes() == before


def test_a_mapping_that_is_not_a_rule_file_or_is_a_folder_is_refused(folders, tmp_path):
    _, extract, mapping = folders
    copy = tmp_path / "council.csv"
    copy.write_bytes(mapping.read_bytes())
    for given, code, said in ((copy, 1, "E005"), (tmp_path, 2, "is a folder")):
        result = run(
            "eval", "national.phase2", "--data", extract, "--mapping", given,
            "--as-of", CLAIM_DATE, "--out", tmp_path / "r.csv",
        )  # fmt: skip
        assert said in expect_exit(result, code).output
        assert not (tmp_path / "r.csv").exists()
