"""nlu.parsers.language: which language a message is in, switch requests."""

from __future__ import annotations

import pytest

from nlu.parsers.language import detect_language, language_request


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pure
        ("你好", "zh"),
        ("我想申请信用卡", "zh"),
        ("hello", "en"),
        ("I want a credit card", "en"),
        ("ok", "en"),
        ("José", "en"),
        # no letters
        ("", None),
        ("   ", None),
        ("123", None),
        ("15012345678", None),
        ("😀👍", None),
        ("??!", None),
        ("12k", None),  # "k" glued to digits is a unit, not a word
        ("42010619800825116X", None),
        # mixed: Chinese wins unless the English reads as its own sentence
        ("我想apply credit card", "zh"),
        ("我叫Emily Chen", "zh"),
        ("我的英文名是Emily", "zh"),
        ("OK好的", "zh"),
        ("我想申请credit card可以吗", "zh"),
        ("My name is 张伟", "en"),
        ("I want to apply for a credit card, 谢谢", "en"),
        ("my income is about 8k per month, 大概", "en"),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # zh requests
        ("说中文", "zh"),
        ("中文", "zh"),
        ("用中文", "zh"),
        ("切换到中文", "zh"),
        ("请讲普通话", "zh"),
        ("汉语", "zh"),
        ("中文吧", "zh"),
        ("我英语不好，可以说中文吗", "zh"),
        ("能不能用中文", "zh"),
        ("换成中文", "zh"),
        ("Chinese please", "zh"),
        ("speak Chinese", "zh"),
        ("please speak chinese", "zh"),
        ("Can we speak in Chinese?", "zh"),
        ("switch to chinese please", "zh"),
        ("Mandarin please", "zh"),
        # en requests
        ("English please", "en"),
        ("switch to English", "en"),
        ("英文", "en"),
        ("说英语", "en"),
        ("能用英语吗", "en"),
        ("请用英文回答", "en"),
        ("can you speak english", "en"),
        ("Do you speak English?", "en"),
        ("in English", "en"),
        ("English", "en"),
        ("No, English please", "en"),
        ("reply in English", "en"),
        # negated requests flip to the other language
        ("我看不懂英文", "zh"),
        ("我不会说英语", "zh"),
        ("不要说中文", "en"),
        ("I can't read Chinese", "en"),
        # "my X is poor" asks for the other language
        ("我的英语不太好", "zh"),
        ("英文不好", "zh"),
        ("my english is not very good", "zh"),
        ("My Chinese is poor", "en"),
        # mentions, not requests
        ("我的英文名是Emily", None),
        ("My English name is Emily", None),
        ("我的中文名字叫张伟", None),
        ("I speak English at work and Chinese at home", None),
        ("I like Chinese food", None),
        ("我是中国人", None),
        ("我会说英语", None),
        ("hello", None),
        ("", None),
        ("😀", None),
        ("中文" * 100, None),
    ],
)
def test_language_request(text: str, expected: str | None) -> None:
    assert language_request(text) == expected
