"""Calendar dates (birth dates, ID-card validity periods).

Accepted shapes: "1990年1月1日", "1990 年 1 月 1 日", "1990年1月1号",
"一九九零年一月一日", "九零年一月一日" (2-digit year, see below),
"1990-01-01", "1990.1.1", "1990/01/01", "19900101", "01/02/1990",
"Jan 1, 1990", "January 1st 1990", "1 January 1990", "1st of Jan 1990".

Slash dates with the year last are ambiguous.  Rule: if the first number
is > 12 it is the day (DD/MM/YYYY, "13/01/1990"); if the second is > 12 it
is the day (MM/DD/YYYY, "01/13/1990"); when both are <= 12 we read
MM/DD/YYYY ("01/02/1990" -> 2 January 1990), the English-language default
of most card forms.  :func:`is_ambiguous_date` tells the dialogue when to
confirm.  Years must be 1900-2100.
"""

from __future__ import annotations

import re
from datetime import date

from .numbers import parse_chinese_numeral
from .text import normalize

__all__ = ["find_dates", "is_ambiguous_date", "parse_date", "parse_validity"]

_MIN_YEAR = 1900
_MAX_YEAR = 2100

_MONTHS: dict[str, int] = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH_RX = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_RX = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 1990年1月1日 / 1990 年 1 月 1 日 / 90年1月1号
    ("ymd", re.compile(r"(?<!\d)(?P<y>\d{4}|\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?")),
    # 1990-01-01, 1990.1.1, 1990/01/01
    ("ymd", re.compile(r"(?<![\d.])(?P<y>\d{4})\s*(?P<sep>[-./])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?!\d)")),
    # 19900101
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")),
    # 01/02/1990, 13.01.1990, 1-2-1990
    ("xxy", re.compile(r"(?<![\d.])(?P<a>\d{1,2})\s*(?P<sep>[-./])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)")),
    # Jan 1, 1990 / January 1st 1990
    ("mdy", re.compile(r"\b" + _MONTH_RX + r"\s+" + _DAY_RX + r"\s*,?\s*(?P<y>\d{4})\b", re.IGNORECASE)),
    # 1 January 1990 / 1st of Jan, 1990
    ("dmy", re.compile(r"\b" + _DAY_RX + r"\s+(?:of\s+)?" + _MONTH_RX + r"\s*,?\s*(?P<y>\d{4})\b", re.IGNORECASE)),
    # 1990 Jan 1
    ("ymd_en", re.compile(r"\b(?P<y>\d{4})\s+" + _MONTH_RX + r"\s+" + _DAY_RX + r"\b", re.IGNORECASE)),
)

_CN_DIGITS = "零〇一二三四五六七八九"
_CN_YEAR_DIGIT = {c: str(max(0, i - 1)) for i, c in enumerate(_CN_DIGITS)}
_CN_YEAR = re.compile(r"([" + _CN_DIGITS + r"]{2,4})(\s*年)")
_CN_MD = re.compile(r"([" + _CN_DIGITS + r"十]{1,3})(\s*[月日号])")


def _cn_to_arabic(text: str) -> str:
    """ "一九九零年一月一日" -> "1990年1月1日"; years are read digit by digit."""
    if not any(ch in text for ch in _CN_DIGITS + "十"):
        return text

    def year(m: re.Match[str]) -> str:
        return "".join(_CN_YEAR_DIGIT[c] for c in m.group(1)) + m.group(2)

    def month_day(m: re.Match[str]) -> str:
        value = parse_chinese_numeral(m.group(1))
        return (str(int(value)) if value is not None else m.group(1)) + m.group(2)

    out = _CN_YEAR.sub(year, text)
    return _CN_MD.sub(month_day, out)


def _year(raw: str, today: date) -> int:
    y = int(raw)
    if len(raw) == 2:
        # "90年" -> 1990, "05年" -> 2005: the most recent year not in the future.
        y += 2000 if y <= today.year % 100 else 1900
    return y


def _make(y: int, m: int, d: int) -> date | None:
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _from_match(kind: str, m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    if kind == "ymd":
        return _make(_year(g["y"], today), int(g["m"]), int(g["d"]))
    if kind == "xxy":
        a, b = int(g["a"]), int(g["b"])
        if a > 12:
            day, month = a, b
        else:
            month, day = a, b
        return _make(int(g["y"]), month, day)
    month = _MONTHS[g["mon"].lower()]
    return _make(int(g["y"]), month, int(g["day"]))


def _prepare(text: str) -> str:
    norm = normalize(text)
    return _cn_to_arabic(norm[:2000]) if norm else ""


def find_dates(text: str, today: date | None = None) -> list[tuple[int, int, date]]:
    """Every valid date in ``text`` as (start, end, date) left to right,
    positions in the normalized text."""
    prepared = _prepare(text)
    if not prepared:
        return []
    ref = today or date.today()
    found: list[tuple[int, int, date]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(prepared):
            value = _from_match(kind, m, ref)
            if value is not None:
                found.append((m.start(), m.end(), value))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, date]] = []
    last_end = -1
    for start, end, value in found:
        if start >= last_end:
            out.append((start, end, value))
            last_end = end
    return out


def parse_date(text: str) -> date | None:
    """The first valid date in ``text`` or None ("1990年2月30日" -> None)."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


def is_ambiguous_date(text: str) -> bool:
    """True for slash/dot dates with the year last where both leading
    numbers are <= 12 and differ ("01/02/1990"), i.e. day and month could
    be swapped."""
    prepared = _prepare(text)
    for kind, pattern in _PATTERNS:
        if kind != "xxy":
            continue
        m = pattern.search(prepared)
        if m:
            a, b = int(m.group("a")), int(m.group("b"))
            return a <= 12 and b <= 12 and a != b
    return False


_LONG_TERM = re.compile(r"长期|永久|终身|long[\s-]*term|permanent|indefinite|no expiry|无限期", re.IGNORECASE)


def parse_validity(text: str) -> tuple[date, date | None] | None:
    """An ID card's validity period: (start, end) or (start, None) for
    long-term cards.

    "2015.03.01-2035.03.01", "2015.03.01 至 2035.03.01",
    "20150301-20350301", "2015.03.01-长期", "2015年3月1日起长期有效".
    None when there is no start date, no end (and not long-term), or the
    end is not after the start.
    """
    prepared = _prepare(text)
    dates = find_dates(prepared)
    if not dates:
        return None
    start = dates[0][2]
    if len(dates) >= 2:
        end = dates[1][2]
        return (start, end) if end > start else None
    if _LONG_TERM.search(prepared[dates[0][1] :]):
        return (start, None)
    return None
