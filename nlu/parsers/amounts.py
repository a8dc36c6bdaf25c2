"""Money amounts for monthly income and monthly debt repayment (CNY).

What people actually type: "两万五", "2.5万", "25k", "25,000", "一万二左右",
"月薪8千", "税后一万二", "12k after tax", "¥8,000", "8000元/月", "RMB 8000",
"5千块", "大概六七千", "1-2万", "一到两万", "10k-20k", "年薪30万",
"240k per year", "每月还房贷4500", "my car loan is 3,200 a month",
"about 8k", and for debts simply "没有" / "none" / "no loans".

The parser never converts currencies: "$3000" comes back as an Amount with
currency "USD" so the dialogue can ask for the CNY figure.  Negative input
("-5000", "负五千") keeps its sign so validation can explain the problem.
"""

from __future__ import annotations

import collections
import itertools
import re
from dataclasses import dataclass
from typing import Literal

from .numbers import NumberSpan, find_numbers
from .text import has_markup, normalize

__all__ = ["Amount", "Period", "parse_amount", "parse_range_payload"]

Period = Literal["month", "year", "unknown"]


@dataclass(frozen=True)
class Amount:
    """A parsed money amount.

    ``value`` is per month: yearly figures ("年薪30万") are divided by 12 and
    ``original_period`` records what the person said.  Ranges ("1-2万") and
    hedges ("大概", "左右", "about") give ``approximate=True``.
    ``after_tax`` is True for "税后"/"after tax", False for "税前"/"gross",
    None when not said.  ``currency`` is "CNY" unless a foreign currency was
    named ("USD", "HKD", "EUR", "GBP", "JPY", "SGD", ...).
    """

    value: float
    original_period: Period
    approximate: bool
    after_tax: bool | None
    currency: str = "CNY"


# --- vocabulary -----------------------------------------------------------------

_YEAR = re.compile(
    r"年薪|年收入|年入|年工资|年终|每年|一年(?=[^,，。;；]{0,4}(?:挣|赚|收入|拿|能拿|有|\d|[一二两三四五六七八九十]))|全年|/\s*年|per\s+(?:year|annum)|a\s+year|"
    r"/\s*(?:yr|year)\b|\bp\.?a\.?(?![a-z])|\bannual(?:ly)?\b|\byearly\b|\bper\s+yr\b",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"月薪|月收入|月入|每月|每个月|一个月|月供|/\s*月|per\s+month|a\s+month|/\s*mo(?:nth)?\b|"
    r"\bmonthly\b|\bp\.?m\.?(?![a-z])|\bevery\s+month\b",
    re.IGNORECASE,
)
_APPROX = re.compile(
    r"左右|大概|大约|约|差不多|上下|估计|应该是|出头|来块|多块|多元|[千万k\d]多|几千|几万|以上|以下|不到|"
    r"不止|[过上破近快]一?万|超过|至少|最少|起码|以内|小[一二两三四五六七八九十\d]|(?<=[\dkKwW万千])\+|"
    r"\babout\b|\baround\b|\bapprox(?:imately|\.)?|\broughly\b|~|\bish\b|-ish\b|"
    r"\bmore or less\b|\bor so\b|\bgive or take\b|\bsomething like\b|\bnearly\b|\balmost\b|"
    r"\bover\b|\bmore than\b",
    re.IGNORECASE,
)
_AFTER_TAX = re.compile(r"税后|到手|实发|实得|净收入|after[\s-]*tax(?:es)?|\bnet\b|take[\s-]*home", re.IGNORECASE)
_BEFORE_TAX = re.compile(r"税前|应发|before[\s-]*tax(?:es)?|pre[\s-]*tax|\bgross\b", re.IGNORECASE)
_FOREIGN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("HKD", re.compile(r"港币|港元|港纸|\bhkd\b|(?<![a-z])hk\$", re.IGNORECASE)),
    ("SGD", re.compile(r"新币|新加坡元|\bsgd\b|(?<![a-z])s\$", re.IGNORECASE)),
    ("TWD", re.compile(r"新台币|台币|\btwd\b|(?<![a-z])nt\$", re.IGNORECASE)),
    ("AUD", re.compile(r"澳元|澳币|\baud\b|(?<![a-z])a\$", re.IGNORECASE)),
    ("CAD", re.compile(r"加元|加币|\bcad\b|(?<![a-z])c\$", re.IGNORECASE)),
    ("USD", re.compile(r"美元|美金|刀(?![a-z])|\busd\b|(?<![a-z])us\$|\$|\bdollars?\b|\bbucks\b", re.IGNORECASE)),
    ("EUR", re.compile(r"欧元|€|\beur(?:os?)?\b", re.IGNORECASE)),
    ("GBP", re.compile(r"英镑|£|\bgbp\b|\bpounds?\b", re.IGNORECASE)),
    ("JPY", re.compile(r"日元|日币|円|\bjpy\b|\byen\b", re.IGNORECASE)),
    ("KRW", re.compile(r"韩元|₩|\bkrw\b", re.IGNORECASE)),
)
# Money markers right next to a number make it "clearly an amount".
_CURRENCY_AFTER = re.compile(
    r"\s*(?:元|块|圆|人民币|rmb\b|cny\b|yuan\b|kuai\b|美元|美金|日元|日币|港币|港元|欧元|英镑|新币|台币|韩元|"
    r"澳元|加元|usd\b|hkd\b|eur\b|gbp\b|jpy\b|sgd\b|dollars?\b|bucks\b|/月|/年)",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?:[¥$€£₩]|rmb|cny|usd|hkd|us\$|hk\$)\s*$", re.IGNORECASE)
