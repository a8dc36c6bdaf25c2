"""nlu.parsers.idcard: GB 11643-1999 resident identity card numbers."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.parsers.idcard import (
    BIRTH_DATE,
    CHECKSUM,
    FUTURE_BIRTH,
    LENGTH,
    NOT_FOUND,
    OLD_15_DIGIT,
    PROVINCE_CODES,
    REGION,
    IdNumber,
    IdParse,
    age_on,
    check_digit,
    mask_id_number,
    parse_id_number,
)

TODAY = date(2024, 6, 1)


def with_check(first17: str) -> str:
    """A number whose check character is right, so that only the part under
    test (date, region...) is wrong."""
    return first17 + check_digit(first17)


def _reference_check(first17: str) -> str:
    # Independent re-statement of the standard: sum(a_i * W_i) mod 11, W_i = 2^(17-i) mod 11.
    total = sum(int(a) * (2 ** (17 - i) % 11) for i, a in enumerate(first17))
    return "10X98765432"[total % 11]


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),  # the standard's own example
        ("42010619800825116", "1"),
        ("35020319770512451", "6"),
        ("44030819900101123", _reference_check("44030819900101123")),
    ],
)
def test_check_digit(first17: str, expected: str) -> None:
    assert check_digit(first17) == expected
    assert check_digit(first17) == _reference_check(first17)


@pytest.mark.parametrize("bad", ["", "123", "1101051949123100", "110105194912310021", "1101051949123100X", "１" * 17])
def test_check_digit_bad_input_returns_empty(bad: str) -> None:
    assert check_digit(bad) == ""


@pytest.mark.parametrize(
    ("text", "value", "birth", "sex", "region"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "F", "110105"),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "F", "110105"),  # lowercase x
        ("420106198008251161", "420106198008251161", date(1980, 8, 25), "F", "420106"),
        ("350203197705124516", "350203197705124516", date(1977, 5, 12), "M", "350203"),
        ("我的身份证号是 420106 19800825 1161", "420106198008251161", date(1980, 8, 25), "F", "420106"),
        ("350203-19770512-4516", "350203197705124516", date(1977, 5, 12), "M", "350203"),
        ("my ID is 350203 1977 0512 4516.", "350203197705124516", date(1977, 5, 12), "M", "350203"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", date(1949, 12, 31), "F", "110105"),
        ("四二零一零六一九八零零八二五一一六一", "420106198008251161", date(1980, 8, 25), "F", "420106"),
        ("身份证420106198008251161，手机15012345678", "420106198008251161", date(1980, 8, 25), "F", "420106"),
        ("420106198008251161 15012345678", "420106198008251161", date(1980, 8, 25), "F", "420106"),
    ],
)
def test_valid_numbers(text: str, value: str, birth: date, sex: str, region: str) -> None:
    result = parse_id_number(text, today=TODAY)
    assert result.ok and result.error is None
    assert result.id == IdNumber(
        value=value,
        birth_date=birth,
        sex=sex,
        region_code=region,
        province_code=region[:2],  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", NOT_FOUND),
        ("   ", NOT_FOUND),
        ("hello", NOT_FOUND),
        ("😀", NOT_FOUND),
        ("我没有身份证", NOT_FOUND),
        ("123", NOT_FOUND),
        ("<script>alert(1)</script>", NOT_FOUND),
        ("'; DROP TABLE applications; --", NOT_FOUND),
        ("420106198008251162", CHECKSUM),  # last digit wrong
        ("420106198008251171", CHECKSUM),  # sequence digit mistyped
        ("42010619800825116", LENGTH),  # 17 digits
        ("4201061980082511611", LENGTH),  # 19 digits
        ("12345678", LENGTH),
        ("4201061980X8251161", LENGTH),  # X in the middle
        ("110105491231002", OLD_15_DIGIT),
        (with_check("11010519900230001"), BIRTH_DATE),  # 30 February
        (with_check("11010519901301001"), BIRTH_DATE),  # month 13
        (with_check("11010518991231001"), BIRTH_DATE),  # before 1900
        (with_check("11010520300101001"), FUTURE_BIRTH),
        (with_check("99010519900101001"), REGION),
        (with_check("00010519900101001"), REGION),
        (with_check("20010519900101001"), REGION),
        ("9" * 10_000, LENGTH),
    ],
)
def test_invalid_numbers(text: str, error: str) -> None:
    assert parse_id_number(text, today=TODAY) == IdParse(False, None, error)


@pytest.mark.parametrize(
    "province", ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82", "83"]
)
def test_every_province_level_code_is_accepted(province: str) -> None:
    number = with_check(province + "010519900101001")
    assert parse_id_number(number, today=TODAY).ok
    assert province in PROVINCE_CODES


def test_today_defaults_to_real_today() -> None:
    assert parse_id_number("11010519491231002X").ok


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (date(1980, 8, 25), date(2024, 8, 24), 43),
        (date(1980, 8, 25), date(2024, 8, 25), 44),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2006, 6, 1), date(2024, 6, 1), 18),
        (date(2024, 6, 1), date(2024, 6, 1), 0),
    ],
)
def test_age_on(birth: date, today: date, age: int) -> None:
    assert age_on(birth, today) == age


def test_mask_id_number() -> None:
    assert mask_id_number("420106198008251161") == "4201**********1161"
    assert mask_id_number("123") == "***"
    assert mask_id_number("") == ""
