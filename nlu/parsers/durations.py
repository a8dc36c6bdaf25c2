"""How long someone has been in a job or business, in years: "三年", "半年", "6个月", "3 years",
"18 months", "刚入职" (0.1), "十多年" (10), "一年半" (1.5), "3年多" (3), "two and a half years"
(2.5), "a year and a half" (1.5), "a couple of years" (2), "since 2019" / "2019年入职" (years
since then)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from nlu.parsers.numbers import parse_chinese_numeral
from nlu.parsers.text import normalize

MAX_YEARS: Final = 60.0
_JUST_STARTED = re.compile(
    r"刚入职|刚上班|刚开始|新入职|不到一个月|just (?:started|joined)|brand new|first month", re.I
)
_HALF_YEAR = re.compile(r"半年|half a year")
_NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)"
_YEARS = re.compile(_NUMBER + r"\s*(?:多|来)?\s*(?:个)?\s*(?:年|周年|years?|yrs?)(半)?", re.I)
_MONTHS = re.compile(_NUMBER + r"\s*(?:多|来)?\s*(?:个)?\s*(?:月|months?|mos?)", re.I)
_WORDS: Final = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "a": 1,
    "an": 1,
}
_WORD = r"(" + "|".join(_WORDS) + r"|\d+)"
_AND_A_HALF = re.compile(r"\b" + _WORD + r"\s+(?:(?:years?|yrs?)\s+)?and (?:a )?half\b", re.I)
# "七八年", "两三年", "三五年", "7-8 years", "7 or 8 years": a range counts as its lower end (a
# credit decision must not overstate tenure).
_ZH_RANGE = re.compile(
    r"(?<![一二两三四五六七八九十百零〇])((?:[二两三四五六七八九]?十)?[一二两三四五六七八])([二两三四五六七八九])(?:个)?(?:多)?\s*(年|个月)"
)
_EN_RANGE = re.compile(r"\b(\d+)\s*(?:-|–|to|or)\s*\d+\s*(years?|yrs?|months?)\b", re.I)
_COUPLE = re.compile(r"\b(?:a )?couple (?:of )?years\b", re.I)
_SINCE = re.compile(r"(?:\bsince\s*|自|从)((?:19|20)\d\d)\b|((?:19|20)\d\d)\s*年?\s*(?:入职|开始|就在|起|以来)", re.I)
_WORD_YEARS = re.compile(r"\b(" + "|".join(_WORDS) + r")\s+(?:years?|yrs?)\b", re.I)
_WORD_MONTHS = re.compile(r"\b(" + "|".join(_WORDS) + r")\s+months?\b", re.I)


def _value(token: str) -> float | None:
    try:
        return float(token)
    except ValueError:
        value = parse_chinese_numeral(token)
        return float(value) if value is not None else None


def parse_years(text: str) -> float | None:
    """Years as a float (months / 12), or None when the text gives no duration."""
    t = normalize(text or "")
    if not t or len(t) > 200:
        return None
    if _JUST_STARTED.search(t):
        return 0.1
    total: float | None = None
    ranged = _ZH_RANGE.search(t) or _EN_RANGE.search(t)
    if ranged:
        low = _value(ranged.group(1))
        if low is not None:
            years = low if ranged.group(ranged.lastindex or 2).lower().startswith(("年", "y")) else low / 12
            return round(years, 2) if 0 <= years <= MAX_YEARS else None
    since = _SINCE.search(t)
    half = _AND_A_HALF.search(t)
    m = _YEARS.search(t)
    if since:
        year = int(since.group(1) or since.group(2))
        this_year = dt.date.today().year
        total = float(this_year - year) if year <= this_year else None
        if total == 0:
            total = 0.5  # joined this year: less than a year
    elif half:
        token = half.group(1).lower()
        total = (float(token) if token.isdigit() else float(_WORDS[token])) + 0.5
    elif _COUPLE.search(t):
        total = 2.0
    elif m:
        v = _value(m.group(1))
        if v is not None:
            total = v + (0.5 if m.group(2) else 0.0)
    elif _HALF_YEAR.search(t):  # before the word years: "half a year" is not "a year"
        total = 0.5
    else:
        w = _WORD_YEARS.search(t)
        if w:
            total = float(_WORDS[w.group(1).lower()])
    if not (since or half):  # "3 years 6 months", "18 months"
        months = _MONTHS.search(t)
        if months:
            v = _value(months.group(1))
            if v is not None:
                total = (total or 0.0) + v / 12
        elif (wm := _WORD_MONTHS.search(t)) is not None:
            total = (total or 0.0) + _WORDS[wm.group(1).lower()] / 12
    if total is None and _HALF_YEAR.search(t):
        total = 0.5
    if total is None and re.fullmatch(r"\d+(?:\.\d+)?", t):
        total = float(t)  # a bare number answering "how many years?"
    if total is None or total < 0 or total > MAX_YEARS:
        return None
    return round(total, 2)
