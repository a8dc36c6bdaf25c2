"""A person's name as typed in reply to "What is your full name?".

Chinese names: "张伟", "我叫张伟", "我是张伟", "姓名：张伟", "名字是王小明",
"叫我李娜就行", compound surnames up to 6 characters ("欧阳娜娜",
"司马相如"), ethnic-minority names with a middle dot ("买买提·艾力";
"•", "・", "‧" are normalized to "·").
Latin names: "Emily Chen", "my name is Emily Chen", "I'm Emily Chen",
"it's José Álvarez", "Mary-Jane O'Neil"; "emily chen" / "EMILY CHEN" are
title-cased, mixed case is kept as typed ("McDonald", "van der Berg").
Anything else gets an error code, never a message.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .lexicon import load_lexicon
from .text import has_markup, is_cjk, normalize

__all__ = [
    "BAD_CHARS",
    "HAS_DIGITS",
    "HAS_MARKUP",
    "NOT_FOUND",
    "TOO_LONG",
    "TOO_SHORT",
    "NameParse",
    "mask_name",
    "parse_name",
]

NOT_FOUND = "not_found"
HAS_DIGITS = "has_digits"
HAS_MARKUP = "has_markup"
BAD_CHARS = "bad_chars"
TOO_LONG = "too_long"
TOO_SHORT = "too_short"

MAX_CHARS = 60
_MAX_LATIN_WORDS = 6
_MAX_MINORITY_CHARS = 30

COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "令狐",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "万俟",
        "申屠",
        "澹台",
        "闻人",
        "赫连",
        "太史",
        "钟离",
        "公冶",
        "濮阳",
        "淳于",
        "单于",
        "仲孙",
        "鲜于",
        "闾丘",
        "司空",
        "亓官",
        "司寇",
        "子车",
        "颛孙",
        "壤驷",
        "公良",
        "漆雕",
        "乐正",
        "宰父",
        "谷梁",
        "拓跋",
        "夹谷",
        "段干",
        "东郭",
        "南门",
        "羊舌",
        "微生",
        "梁丘",
        "左丘",
        "东门",
        "第五",
    ]
)

_DOTS = re.compile("[\u00b7\u2022\u30fb\u2027\u2219\u22c5\u0387\u16eb\u2e31]")
_ZH_INTRO = re.compile(
    r"^(?:(?:你好|您好|嗨|hi|hello)[,!\s]*)?"
    r"(?:我的(?:名字|姓名|全名)(?:是|叫做|叫)?|名字(?:是|叫做|叫)?|姓名(?:是|叫)?|全名(?:是|叫)?|"
    r"本人(?:姓名)?(?:是|叫)?|我叫做|我叫|我是|叫我|可以叫我|你可以叫我|请叫我)\s*[:\s]?\s*"
)
# "我姓张，叫张伟" / "姓张名伟": surname said separately.
_ZH_SURNAME_FIRST = re.compile(r"^(?:我)?姓(?P<s>[^\W\d_]{1,2}?)[,，\s]*(?:名|叫|名字叫|名字是)(?P<g>[^\W\d_]{1,4})")
_ZH_TITLE = re.compile(r"(?:同学|老师|先生|女士|小姐|太太|经理|医生|律师)$")
_ZH_SURNAME_ONLY = re.compile(r"^(?:我)?姓(?P<s>[^\W\d_]{1,2})$")
_EN_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam)\.?\s+(?=\S)", re.IGNORECASE)
_ZH_TAIL = re.compile(r"(?:就行了?|就好了?|就可以了?|就是了?|吧|呀|啊|哦|哈|啦|呢|的)+$")
_EN_INTRO = re.compile(
    r"^(?:(?:hi|hello|hey|ok|okay|sure|yes)[,!.\s]+)*(?:(?:there|so|well)[,!.\s]+)?"
    r"(?:my\s+(?:full\s+)?name\s+is|my\s+(?:full\s+)?name's|(?:full\s+)?name\s*(?:is|:)|"
    r"the\s+name's|the\s+name\s+is|i\s+am|i'm|im|it's|it\s+is|this\s+is|call\s+me|"
    r"you\s+can\s+call\s+me|they\s+call\s+me)\s+",
    re.IGNORECASE,
)
_EN_TAIL = re.compile(
    r"(?:[,.!\s]+(?:please|thanks|thank\s+you|thx|here|by\s+the\s+way|btw))+[.!\s]*$",
    re.IGNORECASE,
)
_CUT = re.compile(r"[,，。!！?？;；\n]|\s+(?:and|but|from|i\s+am|i'm|im|nice)\s+", re.IGNORECASE)
_LATIN_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\u2019.-](?=[^\W\d_]))*\.?$")
_SQLISH = re.compile(r"""[;=()\[\]{}<>"\\*`|]|--""")
_BAD = re.compile(r"""[;=()\[\]{}<>"\\/*%$#@&|`~^+_!?:,，。、？！；：“”「」《》\d]""")


