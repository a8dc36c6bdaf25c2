"""Where the approved credit limit comes from when the caller does not pass one.

The card's credit limit is the credit decision's. :class:`ScoringDecisions` reads the latest
approving decision of the application from kaika's scoring package (``scoring_decisions``); a
bank with its own decision engine plugs in another :class:`CreditLimitSource`.
"""

from __future__ import annotations

from typing import Protocol

from bot.store.db import session_scope

APPROVE = "approve"  # integrations.scoring.const.APPROVE


class CreditLimitSource(Protocol):
    def approved_limit(self, application_id: int, product_code: str) -> int | None:
        """The approved limit in whole yuan, or None when there is no approving decision."""
        ...


class ScoringDecisions:
    """The latest approving, non-erased decision for the application (and this product, when the
    decision names one). None when the scoring package is not installed or has no such decision."""

    def approved_limit(self, application_id: int, product_code: str) -> int | None:
        try:
            from integrations.scoring.models import ScoringDecision
        except ImportError:
            return None
        with session_scope() as session:
            row = (
                session.query(ScoringDecision)
                .filter(
                    ScoringDecision.application_id == application_id,
                    ScoringDecision.outcome == APPROVE,
                    ScoringDecision.credit_limit.isnot(None),
                    ScoringDecision.erased_at.is_(None),
                )
                .order_by(ScoringDecision.id.desc())
                .first()
            )
            if row is None or (row.product_code is not None and row.product_code != product_code):
                return None
            return int(row.credit_limit)


def default_source() -> CreditLimitSource:
    return ScoringDecisions()
