"""Policy as data: loading, checking, rule semantics, bands, and reasons for every rule."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from integrations.scoring import const as k
from integrations.scoring.errors import ScoringError
from integrations.scoring.policy import Rule, from_dict, load_policy
from integrations.scoring.reasons import load_reasons


def raw_policy() -> dict[str, Any]:
    return yaml.safe_load(k.POLICY_FILE.read_text(encoding="utf-8"))


def test_shipped_policy_loads() -> None:
    pol = load_policy()
    assert pol.sha256 and pol.version
    assert [b for b, _ in pol.bands] == ["A", "B", "C", "D", "E"]
    assert {r.code for r in pol.rules} >= {
        "under_min_age",
        "kyc_failed",
        "income_below_product_minimum",
        "debt_to_income_too_high",
        "screening_hit",
        "fraud_flag",
        "score_too_low",
        "limit_below_product_minimum",
        "job_years_unknown",
        "arrears_unknown",
    }


@pytest.mark.parametrize(
    ("score", "band", "rank"),
    [
        (600, "A", 1),
        (530, "A", 1),
        (529.9, "B", 2),
        (500, "B", 2),
        (470, "C", 3),
        (440, "D", 4),
        (439, "E", 5),
        (-50, "E", 5),
    ],
)
def test_bands(score: float, band: str, rank: int) -> None:
    assert load_policy().band(score) == (band, rank)


@pytest.mark.parametrize(
    ("rule", "facts", "fires"),
    [
        (Rule("r", "pre", "age", "lt", value=18), {"age": 17}, True),
        (Rule("r", "pre", "age", "lt", value=18), {"age": 18}, False),
        (Rule("r", "pre", "age", "lt", value=18), {"age": None}, False),  # missing never compares
        (Rule("r", "pre", "age", "missing"), {}, True),
        (Rule("r", "pre", "age", "present"), {"age": 0}, True),
        (Rule("r", "pre", "x", "is_true"), {"x": True}, True),
        (Rule("r", "pre", "x", "is_true"), {"x": 1}, False),
        (Rule("r", "pre", "x", "is_false"), {"x": None}, False),
        (Rule("r", "pre", "e", "not_in", value_from="p.types"), {"e": "student", "p.types": ["employed"]}, True),
        (Rule("r", "pre", "e", "not_in", value_from="p.types"), {"e": "student"}, False),  # no product: no fire
        (Rule("r", "pre", "i", "ge", value_from="p.min"), {"i": 5, "p.min": 5}, True),
        (Rule("r", "pre", "i", "lt", value=3), {"i": "text"}, False),  # type mismatch is not a hit
        (Rule("r", "pre", "h", "in", value=["rent"]), {"h": "rent"}, True),
        (Rule("r", "pre", "h", "eq", value="own"), {"h": "own"}, True),
        (Rule("r", "pre", "h", "ne", value="own"), {"h": "own"}, False),
        (Rule("r", "pre", "u", "contains", value="job_years"), {"u": ["job_years", "housing"]}, True),
        (Rule("r", "pre", "u", "contains", value="job_years"), {"u": ["housing"]}, False),
        (Rule("r", "pre", "u", "contains", value="job_years"), {"u": []}, False),
        (Rule("r", "pre", "u", "contains", value="job_years"), {}, False),
        (Rule("r", "pre", "u", "contains", value="job_years"), {"u": 3}, False),  # not a list: no hit
    ],
)
def test_rule_semantics(rule: Rule, facts: dict[str, Any], fires: bool) -> None:
    assert rule.fires(facts) is fires


BROKEN = [
    lambda p: p["rules"].append({"code": "x", "field": "age", "op": "approx", "value": 1, "outcome": "refer"}),
    lambda p: p["rules"].append({"code": "y", "field": "age", "op": "lt", "outcome": "refer"}),
    lambda p: p["rules"].append({"code": "z", "field": "age", "op": "lt", "value": 1, "outcome": "maybe"}),
    lambda p: p["rules"].append(dict(p["rules"][0])),
    lambda p: p["bands"][-1].update(min_score=100),
    lambda p: p["bands"].reverse(),
    lambda p: p["products"]["by_tier"].update(gold={"weakest_band": "Z"}),
    lambda p: p["products"]["default"].update(colour="red"),
    lambda p: p["limits"]["income_multiple"].pop("A"),
    lambda p: p["limits"].update(rounding=[{"below": 100, "unit": 10}]),
    lambda p: p.pop("fraud"),
    lambda p: p["reasons"].update(explain_score_from_band="Q"),
]


@pytest.mark.parametrize("breaker", BROKEN)
def test_broken_policies_are_refused_with_a_code(breaker: Any) -> None:
    raw = copy.deepcopy(raw_policy())
    breaker(raw)
    with pytest.raises(ScoringError) as err:
        from_dict(raw)
    assert err.value.code == k.ERR_BAD_POLICY


def test_every_rule_has_reason_texts_in_both_languages() -> None:
    book = load_reasons()
    for rule in load_policy().rules:
        r = book.reason(rule.code)
        assert r.text_zh and r.text_en and r.text_zh != r.text_en


def test_product_requirements_merge_default_tier_code() -> None:
    pol = load_policy()
    assert pol.requirements("KK_CLASSIC", "gold")["weakest_band"] == "E"  # the score cut-offs decide
    assert pol.requirements("KK_PLATINUM", "platinum")["weakest_band"] == "C"
    student = pol.requirements("KK_STUDENT", "standard")
    assert student["starter_limit"] == 1000 and student["decline_below"] < pol.product_default["decline_below"]
