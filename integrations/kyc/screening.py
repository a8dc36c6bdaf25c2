"""Sanctions / PEP screening of the applicant's name and birth date against a list file.

The list is a CSV in the shape of OpenSanctions' ``targets.simple.csv`` export (see
data/screening/README.md); the bundled one is FICTITIOUS. Matching is fuzzy because the same
person is written many ways:

* Chinese characters are turned into pinyin with ``pypinyin`` (surname readings such as 单 shan,
  曾 zeng; compound surnames 欧阳; ü as u/v/yu), so "张伟" meets "ZHANG Wei" and "Wei Zhang";
* Latin names are case-, accent- and punctuation-folded ("Al-Rashidi" = "al rashidi"); Cyrillic
  is transliterated; for Latin-vs-Latin, tokens of 6+ letters are also compared as a consonant
  skeleton with vowels folded, so "Mohammed" meets "Muhammad" and "Mansour" meets "Mansur"
  (shorter tokens, e.g. pinyin syllables, are not: Zhang is not Zheng);
* OCR noise: digits inside names read as letters (0→o, 1→i/l, 5→s, 8→b), "rn"→"m", and
  edit-distance similarity per token absorb a misread character;
* a token-set comparison (best pairing of tokens, order-free, extra middle names tolerated for
  Latin names) and a
  compact comparison (all tokens glued: "Xiaoming" = "Xiao Ming") are combined by taking the best.

A candidate becomes a *hit* when the birth date does not contradict and the name score reaches
the threshold for that agreement (``NAME_THRESHOLD``): 0.85 for the same date (or same year /
year-month when the list gives only that), 0.90 for a one-digit or day/month-swapped difference
(OCR), 0.93 when one side has no date. A different birth date is never a hit: the second
identifier is what keeps common names ("张伟") from flooding the review queue. A hit means
manual review, never an automatic decline; the applicant is told only that review is needed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final, Protocol

from pypinyin import Style, lazy_pinyin

from integrations.kyc.settings import get_kyc_settings
from nlu.parsers.names import COMPOUND_SURNAMES
from nlu.parsers.text import levenshtein

# outcomes
CLEAR: Final = "clear"
POSSIBLE_MATCH: Final = "possible_match"
# birth-date agreement
DOB_MATCH: Final = "match"
DOB_NEAR: Final = "near"
DOB_UNKNOWN: Final = "unknown"
DOB_MISMATCH: Final = "mismatch"
# list types
SANCTION: Final = "sanction"
PEP: Final = "pep"

METHOD: Final = "fuzzy_name_dob"
NAME_THRESHOLD: Final = {"match": 0.85, "near": 0.90, "unknown": 0.93}  # by birth-date agreement
DOB_FACTOR: Final = {DOB_MATCH: 1.0, DOB_NEAR: 0.9, DOB_UNKNOWN: 0.8}
SKELETON_WEIGHT: Final = 0.95  # a skeleton-only equality is slightly less than a spelling equality
SKELETON_MIN_LEN: Final = 6  # shorter tokens (pinyin syllables: zhang/zheng) are compared as spelt
CONTAINED_WEIGHT: Final = 0.97  # a name contained in a longer one (extra middle names) is slightly less
CONTAINED_MIN_TOKEN: Final = 0.8  # ... and only if every one of its tokens matches well ("ali" is not "al")
MAX_PERMUTE: Final = 3  # compact comparison tries every token order up to this many tokens
REQUIRED_COLUMNS: Final = ("id", "schema", "name", "aliases", "birth_date")

_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DOTS: Final = re.compile("[\u00b7\u2022\u30fb\u2027\u2219\u22c5]")
_OCR_DIGITS: Final = (str.maketrans("015862", "oisbgz"), str.maketrans("015862", "olsbgz"))
# surnames whose reading differs from the character's most common one
_SURNAME_READINGS: Final = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "召": "shao",
    "缪": "miao",
    "覃": "qin",
    "种": "chong",
    "员": "yun",
    "秘": "bi",
    "翟": "zhai",
    "长孙": "zhangsun",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "单于": "chanyu",
}
_CYRILLIC: Final = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


@dataclass(frozen=True)
class ScreeningHit:
    """One list entry the applicant may be. ``matched_name`` is the list's spelling."""

    entry_id: str
    matched_name: str
    list_type: str
    score: float
    dob: str
    confidence: float
    datasets: tuple[str, ...]


