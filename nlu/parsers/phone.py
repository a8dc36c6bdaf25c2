"""Mobile phone numbers (we send one-time codes, so landlines are refused).

Mainland mobiles: "15012345678", "150-1234-5678", "150 1234 5678",
"+86 150 1234 5678", "0086 15012345678", "(+86)15012345678",
"我的手机号是15012345678", or read out "幺五零幺二三四五六七八".
International numbers need "+" or "00": "+65 9123 4567", "+1 415 555 2671",
"+44 7911 123456".  Validation and the mobile check use ``phonenumbers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

from .numbers import spoken_digits_to_ascii

__all__ = [
    "INVALID",
    "NOT_FOUND",
    "TOO_LONG",
    "TOO_SHORT",
    "PhoneParse",
    "mask_phone",
    "parse_phone",
]

NOT_FOUND = "not_found"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
INVALID = "invalid"

_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
# A phone-number-looking stretch: optional "+", digits, and the separators
# people use between digit groups (at most two in a row).
_CANDIDATE = re.compile(r"(?:\+\s?|\(\s?\+?)?\d(?:[\s\-.()/]{0,2}\d)*")
_MIN_DIGITS = 7
_MAX_DIGITS = 17
_MAX_CANDIDATES = 10


@dataclass(frozen=True)
class PhoneParse:
    """``ok`` with ``e164`` ("+8615012345678") or an ``error`` code:
    NOT_FOUND, TOO_SHORT, TOO_LONG or INVALID (landline, unassigned prefix)."""

    ok: bool
    e164: str | None
    error: str | None


def _fail(code: str) -> PhoneParse:
    return PhoneParse(False, None, code)


def _check(number: phonenumbers.PhoneNumber) -> PhoneParse:
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in (ValidationResult.TOO_SHORT, ValidationResult.INVALID_LENGTH) and (
        len(str(number.national_number)) < 8
    ):
        return _fail(TOO_SHORT)
    if reason == ValidationResult.TOO_SHORT:
        return _fail(TOO_SHORT)
    if reason == ValidationResult.TOO_LONG:
        return _fail(TOO_LONG)
    if not phonenumbers.is_valid_number(number):
        return _fail(INVALID)
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return _fail(INVALID)
    return PhoneParse(True, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None)


def _parse_international(digits: str) -> PhoneParse:
    if len(digits) < _MIN_DIGITS:
        return _fail(TOO_SHORT)
    if len(digits) > _MAX_DIGITS:
        return _fail(TOO_LONG)
    try:
        number = phonenumbers.parse("+" + digits, None)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.TOO_SHORT_NSN:
            return _fail(TOO_SHORT)
        if exc.error_type == NumberParseException.TOO_LONG:
            return _fail(TOO_LONG)
        return _fail(INVALID)
    if number.country_code == 86:
        national = str(number.national_number)
        if national[:1] == "1" and national[1:2] in tuple("3456789"):
            if len(national) < 11:
                return _fail(TOO_SHORT)
            if len(national) > 11:
                return _fail(TOO_LONG)
    return _check(number)


def _parse_cn(digits: str) -> PhoneParse:
    if digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        digits = digits[2:]
    if digits.startswith("1"):
        if len(digits) < 11:
            return _fail(TOO_SHORT)
        if len(digits) > 11:
            return _fail(TOO_LONG)
        if not _CN_MOBILE.fullmatch(digits):
            return _fail(INVALID)
        return _check(phonenumbers.parse(digits, "CN"))
    if len(digits) < _MIN_DIGITS:
        return _fail(TOO_SHORT)
    if len(digits) > 12:
        return _fail(TOO_LONG)
    try:
        number = phonenumbers.parse(digits, "CN")
    except NumberParseException:
        return _fail(INVALID)
    return _check(number)


def parse_phone(text: str, default_region: str = "CN") -> PhoneParse:
    """Find and validate a mobile number in ``text``.

    Without "+"/"00" the number is read in ``default_region`` (mainland
    mobiles: 11 digits "1[3-9]..."; "+86"/"0086"/"86" prefixes are accepted).
    "1234" -> TOO_SHORT; "150123456789" -> TOO_LONG; "010-12345678"
    (a Beijing landline) -> INVALID.  When several numbers are present the
    first valid mobile wins ("我28岁，手机15012345678"); when none is valid the
    error is about the longest one.
    """
    if not isinstance(text, str) or not text.strip():
        return _fail(NOT_FOUND)
    norm = spoken_digits_to_ascii(text[:2000])
    region = (default_region or "CN").upper()
    candidates: list[tuple[str, bool]] = []
    for m in _CANDIDATE.finditer(norm):
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        international = raw.lstrip("( ").startswith("+")
        if not international and digits.startswith("00") and len(digits) > 4:
            international, digits = True, digits[2:]
        candidates.append((digits, international))
        if len(candidates) >= _MAX_CANDIDATES:
            break
    if not candidates:
        return _fail(NOT_FOUND)
    # The first candidate that is a valid mobile wins ("电话15012345678
    # 身份证4201..."); otherwise report on the longest one.
    results = [_parse_one(digits, international, region) for digits, international in candidates]
    for result in results:
        if result.ok:
            return result
    longest = max(range(len(candidates)), key=lambda i: len(candidates[i][0]))
    return results[longest]


def _parse_one(digits: str, international: bool, region: str) -> PhoneParse:
    if international:
        return _parse_international(digits)
    if region == "CN":
        return _parse_cn(digits)
    if len(digits) < 4:
        return _fail(TOO_SHORT)
    if len(digits) > _MAX_DIGITS:
        return _fail(TOO_LONG)
    try:
        number = phonenumbers.parse(digits, region)
    except NumberParseException:
        return _fail(INVALID)
    return _check(number)


def mask_phone(e164: str) -> str:
    """Hide the middle digits for echoing back:
    "+8615012345678" -> "+86 150****5678", "+6591234567" -> "+65 9***4567".
    Anything that is not E.164 keeps only its last 4 digits visible."""
    if not isinstance(e164, str):
        return ""
    digits = re.sub(r"\D", "", e164)
    if not digits:
        return ""
    cc, national = "", digits
    if e164.strip().startswith("+"):
        try:
            number = phonenumbers.parse("+" + digits, None)
            cc = str(number.country_code)
            national = phonenumbers.national_significant_number(number) or digits
        except NumberParseException:
            cc, national = "", digits
    if len(national) <= 4:
        body = "*" * len(national)
    else:
        head = national[: max(0, min(3, len(national) - 7))]
        body = head + "*" * (len(national) - len(head) - 4) + national[-4:]
    return f"+{cc} {body}" if cc else body
