"""nlu.parsers.numbers: numbers as people write and say them."""

from __future__ import annotations

import pytest

from nlu.parsers.numbers import (
    find_numbers,
    parse_chinese_numeral,
    parse_number,
    spoken_digits_to_ascii,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic digits, separators, decimals
        ("25000", 25000),
        ("25,000", 25000),
        ("25，000", 25000),
        ("１２，０００", 12000),
        ("1,234,567.5", 1234567.5),
        ("3.5", 3.5),
        ("-5000", -5000),
        ("999999999999", 999999999999),
        # Chinese numerals, standard and colloquial
        ("两万五", 25000),
        ("一万二", 12000),
        ("三千五", 3500),
        ("八千五百", 8500),
        ("一万零五百", 10500),
        ("十二万", 120000),
        ("一点五万", 15000),
        ("两千", 2000),
        ("一百五", 150),
        ("十二万五", 125000),
        ("壹万贰仟", 12000),
        ("十", 10),
        ("零", 0),
        ("负五千", -5000),
        ("六七千", 6500),  # vague pair -> midpoint
        ("一两万", 15000),
        # mixed digits + units
        ("2万5", 25000),
        ("2万5千", 25000),
        ("2万5000", 25000),
        ("2万五", 25000),
        ("3千5", 3500),
        ("1.2w", 12000),
        ("1.2W", 12000),
        ("3k", 3000),
        ("3K", 3000),
        ("3.5k", 3500),
        ("2.5万", 25000),
        ("1.5千", 1500),
        ("5千块", 5000),
        ("3千万", 30_000_000),
        ("5百万", 5_000_000),
        ("2十万", 200_000),
        # English words
        ("ten thousand", 10000),
        ("twenty five thousand", 25000),
        ("twenty-five", 25),
        ("fifteen hundred", 1500),
        ("one hundred and twenty", 120),
        ("a hundred", 100),
        ("2 million", 2_000_000),
        ("half a million", 500_000),
        ("1.5 thousand", 1500),
        # inside text: the first number
        ("月薪大概8000左右", 8000),
        ("I earn about 12k", 12000),
        ("1-2万", 1),  # first number; ranges are amounts' business
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "😀", "'; DROP TABLE applications; --", "千万别", "万一", "点", "no one"],
)
def test_parse_number_none(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_is_literal() -> None:
    # parse_number reports any number; deciding that the lone 一 of "一直"
    # is not an amount is the amount parser's job.
    assert parse_number("一直") == 1
    assert parse_number("<script>alert(1)</script>") == 1


def test_find_numbers_spans_and_ranges() -> None:
    spans = find_numbers("1-2万")
    assert [s.value for s in spans] == [1, 20000]
    assert spans[1].has_unit and spans[1].multiplier == 10000
    spans = find_numbers("1 - 2万")  # spaced dash is still a range dash, not a sign
    assert [s.value for s in spans] == [1, 20000]
    pair = find_numbers("大概六七千")[0]
    assert pair.is_range and (pair.low, pair.high) == (6000, 7000)
    assert find_numbers("") == []


@pytest.mark.parametrize(
    ("run", "expected"),
    [("两万五", 25000), ("一九九零", 1990), ("千万", None), ("万一", None), ("", None), ("一" * 40, None)],
)
def test_parse_chinese_numeral(run: str, expected: float | None) -> None:
    assert parse_chinese_numeral(run) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一三八零零一三八零零零", "13800138000"),
        ("幺五零幺二三四五六七八", "15012345678"),
        ("两零一五", "2015"),
        ("洞洞七", "007"),
        ("我的手机是一五零 一二三四 五六七八", "我的手机是15012345678"),
        ("138一二三四5678", "13812345678"),
        ("one three eight zero zero one three eight zero zero zero", "13800138000"),
        ("one three eight double oh one", "138001"),
        ("five five five, one two three four", "5551234"),
        ("ONE TWO THREE", "123"),
        # leave other text alone
        ("我有一个", "我有一个"),
        ("两万五", "两万五"),
        ("一二三万", "一二三万"),
        ("I have one card", "I have one card"),
        ("one or two", "one or two"),
        ("一九九零年一月一日", "1990年一月一日"),
        ("hello", "hello"),
        ("", ""),
    ],
)
def test_spoken_digits_to_ascii(text: str, expected: str) -> None:
    assert spoken_digits_to_ascii(text) == expected
