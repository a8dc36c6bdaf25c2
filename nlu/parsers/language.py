"""Which language a message is in, and explicit requests to switch.

People mix: "我想apply credit card" is a Chinese speaker using English
words; "My name is 张伟" is an English sentence carrying a Chinese name.
:func:`detect_language` weighs Han characters against English words (and
English function words such as "my", "is", "the"), see its docstring.
:func:`language_request` only fires on request-shaped text ("说中文",
"switch to English", "Chinese please"), not on "我的英文名是Emily".
"""

from __future__ import annotations

import re

from .text import count_cjk, normalize

__all__ = ["detect_language", "language_request"]

# Latin-script words not glued to digits ("12k", "42010619800825116X" are
# not English words).
_EN_WORD = re.compile(r"(?<![0-9A-Za-z\u00c0-\u024f])[A-Za-z\u00c0-\u024f']+(?![0-9A-Za-z\u00c0-\u024f])")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "i'm",
        "im",
        "me",
        "my",
        "mine",
        "you",
        "your",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "and",
        "or",
        "but",
        "not",
        "no",
        "do",
        "does",
        "did",
        "don't",
        "can",
        "could",
        "would",
        "should",
        "will",
        "have",
        "has",
        "had",
        "this",
        "that",
        "it",
        "it's",
        "what",
        "how",
        "why",
        "who",
        "where",
        "when",
        "please",
        "want",
        "like",
    ]
)


def detect_language(text: str) -> str | None:
    """ "zh", "en" or None (no letters: digits, emoji, punctuation).

    Rule: h = Han characters, w = English words, f = English function words.
    Only Han -> "zh"; only English -> "en".  Mixed text is "zh" unless the
    English part reads like a sentence of its own: (f >= 2 and w > h) or
    w >= 4 * h.  So "我想apply credit card" -> zh, "我叫Emily Chen" -> zh,
    "My name is 张伟" -> en, "I want to apply for a credit card, 谢谢" -> en.
    """
    norm = normalize(text)
    if not norm:
        return None
    h = count_cjk(norm)
    words = [w.lower() for w in _EN_WORD.findall(norm) if w.strip("'")]
    w = len(words)
    if h == 0 and w == 0:
        return None
    if w == 0:
        return "zh"
    if h == 0:
        return "en"
    f = sum(1 for word in words if word in _FUNCTION_WORDS)
    if (f >= 2 and w > h) or w >= 4 * h:
        return "en"
    return "zh"


# --- explicit switch requests ------------------------------------------------------

_ZH_NAMES = r"(?:中文|汉语|普通话|华语|国语|中国话|chinese|mandarin)"
_EN_NAMES = r"(?:英文|英语|english)"
_ANY_NAME = rf"(?:{_ZH_NAMES}|{_EN_NAMES})"
# The language word used as a modifier, not as the thing requested:
# "英文名", "英语老师", "中文水平", "English name", "Chinese food".
_NOUN_AFTER = (
    r"(?!\s*(?:名|姓|字|水平|老师|课|书|歌|专业|系|成绩|翻译|版|报|学校|考试|能力|不好|很差|"
    r"name|names|food|restaurant|class|lesson|teacher|friend|friends|level|version|speaker|speakers))"
)
_STRONG = (
    r"(?:切换到|切换成|切换为|切换|切到|换成|换到|换为|改成|改用|改为|转成|转到|转为|使用|"
    r"switch(?:\s+(?:it|this|back))?\s+(?:to|into)|change(?:\s+(?:it|this|the\s+language))?\s+to|"
    r"reply\s+in|answer\s+in|respond\s+in|talk\s+(?:to\s+me\s+)?in|write\s+in|"
    r"speak\s+to\s+me\s+in|can\s+we\s+(?:use|speak)|can\s+you\s+(?:speak|use|talk\s+in|reply\s+in)|"
    r"could\s+you\s+(?:speak|use|talk\s+in|reply\s+in)|do\s+you\s+speak)"
)
_WEAK = r"(?:说|用|讲|来|讲讲|说说|speak|use|in|using)"
_POLITE = (
    r"(?:请|请你|麻烦|麻烦你|能不能|可不可以|可以|能|你能|你会|我要|我想|我想要|要|还是|"
    r"please|pls|plz|can you|could you|let's|lets|ok|okay|thanks|thank you|"
    r"一下|吧|吗|呢|啊|呀|好吗|好不好|可以吗|行吗|谢谢|的|版|模式|mode|version|language|,|\.|!|\?|\s)*"
)
_NEGATION = r"(?:不会|不懂|看不懂|听不懂|不要|别|不用|不想|不太会|don't|do not|dont|can't|cannot|no|not)"


