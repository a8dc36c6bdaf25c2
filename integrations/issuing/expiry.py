"""Card expiry: valid through the last day of the month, a fixed number of years after issue."""

from __future__ import annotations

import calendar
import datetime as dt

from integrations.issuing.const import EXPIRY_YEARS


def expiry_for(issued: dt.date, years: int = EXPIRY_YEARS) -> dt.date:
    """Last day of the issue month, ``years`` later (a card issued 2026-02-28 expires 2031-02-28)."""
    year, month = issued.year + years, issued.month
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def as_month(expiry: dt.date) -> str:
    """Storage form ``YYYY-MM``."""
    return f"{expiry.year:04d}-{expiry.month:02d}"


def parse_month(value: str) -> dt.date:
    year, month = (int(p) for p in value.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def printed(expiry: dt.date) -> str:
    """As printed on a card: ``MM/YY``."""
    return f"{expiry.month:02d}/{expiry.year % 100:02d}"


def yymm(expiry: dt.date) -> str:
    """As encoded on the magnetic stripe and in the CVV input: ``YYMM``."""
    return f"{expiry.year % 100:02d}{expiry.month:02d}"
