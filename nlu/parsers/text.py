"""Text clean-up helpers shared by every parser.

Users type on phones with Chinese IMEs, so the same answer arrives in many
shapes: full-width digits ("１５０１２３４５６７８"), full-width punctuation
("２５，０００"), ideographic spaces, zero-width joiners pasted from chat apps,
emoji-only replies ("👍"), or the occasional "<script>" probe.  Every parser
calls :func:`normalize` first so the rest of the code only sees one shape.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = [
    "cjk_ratio",
    "count_cjk",
    "count_latin",
    "has_markup",
    "is_cjk",
    "is_meaningless",
    "levenshtein",
    "normalize",
    "strip_markup",
]

# Zero-width and invisible formatting characters that survive NFKC.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")

# A tag opener "<b>", "</div>", "<img src=x onerror=...>", "<script ...".
# A letter must follow "<" (or "</"), so "<5000" or "i <3 u" are not markup.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_MARKUP_HINT = re.compile(
    r"<\s*/?\s*(?:script|iframe|style|svg|img|object|embed)\b|<!--|javascript\s*:"
    r"|\bon(?:error|load|click|focus|blur|change|submit|input|key\w+|mouse\w+)\s*=",
    re.IGNORECASE,
)
_SCRIPT_BLOCK = re.compile(r"<\s*(script|style)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def normalize(text: str) -> str:
    """Return ``text`` in the one canonical shape every parser expects.

    * NFKC: full-width "１２３ＡＢＣ，：（）" become "123ABC,:()", "\u3000" a space.
    * zero-width / bidi control characters are removed, other control
      characters become spaces;
    * runs of whitespace collapse to one space; leading/trailing space goes.

    Non-``str`` input (``None`` from a missing slot) yields "".
    """
    if not isinstance(text, str) or not text:
        return ""
    out = unicodedata.normalize("NFKC", text)
    out = _INVISIBLE.sub("", out)
    out = _CONTROL.sub(" ", out)
    out = _WHITESPACE.sub(" ", out)
    return out.strip()


def is_meaningless(text: str) -> bool:
    """True when the text carries no letters or digits at all.

    Catches "", "   ", "😀", "👍👍", "??!", "……", "。。。", "-_-": replies a
    person sends when they have nothing to say (or tapped by accident).
    """
    norm = normalize(text)
    return not any(ch.isalnum() for ch in norm)


def has_markup(text: str) -> bool:
    """True for HTML/script-looking input such as "<b>hi</b>" or
    "<script>alert(1)</script>", "javascript:..." or "onerror=" handlers."""
    norm = normalize(text)
    return bool(_TAG.search(norm) or _MARKUP_HINT.search(norm))


def strip_markup(text: str) -> str:
    """Remove tags (and the whole body of <script>/<style>), unescape HTML
    entities and normalize: "<b>张伟</b>" -> "张伟"."""
    norm = normalize(text)
    if not norm:
        return ""
    out = _SCRIPT_BLOCK.sub(" ", norm)
    out = _COMMENT.sub(" ", out)
    out = _TAG.sub(" ", out)
    out = html.unescape(out)
    # Unescaping may have produced new tags ("&lt;b&gt;"); drop those too.
    out = _TAG.sub(" ", out)
    return normalize(out)


# --- CJK helpers -----------------------------------------------------------

_CJK_CLASS = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
)
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


def is_cjk(ch: str) -> bool:
    """True when ``ch`` (one character) is a Han ideograph (incl. "〇")."""
    return isinstance(ch, str) and len(ch) == 1 and _CJK_CHAR.match(ch) is not None


def count_cjk(text: str) -> int:
    """Number of Han ideographs in ``text``."""
    if not isinstance(text, str):
        return 0
    return len(_CJK_CHAR.findall(text))


def count_latin(text: str) -> int:
    """Number of Latin letters (ASCII and accented, "é", "ñ") in ``text``."""
    if not isinstance(text, str):
        return 0
    return len(_LATIN_LETTER.findall(text))


def cjk_ratio(text: str) -> float:
    """Share of Han ideographs among all letters (Han + any alphabetic char).

    "我想apply" -> 2/7; "你好" -> 1.0; "hello" -> 0.0; "123" -> 0.0.
    """
    if not isinstance(text, str):
        return 0.0
    letters = len(_LETTER.findall(text))
    if not letters:
        return 0.0
    return min(1.0, count_cjk(text) / letters)


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions, each 1) between two strings."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
