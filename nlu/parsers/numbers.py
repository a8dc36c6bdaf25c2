"""Numbers the way people type or say them, in Chinese and English.

Handles Arabic digits with separators ("25,000", "25，000", "1.5"), unit
suffixes ("2.5万", "1.2w", "3k", "3.5K", "2 million", "5千"), mixed forms
("2万5" = 25000, "2万5千", "3千5" = 3500), Chinese numerals including the
colloquial ones ("两万五" = 25000, "一万二" = 12000, "一点五万" = 15000,
"六七千" ≈ 6500), and English number words ("twenty five thousand",
"fifteen hundred").

:func:`find_numbers` returns every number with its position so that other
parsers (amounts, dates) can look at the words around it; :func:`parse_number`
returns just the first value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from .text import normalize

__all__ = [
    "NumberSpan",
    "find_numbers",
    "parse_chinese_numeral",
    "parse_number",
    "spoken_digits_to_ascii",
]

# Longest digit run that is still treated as a number (longer = garbage).
_MAX_DIGITS = 30
# Longest Chinese numeral run handed to cn2an.
_MAX_CN_RUN = 24
# A reply with more numbers than this is not an answer; later ones are ignored.
MAX_SPANS = 100


@dataclass(frozen=True)
class NumberSpan:
    """One number found in a (normalized) text.

    ``value`` is the final value (midpoint for "六七千"); ``low``/``high`` are
    equal unless the number itself is a vague pair such as "六七千" or "一两万".
    ``has_unit`` is True when a magnitude word/suffix was attached (万, 千, k,
    w, thousand...), ``kind`` is "arabic", "chinese" or "english".
    """

    value: float
    start: int
    end: int
    kind: str
    has_unit: bool
    multiplier: float = 1.0
    low: float | None = None
    high: float | None = None
    text: str = ""

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


# --- Arabic digits ---------------------------------------------------------

_UNIT_VALUES: dict[str, float] = {
    "十万": 100_000.0,
    "百万": 1_000_000.0,
    "千万": 10_000_000.0,
    "百": 100.0,
    "千": 1_000.0,
    "万": 10_000.0,
    "w": 10_000.0,
    "k": 1_000.0,
    "亿": 100_000_000.0,
    "hundred": 100.0,
    "thousand": 1_000.0,
    "million": 1_000_000.0,
    "mn": 1_000_000.0,
    "billion": 1_000_000_000.0,
    "grand": 1_000.0,
}
# "2万5": a bare digit after a unit means the next lower unit.
_NEXT_LOWER: dict[str, float] = {"亿": 10_000_000.0, "万": 1_000.0, "千": 100.0, "百": 10.0}
_CN_DIGIT: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "洞": 0,
    "一": 1,
    "幺": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "拐": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
    "勾": 9,
}
_CN_TAIL_DIGITS = "一二两三四五六七八九"

_ARABIC = re.compile(
    r"(?P<sign>[-−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s?(?P<unit>千万|百万|十万|万|千|百|亿|[wWkK](?![A-Za-z])|"
    r"(?:hundred|thousand|million|billion|mn|grand)(?![A-Za-z])))?"
    r"(?:(?P<tail>\d{1,4}|[" + _CN_TAIL_DIGITS + r"])(?![\d.])(?P<tail_unit>千|百|十)?)?",
    re.IGNORECASE,
)

# --- Chinese numerals ------------------------------------------------------

_CN_CHARS = "零〇一二两三四五六七八九十百千万亿幺壹贰叁肆伍陆柒捌玖拾佰仟"
_CN_RUN = re.compile(
    r"(?P<neg>负)?(?P<run>[" + _CN_CHARS + r"]+)"
    r"(?:点(?P<frac>[零〇一二三四五六七八九]+)(?P<frac_unit>[万千百亿]|十万|百万|千万)?)?"
)
_CN_PAIR = re.compile(
    r"^(?P<a>[一二两三四五六七八九])(?P<b>[一二两三四五六七八九])(?P<unit>十|百|千|万|十万|百万|千万|亿)$"
)
_CN_UNIT_LOWER: dict[str, str] = {"亿": "千万", "万": "千", "千": "百", "百": "十"}
_CN_UNIT_VALUES: dict[str, float] = {
    "十": 10.0,
    "百": 100.0,
    "千": 1_000.0,
    "万": 10_000.0,
    "十万": 100_000.0,
    "百万": 1_000_000.0,
    "千万": 10_000_000.0,
    "亿": 100_000_000.0,
}
_FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟幺", "一二三四五六七八九十百千一")


def parse_chinese_numeral(run: str) -> float | None:
    """Value of a Chinese numeral such as "两万五", "一万零五百", "十二万",
    "一点五万", "八千五百", "壹万贰仟" or a digit string "一九九零".

    Colloquial tails are expanded first ("两万五" -> "两万五千",
    "三千五" -> "三千五百"), then cn2an converts the standard form.
    Returns None when the run is not a number ("千万" used as an adverb,
    "万一").
    """
    if not run or len(run) > _MAX_CN_RUN:
        return None
    s = run.translate(_FINANCIAL)
    if "点" in s:
        head, _, frac = s.partition("点")
        unit = ""
        for u in ("十万", "百万", "千万", "万", "千", "百", "亿"):
            if frac.endswith(u):
                unit, frac = u, frac[: -len(u)]
                break
        if not frac or any(ch not in _CN_DIGIT for ch in frac):
            return None
        whole = parse_chinese_numeral(head) if head else 0.0
        if whole is None:
            return None
        value = float(f"{int(whole)}.{''.join(str(_CN_DIGIT[c]) for c in frac)}")
        return value * (_CN_UNIT_VALUES[unit] if unit else 1.0)
    if s[0] in "百千万亿":
        return None
    if len(s) >= 3 and s[-1] in _CN_TAIL_DIGITS and s[-2] in _CN_UNIT_LOWER:
        s = s + _CN_UNIT_LOWER[s[-2]]
    try:
        value = cn2an.cn2an(s, "normal")
    except Exception:  # cn2an raises ValueError/KeyError/IndexError on odd input
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _chinese_span(m: re.Match[str], text: str) -> NumberSpan | None:
    run = m.group("run")
    frac = m.group("frac")
    neg = -1.0 if m.group("neg") else 1.0
    raw = m.group(0)[1:] if m.group("neg") else m.group(0)
    pair = _CN_PAIR.match(run) if not frac else None
    if pair:
        a = _CN_DIGIT[pair.group("a")]
        b = _CN_DIGIT[pair.group("b")]
        unit = _CN_UNIT_VALUES[pair.group("unit")]
        if b == a + 1 or (a == 1 and b == 2 and pair.group("b") == "两"):
            lo, hi = a * unit, b * unit
            return NumberSpan(
                value=neg * (lo + hi) / 2,
                start=m.start(),
                end=m.end(),
                kind="chinese",
                has_unit=True,
                multiplier=unit,
                low=neg * lo,
                high=neg * hi,
                text=m.group(0),
            )
    value = parse_chinese_numeral(raw)
    if value is None:
        return None
    has_unit = any(ch in "百千万亿佰仟" for ch in raw)
    mult = 1.0
    for u, v in (("亿", 1e8), ("万", 1e4), ("千", 1e3), ("仟", 1e3), ("百", 1e2), ("佰", 1e2)):
        if u in raw:
            mult = v
            break
    return NumberSpan(
        value=neg * value,
        start=m.start(),
        end=m.end(),
        kind="chinese",
        has_unit=has_unit,
        multiplier=mult,
        text=m.group(0),
    )


# --- English number words ---------------------------------------------------

_EN_SMALL: dict[str, int] = {
    "zero": 0,
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
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_SCALE: dict[str, int] = {"thousand": 1_000, "grand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_EN_WORD = re.compile(r"[A-Za-z]+")
# "no one", "this one", "which one": a pronoun, not the number 1.
_ONE_PRONOUN = frozenset(
    ("no", "any", "some", "every", "each", "the", "this", "that", "which", "another", "other", "a")
)
_GAP = re.compile(r"[\s-]*")


def _english_spans(text: str) -> list[NumberSpan]:
    spans: list[NumberSpan] = []
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _EN_WORD.finditer(text)]
    i = 0
    n = len(words)
    while i < n and len(spans) < MAX_SPANS:
        w, start, _ = words[i]
        nxt = words[i + 1][0] if i + 1 < n else ""
        if not (w in _EN_SMALL or (w in ("a", "an") and nxt in ("hundred", "thousand", "million"))):
            i += 1
            continue
        total = 0
        current = 0
        seen_number = False
        has_unit = False
        mult = 1.0
        last = ""  # kind of the previous word: unit | teen | tens | hundred | scale
        end = start
        j = i
        while j < n:
            wj, sj, ej = words[j]
            if j > i and not _GAP.fullmatch(text[end:sj]):
                break
            if wj in ("a", "an") and j == i:
                current = 1
                last = "article"
            elif wj in _EN_SMALL:
                v = _EN_SMALL[wj]
                # "one three eight" is a digit string, not a sum: stop there.
                if last in ("unit", "teen") or (last == "tens" and not 0 < v < 10):
                    break
                current += v
                seen_number = True
                last = "unit" if v < 10 else "teen" if v < 20 else "tens"
            elif wj == "hundred" and last in ("unit", "teen", "tens", "article"):
                current = (current or 1) * 100
                has_unit, mult, last = True, 100.0, "hundred"
            elif wj in _EN_SCALE and last in ("unit", "teen", "tens", "hundred", "article"):
                total += (current or 1) * _EN_SCALE[wj]
                current = 0
                has_unit, mult, last = True, float(_EN_SCALE[wj]), "scale"
            elif wj == "and" and last in ("hundred", "scale") and j + 1 < n and words[j + 1][0] in _EN_SMALL:
                pass
            else:
                break
            end = ej
            j += 1
        prev_word = words[i - 1][0] if i > 0 else ""
        pronoun = j == i + 1 and w == "one" and prev_word in _ONE_PRONOUN
        value = float(total + current)
        if w in ("a", "an") and prev_word == "half" and _GAP.fullmatch(text[words[i - 1][2] : start]):
            value, start = value / 2, words[i - 1][1]  # "half a million"
        if (seen_number or has_unit) and not pronoun:
            spans.append(
                NumberSpan(
                    value=value,
                    start=start,
                    end=end,
                    kind="english",
                    has_unit=has_unit,
                    multiplier=mult,
                    text=text[start:end],
                )
            )
            i = j
        else:
            i += 1
    return spans


# --- Arabic spans -------------------------------------------------------------


def _arabic_spans(text: str) -> list[NumberSpan]:
    spans: list[NumberSpan] = []
    for m in _ARABIC.finditer(text):
        if len(spans) >= MAX_SPANS:
            break
        num = m.group("num").replace(",", "")
        digits = num.replace(".", "")
        if len(digits) > _MAX_DIGITS:
            continue
        start = m.start()
        sign = 1.0
        if m.group("sign"):
            before = text[max(0, m.start() - 8) : m.start()].rstrip()
            # "1-2万", "8k - 10k": the dash is a range separator, not a sign.
            if before and (before[-1].isdigit() or before[-1] in _CN_CHARS + "kKwW"):
                start = m.start("num")
            else:
                sign = -1.0
        # "1.2.3" or a digit glued to a letter-digit code ("A1234") stays a number;
        # callers decide.  A decimal point directly after the match is ignored.
        try:
            value = float(num)
        except ValueError:
            continue
        unit = (m.group("unit") or "").lower()
        has_unit = bool(unit)
        mult = _UNIT_VALUES.get(unit, 1.0)
        value *= mult
        tail = m.group("tail")
        end = m.end()
        if tail and unit in _NEXT_LOWER:
            tail_val = float(_CN_DIGIT[tail]) if tail in _CN_DIGIT else float(tail)
            tail_unit = m.group("tail_unit")
            if tail_unit:
                value += tail_val * _CN_UNIT_VALUES[tail_unit]
            elif len(tail) == 1:
                value += tail_val * _NEXT_LOWER[unit]
            elif tail_val < mult:
                value += tail_val
            else:
                end = m.start("tail")
        elif tail:
            # "3k5"? not a thing; do not swallow the tail.
            end = m.start("tail")
        spans.append(
            NumberSpan(
                value=sign * value,
                start=start,
                end=end,
                kind="arabic",
                has_unit=has_unit,
                multiplier=mult,
                text=text[start:end],
            )
        )
    return spans


def find_numbers(text: str) -> list[NumberSpan]:
    """All numbers in an already-normalized ``text``, left to right (at
    most about ``MAX_SPANS`` of each kind).

    Overlaps are resolved in favour of the span that starts first (and then
    the longer one), so "2万5" is one number and "一九九零年" one digit run.
    A negative sign is kept only when "-"/"负" is not a range dash
    ("-5000" -> -5000, but "1-2万" -> 1 and 20000).
    """
    if not isinstance(text, str) or not text:
        return []
    found: list[NumberSpan] = _arabic_spans(text)
    for count, m in enumerate(_CN_RUN.finditer(text)):
        if count >= MAX_SPANS:
            break
        span = _chinese_span(m, text)
        if span is not None:
            found.append(span)
    if re.search(r"[A-Za-z]", text):
        found.extend(_english_spans(text))
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    result: list[NumberSpan] = []
    last_end = -1
    for span in found:
        if span.start >= last_end:
            result.append(span)
            last_end = span.end
    return result


def parse_number(text: str) -> float | None:
    """The first number in ``text`` as a float, or None.

    "25,000" / "25，000" -> 25000; "两万五" -> 25000; "一点五万" -> 15000;
    "2万5千" -> 25000; "1.2w" -> 12000; "3K" -> 3000; "fifteen hundred" ->
    1500; "2 million" -> 2000000; "-5000" -> -5000; "六七千" -> 6500.
    """
    norm = normalize(text)
    # Look window by window so a long text costs only up to its first number.
    step, overlap = 400, 60
    for offset in range(0, max(len(norm), 1), step):
        spans = find_numbers(norm[offset : offset + step + overlap])
        if spans:
            return spans[0].value
    return None


# --- Digit-by-digit reading ---------------------------------------------------

_SPOKEN_CN = "零〇洞幺一二两三四五六七八九拐勾"
_SPOKEN_CN_RUN = re.compile(r"[" + _SPOKEN_CN + r"](?:[\s-]?[" + _SPOKEN_CN + r"])*")
_EN_DIGIT_WORDS: dict[str, str] = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_EN_DIGIT_RUN = re.compile(
    r"\b(?:(?:double|triple)[\s-]+)?(?:zero|one|two|three|four|five|six|seven|eight|nine)\b"
    r"(?:[\s,-]+(?:(?:double|triple)[\s-]+)?(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)\b)*",
    re.IGNORECASE,
)


def _cn_run_to_digits(m: re.Match[str], text: str) -> str:
    run = m.group(0)
    chars = [c for c in run if c in _CN_DIGIT]
    before = text[m.start() - 1] if m.start() > 0 else ""
    after = text[m.end()] if m.end() < len(text) else ""
    next_is_unit = bool(after) and after in "十百千万亿点"
    glued = before.isdigit() or after.isdigit()
    if next_is_unit or (len(chars) < 3 and not glued):
        return run
    return "".join(str(_CN_DIGIT[c]) for c in chars)


def _en_run_to_digits(m: re.Match[str]) -> str:
    words = re.findall(r"[A-Za-z]+", m.group(0).lower())
    if sum(1 for w in words if w in _EN_DIGIT_WORDS) < 3:
        return m.group(0)
    out: list[str] = []
    repeat = 1
    for w in words:
        if w == "double":
            repeat = 2
        elif w == "triple":
            repeat = 3
        else:
            out.append(_EN_DIGIT_WORDS[w] * repeat)
            repeat = 1
    return "".join(out)


def spoken_digits_to_ascii(text: str) -> str:
    """Turn numbers read out digit by digit into ASCII digits.

    "一三八零零一三八零零零" -> "13800138000"; "幺三八 洞洞幺" -> "138001";
    "one three eight double oh one" -> "138001".  Only runs of at least three
    digit words (or runs glued to ASCII digits, "138一二三四5678") are
    converted, so "一个", "两万五" or "I have one card" stay untouched.
    The text is normalized first (full-width digits become ASCII).
    """
    norm = normalize(text)
    if not norm:
        return ""
    out = _SPOKEN_CN_RUN.sub(lambda m: _cn_run_to_digits(m, norm), norm)
    if re.search(r"[A-Za-z]", out):
        out = _EN_DIGIT_RUN.sub(_en_run_to_digits, out)
    return out
