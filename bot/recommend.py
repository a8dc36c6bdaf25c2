"""Rank the catalog's cards for an applicant, with a one-line reason for each.

Rules (all from the catalog data): a card is offered only if the applicant meets its eligibility
(employment type, minimum income). Offered are the cards that reward at least one of the
applicant's spending interests, ranked by how many they reward, then by how well the card's tier
fits the income; the list is completed with general-purpose cards (those rewarding everyday
spending), so nobody eligible gets an empty list or a card for interests they do not have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.catalog import Card, Catalog, get_catalog
from bot.i18n import join, label

GENERAL_PURPOSE = "everyday"


@dataclass(frozen=True)
class Profile:
    employment_type: str
    monthly_income: float
    spending_categories: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    card: Card
    matched: tuple[str, ...]
    rank_score: float

    def reason(self, language: str | None) -> str:
        cats = self.matched or self.card.categories
        names = join([label(f"spending_categories.{c}", language) for c in cats], language)
        return self.card.text("reason", language).format(categories=names)


def eligible(card: Card, profile: Profile) -> bool:
    elig = card.eligibility
    return profile.employment_type in elig.employment_types and profile.monthly_income >= elig.min_monthly_income


def _tier_fit(card: Card, income: float) -> float:
    # Prefer the richest card the applicant qualifies for, but only mildly: interests come first.
    return min(card.eligibility.min_monthly_income, income) / max(income, 1.0)


def recommend(profile: Profile, catalog: Catalog | None = None, limit: int = 3) -> list[Recommendation]:
    catalog = catalog or get_catalog()
    ranked: list[Recommendation] = []
    for order, card in enumerate(catalog.cards):
        if not eligible(card, profile):
            continue
        matched = tuple(c for c in profile.spending_categories if c in card.categories)
        if not matched and GENERAL_PURPOSE not in card.categories:
            continue
        score = 10.0 * len(matched) + _tier_fit(card, profile.monthly_income) - 0.01 * order
        ranked.append(Recommendation(card=card, matched=matched, rank_score=score))
    ranked.sort(key=lambda r: r.rank_score, reverse=True)
    return ranked[:limit]


def codes(recs: Sequence[Recommendation]) -> list[str]:
    return [r.card.code for r in recs]
