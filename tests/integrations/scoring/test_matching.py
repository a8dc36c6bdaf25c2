"""Product matching by score band and eligibility: never offer a card that would be declined."""

from __future__ import annotations

from integrations.scoring import const as k
from integrations.scoring.compiled import CompiledScorecard
from integrations.scoring.decide import decide
from integrations.scoring.matching import closest_card, offers, recommendable

from .conftest import good_applicant


def test_recommendable_cards_are_never_declined(model: CompiledScorecard) -> None:
    app = good_applicant(housing="rent", birth_date="1998-01-01", monthly_income=12000)
    codes = recommendable(app, model=model)
    assert codes
    for code in codes:
        assert decide(app, product_code=code, model=model).decision != k.DECLINE
    all_codes = [o.code for o in offers(app, model=model)]
    assert "KK_PLATINUM" in all_codes and "KK_PLATINUM" not in codes  # income below its minimum
    assert "KK_STUDENT" not in codes  # not a student


def test_closest_card_when_the_wanted_one_is_declined(model: CompiledScorecard) -> None:
    app = good_applicant(monthly_income=12000, chosen_card="KK_PLATINUM")
    assert decide(app, model=model).decision == k.DECLINE
    alt = closest_card(app, "KK_PLATINUM", model=model)
    assert alt is not None and alt != "KK_PLATINUM"
    assert decide(app, product_code=alt, model=model).decision == k.APPROVE
    assert alt == "KK_CLASSIC"  # shares shopping and dining with Platinum


def test_closest_card_is_the_wanted_one_when_approved(model: CompiledScorecard) -> None:
    assert closest_card(good_applicant(), "KK_CLASSIC", model=model) == "KK_CLASSIC"


def test_student_gets_the_campus_card(model: CompiledScorecard) -> None:
    app = good_applicant(
        employment_type="student",
        birth_date="2006-03-01",
        monthly_income=0,
        monthly_debt_payment=0,
        housing="family",
        chosen_card="KK_STUDENT",
    )
    d = decide(app, model=model)
    assert d.decision == k.APPROVE and d.credit_limit == 1000, d.to_dict()["rules_fired"]
    assert recommendable(app, model=model) == ["KK_STUDENT"]
