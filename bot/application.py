"""The application: what an applicant answered, checked for completeness, ready to store.

Built from the conversation's slots; the store encrypts it as one record. Nothing here talks to
Rasa: actions call these functions, so the gateway, the CLI and tests use the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bot import const as c
from bot.catalog import get_catalog


class IncompleteApplication(ValueError):
    """Submission attempted while required answers are missing."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"missing answers: {', '.join(missing)}")
        self.missing = missing


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str
    birth_date: str
    sex: str
    phone: str
    employment_type: str
    employer: str | None
    monthly_income: float
    housing: str
    monthly_debt_payment: float
    spending_categories: tuple[str, ...]
    chosen_card: str
    job_years: float | None = None
    past_arrears: bool | None = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Applicant:
        from bot import questionnaire

        needed = [s for s in questionnaire.required(slots) if s != c.APPLICATION_CONFIRMED]
        missing = [s for s in needed if slots.get(s) is None]
        if missing:
            raise IncompleteApplication(missing)
        if get_catalog().get(slots[c.CHOSEN_CARD]) is None:
            raise IncompleteApplication([c.CHOSEN_CARD])
        return cls(
            full_name=str(slots[c.FULL_NAME]),
            id_number=str(slots[c.ID_NUMBER]),
            birth_date=str(slots[c.BIRTH_DATE]),
            sex=str(slots[c.SEX]),
            phone=str(slots[c.PHONE]),
            employment_type=str(slots[c.EMPLOYMENT_TYPE]),
            employer=slots.get(c.EMPLOYER) if c.EMPLOYER in needed else None,
            monthly_income=float(slots[c.MONTHLY_INCOME]),
            housing=str(slots[c.HOUSING]),
            monthly_debt_payment=float(slots[c.MONTHLY_DEBT_PAYMENT]),
            spending_categories=tuple(slots[c.SPENDING_CATEGORIES]),
            chosen_card=str(slots[c.CHOSEN_CARD]),
            job_years=float(slots[c.JOB_YEARS]) if c.JOB_YEARS in needed else None,
            past_arrears=bool(slots[c.PAST_ARREARS]),
        )

    def to_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["spending_categories"] = list(self.spending_categories)
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Applicant:
        data = dict(record)
        data["spending_categories"] = tuple(data.get("spending_categories") or ())
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]

    def age_on(self, today: dt.date) -> int:
        born = dt.date.fromisoformat(self.birth_date)
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
