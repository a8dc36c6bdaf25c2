"""Adverse-action reasons: the costliest features first, plain text in Chinese and English."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from integrations.scoring import const as k
from integrations.scoring.compiled import CompiledScorecard
from integrations.scoring.decide import decide
from integrations.scoring.errors import ScoringError
from integrations.scoring.reasons import from_dict as reasons_from_dict
from integrations.scoring.reasons import load_reasons

from .conftest import good_applicant

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_all_texts_exist_in_both_languages() -> None:
    raw = yaml.safe_load(k.REASONS_FILE.read_text(encoding="utf-8"))
    for section in ("reasons", "limits"):
        for code, t in raw[section].items():
            assert CJK.search(t["text_zh"]), code
            assert not CJK.search(t["text_en"]), code
    book = load_reasons()
    for feature, codes in book.factors.items():
        for code in codes.values():
            assert book.reason(code).text_en, (feature, code)


def test_a_decline_for_score_names_the_costliest_answers(model: CompiledScorecard) -> None:
    app = good_applicant(
        housing="other", birth_date="2005-01-01", employment_type="self_employed", monthly_income=3100, job_years=1
    )
    d = decide(app, model=model)
    assert d.decision == k.DECLINE
    codes = [r.code for r in d.reasons]
    assert codes[0] == "score_too_low"
    factors = codes[1:]
    assert 1 <= len(factors) <= 3
    # worst first: the factor list follows the points each answer cost
    cost = {p.feature: p.shortfall for p in d.points}
    by_code = {
        "housing_situation": "housing",
        "age_band": "age",
        "income_level": "monthly_income",
        "employment_type": "employment_type",
        "short_time_in_job": "job_years",
        "past_arrears": "past_arrears",
    }
    shortfalls = [cost[by_code[c]] for c in factors]
    assert shortfalls == sorted(shortfalls, reverse=True) and shortfalls[0] > 0
    for r in d.reasons:
        assert CJK.search(r.text_zh) and r.text_en


def test_missing_income_is_named_as_missing(model: CompiledScorecard) -> None:
    d = decide(good_applicant(monthly_income=None), model=model)
    codes = [r.code for r in d.reasons]
    assert "income_unknown" in codes and "income_not_provided" in codes


def test_an_approval_in_the_top_band_has_no_adverse_reasons(model: CompiledScorecard) -> None:
    d = decide(good_applicant(), model=model)
    assert d.band == "A" and d.reasons == ()


def test_a_lower_band_explains_the_lower_limit(model: CompiledScorecard) -> None:
    d = decide(good_applicant(housing="rent", job_years=2), model=model)
    assert d.decision == k.APPROVE and d.band != "A"
    cost = {p.feature: p.shortfall for p in d.points}
    assert d.reasons and d.reasons[0].code == "short_time_in_job"
    assert cost["job_years"] == max(cost.values())
    assert "housing_situation" in [r.code for r in d.reasons]


def test_new_questions_give_plain_reasons_in_both_languages(model: CompiledScorecard) -> None:
    d = decide(good_applicant(past_arrears=True, job_years=6), model=model)
    assert d.decision == k.APPROVE and d.band not in ("A", "B")
    reasons = {r.code: r for r in d.reasons}
    assert list(reasons)[:2] == ["past_arrears", "short_time_in_job"]  # worst first
    assert "逾期" in reasons["past_arrears"].text_zh and "overdue" in reasons["past_arrears"].text_en
    assert "年限" in reasons["short_time_in_job"].text_zh and "short time" in reasons["short_time_in_job"].text_en
    for r in d.reasons:
        assert CJK.search(r.text_zh) and not CJK.search(r.text_en)


@pytest.mark.parametrize(
    ("change", "rule", "factor"),
    [
        ({"job_years": None}, "job_years_unknown", "job_years_not_provided"),
        ({"past_arrears": None}, "arrears_unknown", "arrears_not_provided"),
    ],
)
def test_unanswered_new_questions_are_named(
    model: CompiledScorecard, change: dict[str, object], rule: str, factor: str
) -> None:
    d = decide(good_applicant(housing="rent", **change), model=model)
    codes = [r.code for r in d.reasons]
    assert d.decision == k.REFER and rule in codes
    book = load_reasons()
    assert book.factor_code(next(iter(change)), missing=True) == factor


def test_no_job_is_not_called_a_missing_answer(model: CompiledScorecard) -> None:
    """A retiree was not asked job_years: the reason says there is no job, not "you did not say"."""
    d = decide(good_applicant(employment_type="retired", chosen_card="KK_ONLINE", housing="rent"), model=model)
    codes = [r.code for r in d.reasons]
    assert "no_current_job" in codes
    assert "job_years_not_provided" not in codes and "job_years_unknown" not in codes
    r = next(r for r in d.reasons if r.code == "no_current_job")
    assert CJK.search(r.text_zh) and "not currently employed" in r.text_en
    # an employed applicant who did not answer is told so instead
    assert load_reasons().factor_code("job_years", missing=True, not_applicable=False) == "job_years_not_provided"


@pytest.mark.parametrize(
    "breaker",
    [
        lambda r: r["score_factors"]["job_years"].update(not_applicable="no_such_code"),
        lambda r: r["score_factors"]["job_years"].update(sometimes="short_time_in_job"),
        lambda r: r["score_factors"]["past_arrears"].pop("missing"),
        lambda r: r["score_factors"].update(past_arrears="past_arrears"),
        lambda r: r["reasons"]["past_arrears"].pop("text_en"),
    ],
)
def test_broken_reason_files_are_refused(breaker: Any) -> None:
    raw = yaml.safe_load(k.REASONS_FILE.read_text(encoding="utf-8"))
    breaker(raw)
    with pytest.raises(ScoringError) as err:
        reasons_from_dict(raw)
    assert err.value.code == k.ERR_BAD_POLICY
