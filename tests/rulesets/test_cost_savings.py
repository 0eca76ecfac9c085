"""national.cost_savings beyond its own tests: the negative savings a test
cannot yet write, the status of every unit cost (verified, not verified, no
sourced figure) as its source and the officers' page state it, and the
compiled plan held to the reference interpreter on synthetic families."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tfrules import api
from tfrules.compile.plan import build_plan
from tfrules.data.synth import generate
from tfrules.interpret.evaluator import Interpreter
from tfrules.interpret.household import households_from_frames
from tfrules.model import types as T
from tfrules.model.ruleset import CheckedRuleset
from tfrules.testing.runner import case_ruleset, cases_of

REPO = Path(__file__).resolve().parents[2]
NAME = "national.cost_savings"
STATUSES = ("Verified:", "Not verified:", "No sourced figure:")
#: Parameters that are not unit costs: the periods, and the age of youth.
METHOD = {"comparison_window", "terms_compared", "shortest_follow_up", "youth_age"}


@pytest.fixture(scope="module")
def ruleset() -> CheckedRuleset:
    return api.load(NAME)


def _case_values(ruleset: CheckedRuleset, title: str) -> dict[str, dict[str, object]]:
    """Each household's values under one of the ruleset's own tests, from the
    compiled plan, after checking the interpreter gives the same."""
    (case,) = [c for c in cases_of(ruleset) if c.title == title]
    rows = _values_of(ruleset, case)
    rules = case_ruleset(ruleset, case)
    interpreter = Interpreter(rules, case.as_of, fixed=case.fixed)
    for household in households_from_frames(rules.schema, case.frames, case.missing):
        oracle = interpreter.evaluate(household, rules.output_rules)
        assert {r: rows[household.id][r] for r in rules.output_rules} == oracle
    return rows


def test_a_rise_in_service_use_is_a_negative_saving(ruleset):
    rows = _case_values(
        ruleset, "service use that rises gives a negative saving; deadweight applies either way"
    )
    rising = rows["H1"]
    assert rising["childrens_social_care_gross_saving"] == Decimal("-13447.43")
    assert rising["childrens_social_care_net_saving"] == Decimal("-8068.46")
    assert rising["dwp_benefits_gross_saving"] == Decimal("-1874.44")
    assert rising["dwp_benefits_net_saving"] == Decimal("-1124.66")
    assert rising["gross_saving"] == Decimal("-15321.87")
    assert rising["net_saving"] == Decimal("-9193.12")
    # the totals are the sums of the agencies
    agencies = ("police_justice", "childrens_social_care", "education", "dwp_benefits")
    agencies += ("housing", "health")
    for kind in ("gross_saving", "net_saving", "cost_before", "cost_after"):
        assert rising[kind] == sum(rising[f"{a}_{kind}"] for a in agencies)


def test_a_short_follow_up_is_scaled_to_a_year(ruleset):
    rows = _case_values(
        ruleset,
        "a follow-up shorter than a year is scaled to one; under 6 months gives no saving yet",
    )
    assert rows["H1"]["education_gross_saving"] == Decimal("-4938.09")
    assert rows["H1"]["gross_saving"] == Decimal("-4938.09")
    assert rows["H2"]["gross_saving"] is None


def _unit_costs(ruleset: CheckedRuleset):
    return [
        info for name, info in ruleset.params.items() if info.layer == NAME and name not in METHOD
    ]


def test_every_unit_cost_says_whether_its_figure_is_verified(ruleset):
    costs = _unit_costs(ruleset)
    assert len(costs) >= 25
    for info in costs:
        assert info.overridable, f"{info.name}: a council must be able to use its own"
        assert info.decl.sources, f"{info.name} has no source"
        status = next((s for s in STATUSES if info.decl.sources[0].startswith(s)), None)
        assert status, f"{info.name}: its source must start with one of {STATUSES}"
        # a figure is given exactly when one was found
        assert (info.value is None) == (status == "No sourced figure:"), info.name
        if info.type.kind is T.Kind.MONEY and info.value is not None:
            # the figure the source quotes is the one used (for each year, if by year)
            figures = set(re.findall(r"£[\d,]+(?:\.\d\d)?", info.decl.sources[0]))
            assert figures, f"{info.name}: the source must quote its figure"


def test_the_services_the_programme_named_are_all_priced(ruleset):
    named = {
        "other_police_incident_cost", "youth_offence_cost", "adult_offence_cost",
        "asb_incident_cost", "asbo_cost", "asb_injunction_cost", "abc_cost",
        "custody_week_cost", "child_in_need_week_cost", "child_protection_week_cost",
        "looked_after_week_cost", "fixed_exclusion_cost", "permanent_exclusion_cost",
        "jsa_week_cost", "esa_week_cost", "domestic_abuse_incident_cost", "eviction_cost",
        "deadweight", "intervention_cost_per_family",
    }  # fmt: skip
    assert named <= {info.name for info in _unit_costs(ruleset)}


def test_the_officers_page_gives_every_unit_cost_and_its_status(ruleset):
    page = (REPO / "docs" / "cost-savings.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `(\w+)` \|[^|]*\|[^|]*\| (verified|not verified|no figure) \|",
                             page, re.MULTILINE)
    }  # fmt: skip
    words = {"Verified:": "verified", "Not verified:": "not verified"}
    for info in _unit_costs(ruleset):
        status = next(s for s in STATUSES if info.decl.sources[0].startswith(s))
        assert rows.get(info.name) == words.get(status, "no figure"), info.name


# ------------------------------------------------------------------ synthetic families

#: Costs for the services without a national figure, so that most families
#: have a known saving, and a deadweight, so that the net saving is known too.
SET = [
    "deadweight=30%",
    "asb_incident_cost=£120",
    "asb_injunction_cost=£2,500",
    "housing_intervention_cost=£1,000",
    "other_police_incident_cost=£150",
    "fixed_exclusion_cost=£60",
    "substance_misuse_cost=£400",
    "mental_health_cost=£300",
    "new_mother_cost=£200",
]


@pytest.mark.parametrize("params", [[], SET], ids=["national", "with-council-costs"])
def test_compiled_plan_agrees_with_the_interpreter_on_synthetic_families(params):
    ruleset = api.load(NAME, params=params)
    frames = generate(300, seed=16)
    day = dt.date(2015, 3, 31)
    wanted = ruleset.output_rules
    plan = build_plan(ruleset, {n: f.lazy() for n, f in frames.items()}, day, rules=wanted)
    rows = {row["household_id"]: row for row in plan.collect().to_dicts()}
    interpreter = Interpreter(ruleset, day)
    counted = 0
    for household in households_from_frames(ruleset.schema, frames, frozenset()):
        oracle = interpreter.evaluate(household, wanted)
        for rule in wanted:
            assert rows[household.id][rule] == oracle[rule], (household.id, rule)
        counted += bool(oracle["counted"])
    # attached families are followed up; with the council's costs most are counted
    assert counted > 0
    if params:
        assert any(r["net_saving"] is not None for r in rows.values())


# ------------------------------------------------------------------ the officers' page


def _tfr_blocks() -> list[str]:
    page = (REPO / "docs" / "cost-savings.md").read_text(encoding="utf-8")
    return re.findall(r"```tfr\n(.*?)```", page, re.DOTALL)


def test_the_pages_example_ruleset_checks_and_its_test_passes(tmp_path):
    (whole,) = [b for b in _tfr_blocks() if "\nruleset " in b]
    path = tmp_path / "our_costs.tfr"
    path.write_text(whole, encoding="utf-8")
    ruleset = api.load(path)
    assert ruleset.params["deadweight"].value == Decimal("0.3")
    for case in cases_of(ruleset):
        rows = _values_of(ruleset, case)
        for expected in case.expected:
            assert rows[expected.household][expected.rule] == expected.value, expected.rule


def test_the_pages_override_by_financial_year_checks(tmp_path):
    (part,) = [b for b in _tfr_blocks() if b.startswith("override parameter looked_after")]
    path = tmp_path / "by_year.tfr"
    path.write_text(
        'ruleset local.byyear.cost_savings "By year"\n    extends national.cost_savings\n\n' + part,
        encoding="utf-8",
    )
    value = api.load(path).params["looked_after_week_cost"].value
    assert value.at(2014) == Decimal("720") and value.at(2020) == Decimal("740")


def _values_of(ruleset: CheckedRuleset, case) -> dict[str, dict[str, object]]:
    rules = case_ruleset(ruleset, case)
    plan = build_plan(
        rules,
        {n: f.lazy() for n, f in case.frames.items()},
        case.as_of,
        missing=case.missing,
        rules=rules.output_rules,
        fixed=case.fixed,
    )
    return {row["household_id"]: row for row in plan.collect().to_dicts()}