_POOR = re.compile(
    rf"(?P<lang>{_ANY_NAME})(?:水平|说得|讲得)?(?:不太好|不好|很差|太差|不行|不太行|一般般|很烂)"
    rf"|(?:my\s+)?(?P<lang2>{_ANY_NAME})\s+(?:is\s+)?(?:not\s+(?:very\s+)?good|bad|poor|terrible|limited|weak)"
)
_NEG_VERB = r"(?:speak|read|understand|use|说|讲|用|看|懂|听)"
_CLAUSE = re.compile(r"[,.;!?，。；！？\n]+")


def _target(name: str) -> str:
    return "zh" if re.fullmatch(_ZH_NAMES, name) else "en"


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def language_request(text: str) -> str | None:
    """ "zh"/"en" when the person explicitly asks to switch language.

    "说中文", "中文", "用中文", "切换到中文", "请讲普通话", "Chinese please",
    "speak Chinese", "汉语" -> "zh"; "English please", "switch to English",
    "英文", "说英语", "can you speak english", "in English" -> "en".
    A negated request flips: "我看不懂英文" -> "zh", "不要说中文" -> "en".
    Mentions that are not requests -> None: "我的英文名是Emily",
    "I speak English at work and Chinese at home".
    """
    norm = normalize(text)
    if not norm or len(norm) > 120:
        return None
    low = norm.lower()
    # 0. "我英语不好", "my Chinese is not good": wants the other language.
    m = _POOR.search(low)
    if m and len(low) <= 40:
        return _other(_target(m.group("lang") or m.group("lang2")))
    # 1. Negated: "我看不懂英文", "please don't speak Chinese" -> the other one.
    m = re.search(rf"{_NEGATION}\s*(?:{_NEG_VERB})?\s*(?:in\s+)?(?P<lang>{_ANY_NAME}){_NOUN_AFTER}", low)
    if m and len(low) <= 40:
        return _other(_target(m.group("lang")))
    # 2. Strong switch verbs anywhere in a message: "切换到中文", "reply in English".
    m = re.search(rf"{_STRONG}(?:\s*in)?\s*(?P<lang>{_ANY_NAME}){_NOUN_AFTER}", low)
    if m:
        return _target(m.group("lang"))
    for clause in _CLAUSE.split(low):
        clause = clause.strip()
        if not clause:
            continue
        # 3. A clause that is (politely) just a language name: "中文", "English please".
        m = re.fullmatch(rf"{_POLITE}(?P<lang>{_ANY_NAME}){_POLITE}", clause)
        if m:
            return _target(m.group("lang"))
        # 4. Weak verbs only in short, request-shaped clauses: "说中文", "in English",
        #    "可以说中文吗".
        m = re.fullmatch(
            rf"{_POLITE}(?:我们|we|you)?\s*{_POLITE}{_WEAK}\s*(?P<lang>{_ANY_NAME}){_NOUN_AFTER}"
            rf"(?:\s*(?:说|讲|交流|聊|沟通|回答|回复|吧|please|pls|instead|from now on))*{_POLITE}",
            clause,
        )
        if m:
            return _target(m.group("lang"))
    return None
