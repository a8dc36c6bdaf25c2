"""nlu.parsers.dates: dates and ID-card validity periods."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.parsers.dates import find_dates, is_ambiguous_date, parse_date, parse_validity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990年1月1日", date(1990, 1, 1)),
        ("1990 年 1 月 1 日", date(1990, 1, 1)),
        ("1990年1月1号", date(1990, 1, 1)),
        ("１９９０年１月１日", date(1990, 1, 1)),
        ("一九九零年一月一日", date(1990, 1, 1)),
        ("二〇〇五年十二月三十一日", date(2005, 12, 31)),
        ("二零零五年十月二十号", date(2005, 10, 20)),
        ("九零年一月一日", date(1990, 1, 1)),
        ("90年1月1日", date(1990, 1, 1)),
        ("1990-01-01", date(1990, 1, 1)),
        ("1990.1.1", date(1990, 1, 1)),
        ("1990/01/01", date(1990, 1, 1)),
        ("19900101", date(1990, 1, 1)),
        ("我的生日是1985年6月15日", date(1985, 6, 15)),
        ("born on 1985-06-15", date(1985, 6, 15)),
        # year last: first > 12 -> day first; second > 12 -> month first; else MM/DD
        ("13/01/1990", date(1990, 1, 13)),
        ("01/13/1990", date(1990, 1, 13)),
        ("01/02/1990", date(1990, 1, 2)),
        ("25.12.1990", date(1990, 12, 25)),
        # English month names
        ("Jan 1, 1990", date(1990, 1, 1)),
        ("January 1st 1990", date(1990, 1, 1)),
        ("Sept. 9, 1999", date(1999, 9, 9)),
        ("1 January 1990", date(1990, 1, 1)),
        ("1st of Jan 1990", date(1990, 1, 1)),
        ("31 Dec 1999", date(1999, 12, 31)),
        ("1990 Jan 1", date(1990, 1, 1)),
        ("2000年2月29日", date(2000, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "😀",
        "1990年2月30日",
        "1900年2月29日",  # not a leap year
        "19901301",
        "1990-13-01",
        "1899-12-31",  # before 1900
        "2200-01-01",
        "Feb 30, 1990",
        "15012345678",
        "<script>alert(1)</script>",
        "'; DROP TABLE applications; --",
        "1" * 10_000,
    ],
)
def test_parse_date_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [("01/02/1990", True), ("13/01/1990", False), ("01/01/1990", False), ("1990-01-02", False), ("", False)],
)
def test_is_ambiguous_date(text: str, ambiguous: bool) -> None:
    assert is_ambiguous_date(text) is ambiguous


def test_find_dates_positions() -> None:
    found = find_dates("from 2015.03.01 to 2035.03.01")
    assert [d for _, _, d in found] == [date(2015, 3, 1), date(2035, 3, 1)]
    assert found[0][0] == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015.03.01-2035.03.01", (date(2015, 3, 1), date(2035, 3, 1))),
        ("2015.03.01—2035.03.01", (date(2015, 3, 1), date(2035, 3, 1))),
        ("2015.03.01 至 2035.03.01", (date(2015, 3, 1), date(2035, 3, 1))),
        ("20150301-20350301", (date(2015, 3, 1), date(2035, 3, 1))),
        ("2015-03-01-2035-03-01", (date(2015, 3, 1), date(2035, 3, 1))),
        ("2015年3月1日到2035年3月1日", (date(2015, 3, 1), date(2035, 3, 1))),
        ("2015.03.01-长期", (date(2015, 3, 1), None)),
        ("2015.03.01 - 长期", (date(2015, 3, 1), None)),
        ("2015年3月1日起长期有效", (date(2015, 3, 1), None)),
        ("2015.03.01 - long-term", (date(2015, 3, 1), None)),
        ("2035.03.01-2015.03.01", None),  # end before start
        ("2015.03.01", None),  # no end
        ("长期", None),
        ("", None),
        ("hello", None),
    ],
)
def test_parse_validity(text: str, expected: tuple[date, date | None] | None) -> None:
    assert parse_validity(text) == expected