@dataclass(frozen=True)
class ScreeningResult:
    """``outcome`` CLEAR or POSSIBLE_MATCH (-> manual review). ``best_score`` is the closest
    name among all entries, hit or not; ``list_version`` identifies the list file screened."""

    outcome: str
    hits: tuple[ScreeningHit, ...]
    best_score: float
    list_version: str
    entries: int
    method: str = METHOD

    @property
    def hit(self) -> bool:
        return self.outcome == POSSIBLE_MATCH

    @property
    def confidence(self) -> float:
        """Heuristic: a hit's confidence, or for a clear result the distance to the closest name."""
        if self.hits:
            return self.hits[0].confidence
        return round(1.0 - self.best_score, 3)


class ScreeningList(Protocol):
    """Port: screen one person. A bank's screening service implements the same call."""

    def screen(self, names: str | Sequence[str], birth_date: dt.date | str | None = None) -> ScreeningResult: ...


# -- name normalization ----------------------------------------------------------------------
@dataclass(frozen=True)
class NameForm:
    """One way of writing a name, as comparable tokens. ``latin`` is False for forms derived
    from Chinese characters (the vowel skeleton is not applied to pinyin: zhang != zheng)."""

    tokens: tuple[str, ...]
    latin: bool
    han: str = ""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(_CYRILLIC.get(ch, ch) for ch in text).replace("_", "")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _canonical(token: str) -> str:
    """Pinyin spellings of ü: lü / lv / lyu -> lu, nü / nv / nyu -> nu."""
    for a, b in (("lyu", "lu"), ("nyu", "nu"), ("lv", "lu"), ("nv", "nu")):
        if token.startswith(a):
            return b + token[len(a) :]
    return token


def latin_tokens(text: str) -> tuple[str, ...]:
    """Folded Latin tokens: "Al-Rashidi, MUHAMMAD" -> ("al", "rashidi", "muhammad")."""
    folded = _fold(text).replace("'", "").replace("\u2019", "")
    parts = re.split(r"[^0-9a-z]+", folded)
    return tuple(_canonical(p) for p in parts if p and not p.isdigit())


def _han_forms(text: str) -> list[NameForm]:
    chars = "".join(_HAN.findall(_DOTS.sub(" ", text)))
    if not chars:
        return []
    parts = [p for p in _DOTS.split(text) if _HAN.search(p)]
    if len(parts) > 1:  # 买买提·艾力: each part one token
        tokens = tuple("".join(lazy_pinyin("".join(_HAN.findall(p)), style=Style.NORMAL)) for p in parts)
        return [NameForm(tuple(_canonical(t) for t in tokens), latin=False, han=chars)]
    surname_len = 2 if chars[:2] in COMPOUND_SURNAMES and len(chars) > 2 else 1
    surname, given = chars[:surname_len], chars[surname_len:]
    readings = {"".join(lazy_pinyin(surname, style=Style.NORMAL))}
    if surname in _SURNAME_READINGS:
        readings = {_SURNAME_READINGS[surname]}  # the surname reading, not the common one
    given_pinyin = "".join(_canonical(s) for s in lazy_pinyin(given, style=Style.NORMAL)) if given else ""
    return [
        NameForm((_canonical(r), given_pinyin) if given_pinyin else (_canonical(r),), latin=False, han=chars)
        for r in sorted(readings)
    ]


def name_forms(text: str) -> list[NameForm]:
    """Every comparable form of one written name (pinyin forms for Han, else Latin tokens)."""
    forms = _han_forms(text)
    if forms:
        return forms
    tokens = latin_tokens(text)
    return [NameForm(tokens, latin=True)] if tokens else []


# -- similarity ------------------------------------------------------------------------------


def ratio(a: str, b: str) -> float:
    """1 - edit distance / longer length (1.0 identical, 0.0 nothing in common)."""
    if not a and not b:
        return 1.0
    return 1.0 - levenshtein(a, b) / max(len(a), len(b))


