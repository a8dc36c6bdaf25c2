"""nlu.parsers.phone: mobile numbers (mainland and international)."""

from __future__ import annotations

import pytest

from nlu.parsers.phone import INVALID, NOT_FOUND, TOO_LONG, TOO_SHORT, PhoneParse, mask_phone, parse_phone


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("15012345678", "+8615012345678"),
        ("150-1234-5678", "+8615012345678"),
        ("150 1234 5678", "+8615012345678"),
        ("+86 150 1234 5678", "+8615012345678"),
        ("+86-150-1234-5678", "+8615012345678"),
        ("（+86）15012345678", "+8615012345678"),
        ("(86) 150 1234 5678", "+8615012345678"),
        ("0086 15012345678", "+8615012345678"),
        ("8615012345678", "+8615012345678"),
        ("１５０１２３４５６７８", "+8615012345678"),
        ("我的手机号是15012345678", "+8615012345678"),
        ("my mobile is 150 1234 5678, thanks", "+8615012345678"),
        ("我28岁，手机15012345678", "+8615012345678"),
        ("电话15012345678 身份证420106198008251161", "+8615012345678"),
        ("手机：150-1234-5678，座机010-12345678", "+8615012345678"),
        ("tel: +86-150-1234-5678", "+8615012345678"),
        ("+86 (150) 1234-5678", "+8615012345678"),
        ("150.1234.5678", "+8615012345678"),
        ("1 5 0 1 2 3 4 5 6 7 8", "+8615012345678"),
        ("13800138000", "+8613800138000"),
        ("19912345678", "+8619912345678"),
        ("17012345678", "+8617012345678"),
        ("一三八零零一三八零零零", "+8613800138000"),
        ("幺五零 幺二三四 五六七八", "+8615012345678"),
        ("one five zero one two three four five six seven eight", "+8615012345678"),
        # international (needs + or 00)
        ("+65 9123 4567", "+6591234567"),
        ("0065 9123 4567", "+6591234567"),
        ("+1 415 555 2671", "+14155552671"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("my number is +1-415-555-2671 ext 12", "+14155552671"),
        ("+44 7911 123456", "+447911123456"),
        ("+852 5123 4567", "+85251234567"),
    ],
)
def test_valid_mobiles(text: str, e164: str) -> None:
    assert parse_phone(text) == PhoneParse(True, e164, None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", NOT_FOUND),
        ("   ", NOT_FOUND),
        ("hello", NOT_FOUND),
        ("😀", NOT_FOUND),
        ("没有手机", NOT_FOUND),
        ("<script>alert(x)</script>", NOT_FOUND),
        ("'; DROP TABLE applications; --", NOT_FOUND),
        ("1234", TOO_SHORT),
        ("150123456", TOO_SHORT),  # 9 digits
        ("1501234567", TOO_SHORT),  # 10 digits
        ("+8615012345", TOO_SHORT),
        ("+123", TOO_SHORT),
        ("150123456789", TOO_LONG),  # 12-digit "mainland"
        ("+86 150 1234 56789", TOO_LONG),
        ("9" * 10_000, TOO_LONG),
        ("010-12345678", INVALID),  # Beijing landline
        ("02112345678", INVALID),  # Shanghai landline
        ("+86 10 1234 5678", INVALID),
        ("12345678901", INVALID),  # 1[0-2] is not a mobile prefix
        ("14012345678", INVALID),  # unassigned
    ],
)
def test_invalid(text: str, error: str) -> None:
    assert parse_phone(text) == PhoneParse(False, None, error)


def test_default_region_other_than_cn() -> None:
    assert parse_phone("9123 4567", default_region="SG") == PhoneParse(True, "+6591234567", None)
    assert parse_phone("6123 4567", default_region="SG").error == INVALID  # SG landline


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+8615012345678", "+86 150****5678"),
        ("+6591234567", "+65 9***4567"),
        ("+14155552671", "+1 415***2671"),
        ("+447911123456", "+44 791***3456"),
        ("15012345678", "150****5678"),
        ("", ""),
        ("abc", ""),
        ("12", "**"),
    ],
)
def test_mask_phone(e164: str, masked: str) -> None:
    assert mask_phone(e164) == masked
