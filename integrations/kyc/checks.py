"""Cross-checks on what was read from an identity document, and the reference data they use.

Each check returns a :class:`Check` (name, passed, detail code). The checks are independent of
how the fields were obtained, so they apply equally to OCR output and to typed-in corrections:

- the GB 11643 check character of the ID number (via ``nlu.parsers.idcard``);
- the birth date and sex encoded in the number agree with the printed ones;
- the region-code prefix is a real administrative division (data/kyc/regions.csv, historical
  codes included, since old cards carry codes of divisions that were merged away);
- the document is not expired, and an ID card's validity period is one the law allows;
- the name read matches the name the applicant typed, allowing characters OCR confuses
  (data/kyc/ocr_confusables.csv) and, for passports, pinyin transliteration; a different name
  (a different character that does not merely look alike, another length) fails.
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from nlu.parsers.idcard import check_digit
from nlu.parsers.names import COMPOUND_SURNAMES
from nlu.parsers.text import is_cjk

from . import const

_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_PERIODS = (5, 10, 20)
# Codes that exist on real cards without being in any published list (see data/kyc/SOURCE.md).
_UNLISTED_SUFFIXES = ("01", "02", "11", "20")
_MAX_PINYIN_COMBOS = 64


@dataclass(frozen=True)
class Check:
    """One cross-check: ``name`` (stable), ``passed``, ``detail`` (a code, never a message)."""

    name: str
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, str | bool]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


# ---- reference data -----------------------------------------------------------------------


@dataclass(frozen=True)
class RegionName:
    name: str
    start_year: int | None
    end_year: int | None


@lru_cache(maxsize=1)
def region_table() -> dict[str, tuple[RegionName, ...]]:
    """Administrative-division code -> the names it had, with their year ranges."""
    table: dict[str, list[RegionName]] = {}
    with const.REGIONS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            table.setdefault(row["code"], []).append(
                RegionName(
                    row["name"],
                    int(row["start_year"]) if row["start_year"] else None,
                    int(row["end_year"]) if row["end_year"] else None,
                )
            )
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def ethnicities() -> tuple[str, ...]:
    """The 56 ethnic groups as printed on the card (GB/T 3304 order)."""
    with const.ETHNICITIES_CSV.open(encoding="utf-8") as fh:
        return tuple(row["name"] for row in csv.DictReader(fh))


@lru_cache(maxsize=1)
def confusables() -> frozenset[tuple[str, str]]:
    """Unordered pairs of look-alike characters, both orders included."""
    pairs: set[tuple[str, str]] = set()
    with const.CONFUSABLES_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            a, b = row["a"].strip(), row["b"].strip()
            for x, y in ((a, b), (a.upper(), b.upper())):
                pairs.add((x, y))
                pairs.add((y, x))
    return frozenset(pairs)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Common single-character surnames plus the compound ones."""
    lines = const.SURNAMES_TXT.read_text(encoding="utf-8").splitlines()
    single = {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}
    return frozenset(single | set(COMPOUND_SURNAMES))


def starts_with_surname(name: str) -> bool:
    s = surnames()
    return name[:2] in s or name[:1] in s


def region_known(code: str) -> bool:
    """True when a 6-digit code is (or was) a real administrative division."""
    if not re.fullmatch(r"\d{6}", code or ""):
        return False
    table = region_table()
    if code in table:
        return True
    return code[4:] in _UNLISTED_SUFFIXES and code[:4] + "00" in table


def region_name(code: str, year: int | None = None) -> str | None:
    """The division's name (in ``year`` when it changed over time), or None when unknown."""
    names = region_table().get(code)
    if not names:
        return None
    if year is not None:
        for n in names:
            if (n.start_year or 0) <= year <= (n.end_year or 9999):
                return n.name
    return names[-1].name


# ---- ID card checks -------------------------------------------------------------------------


def id_checksum(number: str | None) -> Check:
    if not number:
        return Check(const.CHECK_ID_CHECKSUM, False, const.MISSING)
    if not _ID_SHAPE.fullmatch(number):
        return Check(const.CHECK_ID_CHECKSUM, False, const.INVALID_NUMBER)
    ok = check_digit(number[:17]) == number[17]
    return Check(const.CHECK_ID_CHECKSUM, ok, const.OK if ok else const.BAD_CHECK_DIGIT)