def skeleton(token: str) -> str:
    """Consonant skeleton with vowels folded: "mohammed", "muhammad" -> "mahamad"."""
    t = token.replace("ph", "f").replace("ck", "k").replace("kh", "k").replace("ou", "u").replace("ee", "i")
    t = re.sub(r"[aeiouy]+", "a", t)
    return re.sub(r"(.)\1+", r"\1", t)


def _ocr_variants(token: str) -> set[str]:
    variants = {token}
    if any(ch.isdigit() for ch in token):
        variants |= {token.translate(table) for table in _OCR_DIGITS}
    variants |= {v.replace("rn", "m").replace("vv", "w") for v in list(variants)}
    return variants


@lru_cache(maxsize=65536)
def token_similarity(a: str, b: str, use_skeleton: bool) -> float:
    best = 0.0
    for va in _ocr_variants(a):
        for vb in _ocr_variants(b):
            best = max(best, ratio(va, vb))
            if use_skeleton and min(len(va), len(vb)) >= SKELETON_MIN_LEN:
                best = max(best, SKELETON_WEIGHT * ratio(skeleton(va), skeleton(vb)))
    return best


def token_set_score(a: Sequence[str], b: Sequence[str], latin: bool) -> float:
    """Best one-to-one pairing of tokens, weighted by length. Between Latin-script names a shorter
    name contained in a longer one (extra middle names: "Muhammad Rashidi" in "Muhammad Abdullah
    al-Rashidi") scores its own coverage, but only with >= 2 tokens: a lone "Wei" must not match
    every "... Wei". Chinese names have no middle names: "张伟" is not contained in "张伟明"."""
    if not a or not b:
        return 0.0
    pairs = sorted(
        ((token_similarity(x, y, latin), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = 0.0
    matched_a = matched_b = 0.0
    weakest = 1.0
    for sim, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched += sim * (len(a[i]) + len(b[j])) / 2
        matched_a += sim * len(a[i])
        matched_b += sim * len(b[j])
        weakest = min(weakest, sim)
    len_a, len_b = sum(map(len, a)), sum(map(len, b))
    dice = 2 * matched / (len_a + len_b)
    if not latin or min(len(a), len(b)) < 2 or weakest < CONTAINED_MIN_TOKEN:
        return dice
    # the side with fewer tokens had every token paired: how well is it covered?
    coverage = matched_a / len_a if len(a) <= len(b) else matched_b / len_b
    return max(dice, coverage * CONTAINED_WEIGHT)


def compact_score(a: Sequence[str], b: Sequence[str]) -> float:
    """Tokens glued together, every order of the shorter side tried: "xiaoming zhang" vs
    "zhang xiao ming", "alrashidi" vs "al rashidi"."""
    if not a or not b:
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    target = "".join(long_)
    if len(short) > MAX_PERMUTE:
        orders: Iterable[Sequence[str]] = (short, tuple(reversed(short)))
    else:
        orders = itertools.permutations(short)
    return max(ratio("".join(p), target) for p in orders)


@lru_cache(maxsize=65536)
def name_score(x: NameForm, y: NameForm) -> float:
    """Similarity of two written names in [0, 1]."""
    if x.han and y.han and x.han == y.han:
        return 1.0
    latin = x.latin and y.latin
    score = token_set_score(x.tokens, y.tokens, latin)
    if len(x.tokens) != len(y.tokens):  # split or glued tokens: "Alrashidi" / "Al Rashidi"
        len_x, len_y = sum(map(len, x.tokens)), sum(map(len, y.tokens))
        if min(len_x, len_y) / max(len_x, len_y) > score:  # upper bound of the compact ratio
            score = max(score, compact_score(x.tokens, y.tokens))
    return round(score, 4)


# -- birth dates -----------------------------------------------------------------------------
def _as_date_text(value: dt.date | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def dob_agreement(applicant: str | None, listed: Sequence[str]) -> str:
    """How the applicant's birth date (YYYY-MM-DD) relates to the list's (maybe partial) dates."""
    listed = [d.strip() for d in listed if d.strip()]
    if not applicant or not listed:
        return DOB_UNKNOWN
    best = DOB_MISMATCH
    for entry in listed:
        if applicant.startswith(entry) or entry.startswith(applicant):
            return DOB_MATCH
        if len(entry) == 10 and len(applicant) == 10:
            a, e = applicant.replace("-", ""), entry.replace("-", "")
            one_digit = sum(x != y for x, y in zip(a, e, strict=True)) == 1
            swapped = a[:4] == e[:4] and a[4:6] == e[6:8] and a[6:8] == e[4:6]
            if one_digit or swapped:
                best = DOB_NEAR
    return best


# -- the list --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    entry_id: str
    name: str
    names: tuple[str, ...]
    forms: tuple[tuple[str, NameForm], ...]
    birth_dates: tuple[str, ...]
    list_type: str
    datasets: tuple[str, ...]


def _split_multi(value: str) -> list[str]:
    if not value:
        return []
    row = next(csv.reader(io.StringIO(value), delimiter=";"), [])
    return [v.strip() for v in row if v.strip()]


class CsvScreeningList:
    """Screening against a ``targets.simple.csv``-shaped file, held in memory (Person rows)."""

    def __init__(self, entries: Sequence[Entry], version: str) -> None:
        self._entries = tuple(entries)
        self.version = version

    @classmethod
    def from_path(cls, path: Path) -> CsvScreeningList:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"screening list {path.name} lacks columns {missing}")
        entries: list[Entry] = []
        for row in reader:
            if (row.get("schema") or "").strip() != "Person":
                continue
            primary = (row.get("name") or "").strip()
            names = tuple(dict.fromkeys([primary, *_split_multi(row.get("aliases") or "")]))
            forms = tuple((n, f) for n in names if n for f in name_forms(n))
            entries.append(
                Entry(
                    entry_id=(row.get("id") or "").strip(),
                    name=primary,
                    names=names,
                    forms=forms,
                    birth_dates=tuple(_split_multi(row.get("birth_date") or "")),
                    list_type=SANCTION if (row.get("sanctions") or "").strip() else PEP,
                    datasets=tuple(_split_multi(row.get("dataset") or "")),
                )
            )
        return cls(entries, hashlib.sha256(raw).hexdigest()[:16])

    @property
    def size(self) -> int:
        return len(self._entries)

    def screen(self, names: str | Sequence[str], birth_date: dt.date | str | None = None) -> ScreeningResult:
        """Screen every given spelling of the applicant's name (e.g. the Chinese name from the ID
        card and the Latin one from a passport) with the birth date."""
        given = [names] if isinstance(names, str) else list(names)
        applicant_forms = [f for n in given if n and n.strip() for f in name_forms(n)]
        dob = _as_date_text(birth_date)
        hits: list[ScreeningHit] = []
        best_overall = 0.0
        for entry in self._entries:
            best, best_name = 0.0, entry.name
            for listed_name, form in entry.forms:
                for mine in applicant_forms:
                    score = name_score(mine, form)
                    if score > best:
                        best, best_name = score, listed_name
            best_overall = max(best_overall, best)
            agreement = dob_agreement(dob, entry.birth_dates)
            if agreement == DOB_MISMATCH:
                continue
            if best >= NAME_THRESHOLD[agreement]:
                hits.append(
                    ScreeningHit(
                        entry_id=entry.entry_id,
                        matched_name=best_name,
                        list_type=entry.list_type,
                        score=round(best, 3),
                        dob=agreement,
                        confidence=round(best * DOB_FACTOR[agreement], 3),
                        datasets=entry.datasets,
                    )
                )
        hits.sort(key=lambda h: h.confidence, reverse=True)
        return ScreeningResult(
            outcome=POSSIBLE_MATCH if hits else CLEAR,
            hits=tuple(hits),
            best_score=round(best_overall, 3),
            list_version=self.version,
            entries=self.size,
        )


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> CsvScreeningList:
    return CsvScreeningList.from_path(Path(path))


def default_list() -> CsvScreeningList:
    """The list named by ``KAIKA_KYC_SCREENING_LIST``, reloaded when the file changes."""
    path = get_kyc_settings().screening_list
    return _load(str(path), path.stat().st_mtime_ns)


def screen(names: str | Sequence[str], birth_date: dt.date | str | None = None) -> ScreeningResult:
    """Screen against the configured list."""
    return default_list().screen(names, birth_date)
