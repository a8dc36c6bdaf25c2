"""nlu.parsers.amounts: monthly income / debt repayment amounts."""

from __future__ import annotations

import pytest

from nlu.parsers.amounts import Amount, parse_amount, parse_range_payload

INF = float("inf")


@pytest.mark.parametrize(
    ("text", "value", "period", "approximate", "after_tax"),
    [
        # plain figures, zh and en side by side
        ("两万五", 25000, "unknown", False, None),
        ("25k", 25000, "unknown", False, None),
        ("2.5万", 25000, "unknown", False, None),
        ("25,000", 25000, "unknown", False, None),
        ("一万", 10000, "unknown", False, None),
        ("10,000", 10000, "unknown", False, None),
        ("3万", 30000, "unknown", False, None),
        ("30k", 30000, "unknown", False, None),
        ("八千五百元", 8500, "unknown", False, None),
        ("¥8,000", 8000, "unknown", False, None),
        ("￥8000", 8000, "unknown", False, None),
        ("RMB 8000", 8000, "unknown", False, None),
        ("5千块", 5000, "unknown", False, None),
        ("２５，０００", 25000, "unknown", False, None),
        ("1.2w", 12000, "unknown", False, None),
        ("twenty five thousand", 25000, "unknown", False, None),
        ("5 grand", 5000, "unknown", False, None),
        ("8000RMB", 8000, "unknown", False, None),
        ("人民币八千元", 8000, "unknown", False, None),
        ("一万五", 15000, "unknown", False, None),
        ("1万5", 15000, "unknown", False, None),
        # hedges
        ("月入过万", 10000, "month", True, None),
        ("2000不到", 2000, "unknown", True, None),
        ("3000以上", 3000, "unknown", True, None),
        ("小两万", 20000, "unknown", True, None),
        ("月入2w+", 20000, "month", True, None),
        ("一万二左右", 12000, "unknown", True, None),
        ("about 8k", 8000, "unknown", True, None),
        ("around 12,000", 12000, "unknown", True, None),
        ("大概六七千", 6500, "unknown", True, None),
        ("8千多", 8000, "unknown", True, None),
        ("一万出头", 10000, "unknown", True, None),
        ("收入一般，大概一万", 10000, "unknown", True, None),
        # ranges -> midpoint, approximate
        ("1-2万", 15000, "unknown", True, None),
        ("一到两万", 15000, "unknown", True, None),
        ("10k-20k", 15000, "unknown", True, None),
        ("8-12k", 10000, "unknown", True, None),
        ("8000到10000", 9000, "unknown", True, None),
        ("5000 - 10000", 7500, "unknown", True, None),
        ("between 8k and 10k", 9000, "unknown", True, None),
        ("一两万", 15000, "unknown", True, None),
        # monthly
        ("月薪8千", 8000, "month", False, None),
        ("8000元/月", 8000, "month", False, None),
        ("每月还房贷4500", 4500, "month", False, None),
        ("my car loan is 3,200 a month", 3200, "month", False, None),
        ("8k per month", 8000, "month", False, None),
        ("我工作3年，月薪8000", 8000, "month", False, None),
        ("我有2张卡，每月还3000", 3000, "month", False, None),
        ("工作一年，月薪8000", 8000, "month", False, None),  # 一年 is tenure here
        ("年终奖2万，月薪8千", 8000, "month", False, None),  # the salary, not the bonus
        ("每个月差不多七八千", 7500, "month", True, None),
        ("8000rmb/month", 8000, "month", False, None),
        # yearly -> divided by 12
        ("年薪30万", 25000, "year", False, None),
        ("20k a year", 1666.67, "year", False, None),
        ("240k per year", 20000, "year", False, None),
        ("annual income 300k", 25000, "year", False, None),
        ("I earn 100k annually", 8333.33, "year", False, None),
        ("一年30万", 25000, "year", False, None),
        ("salary 12k, bonus 50k a year", 12000, "unknown", False, None),
        ("年收入24万左右", 20000, "year", True, None),
        # tax
        ("12k after tax", 12000, "unknown", False, True),
        ("税后一万二", 12000, "unknown", False, True),
        ("到手8000", 8000, "unknown", False, True),
        ("税前两万", 20000, "unknown", False, False),
        ("20k gross", 20000, "unknown", False, False),
        ("月薪税后1.5万左右", 15000, "month", True, True),
    ],
)
def test_parse_amount(text: str, value: float, period: str, approximate: bool, after_tax: bool | None) -> None:
    amount = parse_amount(text)
    assert amount is not None, text
    assert amount.value == pytest.approx(value)
    assert amount.original_period == period
    assert amount.approximate is approximate
    assert amount.after_tax is after_tax
    assert amount.currency == "CNY"


