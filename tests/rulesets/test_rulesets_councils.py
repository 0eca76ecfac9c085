"""Each council's households get their own local ruleset's answers.

Five "signature" families each meet exactly one shipped council's phase 1
local criterion (a burglary for Leeds, a mental health record for Devon, a
looked-after child for Essex, an employment referral and rent arrears for
Newcastle, a member in custody for Barking and Dagenham), and a sixth meets
none. Every family lives in every council, and in one with no local ruleset,
in one data set evaluated in one multi-council run: `local` must be true
exactly where the family's council is the one it was made for, and unknown
where the council has no local ruleset. Routing every household to one
council's rules, or to the wrong council's, changes that table.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from ruleset_harness import D, Families, gbp, same, shipped
from typer.testing import CliRunner

import tfrules
from tfrules.check.workspace import bundled_rulesets_dir
from tfrules.cli.main import app
from tfrules.interpret.evaluator import Interpreter
from tfrules.interpret.household import households_from_frames
from tfrules.model.ruleset import CheckedRuleset
from tfrules.run.councils import APPLIED, plan_councils

AS_OF = D(2013, 1, 15)
#: The councils with a shipped local ruleset, by ONS code.
COUNCILS = {
    "leeds": "E08000035",
    "devon": "E10000008",
    "essex": "E10000012",
    "newcastle": "E08000021",
    "barking_dagenham": "E09000002",
}
NO_LOCAL_RULES = "E08000003"  # Manchester: no local ruleset ships for it
SIGNATURES = (*COUNCILS, "none")
RULES = ["local", "identified"]


def signature_family(families: Families, household: str, signature: str, council: str) -> None:
    """A family that only `signature`'s local criterion picks out (at AS_OF)."""
    adult, teenager = f"{household}A", f"{household}T"
    families.household(household, la_code=council)
    families.member(adult, household, D(1980, 5, 1))
    families.member(teenager, household, D(1995, 6, 1))  # 17: past school age, a child
    if signature == "leeds":
        families.event(
            "police_incidents", adult, incident_date=D(2012, 11, 20), category="burglary"
        )
    elif signature == "devon":
        families.event("health", adult, recorded_on=D(2012, 11, 1), condition="mental_health")
    elif signature == "essex":
        families.event(
            "social_care", teenager, status="looked_after", start_date=D(2012, 1, 1),
            end_date=D(2012, 6, 1),
        )  # fmt: skip
    elif signature == "newcastle":
        families.event(
            "work_referrals", adult, referred_on=D(2012, 10, 1), programme="work_programme"
        )
        families.event("housing", household, recorded_on=D(2012, 10, 1), rent_arrears=gbp(100))
    elif signature == "barking_dagenham":
        families.event("custody", adult, start_date=D(2012, 12, 1))


def all_families() -> tuple[Families, dict[str, bool | None]]:
    """Every signature family in every council, and in one without local rules;
    and the `local` each household should get: true only from the council the
    family was made for, unknown without local rules."""
    families = Families()
    expected: dict[str, bool | None] = {}
    for council, code in [*COUNCILS.items(), ("no_local_rules", NO_LOCAL_RULES)]:
        for signature in SIGNATURES:
            household = f"{council}_{signature}"
            signature_family(families, household, signature, code)
            expected[household] = None if code == NO_LOCAL_RULES else council == signature
    return families, expected


@pytest.fixture(scope="module")
def national() -> CheckedRuleset:
    return shipped("national.phase1")


@pytest.fixture(scope="module")
def local_rulesets(national: CheckedRuleset) -> dict[str, CheckedRuleset]:
    found = tfrules.load_locals(national, [bundled_rulesets_dir() / "local"])
    by_code = {code: ruleset for ruleset in found for code in ruleset.applies_to}
    assert set(COUNCILS.values()) <= set(by_code), "a shipped council's local ruleset is missing"
    return by_code


def test_each_signature_family_is_picked_out_by_its_own_council_alone(
    national: CheckedRuleset, local_rulesets: dict[str, CheckedRuleset]
) -> None:
    """The premise: the councils' criteria really do judge these families differently."""
    families = Families()
    for signature in SIGNATURES:
        signature_family(families, signature, signature, NO_LOCAL_RULES)
    households = list(households_from_frames(national.schema, families.frames(national.schema)))
    for council, code in COUNCILS.items():
        interpreter = Interpreter(local_rulesets[code], AS_OF)
        values = {h.id: interpreter.evaluate(h, ["local"])["local"] for h in households}
        assert values == {s: s == council for s in SIGNATURES}, (council, values)


def test_a_multi_council_run_gives_each_household_its_own_councils_answers(
    national: CheckedRuleset, local_rulesets: dict[str, CheckedRuleset]
) -> None:
    locals_ = list({r.name: r for r in local_rulesets.values()}.values())
    families, expected = all_families()
    data = tfrules.load_data([national, *locals_], families.frames(national.schema))
    plan = plan_councils(
        national,
        locals_,
        data.frames,
        AS_OF,
        missing=data.missing_tables,
        rules=RULES,
    )
    rows = {row["household_id"]: row for row in plan.plan.collect().iter_rows(named=True)}
    wrong = [
        f"{household}: local = {rows[household]['local']!r}, expected {value!r}"
        for household, value in expected.items()
        if not same(rows[household]["local"], value)
    ]
    assert not wrong, "\n".join(wrong)
    # every household says which ruleset applied, and its values are that
    # ruleset's, as the interpreter gives them for the household alone
    frames = {name: frame.collect() for name, frame in data.frames.items()}
    for household in households_from_frames(national.schema, frames, data.missing_tables):
        code = household.household["la_code"]
        ruleset = local_rulesets.get(code, national)
        assert rows[household.id][APPLIED] == ruleset.name, household.id
        oracle = Interpreter(ruleset, AS_OF).evaluate(household, RULES)
        for rule in RULES:
            assert same(rows[household.id][rule], oracle[rule]), (household.id, rule, oracle)


def test_eval_with_local_rulesets_routes_each_council_to_its_own(
    national: CheckedRuleset, tmp_path: Path
) -> None:
    families, expected = all_families()
    data = tmp_path / "data"
    data.mkdir()
    for name, frame in families.frames(national.schema).items():
        frame.write_csv(data / f"{name}.csv")
    out = tmp_path / "results.csv"
    result = CliRunner().invoke(
        app,
        [
            "eval", "national.phase1", "--data", str(data), "--as-of", str(AS_OF),
            "--local", str(bundled_rulesets_dir() / "local"), "--rules", ",".join(RULES),
            "--out", str(out), "--quiet",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(out, schema_overrides={"local": pl.Boolean, "identified": pl.Boolean})
    found = dict(zip(frame["household_id"], frame["local"], strict=True))
    wrong = [
        f"{household}: local = {found.get(household)!r}, expected {value!r}"
        for household, value in expected.items()
        if not same(found.get(household), value)
    ]
    assert not wrong, "\n".join(wrong)
    assert frame.height == len(expected)