@dataclass(frozen=True)
class NameParse:
    """``ok`` with the cleaned ``value`` or an ``error`` code (NOT_FOUND,
    HAS_DIGITS, HAS_MARKUP, BAD_CHARS, TOO_LONG, TOO_SHORT)."""

    ok: bool
    value: str | None
    error: str | None


def _fail(code: str) -> NameParse:
    return NameParse(False, None, code)


@functools.lru_cache(maxsize=1)
def _stop_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = load_lexicon("non_names")
    phrases: set[str] = set()
    raw_phrases = data.get("phrases", {})
    if isinstance(raw_phrases, dict):
        for items in raw_phrases.values():
            phrases.update(str(p).lower() for p in items or [])
    words = frozenset(str(w).lower() for w in data.get("en_words", []) or [])
    chars = frozenset(str(c) for c in data.get("zh_chars", []) or [])
    return frozenset(phrases), words, chars


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def _strip_intro(text: str) -> str:
    m = _ZH_SURNAME_FIRST.match(text)
    if m:
        given = m.group("g")
        return given if given.startswith(m.group("s")) else m.group("s") + given
    out = text
    for _ in range(2):
        out = _ZH_INTRO.sub("", out, count=1)
        out = _EN_INTRO.sub("", out, count=1)
    out = _CUT.split(out, maxsplit=1)[0] if _CUT.search(out) and out else out
    out = _EN_TAIL.sub("", out)
    if out and is_cjk(out[0]):
        out = _ZH_TAIL.sub("", out)
        # "李华同学" -> "李华"; "王老师" -> "王" (a surname alone: too short).
        out = _ZH_TITLE.sub("", out) or out
    else:
        out = _EN_TITLE.sub("", out)
    return out.strip(" .'-")


def _case(name: str) -> str:
    letters = [ch for ch in name if ch.isalpha()]
    if letters and (all(ch.islower() for ch in letters) or all(ch.isupper() for ch in letters)):
        return name.lower().title()
    return name


def _check_han(name: str, stop_chars: frozenset[str]) -> NameParse:
    compact = name.replace(" ", "")
    if "·" in compact:
        parts = compact.split("·")
        if any(not p for p in parts):
            return _fail(BAD_CHARS)
        if len(compact) > _MAX_MINORITY_CHARS:
            return _fail(TOO_LONG)
        if len(compact) < 3:
            return _fail(TOO_SHORT)
        return NameParse(True, compact, None)
    if len(compact) < 2:
        return _fail(TOO_SHORT)
    if any(ch in stop_chars for ch in compact):
        return _fail(NOT_FOUND)
    limit = 6 if compact[:2] in COMPOUND_SURNAMES else 4
    if len(compact) > limit:
        return _fail(TOO_LONG)
    return NameParse(True, compact, None)


