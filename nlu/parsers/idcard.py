"""Chinese resident identity card numbers (GB 11643-1999).

An 18-character number: 6-digit region code, 8-digit birth date, 3-digit
sequence (odd = male, even = female) and a check character (0-9 or X).
People type it with spaces or dashes ("420106 19800825 1161"), a lower-case
"x", full-width digits, inside a sentence ("我的身份证号是..."), or read it
out digit by digit ("四二零一零六...").  :func:`parse_id_number` finds it and
validates everything, returning an error code instead of a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .numbers import spoken_digits_to_ascii

__all__ = [
    "BIRTH_DATE",
    "CHECKSUM",
    "FUTURE_BIRTH",
    "LENGTH",
    "NOT_FOUND",
    "OLD_15_DIGIT",
    "PROVINCE_CODES",
    "REGION",
    "IdNumber",
    "IdParse",
    "age_on",
    "check_digit",
    "mask_id_number",
    "parse_id_number",
]

NOT_FOUND = "not_found"
LENGTH = "length"
OLD_15_DIGIT = "old_15_digit"
CHECKSUM = "checksum"
BIRTH_DATE = "birth_date"
FUTURE_BIRTH = "future_birth"
REGION = "region"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_MAP = "10X98765432"

# Province-level codes of GB/T 2260, plus 71 (Taiwan), 81/82 (Hong Kong /
# Macao, used on residence permits) and 83 (Taiwan residents' residence permits).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(c) for c in range(11, 16)]
    + [str(c) for c in range(21, 24)]
    + [str(c) for c in range(31, 38)]
    + [str(c) for c in range(41, 47)]
    + [str(c) for c in range(50, 55)]
    + [str(c) for c in range(61, 66)]
    + ["71", "81", "82", "83"]
)

_EARLIEST_BIRTH = date(1900, 1, 1)
# Groups of digits (the last may end in X) separated by one short separator.
_GROUP = re.compile(r"\d+[xX]?")
_JOINER = re.compile(r"[ \-_./]{1,2}")
_MIN_CANDIDATE = 6


@dataclass(frozen=True)
class IdNumber:
    """A fully validated ID number and the facts encoded in it."""

    value: str  # 18 characters, upper-case X
    birth_date: date
    sex: Literal["M", "F"]
    region_code: str  # first 6 digits
    province_code: str  # first 2 digits


@dataclass(frozen=True)
class IdParse:
    """Result of :func:`parse_id_number`: ``ok`` with ``id`` or an ``error``
    code (NOT_FOUND, LENGTH, OLD_15_DIGIT, CHECKSUM, BIRTH_DATE, FUTURE_BIRTH,
    REGION)."""

    ok: bool
    id: IdNumber | None
    error: str | None


def check_digit(first17: str) -> str:
    """GB 11643 check character for the first 17 digits ("0"-"9" or "X").

    Returns "" when ``first17`` is not exactly 17 ASCII digits (this module
    never raises on user input).
    """
    if not isinstance(first17, str) or len(first17) != 17 or not first17.isascii():
        return ""
    if not first17.isdigit():
        return ""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_MAP[total % 11]


def age_on(birth: date, today: date) -> int:
    """Completed years between ``birth`` and ``today`` (29 Feb birthdays
    count from 1 March in common years)."""
    years = today.year - birth.year
    if (today.month, today.day) < (birth.month, birth.day):
        years -= 1
    return years


def mask_id_number(value: str) -> str:
    """ "420106198008251161" -> "4201**********1161" for echoing back."""
    if not isinstance(value, str) or len(value) < 8:
        return "*" * len(value) if isinstance(value, str) else ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _candidates(text: str) -> list[str]:
    """Digit strings that could be the ID, best first.

    Consecutive digit groups joined by one short separator form a chain;
    inside a chain the contiguous sub-chains adding up to exactly 18 (then
    15) characters are preferred, so "420106 19800825 1161" is one number
    but "420106198008251161 15012345678" still yields the 18-digit one.
    """
    groups = list(_GROUP.finditer(text))
    chains: list[list[str]] = []
    prev_end = -1
    for m in groups:
        g = m.group(0)
        if (
            chains
            and prev_end >= 0
            and _JOINER.fullmatch(text[prev_end : m.start()])
            and (chains[-1][-1][-1] not in "xX")
        ):
            chains[-1].append(g)
        else:
            chains.append([g])
        prev_end = m.end()
    exact18: list[str] = []
    exact15: list[str] = []
    others: list[str] = []
    for chain in chains:
        if len(chain) > 12:  # a long list of numbers, not an ID
            chain = chain[:12]
        found = False
        for i in range(len(chain)):
            total = ""
            for j in range(i, len(chain)):
                total += chain[j]
                if "x" in total[:-1].lower():
                    break
                if len(total) == 18:
                    exact18.append(total)
                    found = True
                elif len(total) == 15 and total.isdigit():
                    exact15.append(total)
                if len(total) >= 18:
                    break
        if not found:
            joined = "".join(chain)
            if len(joined) >= _MIN_CANDIDATE:
                others.append(joined)
    others.sort(key=lambda c: abs(len(c) - 18))
    return exact18 + exact15 + others


def _birth(digits: str) -> date | None:
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def parse_id_number(text: str, today: date | None = None) -> IdParse:
    """Find and validate an 18-character ID number inside ``text``.

    "11010519491231002X", "我的身份证号是 420106 19800825 1161",
    "350203-19770512-4516", "11010519491231002x" all work.  Checks are made
    in the order length -> region -> birth date -> future birth -> checksum,
    so the first error code returned points at the part the person should
    look at.  ``today`` defaults to ``date.today()``.
    """
    if not isinstance(text, str) or not text.strip():
        return IdParse(False, None, NOT_FOUND)
    norm = spoken_digits_to_ascii(text[:4000])
    candidates = _candidates(norm)
    if not candidates:
        return IdParse(False, None, NOT_FOUND)
    raw = candidates[0].upper()
    if len(raw) == 15 and raw.isdigit():
        return IdParse(False, None, OLD_15_DIGIT)
    if len(raw) != 18 or not raw[:17].isdigit():
        return IdParse(False, None, LENGTH)
    if raw[:2] not in PROVINCE_CODES:
        return IdParse(False, None, REGION)
    birth = _birth(raw[6:14])
    if birth is None or birth < _EARLIEST_BIRTH:
        return IdParse(False, None, BIRTH_DATE)
    if birth > (today or date.today()):
        return IdParse(False, None, FUTURE_BIRTH)
    if check_digit(raw[:17]) != raw[17]:
        return IdParse(False, None, CHECKSUM)
    sex: Literal["M", "F"] = "M" if int(raw[16]) % 2 == 1 else "F"
    number = IdNumber(value=raw, birth_date=birth, sex=sex, region_code=raw[:6], province_code=raw[:2])
    return IdParse(True, number, None)
