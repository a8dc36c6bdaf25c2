"""Every parser takes any string without raising, fast.

A stdlib-``random`` fuzz loop (hypothesis is not a dependency) feeds random
Unicode - CJK, full-width forms, emoji, combining marks, control and
zero-width characters, digits, numerals and the separators the parsers care
about - to every public function and checks the result types.  Timing tests
bound the cost of one call.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from nlu import parsers
from nlu.parsers.choices import CATEGORIES, EMPLOYMENT_TYPES, FIELDS, HOUSING_TYPES
from nlu.parsers.numbers import find_numbers, parse_chinese_numeral

TODAY = date(2024, 6, 1)

# name -> (function, result checker)
Check = Callable[[Any], bool]


def _opt(kind: type) -> Check:
    return lambda r: r is None or isinstance(r, kind)


def _amount_ok(r: Any) -> bool:
    return r is None or (
        isinstance(r, parsers.Amount)
        and math.isfinite(r.value)
        and r.original_period in ("month", "year", "unknown")
        and isinstance(r.approximate, bool)
        and r.after_tax in (True, False, None)
        and isinstance(r.currency, str)
    )


def _id_ok(r: Any) -> bool:
    if not isinstance(r, parsers.IdParse):
        return False
    if r.ok:
        return r.error is None and r.id is not None and len(r.id.value) == 18
    return r.id is None and r.error in (
        "not_found",
        "length",
        "old_15_digit",
        "checksum",
        "birth_date",
        "future_birth",
        "region",
    )


def _phone_ok(r: Any) -> bool:
    if not isinstance(r, parsers.PhoneParse):
        return False
    if r.ok:
        return r.error is None and isinstance(r.e164, str) and r.e164.startswith("+")
    return r.e164 is None and r.error in ("not_found", "too_short", "too_long", "invalid")


def _name_ok(r: Any) -> bool:
    if not isinstance(r, parsers.NameParse):
        return False
    if r.ok:
        return r.error is None and isinstance(r.value, str) and 2 <= len(r.value) <= 60
    return r.value is None and r.error in (
        "not_found",
        "has_digits",
        "has_markup",
        "bad_chars",
        "too_long",
        "too_short",
    )


def _range_ok(r: Any) -> bool:
    return r is None or (isinstance(r, tuple) and len(r) == 2 and r[0] <= r[1])


def _validity_ok(r: Any) -> bool:
    return r is None or (isinstance(r, tuple) and isinstance(r[0], date) and (r[1] is None or r[1] > r[0]))


FUNCTIONS: dict[str, tuple[Callable[[str], Any], Check]] = {
    "normalize": (parsers.normalize, lambda r: isinstance(r, str)),
    "is_meaningless": (parsers.is_meaningless, lambda r: isinstance(r, bool)),
    "has_markup": (parsers.has_markup, lambda r: isinstance(r, bool)),
    "strip_markup": (parsers.strip_markup, lambda r: isinstance(r, str)),
    "cjk_ratio": (parsers.cjk_ratio, lambda r: isinstance(r, float) and 0.0 <= r <= 1.0),
    "detect_language": (parsers.detect_language, lambda r: r in ("zh", "en", None)),
    "language_request": (parsers.language_request, lambda r: r in ("zh", "en", None)),
    "parse_number": (parsers.parse_number, _opt(float)),
    "find_numbers": (find_numbers, lambda r: isinstance(r, list)),
    "parse_chinese_numeral": (parse_chinese_numeral, _opt(float)),
    "spoken_digits_to_ascii": (parsers.spoken_digits_to_ascii, lambda r: isinstance(r, str)),
    "parse_amount": (parsers.parse_amount, _amount_ok),
    "parse_amount_no_zero": (lambda s: parsers.parse_amount(s, zero_words=False), _amount_ok),
    "parse_range_payload": (parsers.parse_range_payload, _range_ok),
    "check_digit": (parsers.check_digit, lambda r: r in ("", *"0123456789X")),
    "parse_id_number": (lambda s: parsers.parse_id_number(s, today=TODAY), _id_ok),
    "mask_id_number": (parsers.mask_id_number, lambda r: isinstance(r, str)),
    "parse_phone": (parsers.parse_phone, _phone_ok),
    "mask_phone": (parsers.mask_phone, lambda r: isinstance(r, str)),
    "parse_name": (parsers.parse_name, _name_ok),
    "mask_name": (parsers.mask_name, lambda r: isinstance(r, str)),
    "parse_date": (parsers.parse_date, _opt(date)),
    "is_ambiguous_date": (parsers.is_ambiguous_date, lambda r: isinstance(r, bool)),
    "parse_validity": (parsers.parse_validity, _validity_ok),
    "parse_employment": (parsers.parse_employment, lambda r: r is None or r in EMPLOYMENT_TYPES),
    "parse_housing": (parsers.parse_housing, lambda r: r is None or r in HOUSING_TYPES),
    "parse_categories": (
        parsers.parse_categories,
        lambda r: isinstance(r, list) and r == [c for c in CATEGORIES if c in r],
    ),
    "parse_yes_no": (parsers.parse_yes_no, lambda r: r in (True, False, None)),
    "detect_field": (parsers.detect_field, lambda r: r is None or r in FIELDS),
}

# Characters and snippets the parsers treat specially, mixed into the noise.
SNIPPETS = [
    "万",
    "千",
    "百",
    "亿",
    "点",
    "两",
    "零",
    "〇",
    "幺",
    "洞",
    "k",
    "K",
    "w",
    "-",
    "~",
    "+",
    "+86",
    "0086",
    "(",
    ")",
    "年",
    "月",
    "日",
    "号",
    "元",
    "块",
    "¥",
    "$",
    "·",
    "•",
    "'",
    "X",
    "x",
    ".",
    ",",
    "，",
    "：",
    "长期",
    "到",
    "至",
    "不",
    "没有",
    "not ",
    "no ",
    "don't ",
    "我叫",
    "my name is ",
    "说中文",
    "English",
    "<script>",
    "</b>",
    "&lt;",
    "年薪",
    "per year",
    "左右",
    "about ",
    "税后",
    "after tax",
    "between ",
    " and ",
    "一九九零",
    "twenty five ",
    "thousand",
    "one two three ",
    "double ",
    "\u200b",
    "\u3000",
    "\x00",
    "\n",
    "😀",
    "👍",
    "\u0301",
    "420106198008251161",
    "15012345678",
    "11010519491231002X",
    "1990-01-01",
    "01/02/1990",
    "Jan 1, 1990",
]
RANGES = [
    (0x20, 0x7E),  # ASCII
    (0x30, 0x39),  # digits
    (0x4E00, 0x4E80),  # common CJK incl. numerals
    (0x4E00, 0x9FFF),  # CJK
    (0xFF01, 0xFF5E),  # full-width forms
    (0x3000, 0x303F),  # CJK punctuation
    (0x1F300, 0x1FAFF),  # emoji
    (0x0300, 0x036F),  # combining marks
    (0x2000, 0x206F),  # general punctuation incl. zero-width
    (0x00C0, 0x024F),  # accented Latin
    (0x0000, 0x001F),  # control characters
    (0x0400, 0x04FF),  # Cyrillic
    (0x10000, 0x10FFFF),  # anything astral
]


def _random_char(rng: random.Random) -> str:
    lo, hi = rng.choice(RANGES)
    cp = rng.randint(lo, hi)
    if 0xD800 <= cp <= 0xDFFF:
        cp = 0xFFFD
    return chr(cp)


def random_text(rng: random.Random, max_len: int) -> str:
    parts: list[str] = []
    target = rng.randint(0, max_len)
    while sum(len(p) for p in parts) < target:
        parts.append(rng.choice(SNIPPETS) if rng.random() < 0.3 else _random_char(rng))
    return "".join(parts)


FUZZ_INPUTS: list[str] = [random_text(random.Random(seed), 60) for seed in range(600)]
FUZZ_INPUTS += [random_text(random.Random(10_000 + seed), 1500) for seed in range(15)]

BAD_INPUTS = [
    "",
    " ",
    "\t\n",
    "😀",
    "👍👍",
    "??!",
    "……",
    "<script>alert(1)</script>",
    "'; DROP TABLE applications; --",
    "-5000",
    "999999999999",
    "x" * 10_000,
    "9" * 10_000,
    "一" * 5_000,
    "万" * 5_000,
    "<" * 10_000,
    "1-" * 5_000,
    "1," * 5_000,
    "a " * 5_000,
    "\u200b" * 10_000,
    "\x00\x01\x02",
    "\ufffd",
    "+" * 100,
    "(" * 100 + "15012345678" + ")" * 100,
    "·" * 50,
    "长期" * 100,
    "one " * 2_000,
    "double " * 2_000,
]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_never_raises_on_bad_inputs(name: str) -> None:
    fn, ok = FUNCTIONS[name]
    for text in BAD_INPUTS:
        result = fn(text)
        assert ok(result), (name, text[:40], result)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_fuzz_random_unicode(name: str) -> None:
    fn, ok = FUNCTIONS[name]
    for text in FUZZ_INPUTS:
        try:
            result = fn(text)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{name} raised {exc!r} on {text!r}")
        assert ok(result), (name, text, result)


def test_other_signatures_never_raise() -> None:
    assert parsers.age_on(date(2000, 2, 29), date(2001, 2, 28)) == 0
    for region in ("CN", "SG", "US", "GB", "", "ZZ", "cn", "xx"):
        for text in ("15012345678", "+6591234567", "9123 4567", "", "😀"):
            assert _phone_ok(parsers.parse_phone(text, default_region=region))


# --- timing ------------------------------------------------------------------------------

_SENTENCE = (
    "我的月薪是两万五左右，税后大概1.2w，身份证420106198008251161，手机150-1234-5678，"
    "I work at a bank and rent a flat, travel and dining, 一九九零年一月一日，不是学生 "
)
INPUT_200 = (_SENTENCE * 3)[:200]
INPUT_10K = (_SENTENCE * 80)[:10_000]
PATHOLOGICAL_10K = ["9" * 10_000, "<a " * 3_333, "一二" * 5_000, "1-" * 5_000, "no " * 3_333]


def _best_ms(fn: Callable[[str], Any], text: str, runs: int = 3) -> float:
    best = math.inf
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_speed_200_chars(name: str) -> None:
    fn, _ = FUNCTIONS[name]
    fn(INPUT_200)  # warm caches (lexicons, compiled regexes)
    # Target is < 1 ms; the bound is loose so a busy CI machine does not flake.
    assert _best_ms(fn, INPUT_200, runs=5) < 5.0


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_speed_10k_chars(name: str) -> None:
    fn, _ = FUNCTIONS[name]
    fn(INPUT_200)
    for text in [INPUT_10K, *PATHOLOGICAL_10K]:
        assert _best_ms(fn, text) < 20.0, (name, text[:20])
