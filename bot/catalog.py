"""The card product catalog (``data/catalog/cards.yml``): typed access, loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import ROOT

CATALOG = ROOT / "data" / "catalog" / "cards.yml"


@dataclass(frozen=True)
class Eligibility:
    min_monthly_income: float
    employment_types: tuple[str, ...]
    requires_guardian_consent: bool = False


@dataclass(frozen=True)
class Card:
    code: str
    name_zh: str
    name_en: str
    tier: str
    network: str
    bin: str
    annual_fee: int
    annual_fee_waiver_zh: str
    annual_fee_waiver_en: str
    limit_min: int
    limit_max: int
    categories: tuple[str, ...]
    eligibility: Eligibility
    benefits_zh: str
    benefits_en: str
    reason_zh: str
    reason_en: str

    def name(self, language: str | None) -> str:
        return self.name_en if language == "en" else self.name_zh

    def text(self, attr: str, language: str | None) -> str:
        return str(getattr(self, f"{attr}_{'en' if language == 'en' else 'zh'}"))


@dataclass(frozen=True)
class Catalog:
    version: str
    currency: str
    interest: dict[str, float]
    cards: tuple[Card, ...] = field(default_factory=tuple)

    def get(self, code: str | None) -> Card | None:
        return next((c for c in self.cards if c.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.cards)


def _card(raw: dict[str, Any]) -> Card:
    elig = raw["eligibility"]
    return Card(
        **{k: v for k, v in raw.items() if k not in {"eligibility", "categories"}},
        categories=tuple(raw["categories"]),
        eligibility=Eligibility(
            min_monthly_income=float(elig["min_monthly_income"]),
            employment_types=tuple(elig["employment_types"]),
            requires_guardian_consent=bool(elig.get("requires_guardian_consent", False)),
        ),
    )


def load_catalog(path: Path = CATALOG) -> Catalog:
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    cards = tuple(_card(c) for c in raw["cards"])
    codes = [c.code for c in cards]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate card codes in {path}")
    return Catalog(version=str(raw["version"]), currency=raw["currency"], interest=raw["interest"], cards=cards)


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    return load_catalog()
