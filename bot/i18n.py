"""Labels in the applicant's language, from ``bot/locales/labels.yml`` (zh and en side by side)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.const import DEFAULT_LANGUAGE, LANGUAGES

LABELS = Path(__file__).resolve().parent / "locales" / "labels.yml"


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    with LABELS.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def lang_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def label(path: str, language: str | None, **values: Any) -> str:
    """``label("status.submitted", "en")`` → "submitted, awaiting a decision". Unknown keys raise."""
    node: Any = _labels()
    for part in path.split("."):
        node = node[part]
    text = str(node[lang_or_default(language)])
    return text.format(**values) if values else text


def money(amount: float | int, language: str | None, per_month: bool = False) -> str:
    return label("per_month" if per_month else "currency", language, amount=f"{amount:,.0f}")


def join(items: list[str], language: str | None) -> str:
    return label("list_separator", language).join(items)
