"""Audit bundles: --audit-bundle records a run, tfrules verify runs it again and
confirms the same outputs, or names what differs (an input file, a rule file, a
version, an output) and exits 1."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tfrules.audit.manifest import read_manifest
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.cli.main import app

RUNNER = CliRunner()
AS_OF = "2015-03-31"

OUR_RULES = """\
ruleset local.audit.phase1 "A council's local criterion, for the audit tests"
    extends national.phase1
    applies to E08000035

criterion local "A child protection plan or a child in need"
    = any member has social_care where active
"""


def _invoke(*args: str):
    return RUNNER.invoke(app, list(args))


@pytest.fixture(scope="module")
def recorded(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An eval of a council's own rule file, with its audit bundle."""
    root = tmp_path_factory.mktemp("audit")
    data = root / "data"
    shutil.copytree(synthetic, data)
    rules = root / "rules" / "audit_phase1.tfr"
    rules.parent.mkdir()
    rules.write_text(OUR_RULES, encoding="utf-8")
    out, bundle = root / "results.parquet", root / "bundle"
    result = _invoke(
        "eval", str(rules), "--data", str(data), "--as-of", AS_OF, "--out", str(out),
        "--audit-bundle", str(bundle), "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {"data": data, "rules": rules, "out": out, "bundle": bundle, "root": root}


def _copy_bundle(recorded: dict[str, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "bundle"
    shutil.copytree(recorded["bundle"], copy)
    return copy


def test_the_manifest_records_the_run(recorded: dict[str, Path]) -> None:
    manifest = read_manifest(recorded["bundle"])
    assert manifest["command"] == "eval"
    assert set(manifest["rule_files"]) == {
        "national.phase1",
        "local.audit.phase1",
        "schema canonical",
    }
    assert len(manifest["rule_files"]["local.audit.phase1"]["sha256"]) == 64
    assert "households" in manifest["inputs"] and "social_care" in manifest["inputs"]
    assert list(manifest["outputs"]) == ["results.parquet"]
    assert set(manifest["versions"]) == {"tfrules", "python", "polars"}
    assert manifest["command_line"].startswith("tfrules eval ")
    assert manifest["run_at"]


def test_verify_confirms_the_same_outputs(recorded: dict[str, Path]) -> None:
    result = _invoke("verify", str(recorded["bundle"]))
    assert result.exit_code == 0, result.output
    assert "the same: all 1 outputs match" in result.output


def test_verify_names_a_changed_input_file(recorded: dict[str, Path], tmp_path: Path) -> None:
    bundle = _copy_bundle(recorded, tmp_path)
    data = recorded["data"]
    original = (data / "social_care.parquet").read_bytes()
    try:
        frame = pl.read_parquet(data / "social_care.parquet")
        frame.head(frame.height // 2).write_parquet(data / "social_care.parquet")
        result = _invoke("verify", str(bundle))
    finally:
        (data / "social_care.parquet").write_bytes(original)
    assert result.exit_code == 1, result.output
    assert "input file social_care has changed" in result.output
    assert "output results.parquet is not the same" in result.output


def test_verify_names_a_changed_rule_file(recorded: dict[str, Path], tmp_path: Path) -> None:
    bundle = _copy_bundle(recorded, tmp_path)
    rules = recorded["rules"]
    try:
        rules.write_text(OUR_RULES.replace("where active", "where active, status = looked_after"))
        result = _invoke("verify", str(bundle))
    finally:
        rules.write_text(OUR_RULES, encoding="utf-8")
    assert result.exit_code == 1, result.output
    assert "rule file local.audit.phase1 has changed" in result.output
    assert "input file" not in result.output


def test_verify_names_a_different_version(recorded: dict[str, Path], tmp_path: Path) -> None:
    bundle = _copy_bundle(recorded, tmp_path)
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["versions"]["polars"] = "0.0.1"
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    result = _invoke("verify", str(bundle))
    assert result.exit_code == 1, result.output
    assert "polars is version" in result.output and "the run used 0.0.1" in result.output


def test_verify_names_an_output_that_differs(recorded: dict[str, Path], tmp_path: Path) -> None:
    bundle = _copy_bundle(recorded, tmp_path)
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["outputs"]["results.parquet"] = "0" * 64
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    result = _invoke("verify", str(bundle))
    assert result.exit_code == 1, result.output
    assert "output results.parquet is not the same" in result.output


def test_verify_of_a_folder_with_no_manifest_is_a_usage_error(tmp_path: Path) -> None:
    result = _invoke("verify", str(tmp_path))
    assert result.exit_code == 2
    assert "is not an audit bundle" in result.output


def test_claims_writes_the_return_and_its_bundle_verifies(synthetic: Path, tmp_path: Path) -> None:
    out, bundle = tmp_path / "claims", tmp_path / "bundle"
    result = _invoke(
        "claims", "national.phase1", "--data", str(synthetic), "--as-of", AS_OF,
        "--local", str(bundled_rulesets_dir() / "local"), "--out", str(out),
        "--sample", "1", "--audit-bundle", str(bundle),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Claim return" in result.output and "payment_due of the same run" in result.output
    ledger = pl.read_csv(out / "claims.csv")
    assert ledger.columns == ["household_id", "claimed_on", "claim", "amount"]
    assert (out / "overclaims.csv").exists() and (out / "summary.csv").exists()
    leeds = out / "returns" / "E08000035-leeds.xlsx"
    assert (out / "returns" / "E08000035-leeds.csv").exists()
    with zipfile.ZipFile(leeds) as workbook:
        sheets = workbook.read("xl/workbook.xml").decode()
    for sheet in ("Summary", "Claims", "Held back", "Not yet claimable", "Overclaims"):
        assert f'name="{sheet}"' in sheets
    sample = pl.read_csv(out / "audit-sample" / "sample.csv")
    assert sample.height > 0
    page = (out / "audit-sample" / sample["evidence"][0]).read_text()
    assert "SHA-256" in page and "national.phase1" in page and "Parameters used" in page
    verified = _invoke("verify", str(bundle))
    assert verified.exit_code == 0, verified.output


def test_claims_for_a_ruleset_without_claims_is_a_usage_error(
    synthetic: Path, tmp_path: Path
) -> None:
    result = _invoke(
        "claims", "national.dwp_fmp", "--data", str(synthetic), "--as-of", AS_OF,
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "has no claims" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_claims_into_a_file_is_a_usage_error(synthetic: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken.txt"
    taken.write_text("a file")
    result = _invoke(
        "claims", "national.phase1", "--data", str(synthetic), "--as-of", AS_OF,
        "--out", str(taken),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "is a file" in result.output
    assert taken.read_text() == "a file"


def test_a_wrong_sample_is_a_usage_error(synthetic: Path, tmp_path: Path) -> None:
    result = _invoke(
        "claims", "national.phase1", "--data", str(synthetic), "--as-of", AS_OF,
        "--out", str(tmp_path / "out"), "--sample", "two",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "neither a share" in result.output
