""" "What if" re-scoring: decide a copy of the application with changed answers and report the
difference. The real application is never touched (the copy is a new dict), and both decisions
use the same date, model and policy, so only the changed answers explain the difference.

    simulate(app, {"monthly_income": 30000})        # 如果我月收入三万，额度能有多少？
    simulate(app, {"monthly_debt_payment": 0})      # what if I paid off my car loan?
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import const as bc
from integrations.scoring import const as k
from integrations.scoring.decide import Decision, _as_of, decide
from integrations.scoring.errors import ScoringError

# Answers an applicant may vary in a simulation (the ones the decision depends on).
SIMULATABLE = frozenset(
    {
        bc.BIRTH_DATE,
        bc.EMPLOYMENT_TYPE,
        bc.MONTHLY_INCOME,
        bc.HOUSING,
        bc.MONTHLY_DEBT_PAYMENT,
        bc.CHOSEN_CARD,
        k.SLOT_JOB_YEARS,  # "what if I had been in this job two more years?"
        k.SLOT_PAST_ARREARS,  # "what if I had no late payments?" (explains that reason's weight)
    }
)


@dataclass(frozen=True)
class Simulation:
    before: Decision
    after: Decision
    changed: Mapping[str, tuple[Any, Any]]  # slot → (old, new)

    @property
    def score_change(self) -> float:
        return self.after.score - self.before.score

    @property
    def limit_change(self) -> int | None:
        if self.before.credit_limit is None or self.after.credit_limit is None:
            return None
        return self.after.credit_limit - self.before.credit_limit

    def to_dict(self) -> dict[str, Any]:
        b, a = self.before.to_dict(), self.after.to_dict()
        keep = ("decision", "credit_limit", "score", "band", "reasons", "rules_fired", "limit", "product_code")
        return {
            "changed": sorted(self.changed),
            "before": {key: b[key] for key in keep},
            "after": {key: a[key] for key in keep},
            "score_change": round(self.score_change, 4),
            "limit_change": self.limit_change,
            "decision_changed": self.before.decision != self.after.decision,
        }


def simulate(application: Mapping[str, Any], changes: Mapping[str, Any], **kwargs: Any) -> Simulation:
    """Decide the application as is and with ``changes`` applied to a copy."""
    unknown = sorted(set(changes) - SIMULATABLE)
    if unknown:
        raise ScoringError(k.ERR_BAD_INPUT, f"cannot simulate changes to {unknown}")
    day: dt.date = kwargs.pop("as_of", None) or _as_of(application, None)
    before = decide(application, as_of=day, **kwargs)
    copy = {**dict(application), **dict(changes)}
    after = decide(copy, as_of=day, **kwargs)
    changed = {key: (application.get(key), v) for key, v in changes.items() if application.get(key) != v}
    return Simulation(before=before, after=after, changed=changed)