def _number_birth(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_birth_date(number: str | None, printed: str | None) -> Check:
    """The YYYYMMDD inside the number equals the printed birth date (ISO string)."""
    if not number or not printed or not _ID_SHAPE.fullmatch(number):
        return Check(const.CHECK_ID_BIRTH, False, const.MISSING)
    inside = _number_birth(number)
    ok = inside is not None and inside.isoformat() == printed
    return Check(const.CHECK_ID_BIRTH, ok, const.OK if ok else const.MISMATCH)


def id_sex(number: str | None, printed: str | None) -> Check:
    """The 17th digit is odd for men, even for women (GB 11643)."""
    if not number or printed not in ("M", "F") or not _ID_SHAPE.fullmatch(number):
        return Check(const.CHECK_ID_SEX, False, const.MISSING)
    inside = "M" if int(number[16]) % 2 else "F"
    ok = inside == printed
    return Check(const.CHECK_ID_SEX, ok, const.OK if ok else const.MISMATCH)


def id_region(number: str | None) -> Check:
    if not number or len(number) < 6:
        return Check(const.CHECK_REGION, False, const.MISSING)
    ok = region_known(number[:6])
    return Check(const.CHECK_REGION, ok, const.OK if ok else const.UNKNOWN_REGION)


def not_expired(valid_to: str | None, today: date) -> Check:
    """``valid_to`` is an ISO date or 长期 (long-term); the document is valid through that day."""
    if not valid_to:
        return Check(const.CHECK_NOT_EXPIRED, False, const.MISSING)
    if valid_to == const.LONG_TERM:
        return Check(const.CHECK_NOT_EXPIRED, True, const.OK)
    try:
        end = date.fromisoformat(valid_to)
    except ValueError:
        return Check(const.CHECK_NOT_EXPIRED, False, const.MISSING)
    ok = end >= today
    return Check(const.CHECK_NOT_EXPIRED, ok, const.OK if ok else const.EXPIRED)


def _same_day(start: date, end: date, years: int) -> bool:
    if end.year - start.year != years:
        return False
    if (start.month, start.day) == (end.month, end.day):
        return True
    return (start.month, start.day) == (2, 29) and (end.month, end.day) in ((2, 28), (3, 1))


def validity_period(valid_from: str | None, valid_to: str | None) -> Check:
    """Law on Resident Identity Cards art. 5: 5, 10 or 20 years to the day, or long-term."""
    if not valid_from or not valid_to:
        return Check(const.CHECK_VALIDITY_PERIOD, False, const.MISSING)
    try:
        start = date.fromisoformat(valid_from)
    except ValueError:
        return Check(const.CHECK_VALIDITY_PERIOD, False, const.MISSING)
    if valid_to == const.LONG_TERM:
        return Check(const.CHECK_VALIDITY_PERIOD, True, const.OK)
    try:
        end = date.fromisoformat(valid_to)
    except ValueError:
        return Check(const.CHECK_VALIDITY_PERIOD, False, const.MISSING)
    ok = any(_same_day(start, end, y) for y in _PERIODS)
    return Check(const.CHECK_VALIDITY_PERIOD, ok, const.OK if ok else const.NONSTANDARD_PERIOD)


# ---- names ------------------------------------------------------------------------------------


def _fold_latin(text: str) -> str:
    """Upper-case ASCII as in an MRZ (ICAO 9303 part 3 transliteration, the common cases)."""
    text = text.upper().replace("ß", "SS").replace("Æ", "AE").replace("Ø", "OE").replace("Ü", "UE")
    text = text.replace("Ä", "AE").replace("Ö", "OE").replace("Å", "AA")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c == " "))


def _latin_tokens(text: str, *, digits: bool = False) -> list[str]:
    """Words of a Latin name, upper-case ASCII; ``digits`` keeps digits (OCR may read I as 1)."""
    words = _fold_latin(re.sub(r"[-‐'’.,<]", " ", text)).split()
    return words if digits else [w for w in ("".join(c for c in w if c.isalpha()) for w in words) if w]


def _confusable_equal(a: str, b: str, max_subs: int) -> bool:
    if len(a) != len(b):
        return False
    pairs = confusables()
    subs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(subs) <= max_subs and all(p in pairs for p in subs)


