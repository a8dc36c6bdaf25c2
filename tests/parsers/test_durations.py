"""Years in a job or business, as applicants write them (zh and en)."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.parsers.durations import parse_years

THIS_YEAR = dt.date.today().year

CASES = [
    # Chinese
    ("三年", 3.0),
    ("3年", 3.0),
    ("3年多", 3.0),
    ("十多年", 10.0),
    ("一年半", 1.5),
    ("两年半", 2.5),
    ("半年", 0.5),
    ("6个月", 0.5),
    ("十八个月", 1.5),
    ("2年3个月", 2.25),
    ("刚入职", 0.1),
    ("干了五年了", 5.0),
    ("2019年入职", float(THIS_YEAR - 2019)),
    ("从2020年开始就在这家公司", float(THIS_YEAR - 2020)),
    # English
    ("3 years", 3.0),
    ("about 5 years", 5.0),
    ("18 months", 1.5),
    ("six months", 0.5),
    ("half a year", 0.5),
    ("two and a half years", 2.5),
    ("2 and a half years", 2.5),
    ("a year and a half", 1.5),
    ("two years and a half", 2.5),
    ("a couple of years", 2.0),
    ("ten years", 10.0),
    ("twelve years", 12.0),
    ("just started", 0.1),
    ("since 2019", float(THIS_YEAR - 2019)),
    (f"since {THIS_YEAR}", 0.5),
    ("4", 4.0),
    # a range counts as its lower end
    ("干了七八年了", 7.0),
    ("两三年", 2.0),
    ("十七八年", 17.0),
    ("七八个月", 7 / 12),
    ("二十年", 20.0),  # a number, not a range
    ("7-8 years", 7.0),
    ("7 or 8 years", 7.0),
    ("3 to 5 years", 3.0),
]


@pytest.mark.parametrize(("text", "years"), CASES)
def test_durations(text: str, years: float) -> None:
    assert parse_years(text) == pytest.approx(years, abs=0.01)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "我在阿里巴巴", "Huawei", "a while", "100 years", f"since {THIS_YEAR + 3}", "x" * 500, "😀"],
)
def test_not_a_duration(text: str) -> None:
    assert parse_years(text) is None
