"""nlu.parsers.text: normalization, junk detection, markup, CJK helpers."""

from __future__ import annotations

import pytest

from nlu.parsers.text import (
    cjk_ratio,
    count_cjk,
    count_latin,
    has_markup,
    is_cjk,
    is_meaningless,
    normalize,
    strip_markup,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１５０１２３４５６７８", "15012345678"),  # full-width digits
        ("２５，０００", "25,000"),  # full-width comma
        ("ＡＢＣ ａｂｃ", "ABC abc"),
        ("姓名：张伟", "姓名:张伟"),
        ("（+86）150", "(+86)150"),
        ("￥8,000", "¥8,000"),
        ("张\u200b伟", "张伟"),  # zero-width space
        ("\ufeffhello", "hello"),  # BOM
        ("a\u200db", "ab"),  # zero-width joiner
        ("  hello \t\n  world  ", "hello world"),
        ("你好\u3000世界", "你好 世界"),  # ideographic space
        ("line\x00break", "line break"),  # control char
        ("", ""),
        ("   ", ""),
        ("……", "......"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent() -> None:
    for s in ["１２３，ＡＢＣ", "a\u200b b", "  x  y ", "我的手机号是 150 1234 5678"]:
        assert normalize(normalize(s)) == normalize(s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", True),
        ("   ", True),
        ("😀", True),
        ("👍👍", True),
        ("??!", True),
        ("……", True),
        ("。。。", True),
        ("-_-", True),
        ("🙂 🙃 !!", True),
        ("\u200b", True),
        ("好", False),
        ("ok", False),
        ("1", False),
        ("😀 hi", False),
        ("张伟👍", False),
    ],
)
def test_is_meaningless(raw: str, expected: bool) -> None:
    assert is_meaningless(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>hi</b>", True),
        ("<script>alert(1)</script>", True),
        ("<SCRIPT src=x>", True),
        ("<img src=x onerror=alert(1)>", True),
        ("<img src=x onerror=alert(1)", True),  # unterminated
        ("javascript:alert(1)", True),
        ("<!-- hi -->", True),
        ("＜ｂ＞张伟＜／ｂ＞", True),  # full-width brackets
        ("<br/>", True),
        ("income <5000", False),
        ("i <3 u", False),
        ("3 < 5 > 2", False),
        ("张伟", False),
        ("'; DROP TABLE applications; --", False),
        ("", False),
    ],
)
def test_has_markup(raw: str, expected: bool) -> None:
    assert has_markup(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>张伟</b>", "张伟"),
        ("<script>alert(1)</script>hello", "hello"),
        ("<p>Emily <i>Chen</i></p>", "Emily Chen"),
        ("a &amp; b", "a & b"),
        ("&lt;b&gt;x&lt;/b&gt;", "x"),
        ("no tags", "no tags"),
        ("", ""),
    ],
)
def test_strip_markup(raw: str, expected: str) -> None:
    assert strip_markup(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("你好", 1.0),
        ("hello", 0.0),
        ("我想apply", 2 / 7),
        ("123", 0.0),
        ("", 0.0),
        ("😀", 0.0),
    ],
)
def test_cjk_ratio(raw: str, expected: float) -> None:
    assert cjk_ratio(raw) == pytest.approx(expected)


def test_cjk_counters() -> None:
    assert is_cjk("中") and is_cjk("〇") and is_cjk("𠀀")
    assert not is_cjk("a") and not is_cjk("") and not is_cjk("中文")
    assert count_cjk("我想apply credit card") == 2
    assert count_latin("José 张") == 4


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "", 3), ("", "abc", 3), ("kitten", "sitting", 3), ("张伟", "张玮", 1), ("汉族", "汉", 1)],
)
def test_levenshtein(a: str, b: str, distance: int) -> None:
    from nlu.parsers.text import levenshtein

    assert levenshtein(a, b) == distance == levenshtein(b, a)