def _check_latin(name: str, stop_words: frozenset[str]) -> NameParse:
    words = name.split()
    if not words:
        return _fail(NOT_FOUND)
    if len(words) > _MAX_LATIN_WORDS:
        return _fail(NOT_FOUND)
    if not all(_LATIN_WORD.match(w) for w in words):
        return _fail(BAD_CHARS)
    letters = sum(1 for ch in name if ch.isalpha())
    if letters < 2:
        return _fail(TOO_SHORT)
    if all(w.lower().strip(".") in stop_words for w in words):
        return _fail(NOT_FOUND)
    return NameParse(True, _case(" ".join(words)), None)


def parse_name(text: str) -> NameParse:
    """Extract and validate a full name from a reply.

    Returns ``NameParse(ok=True, value=...)`` for "张伟", "我叫张伟",
    "叫我李娜就行" (-> "李娜"), "买买提•艾力" (-> "买买提·艾力"),
    "my name is Emily Chen", "emily chen" (-> "Emily Chen"), "it's José
    Álvarez".  Errors: "" / "👍" / "谢谢" / "yes" -> NOT_FOUND;
    "张伟123" -> HAS_DIGITS; "<b>张伟</b>" -> HAS_MARKUP;
    "'; DROP TABLE applications; --" or "张伟😀" -> BAD_CHARS;
    more than 60 characters -> TOO_LONG; "张" / "E" -> TOO_SHORT.
    """
    if not isinstance(text, str):
        return _fail(NOT_FOUND)
    if has_markup(text[:2000]):
        return _fail(HAS_MARKUP)
    norm = normalize(text[:2000]).replace("\u2019", "'").replace("\u02bc", "'")
    if not norm or not any(ch.isalnum() for ch in norm):
        return _fail(NOT_FOUND)
    if len(norm) > MAX_CHARS * 3:
        return _fail(TOO_LONG)
    if _SQLISH.search(norm):
        return _fail(BAD_CHARS)
    stop_phrases, stop_words, stop_chars = _stop_lists()
    bare = norm.strip(" .,!?。，！？~")
    if bare.lower() in stop_phrases:
        return _fail(NOT_FOUND)
    surname_only = _ZH_SURNAME_ONLY.match(bare)
    if surname_only and all(is_cjk(ch) and ch not in stop_chars for ch in surname_only.group("s")):
        return _fail(TOO_SHORT)  # "我姓张": the given name is missing
    candidate = _DOTS.sub("·", _strip_intro(norm))
    candidate = re.sub(r"\s*·\s*", "·", candidate)
    if not candidate or candidate.lower() in stop_phrases:
        return _fail(NOT_FOUND)
    if len(candidate) > MAX_CHARS:
        return _fail(TOO_LONG)
    if any(ch.isdigit() for ch in candidate):
        return _fail(HAS_DIGITS)
    if _BAD.search(candidate):
        return _fail(BAD_CHARS)
    if any(not (_is_letter(ch) or ch in " ·'-." or unicodedata.category(ch) == "Mn") for ch in candidate):
        return _fail(BAD_CHARS)
    han = sum(1 for ch in candidate if is_cjk(ch))
    other_letters = sum(1 for ch in candidate if _is_letter(ch) and not is_cjk(ch))
    if han and other_letters:
        return _fail(BAD_CHARS)
    if han:
        if any(ch in "'-." for ch in candidate):
            return _fail(BAD_CHARS)
        return _check_han(candidate, stop_chars)
    if "·" in candidate:
        return _fail(BAD_CHARS)
    return _check_latin(candidate, stop_words)


def mask_name(value: str) -> str:
    """Hide most of a name for echoing back: "张伟" -> "张*", "欧阳娜娜" ->
    "欧***", "买买提·艾力" -> "买**·**", "Emily Chen" -> "E. C***",
    "Emily" -> "E***"."""
    if not isinstance(value, str):
        return ""
    name = normalize(value)
    if not name:
        return ""
    if any(is_cjk(ch) for ch in name):
        return name[0] + "".join("·" if ch == "·" else "*" for ch in name[1:] if ch != " ")
    words = name.split()
    if len(words) == 1:
        return words[0][0] + "***"
    return f"{words[0][0]}. {words[-1][0]}***"
