"""Which cards an applicant can get: every catalog card decided for this applicant (the score is
computed once per card in microseconds), so the recommender never offers a card the applicant
would be declined for, and can offer the closest card they can get instead.

"Closest" to the wanted card: most spending categories in common, then the nearest tier, then
the higher limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.catalog import Catalog, get_catalog
from integrations.scoring import const as k
from integrations.scoring.decide import decide

TIER_ORDER = {"standard": 0, "gold": 1, "platinum": 2}


@dataclass(frozen=True)
class Offer:
    code: str
    decision: str
    credit_limit: int | None
    band: str
    reasons: tuple[str, ...]


def offers(application: Mapping[str, Any], codes: Iterable[str] | None = None, **kwargs: Any) -> list[Offer]:
    """The decision for each card (default: the whole catalog), in catalog order."""
    catalog: Catalog = kwargs.get("catalog") or get_catalog()
    wanted = list(codes) if codes is not None else list(catalog.codes)
    out = []
    for code in wanted:
        d = decide(application, product_code=code, **kwargs)
        out.append(Offer(code, d.decision, d.credit_limit, d.band, tuple(r.code for r in d.reasons)))
    return out


def recommendable(application: Mapping[str, Any], codes: Iterable[str] | None = None, **kwargs: Any) -> list[str]:
    """Cards not declined for this applicant (approve, or refer to review), in the given order."""
    return [o.code for o in offers(application, codes, **kwargs) if o.decision != k.DECLINE]


def closest_card(application: Mapping[str, Any], wanted: str, **kwargs: Any) -> str | None:
    """``wanted`` if it would be approved, else the approvable card closest to it (None if none)."""
    catalog: Catalog = kwargs.get("catalog") or get_catalog()
    target = catalog.get(wanted)
    all_offers = offers(application, **kwargs)
    approved = [o for o in all_offers if o.decision == k.APPROVE]
    if any(o.code == wanted for o in approved):
        return wanted
    pool = approved or [o for o in all_offers if o.decision == k.REFER]
    if not pool or target is None:
        return pool[0].code if pool else None

    def closeness(o: Offer) -> tuple[int, int, int]:
        card = catalog.get(o.code)
        assert card is not None
        shared = len(set(card.categories) & set(target.categories))
        tier_gap = abs(TIER_ORDER.get(card.tier, 0) - TIER_ORDER.get(target.tier, 0))
        return shared, -tier_gap, o.credit_limit or 0

    return max(pool, key=closeness).code
