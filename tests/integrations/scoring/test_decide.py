"""decide(): outcomes, stable JSON names, bad answers that never crash and are reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from integrations.scoring import const as k
from integrations.scoring.compiled import CompiledScorecard
from integrations.scoring.decide import decide

from .conftest import AS_OF, cli, good_applicant, run_cli


def test_a_strong_applicant_is_approved_with_a_limit(model: CompiledScorecard) -> None:
    d = decide(good_applicant(), model=model)
    assert d.decision == k.APPROVE, d.to_dict()
    assert d.credit_limit and 3000 <= d.credit_limit <= 50000
    assert d.credit_limit % 500 == 0
    assert d.rules_fired == ()
    assert d.limit_explanation and "12,000" in d.limit_explanation.text_zh
    assert d.as_of == AS_OF.isoformat()


@pytest.mark.parametrize(
    ("change", "outcome", "rule"),
    [
        ({"birth_date": "2010-01-01"}, k.DECLINE, "under_min_age"),
        ({"kyc_passed": False}, k.DECLINE, "kyc_failed"),
        ({"screening_hit": True}, k.REFER, "screening_hit"),
        ({"fraud_flag": True}, k.REFER, "fraud_flag"),
        ({"monthly_income": 2500}, k.DECLINE, "income_below_product_minimum"),
        ({"employment_type": "student"}, k.DECLINE, "employment_not_eligible"),
        ({"monthly_debt_payment": 8000}, k.DECLINE, "debt_to_income_too_high"),
        ({"monthly_debt_payment": 5600}, k.REFER, "debt_to_income_high"),
        ({"monthly_income": None}, k.REFER, "income_unknown"),
        ({"monthly_debt_payment": None}, k.REFER, "debt_unknown"),
        ({"job_years": None}, k.REFER, "job_years_unknown"),
        ({"job_years": "a while"}, k.REFER, "job_years_unknown"),
        ({"employment_type": "self_employed", "job_years": None}, k.REFER, "job_years_unknown"),
        ({"past_arrears": None}, k.REFER, "arrears_unknown"),
        ({"past_arrears": "sometimes"}, k.REFER, "arrears_unknown"),
        ({"chosen_card": None}, k.REFER, "product_unknown"),
        (
            {"chosen_card": "KK_PLATINUM", "monthly_income": 40000, "housing": "rent", "birth_date": "2004-01-01"},
            k.DECLINE,
            "band_below_product",
        ),
        (
            {
                "housing": "other",
                "birth_date": "2005-01-01",
                "employment_type": "self_employed",
                "monthly_income": 3100,
                "job_years": 1,
            },
            k.DECLINE,
            "score_too_low",
        ),
        ({"past_arrears": True, "job_years": 0, "housing": "rent", "monthly_income": 4000}, k.DECLINE, "score_too_low"),
    ],
)
def test_policy_outcomes(model: CompiledScorecard, change: dict[str, Any], outcome: str, rule: str) -> None:
    d = decide(good_applicant(**change), model=model)
    assert rule in [h.code for h in d.rules_fired], d.to_dict()["rules_fired"]
    assert d.decision == outcome
    assert rule in [r.code for r in d.reasons]
    if outcome != k.APPROVE:
        assert d.credit_limit is None


def test_kyc_not_done_is_a_condition_not_a_refusal(model: CompiledScorecard) -> None:
    app = good_applicant()
    del app["kyc_passed"]
    d = decide(app, model=model)
    assert d.decision == k.APPROVE
    assert [c.code for c in d.conditions] == ["kyc_pending"]


def test_protected_attributes_change_nothing(model: CompiledScorecard) -> None:
    a = decide(good_applicant(sex="male"), model=model).to_dict()
    b = decide(good_applicant(sex="female", marital_status="divorced", nationality="X"), model=model).to_dict()
    assert a == b


BAD_VALUES: list[tuple[str, Any, str]] = [
    ("birth_date", None, k.ISSUE_MISSING),
    ("birth_date", "", k.ISSUE_MISSING),
    ("birth_date", "14/03/1975", k.ISSUE_INVALID),
    ("birth_date", "1975-02-30", k.ISSUE_INVALID),
    ("birth_date", "2090-01-01", k.ISSUE_OUT_OF_RANGE),
    ("birth_date", "1800-01-01", k.ISSUE_OUT_OF_RANGE),
    ("birth_date", 19750314, k.ISSUE_INVALID),
    ("monthly_income", None, k.ISSUE_MISSING),
    ("monthly_income", "lots", k.ISSUE_INVALID),
    ("monthly_income", -100, k.ISSUE_OUT_OF_RANGE),
    ("monthly_income", 1e15, k.ISSUE_OUT_OF_RANGE),
    ("monthly_income", float("nan"), k.ISSUE_INVALID),
    ("monthly_income", float("inf"), k.ISSUE_INVALID),
    ("monthly_income", [12000], k.ISSUE_INVALID),
    ("monthly_income", True, k.ISSUE_INVALID),
    ("monthly_debt_payment", "?", k.ISSUE_INVALID),
    ("monthly_debt_payment", -1, k.ISSUE_OUT_OF_RANGE),
    ("housing", "castle", k.ISSUE_UNKNOWN_CATEGORY),
    ("housing", None, k.ISSUE_MISSING),
    ("housing", {"a": 1}, k.ISSUE_UNKNOWN_CATEGORY),
    ("employment_type", "astronaut", k.ISSUE_UNKNOWN_CATEGORY),
    ("employment_type", 3, k.ISSUE_UNKNOWN_CATEGORY),
    ("job_years", None, k.ISSUE_MISSING),
    ("job_years", "", k.ISSUE_MISSING),
    ("job_years", "a few", k.ISSUE_INVALID),
    ("job_years", True, k.ISSUE_INVALID),
    ("job_years", float("nan"), k.ISSUE_INVALID),
    ("job_years", -1, k.ISSUE_OUT_OF_RANGE),
    ("job_years", 81, k.ISSUE_OUT_OF_RANGE),
    ("job_years", 40, k.ISSUE_OUT_OF_RANGE),  # born 1975: 51 years old, so at most 37 years in a job
    ("past_arrears", None, k.ISSUE_MISSING),
    ("past_arrears", "", k.ISSUE_MISSING),
    ("past_arrears", "maybe", k.ISSUE_INVALID),
    ("past_arrears", 1, k.ISSUE_INVALID),
    ("past_arrears", [True], k.ISSUE_INVALID),
    ("chosen_card", "NO_SUCH_CARD", k.ISSUE_UNKNOWN_PRODUCT),
    ("kyc_passed", "maybe", k.ISSUE_INVALID),
]


@pytest.mark.parametrize(("slot", "value", "issue"), BAD_VALUES)
def test_bad_answers_never_crash_and_the_decision_says_so(
    model: CompiledScorecard, slot: str, value: Any, issue: str
) -> None:
    d = decide(good_applicant(**{slot: value}), model=model)
    assert {"field": slot, "code": issue} in [i.to_dict() for i in d.data_issues]
    assert d.decision in (k.REFER, k.DECLINE, k.APPROVE)
    if slot in ("birth_date", "monthly_income", "monthly_debt_payment", "employment_type", "job_years", "past_arrears"):
        assert d.decision != k.APPROVE  # cannot approve without knowing these
    json.dumps(d.to_dict())  # always serialisable
    if issue != k.ISSUE_UNKNOWN_PRODUCT and slot != "kyc_passed":
        assert slot in d.reask
    scored = {p.feature: p for p in d.points}
    feature = {"birth_date": "age"}.get(slot, slot)
    if feature in scored:
        assert scored[feature].missing  # handled as the model's missing bin


def test_an_empty_application_is_referred(model: CompiledScorecard) -> None:
    d = decide({}, model=model)
    assert d.decision == k.REFER
    assert {
        "age_unknown",
        "income_unknown",
        "debt_unknown",
        "product_unknown",
        "job_years_unknown",
        "arrears_unknown",
    } <= {h.code for h in d.rules_fired}
    assert d.credit_limit is None
    # employment unknown: job_years may apply, so it is asked (after employment_type) as well
    assert {"employment_type", "job_years", "past_arrears"} <= set(d.reask)


@pytest.mark.parametrize("employment", ["student", "retired", "unemployed"])
@pytest.mark.parametrize("given", [None, 5, "garbage"])
def test_job_years_is_not_applicable_without_a_job(model: CompiledScorecard, employment: str, given: Any) -> None:
    """Not asked of students, retirees and the unemployed: the missing bin, never re-asked, never
    referred for it, and an answer given anyway is not used (the model learned it that way)."""
    app = good_applicant(employment_type=employment, job_years=given, chosen_card="KK_STUDENT")
    d = decide(app, model=model)
    assert {"field": "job_years", "code": k.ISSUE_NOT_APPLICABLE} in [i.to_dict() for i in d.data_issues]
    assert not [i for i in d.data_issues if i.field == "job_years" and i.code != k.ISSUE_NOT_APPLICABLE]
    assert "job_years" not in d.reask
    assert "job_years_unknown" not in [h.code for h in d.rules_fired]
    jy = next(p for p in d.points if p.feature == "job_years")
    assert jy.missing and jy.value is None
    assert jy.points == model.raw["features"][model.features.index("job_years")]["missing"]["points"]
    base = decide(good_applicant(employment_type=employment, job_years=None, chosen_card="KK_STUDENT"), model=model)
    assert d.to_dict() == base.to_dict()


@pytest.mark.parametrize(
    ("answer", "value"),
    [(True, "yes"), (False, "no"), ("true", "yes"), ("False", "no"), (" YES ", "yes"), ("no", "no")],
)
def test_past_arrears_answers(model: CompiledScorecard, answer: Any, value: str) -> None:
    d = decide(good_applicant(past_arrears=answer), model=model)
    pa = next(p for p in d.points if p.feature == "past_arrears")
    assert pa.value == value and not pa.missing
    assert d.facts["past_arrears"] == value
    assert not [i for i in d.data_issues if i.field == "past_arrears"]


def test_past_arrears_and_short_tenure_cost_points(model: CompiledScorecard) -> None:
    clean = decide(good_applicant(), model=model)
    arrears = decide(good_applicant(past_arrears=True), model=model)
    assert arrears.score < clean.score
    by_years = [decide(good_applicant(job_years=y), model=model).score for y in (0, 0.5, 1, 3, 6, 10, 20, 37)]
    assert by_years == sorted(by_years) and by_years[0] < by_years[-1]
    # fractional years are kept; the reference model's splits lie half-way between whole years
    assert (
        decide(good_applicant(job_years="2.4"), model=model).score
        == decide(good_applicant(job_years=2), model=model).score
    )


def test_job_years_age_bound(model: CompiledScorecard) -> None:
    ok = decide(good_applicant(birth_date="1990-01-01", job_years=22), model=model)  # 36 − 14 = 22
    assert not [i for i in ok.data_issues if i.field == "job_years"]
    bad = decide(good_applicant(birth_date="1990-01-01", job_years=23), model=model)
    assert {"field": "job_years", "code": k.ISSUE_OUT_OF_RANGE} in [i.to_dict() for i in bad.data_issues]
    assert "job_years" in bad.reask


def test_stable_json_names(model: CompiledScorecard) -> None:
    out = decide(good_applicant(monthly_income=2500), model=model).to_dict()
    for key in ("decision", "credit_limit", "score", "reasons", "rules_fired", "model_version"):
        assert key in out
    assert out["decision"] in ("approve", "refer", "decline")
    assert all(set(r) == {"code", "text_zh", "text_en"} for r in out["reasons"])
    assert all(isinstance(c, str) for c in out["rules_fired"])
    assert "facts" not in out  # personal facts only go to the encrypted record


def test_cli_decide(model_root: Path) -> None:
    res = run_cli("scoring", "decide", json.dumps(good_applicant()), "--model-dir", str(model_root))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["decision"] == "approve" and out["credit_limit"] > 0
    res = cli("scoring", "decide", "-", "--model-dir", str(model_root), stdin=json.dumps(good_applicant()))
    assert json.loads(res.stdout)["decision"] == "approve"
    for bad in ("not json", "[1, 2]"):
        res = cli("scoring", "decide", bad, "--model-dir", str(model_root))
        assert res.returncode == 2 and "input_invalid" in res.stderr
    res = cli("scoring", "decide", "{}", "--model-dir", str(model_root / "nowhere"))
    assert res.returncode == 2 and "model_unavailable" in res.stderr
