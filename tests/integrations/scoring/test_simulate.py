""" "What if" simulations: a copy is re-decided, the real application never changes."""

from __future__ import annotations

import copy

import pytest

from integrations.scoring import const as k
from integrations.scoring.compiled import CompiledScorecard
from integrations.scoring.errors import ScoringError
from integrations.scoring.simulate import simulate

from .conftest import cli, good_applicant


def test_higher_income_raises_the_limit_without_touching_the_application(model: CompiledScorecard) -> None:
    app = good_applicant(monthly_income=6000, monthly_debt_payment=0)
    before = copy.deepcopy(app)
    sim = simulate(app, {"monthly_income": 30000}, model=model)
    assert app == before
    assert sim.before.credit_limit is not None and sim.after.credit_limit is not None
    assert sim.limit_change is not None and sim.limit_change > 0
    assert sim.after.credit_limit == 50000 and sim.after.limit.code == "product_max"
    assert sim.changed == {"monthly_income": (6000, 30000)}
    assert sim.to_dict()["after"]["credit_limit"] == 50000


def test_paying_off_a_car_loan(model: CompiledScorecard) -> None:
    app = good_applicant(monthly_income=10000, monthly_debt_payment=4800)
    sim = simulate(app, {"monthly_debt_payment": 0}, model=model)
    assert sim.before.decision == k.DECLINE and sim.after.decision == k.APPROVE
    assert sim.to_dict()["decision_changed"] is True
    assert "debt_to_income_high" in [h.code for h in sim.before.rules_fired]
    assert app["monthly_debt_payment"] == 4800


def test_same_date_for_both_sides(model: CompiledScorecard) -> None:
    sim = simulate(good_applicant(), {"housing": "rent"}, model=model)
    assert sim.before.as_of == sim.after.as_of
    assert sim.score_change < 0


def test_what_if_no_arrears_and_longer_in_the_job(model: CompiledScorecard) -> None:
    app = good_applicant(past_arrears=True, job_years=1)
    before = copy.deepcopy(app)
    sim = simulate(app, {"past_arrears": False}, model=model)
    assert app == before and sim.score_change > 0
    assert "past_arrears" in [r.code for r in sim.before.reasons]
    assert "past_arrears" not in [r.code for r in sim.after.reasons]
    longer = simulate(app, {"job_years": 3}, model=model)
    assert longer.score_change > 0 and longer.changed == {"job_years": (1, 3)}


@pytest.mark.parametrize("changes", [{"sex": "female"}, {"full_name": "x"}, {"kyc_passed": True}])
def test_only_answers_can_be_simulated(model: CompiledScorecard, changes: dict[str, object]) -> None:
    with pytest.raises(ScoringError) as err:
        simulate(good_applicant(), changes, model=model)
    assert err.value.code == k.ERR_BAD_INPUT


def test_bad_simulated_answers_do_not_crash(model: CompiledScorecard) -> None:
    sim = simulate(good_applicant(), {"monthly_income": "a lot"}, model=model)
    assert sim.after.decision == k.REFER
    assert {"field": "monthly_income", "code": "invalid"} in [i.to_dict() for i in sim.after.data_issues]


def test_cli_simulate(model_root: object) -> None:
    import json

    res = cli(
        "scoring",
        "simulate",
        json.dumps(good_applicant(monthly_income=6000)),
        "--set",
        "monthly_income=30000",
        "--model-dir",
        str(model_root),
    )
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["changed"] == ["monthly_income"] and out["limit_change"] > 0