_DOTS = re.compile("[\u00b7\u2022\u30fb\u2027\u2219\u22c5\u0387]")


def _han(text: str) -> str:
    text = _DOTS.sub("·", unicodedata.normalize("NFKC", text))
    return "".join(c for c in text if is_cjk(c) or c == "·")


def _pinyin_readings(han: str) -> list[tuple[str, str]]:
    """(SURNAME, GIVEN) pinyin spellings of a Han name, with the readings of polyphonic characters."""
    from pypinyin import Style, pinyin

    name = han.replace("·", "")
    cut = 2 if name[:2] in COMPOUND_SURNAMES else 1
    per_char = pinyin(name, style=Style.NORMAL, heteronym=True, errors="ignore")
    options = [[p.upper() for p in chars] for chars in per_char]
    out: list[tuple[str, str]] = []
    for combo in itertools.islice(itertools.product(*options), _MAX_PINYIN_COMBOS):
        surname, given = "".join(combo[:cut]), "".join(combo[cut:])
        for v in ("YU", "U", "V"):  # ü: LYU since 2012, LU / LV on older passports
            out.append((surname.replace("V", v), given.replace("V", v)))
    return out


def name_match(read: str | None, typed: str | None) -> tuple[bool, str]:
    """Does the name read from the document belong to the person who typed ``typed``?

    Returns (passed, detail): EXACT, OCR_CONFUSION (look-alike characters only: at most one in a
    name of up to 3 characters, two in longer ones), DIFFERENT_PERSON, NOT_COMPARABLE or MISSING.
    ``read`` is "SURNAME GIVEN NAMES" for passports, the printed Han name for ID cards.
    """
    if not read or not typed:
        return False, const.MISSING
    han_read, han_typed = _han(read), _han(typed)
    if han_read and han_typed:
        if han_read == han_typed:
            return True, const.EXACT
        limit = 1 if len(han_typed) <= 3 else 2
        if _confusable_equal(han_read, han_typed, limit):
            return True, const.OCR_CONFUSION
        return False, const.DIFFERENT_PERSON
    read_tokens = _latin_tokens(read, digits=True)
    if not read_tokens:
        return False, const.NOT_COMPARABLE
    candidates: list[str]
    if han_typed:
        readings = _pinyin_readings(han_typed)
        candidates = [s + g for s, g in readings] + [g + s for s, g in readings]
    else:
        typed_tokens = _latin_tokens(typed)
        if not typed_tokens:
            return False, const.NOT_COMPARABLE
        # any order of the typed words: "Sean-Patrick O'Connor" is OCONNOR<<SEAN<PATRICK
        candidates = ["".join(p) for p in itertools.islice(itertools.permutations(typed_tokens), 720)]
    joined = "".join(read_tokens)
    if joined in candidates:
        return True, const.EXACT
    if any(_confusable_equal(joined, c, 1) for c in candidates):
        return True, const.OCR_CONFUSION
    if sorted(read_tokens) == sorted(_latin_tokens(typed)):
        return True, const.EXACT
    return False, const.DIFFERENT_PERSON


def name_matches_typed(read: str | None, typed: str | None) -> Check:
    passed, detail = name_match(read, typed)
    return Check(const.CHECK_NAME_MATCH, passed, detail)


# ---- the check lists per document -----------------------------------------------------------


def front_checks(fields: dict[str, str | bool], *, typed_name: str | None) -> list[Check]:
    number = _s(fields.get(const.ID_NUMBER))
    out = [
        id_checksum(number),
        id_birth_date(number, _s(fields.get(const.BIRTH_DATE))),
        id_sex(number, _s(fields.get(const.SEX))),
        id_region(number),
    ]
    if typed_name:
        out.append(name_matches_typed(_s(fields.get(const.NAME)), typed_name))
    return out


def back_checks(fields: dict[str, str | bool], *, today: date) -> list[Check]:
    return [
        not_expired(_s(fields.get(const.VALID_TO)), today),
        validity_period(_s(fields.get(const.VALID_FROM)), _s(fields.get(const.VALID_TO))),
    ]


def _s(v: str | bool | None) -> str | None:
    return v if isinstance(v, str) and v else None
