"""The initial credit limit: from income, existing debt and the score band, capped per product,
rounded down, explained step by step (codes and values; the words are in reasons.yml).

    1. income_multiple  monthly income × the band's multiple (policy limits.income_multiple)
    2. debt_capacity    at most max_debt_service_ratio of income may go to debt service; what is
                        left after existing payments must cover the card's minimum payment
                        (catalog minimum_payment_percent of the balance): limit ≤ left / rate
    3. starter_limit    a card with a starter limit (policy) gives at least that much to an
                        applicant without existing debt payments
    4. product_max      never above the card's limit_max
    5. rounded          down to the policy's unit (500 below 10,000, else 1,000)

``code`` names the step that set the limit. A limit below the card's limit_min is not raised: the
policy's ``limit_below_product_minimum`` rule declines the card (and matching offers another).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from integrations.scoring.policy import Policy

INCOME_MULTIPLE = "income_multiple"
DEBT_CAPACITY = "debt_capacity"
STARTER_LIMIT = "starter_limit"
PRODUCT_MAX = "product_max"
ROUNDED = "rounded"
INCOME_UNKNOWN = "income_unknown"


@dataclass(frozen=True)
class LimitStep:
    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "values": dict(self.values)}


@dataclass(frozen=True)
class LimitResult:
    proposed: int | None  # None: no limit can be computed (income unknown)
    code: str
    steps: tuple[LimitStep, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"proposed": self.proposed, "code": self.code, "steps": [s.to_dict() for s in self.steps]}


def _money(x: float) -> float:
    return round(x, 2)


def initial_limit(facts: Mapping[str, Any], band: str, policy: Policy) -> LimitResult:
    """The proposed limit for the facts' income, debt and product at ``band``."""
    income = facts.get("monthly_income")
    if income is None:
        return LimitResult(None, INCOME_UNKNOWN, ())
    lp = policy.limits
    multiple = lp.income_multiple[band]
    amount = income * multiple
    code = INCOME_MULTIPLE
    steps = [
        LimitStep(
            INCOME_MULTIPLE,
            {"monthly_income": _money(income), "multiple": multiple, "band": band, "amount": _money(amount)},
        )
    ]

    debt = facts.get("monthly_debt_payment")
    rate = facts.get("product.minimum_payment_rate")
    if debt is not None and rate:
        left = max(0.0, lp.max_debt_service_ratio * income - debt)
        capacity = left / rate
        if capacity < amount:
            amount, code = capacity, DEBT_CAPACITY
        steps.append(
            LimitStep(
                DEBT_CAPACITY,
                {
                    "monthly_debt_payment": _money(debt),
                    "max_debt_service_ratio": lp.max_debt_service_ratio,
                    "minimum_payment_rate": rate,
                    "amount": _money(capacity),
                },
            )
        )

    starter = facts.get("product.starter_limit")
    if starter and debt == 0 and amount < starter:
        amount, code = float(starter), STARTER_LIMIT
        steps.append(LimitStep(STARTER_LIMIT, {"amount": starter}))

    limit_max = facts.get("product.limit_max")
    if limit_max is not None and amount > limit_max:
        amount, code = float(limit_max), PRODUCT_MAX
        steps.append(LimitStep(PRODUCT_MAX, {"limit_max": limit_max}))

    unit = lp.unit_for(amount)
    rounded = int(math.floor(amount / unit + 1e-9) * unit)
    steps.append(LimitStep(ROUNDED, {"unit": unit, "amount": rounded}))
    return LimitResult(rounded, code, tuple(steps))