@pytest.mark.parametrize(
    "text",
    [
        "无",
        "没有",
        "没",
        "零",
        "不用还",
        "不需要还款",
        "没有贷款",
        "无负债",
        "我一直没有贷款",
        "none",
        "nothing",
        "no debt",
        "no loans",
        "No, I have no loans.",
        "n/a",
        "N/A",
        "zero",
        "nil",
        "debt-free",
        "I don't have any",
        "无收入",
        "没有车贷",
        "no income",
        "I don't have an income",
    ],
)
def test_zero_words(text: str) -> None:
    amount = parse_amount(text)
    assert amount == Amount(0.0, "unknown", False, None, "CNY")


@pytest.mark.parametrize("text", ["无", "没有", "none", "no debt", "零"])
def test_zero_words_disabled(text: str) -> None:
    assert parse_amount(text, zero_words=False) is None


@pytest.mark.parametrize(
    "text",
    [
        "税前两万税后一万六",
        "税后一万六，税前两万",
        "20k gross, 16k net",
        "20k before tax and 16k after tax",
        "after tax 16k, 20k before tax",
    ],
)
def test_with_both_figures_the_after_tax_one_counts(text: str) -> None:
    amount = parse_amount(text)
    assert amount is not None and amount.value == 16000 and amount.after_tax is True


def test_written_zero_is_always_zero() -> None:
    for zero_words in (True, False):
        amount = parse_amount("0", zero_words=zero_words)
        assert amount is not None and amount.value == 0


def test_numbers_win_over_zero_words() -> None:
    amount = parse_amount("没有房贷，车贷每月3000")
    assert amount is not None and amount.value == 3000 and amount.original_period == "month"


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("$3000", 3000, "USD"),
        ("3000 USD", 3000, "USD"),
        ("3000美元", 3000, "USD"),
        ("5000 dollars a month", 5000, "USD"),
        ("HK$20,000", 20000, "HKD"),
        ("2万港币", 20000, "HKD"),
        ("€4000", 4000, "EUR"),
        ("3000英镑", 3000, "GBP"),
        ("50万日元", 500000, "JPY"),
        ("S$6000", 6000, "SGD"),
        ("it costs $3000", 3000, "USD"),  # not "s $" Singapore dollars
        ("a $3000 loan", 3000, "USD"),  # not "a $" Australian dollars
    ],
)
def test_foreign_currency_is_reported_not_converted(text: str, value: float, currency: str) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == pytest.approx(value)
    assert amount.currency == currency


@pytest.mark.parametrize(
    ("text", "value"),
    [("-5000", -5000), ("负五千", -5000), ("收入 -8000", -8000)],
)
def test_negative_amounts_keep_their_sign(text: str, value: float) -> None:
    # The sign is kept so that validation can say "must be positive".
    amount = parse_amount(text)
    assert amount is not None and amount.value == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀",
        "hello",
        "我叫张伟",
        "不知道",
        "15012345678",  # phone
        "我的手机号是15012345678",
        "420106198008251161",  # ID number
        "42010619800825116X",
        "999999999999",  # absurd bare digit run
        "我28岁",
        "工作3年",
        "30%",
        "2020-2023年",
        "420106-19800825-1161",  # a dashed ID number is no range
        "2015-03-01",
        "<script>alert(1)</script>",
        "<b>8000</b>",
        "'; DROP TABLE applications; --",
        "我一直很好",
        "第一",
        "card 2",  # a lone small number is a choice or a count
        "I have one loan",
        "3",
        "x" * 10_000,
        "8" * 10_000,
    ],
)
def test_no_amount(text: str) -> None:
    assert parse_amount(text, zero_words=False) is None


def test_long_digit_run_with_currency_is_money() -> None:
    amount = parse_amount("999999999999元")
    assert amount is not None and amount.value == 999999999999


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("5000-10000", (5000, 10000)),
        ("0-5000", (0, 5000)),
        ("30000+", (30000, INF)),
        ("30,000+", (30000, INF)),
        ("5k-10k", (5000, 10000)),
        ("1万以上", (10000, INF)),
        ("<5000", (0, 5000)),
        ("5000以下", (0, 5000)),
        (" 5000 - 10000 ", (5000, 10000)),
        ("10000-5000", None),
        ("abc", None),
        ("", None),
        ("5000", None),
        ("-5000-0", None),
        ("5000-10000" * 20, None),
    ],
)
def test_parse_range_payload(payload: str, expected: tuple[float, float] | None) -> None:
    assert parse_range_payload(payload) == expected
