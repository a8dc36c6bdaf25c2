"""Initial limits: income × band multiple, debt capacity, product cap, starter limit, rounding."""

from __future__ import annotations

from typing import Any

import pytest

from bot.catalog import get_catalog
from integrations.scoring import const as k
from integrations.scoring.compiled import CompiledScorecard
from integrations.scoring.decide import decide, product_facts
from integrations.scoring.limits import initial_limit
from integrations.scoring.policy import load_policy

from .conftest import good_applicant


def facts(card: str, income: float | None, debt: float | None) -> dict[str, Any]:
    pf = product_facts(card, load_policy(), get_catalog()) or {}
    return {"monthly_income": income, "monthly_debt_payment": debt, **{f"product.{a}": b for a, b in pf.items()}}


@pytest.mark.parametrize(
    ("card", "income", "debt", "band", "limit", "code"),
    [
        ("KK_CLASSIC", 8000, 0, "A", 32000, "income_multiple"),  # 8000 × 4
        ("KK_CLASSIC", 8000, 0, "D", 16000, "income_multiple"),  # 8000 × 2
        ("KK_CLASSIC", 4100, 0, "C", 10000, "income_multiple"),  # 10,250 → 10,000 (unit 1000)
        ("KK_CLASSIC", 3900, 0, "D", 7500, "income_multiple"),  # 7,800 → 7,500 (unit 500)
        ("KK_CLASSIC", 20000, 0, "A", 50000, "product_max"),  # 80,000 capped at 50,000
        ("KK_CLASSIC", 10000, 4500, "A", 5000, "debt_capacity"),  # (5000 − 4500) / 10 %
        ("KK_CLASSIC", 10000, 6000, "A", 0, "debt_capacity"),  # nothing left for a new card
        ("KK_STUDENT", 0, 0, "E", 1000, "starter_limit"),
        ("KK_STUDENT", 2000, 0, "E", 2000, "income_multiple"),
        ("KK_STUDENT", 1000, 450, "E", 500, "debt_capacity"),  # no starter limit on top of existing debt
        ("KK_PLATINUM", 60000, 0, "A", 240000, "income_multiple"),
    ],
)
def test_limit_table(card: str, income: float, debt: float, band: str, limit: int, code: str) -> None:
    res = initial_limit(facts(card, income, debt), band, load_policy())
    assert (res.proposed, res.code) == (limit, code)
    assert res.steps[-1].code == "rounded"


def test_unknown_income_gives_no_limit() -> None:
    res = initial_limit(facts("KK_CLASSIC", None, 0), "A", load_policy())
    assert res.proposed is None and res.code == "income_unknown"


def test_limit_below_card_minimum_declines_the_card(model: CompiledScorecard) -> None:
    d = decide(good_applicant(monthly_income=10000, monthly_debt_payment=4800), model=model)
    assert "limit_below_product_minimum" in [h.code for h in d.rules_fired]
    assert d.decision == k.DECLINE and d.credit_limit is None
    assert d.limit.proposed is not None and d.limit.proposed < 3000


def test_limit_explanation_in_both_languages(model: CompiledScorecard) -> None:
    d = decide(good_applicant(monthly_income=20000, monthly_debt_payment=0), model=model)
    assert d.limit.code == "product_max" and d.credit_limit == 50000
    assert d.limit_explanation is not None
    assert "50,000" in d.limit_explanation.text_zh and "倍" in d.limit_explanation.text_zh
    assert "50,000" in d.limit_explanation.text_en and "maximum" in d.limit_explanation.text_en
