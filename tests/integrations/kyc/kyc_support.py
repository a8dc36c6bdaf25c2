"""Shared helpers of the phone/liveness/screening/record tests (not fixtures: no conftest clash)."""

from __future__ import annotations

import datetime as dt
import uuid

T0 = dt.datetime(2026, 12, 1, 9, 0, 0)


class FakeClock:
    """A clock the test moves by hand (naive UTC, like the store)."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float = 0, minutes: float = 0, hours: float = 0, days: float = 0) -> None:
        self.now += dt.timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)


def new_application() -> int:
    """A consented draft application in the test database; returns its id."""
    from bot.store.applications import open_draft

    return open_draft(f"test:{uuid.uuid4().hex}", "zh", "test-consent-v1")


def clear_kyc_caches() -> None:
    from integrations.kyc import liveness, screening, settings

    settings.get_kyc_settings.cache_clear()
    screening._load.cache_clear()
    liveness._cascade.cache_clear()