# Numbers followed by these are counts, ages, durations - not money.
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:年(?!薪|收入)|岁|周岁|个月|个|月(?!薪|收入|供)|天|日|号|张|次|套|辆|口|人|%|％|percent\b|"
    r"years?\b|yrs?\b|months?\b|days?\b|kids?\b|children\b|cards?\b|times\b|loans?\b|people\b)",
    re.IGNORECASE,
)
_RANGE_SEP = re.compile(r"\s*(?:-|~|〜|—|–|到|至|to|or|and)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"(?:between|from|在)\s*$", re.IGNORECASE)
_ZERO_ANYWHERE = re.compile(
    r"没有|没贷|(?:无|没|零)(?:任何)?(?:收入|贷款|负债|欠款|债务|房贷|车贷|月供|还款)|"
    r"不用还|不需要还|无需还|不欠|啥也没|什么都没|都没有|"
    r"\bnone\b|\bnothing\b|\bn/?a\b|\bnil\b|\bzero\b|debt[\s-]*free|"
    r"\bno\b(?:\s+\w+){0,3}?\s+(?:debts?|loans?|mortgages?|repayments?|payments?|liabilit(?:y|ies))\b|"
    r"\b(?:don'?t|do not)\s+have\s+any\b|\bnot\s+(?:any|paying)\b|"
    r"\bno\s+(?:income|salary|earnings|wages?|pay)\b|\b(?:don'?t|do not)\s+(?:have\s+an?\s+income|earn\s+anything)\b",
    re.IGNORECASE,
)
_ZERO_EXACT = re.compile(r"(?:无|没|零|否|不|no|nope|nah|none|zero|0)(?:元|块|rmb)?", re.IGNORECASE)
_FILLER = re.compile(r"[\s,.!?;:~，。！？；：、…'\"]+|(?:的|了|啊|呀|吧|哦|呢|嗯)$")
_LONG_DIGITS = 11
_BARE_WAN = re.compile(r"(过|上|破|近|快)万(?![一二两三四五六七八九十\d])")


def _strip_filler(text: str) -> str:
    prev = None
    out = text
    while prev != out:
        prev = out
        out = _FILLER.sub("", out)
    return out


def _currency(text: str) -> str:
    for code, pattern in _FOREIGN:
        if pattern.search(text):
            return code
    return "CNY"


def _is_money_context(text: str, span: NumberSpan) -> bool:
    before = text[max(0, span.start - 6) : span.start]
    return bool(_CURRENCY_AFTER.match(text, span.end) or _CURRENCY_BEFORE.search(before))


# Three or more numbers joined by the same separator: a date or a code.
_DIGIT_CHAIN = re.compile(r"\d+(?P<sep>\s?[-/]\s?|\.)\d+(?:(?P=sep)\d+)+")


def _is_count(text: str, span: NumberSpan) -> bool:
    """ "3年", "28岁", "2张卡", "30%": a number of things, not money."""
    return not _is_money_context(text, span) and bool(_NOT_MONEY_AFTER.match(text, span.end))


def _candidates(text: str, spans: list[NumberSpan]) -> list[NumberSpan]:
    chains = collections.deque((m.start(), m.end()) for m in _DIGIT_CHAIN.finditer(text))
    out: list[NumberSpan] = []
    for i, span in enumerate(spans):
        money = _is_money_context(text, span)
        if _is_count(text, span):
            continue
        while chains and chains[0][1] <= span.start:
            chains.popleft()
        if chains and chains[0][0] <= span.start and span.end <= chains[0][1]:
            continue  # part of "2015-03-01" or "420106-19800825-1161"
        # "2020-2023年", "3到5年": the first end of a range of counts.
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if nxt is not None and _RANGE_SEP.fullmatch(text[span.end : nxt.start]) and _is_count(text, nxt):
            continue
        if span.kind == "arabic":
            digits = re.sub(r"\D", "", span.text)
            # A bare 11+ digit run is a phone or ID number, not an amount.
            if not span.has_unit and not money and "," not in span.text and len(digits) >= _LONG_DIGITS:
                continue
            # Digits glued to letters ("A1234", "42010619800825116X").
            before = text[span.start - 1] if span.start > 0 else ""
            after = text[span.end] if span.end < len(text) else ""
            if (
                not span.has_unit
                and not money
                and ((after.isalpha() and after.isascii()) or (before and before in "xX"))
            ):
                continue
        elif span.kind == "chinese" and not span.has_unit and not money and len(span.text.lstrip("负")) < 2:
            # "一直", "一般", "十分": a lone numeral character is not an amount.
            continue
        if not span.has_unit and not money and 0 < abs(span.value) < 10:
            # "card 2", "I have one loan", "3": a count or a choice, not money.
            continue
        out.append(span)
    return out


_INCOME_CUE = re.compile(
    r"(?:月薪|月收入|月入|工资|薪水|收入|月供|每月还|还款|到手|income|salary|earn|make|pay|repayment|loan)"
    r"[^,，。;；\d]{0,6}$",
    re.IGNORECASE,
)
_BONUS_CUE = re.compile(r"(?:年终奖|奖金|提成|bonus|commission)[^,，。;；\d]{0,6}$", re.IGNORECASE)


def _score(text: str, span: NumberSpan) -> int:
    score = 0
    before = text[max(0, span.start - 16) : span.start]
    if _INCOME_CUE.search(before):
        score += 1
    if _BONUS_CUE.search(before):
        score -= 2
    if span.has_unit:
        score += 2
    if _is_money_context(text, span):
        score += 2
    if span.kind == "arabic" and abs(span.value) >= 10:
        score += 1
    if span.kind == "chinese" and len(span.text) >= 2:
        score += 1
    return score


_DIGIT_CHAIN_BEFORE = re.compile(r"\d\s?[-./]\s?$")
_DIGIT_CHAIN_AFTER = re.compile(r"\s?[-./]\s?\d")


def _find_range(text: str, spans: list[NumberSpan]) -> tuple[float, int, int] | None:
    """Midpoint of a range between two neighbouring numbers: "1-2万",
    "一到两万", "10k-20k", "8000到10000", "between 8k and 10k"."""
    for a, b in itertools.pairwise(spans):
        sep = text[a.end : b.start]
        if not _RANGE_SEP.fullmatch(sep) or _is_count(text, b):
            continue
        if _DIGIT_CHAIN_BEFORE.search(text, 0, a.start) or _DIGIT_CHAIN_AFTER.match(text, b.end):
            continue  # "420106-19800825-1161", "2015-03-01": a code or a date
        word = sep.strip().lower()
        if word == "and" and not _BETWEEN.search(text[: a.start]):
            continue
        if word == "or" and not (a.has_unit or b.has_unit or a.value < b.value):
            continue
        low, high = a.value, b.value
        if not a.has_unit and b.has_unit and low * b.multiplier <= high:
            low *= b.multiplier  # "1-2万": the unit belongs to both ends.
        if 0 <= low < high:
            return (low + high) / 2, a.start, b.end
    return None


def _gap(span: NumberSpan, marker: re.Match[str]) -> int:
    return marker.start() - span.end if marker.start() >= span.end else max(0, span.start - marker.end())


def _after_tax_span(text: str, spans: list[NumberSpan]) -> NumberSpan | None:
    """With both a before-tax and an after-tax figure ("税前两万税后一万六", "20k gross, 16k net"),
    the one nearest to an after-tax marker: the questions ask for income after tax."""
    after, before = list(_AFTER_TAX.finditer(text)), list(_BEFORE_TAX.finditer(text))
    if len(spans) < 2 or not after or not before:
        return None
    nearest_after = [(min(_gap(sp, m) for m in after), sp) for sp in spans]
    owned = [(gap, sp) for gap, sp in nearest_after if gap < min(_gap(sp, m) for m in before)]
    return min(owned, key=lambda pair: pair[0])[1] if owned else None


def _pick(text: str, spans: list[NumberSpan]) -> NumberSpan:
    """The most amount-like candidate (unit, currency, size), first on ties."""
    return max(spans, key=lambda s: (_score(text, s), -s.start))


_CLAUSE_BREAK = re.compile(r"[，。;；!?！？\n]|,\s")


def _period(text: str, start: int, end: int) -> Period:
    """ "month"/"year" from the period word closest to the amount at
    ``text[start:end]``: "工作一年，月薪8000" is monthly, "年薪30万" yearly."""
    best: tuple[int, Period] | None = None
    markers: tuple[tuple[Period, re.Pattern[str]], ...] = (("month", _MONTH), ("year", _YEAR))
    for period, pattern in markers:
        for m in pattern.finditer(text):
            between = text[m.end() : start] if m.end() <= start else text[end : m.start()]
            if _CLAUSE_BREAK.search(between):
                continue  # "salary 12k, bonus 50k a year": another clause's period
            # A period word before the number binds tighter than one after it.
            distance = 2 * (start - m.end()) if m.end() <= start else 2 * max(0, m.start() - end) + 1
            if best is None or distance < best[0]:
                best = (distance, period)
    return best[1] if best else "unknown"


def parse_amount(text: str, *, zero_words: bool = True) -> Amount | None:
    """Parse a monthly money amount from free text; None when there is none.

    ``zero_words`` (for debt questions) lets "无", "没有", "不用还", "none",
    "no loans", "n/a" mean 0.  A written "0" is always 0.  Bare runs of 11 or
    more digits ("15012345678", "999999999999") are phone/ID numbers, not
    money, and give None unless a currency marker is attached.
    """
    norm = normalize(text)
    if not norm or has_markup(norm) or len(norm) > 2000:
        return None
    # "月入过万", "上万": a bare 万 means ten thousand.
    norm = _BARE_WAN.sub(r"\1一万", norm)
    lowered = norm.lower()
    all_spans = find_numbers(norm)
    spans = _candidates(norm, all_spans)
    currency = _currency(lowered)
    after_tax: bool | None = None
    if _AFTER_TAX.search(norm):
        after_tax = True
    elif _BEFORE_TAX.search(norm):
        after_tax = False
    midpoint = _find_range(norm, all_spans)
    if not spans and midpoint is None:
        if zero_words and (_ZERO_ANYWHERE.search(norm) or _ZERO_EXACT.fullmatch(_strip_filler(lowered))):
            return Amount(0.0, "unknown", False, after_tax, currency)
        return None
    if midpoint is not None:
        value, start, end = midpoint
        is_range = True
    else:
        best = _after_tax_span(norm, spans) or _pick(norm, spans)
        value, start, end, is_range = best.value, best.start, best.end, best.is_range
    period = _period(norm, start, end)
    if period == "year":
        value = value / 12
    approximate = is_range or bool(_APPROX.search(norm))
    return Amount(round(value, 2), period, approximate, after_tax, currency)


_PAYLOAD = re.compile(
    r"^\s*(?:(?P<lo>[\d.,]+\s*[kKwW万千]?)\s*(?:-|~|到|至|to)\s*(?P<hi>[\d.,]+\s*[kKwW万千]?)"
    r"|(?P<plus>[\d.,]+\s*[kKwW万千]?)\s*(?:\+|以上|及以上|or more)"
    r"|(?:<|≤|<=|under\s+|below\s+)\s*(?P<under>[\d.,]+\s*[kKwW万千]?)"
    r"|(?P<under2>[\d.,]+\s*[kKwW万千]?)\s*以下)\s*$",
    re.IGNORECASE,
)


def _payload_number(s: str) -> float | None:
    spans = find_numbers(s)
    if len(spans) != 1 or spans[0].value < 0:
        return None
    return spans[0].value


def parse_range_payload(s: str) -> tuple[float, float] | None:
    """Parse a quick-reply button payload such as "5000-10000", "30000+",
    "0-5000", "<5000" or "5k-10k" into (low, high); high is ``float("inf")``
    for open ranges.  None for anything else (or low > high)."""
    norm = normalize(s)
    m = _PAYLOAD.match(norm) if norm and len(norm) <= 64 else None
    if not m:
        return None
    if m.group("plus"):
        low = _payload_number(m.group("plus"))
        return (low, float("inf")) if low is not None else None
    under = m.group("under") or m.group("under2")
    if under:
        high = _payload_number(under)
        return (0.0, high) if high is not None else None
    low = _payload_number(m.group("lo"))
    high = _payload_number(m.group("hi"))
    if low is None or high is None or low > high:
        return None
    return (low, high)
