"""Loading and matching the phrase lexicons in ``nlu/lexicons/*.yml``.

A lexicon maps a label (a slot value such as "self_employed") to phrases in
Chinese and English.  Matching is done on normalized, lower-cased text:
phrases containing Latin letters or digits must stand as whole words
("rent" does not fire inside "parent"), Chinese phrases match as substrings.
Where phrases overlap the longest wins, so "self-employed" is not also
"employed" and "没工作" is not "工作".

The module also knows the two things that flip a match: a negation just
before it ("不是学生", "I'm not a student", "I don't rent") and a past-tense
marker ("以前是学生", "I used to be a teacher").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .text import normalize

__all__ = [
    "LEXICON_DIR",
    "LexMatch",
    "find_matches",
    "is_negated",
    "is_past",
    "load_lexicon",
    "phrase_table",
    "prepare",
]

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"

# Choice answers are short; longer input is cut before matching.
MAX_CHOICE_CHARS = 1000


@dataclass(frozen=True)
class LexMatch:
    """One phrase found in a text: its label, span and the phrase itself."""

    label: str
    start: int
    end: int
    phrase: str


class _LexiconLoader(yaml.SafeLoader):
    """SafeLoader where yes/no/on/off stay strings (YAML 1.1 would turn the
    phrase "no" into False); only true/false are booleans."""


_LexiconLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LexiconLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@functools.cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The parsed YAML ``nlu/lexicons/<name>.yml`` (cached; {} if missing)."""
    path = LEXICON_DIR / f"{name}.yml"
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_LexiconLoader)  # noqa: S506 - SafeLoader subclass
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _phrases(entry: Any) -> list[str]:
    """Flatten ``{zh: [...], en: [...]}`` (or a plain list) into phrases."""
    out: list[str] = []
    if isinstance(entry, dict):
        for value in entry.values():
            out.extend(_phrases(value))
    elif isinstance(entry, (list, tuple)):
        for item in entry:
            if item is not None:
                out.append(str(item))
    elif entry is not None:
        out.append(str(entry))
    return out


def prepare(text: str) -> str:
    """Normalize, lower-case and unify apostrophes for matching."""
    if not isinstance(text, str):
        return ""
    return normalize(text[: MAX_CHOICE_CHARS * 2])[:MAX_CHOICE_CHARS].lower().replace("\u2019", "'").replace("`", "'")


def _phrase_regex(phrase: str) -> str:
    p = prepare(phrase)
    body = re.escape(p)
    if re.search(r"[a-z0-9]", p):
        # Whole words only: "rent" must not fire inside "parent".
        return r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"
    return body


@functools.cache
def phrase_table(name: str, key: str | None = None) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Compile a lexicon (or its sub-key, e.g. "phrases") into one regex.

    Returns the regex and a phrase -> label map.  Alternatives are sorted
    longest first so the regex engine prefers the longest phrase at each
    position.
    """
    data = load_lexicon(name)
    labels: dict[str, str] = {}
    for label, entry in data.items():
        if key is not None:
            entry = entry.get(key) if isinstance(entry, dict) else None
        for phrase in _phrases(entry):
            p = prepare(phrase)
            if p and p not in labels:
                labels[p] = str(label)
    if not labels:
        return None, labels
    ordered = sorted(labels, key=len, reverse=True)
    pattern = re.compile("|".join(f"(?:{_phrase_regex(p)})" for p in ordered))
    return pattern, labels


def find_matches(prepared: str, name: str, key: str | None = None) -> list[LexMatch]:
    """All non-overlapping lexicon matches in an already :func:`prepare`-d text."""
    pattern, labels = phrase_table(name, key)
    if pattern is None or not prepared:
        return []
    return [
        LexMatch(labels[m.group(0)], m.start(), m.end(), m.group(0))
        for m in pattern.finditer(prepared)
        if m.group(0) in labels
    ]


# --- negation and tense -----------------------------------------------------------

# Where a clause starts: punctuation, contrast words, "now".
_BOUNDARY = re.compile(
    r"[,.;!?:，。；！？：、\n]|\b(?:but|however|though|although|and|so|now|currently|actually|instead)\b"
    r"|但是|但|不过|可是|而是|其实|现在|目前|如今|而且|还有|另外|和|跟|以及"
)
_ZH_NEG = re.compile(r"(?:不|没|非|无|未|别|莫|甭)[^不没非无未别]{0,4}$")
_EN_NEG = re.compile(
    r"(?:\b(?:not|no|never|without|neither|nor|dont|doesnt|didnt|isnt|arent|cannot|cant|wont)\b"
    r"|n't\b)(?:\s+[\w'-]+){0,3}\s*$"
)
_PAST = re.compile(
    r"以前|之前|原来|原先|曾经|过去|从前|以往|上一份|前几年|"
    r"\bused to\b|\bformerly\b|\bpreviously\b|\bformer\b|\bex-|\bwas an?\b|\bwere an?\b|\bi was\b"
)


def _clause_prefix(prepared: str, start: int) -> str:
    head = prepared[max(0, start - 40) : start]
    cut = 0
    for m in _BOUNDARY.finditer(head):
        cut = m.end()
    return head[cut:]


def is_negated(prepared: str, match: LexMatch) -> bool:
    """True when the clause before ``match`` ends in a negation:
    "不是学生", "我没有房贷", "I'm not a student", "I don't rent"."""
    prefix = _clause_prefix(prepared, match.start).strip()
    if not prefix:
        return False
    return bool(_ZH_NEG.search(prefix) or _EN_NEG.search(prefix))


def is_past(prepared: str, match: LexMatch) -> bool:
    """True when the clause before ``match`` puts it in the past:
    "以前是学生", "I used to be a teacher", "ex-teacher"."""
    prefix = _clause_prefix(prepared, match.start)
    return bool(_PAST.search(prefix))
