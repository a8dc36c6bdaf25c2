"""Keep personal data out of the ledger: only ids, codes, timestamps and SHA-256 digests pass.

The ledger is never erased (that is its point), so anything personal written into it could
never be deleted. Validation is an allow-list of shapes, backed by checks that refuse values
looking like an ID number, a phone number, a card or account number, or a name. It cannot
recognise every name (a lower-case Latin given name is also a plausible code), so callers
must still pass only ids and digests; this is the net under that rule, not a replacement.

Digests must be of high-entropy data (documents, random ids). A plain SHA-256 of a phone or ID
number is brute-forceable and therefore personal data: use ``bot.crypto`` blind indexes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from integrations.ledger import const


class LedgerDataError(ValueError):
    """An append was refused; ``code`` says why, ``field`` names the offending key (if any)."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(f"{code}:{field}" if field else code)
        self.code = code
        self.field = field


_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# Parts of a key that announce personal data ("id_number", "phone", "holder_name", "pan").
_PERSONAL_KEY_PARTS = frozenset(
    {
        "name",
        "names",
        "phone",
        "tel",
        "telephone",
        "email",
        "mail",
        "address",
        "addr",
        "birth",
        "birthday",
        "dob",
        "pan",
        "cvv",
        "cvc",
        "cvv2",
        "pin",
        "passport",
        "idcard",
        "number",
        "income",
        "employer",
        "photo",
        "selfie",
    }
)
_DIGEST = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$")  # uuid hex, sha1, sha256
# Other random hex ids (token_hex(12) …) with at least one hex letter. An id of digits only is
# indistinguishable from a card or account number: use 32+ hex characters (uuid4().hex).
_HEX_ID = re.compile(r"^(?=[0-9]*[a-f])[0-9a-f]{16,128}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_.:\-]*$")  # secrets.token_urlsafe() included
_RAW_DIGITS = re.compile(r"\d+")
# Digits with the separators people put inside phone and ID numbers ("138-0013-8000").
_JOINED_DIGITS = re.compile(r"\d(?:[\-.:]?\d)*[xX]?")
# Names as people write them: "Emily", "Mary-Jane", "McDonald", "ZHANG" (random mixed-case ids
# such as "aZkQpRtXbW" are not names).
_NAME_SHAPES = (
    re.compile(r"^[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*$"),
    re.compile(r"^(?:[A-Z][a-z]+){2,3}$"),
    re.compile(r"^[A-Z]{2,20}$"),
)
_LOWER_ALPHA = re.compile(r"^[a-z]{4,20}$")
_CN_MOBILE = re.compile(r"^(?:0{0,2}86)?1[3-9]\d{9}$")
_ID_NUMBER = re.compile(r"^(?:\d{17}[\dxX]|\d{15})$")

MAX_RAW_DIGIT_RUN = 8  # a date (20261128) is fine, 9+ digits in a row is a phone/ID/card/account
MAX_JOINED_DIGIT_RUN = 10

# Common Chinese surnames in pinyin: a lower-case token that is a surname plus one or two more
# pinyin syllables ("zhangwei", "lina") is a name, not a code.
_SURNAME_TEXT = (
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng "
    "liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye "
    "cheng wei su lu ding ren shen yao jin fu zhong cui tan lv fan shi qiu qin gu hou shao meng "
    "long wan duan lei qian yin yi chang wen niu kong bai kang mao xiong hao bao "
    "ouyang sima zhuge shangguan dongfang huangfu situ murong"
)
_INITIAL_TEXT = "zh ch sh b p m f d t n l g k h j q x r z c s y w"  # two-letter initials first
_FINAL_TEXT = (
    "a o e ai ei ao ou an en ang eng ong er i ia ie iao iu ian in iang ing iong u ua uo uai ui "
    "uan un uang ueng v ve van vn ue"
)
_SURNAMES = frozenset(_SURNAME_TEXT.split())
_INITIALS = tuple(_INITIAL_TEXT.split())
_FINALS = frozenset(_FINAL_TEXT.split())


def _pinyin_syllables(token: str) -> int:
    """How many pinyin syllables ``token`` splits into exactly (0 when it does not)."""
    n = len(token)
    best: list[int] = [0] + [-1] * n  # best[i]: syllables covering token[:i], -1 = impossible
    for i in range(n):
        if best[i] < 0:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            piece = token[i:j]
            initial = next((x for x in _INITIALS if piece.startswith(x)), "")
            final = piece[len(initial) :]
            if final in _FINALS and (best[j] < 0 or best[j] > best[i] + 1):
                best[j] = best[i] + 1
    return max(best[n], 0)


def _looks_like_pinyin_name(token: str) -> bool:
    for cut in range(2, 10):
        head, rest = token[:cut], token[cut:]
        if head in _SURNAMES and rest and 1 <= _pinyin_syllables(rest) <= 2:
            return True
    return False


def check_value(value: object, field: str = "") -> str:
    """Return ``value`` if it is an id, code, timestamp or digest; raise LedgerDataError if not."""
    if not isinstance(value, str) or not value or len(value) > const.MAX_VALUE_CHARS:
        raise LedgerDataError(const.BAD_VALUE, field)
    if _DIGEST.match(value) or _UUID.match(value) or _HEX_ID.match(value):
        return value
    if not _TOKEN.match(value):  # spaces, CJK, '@', '+', '/' …: names, emails, free text
        raise LedgerDataError(const.BAD_VALUE, field)
    for run in _JOINED_DIGITS.findall(value):
        digits = re.sub(r"[\-.:]", "", run)
        if _ID_NUMBER.match(digits):
            raise LedgerDataError(const.LOOKS_LIKE_ID_NUMBER, field)
        if _CN_MOBILE.match(digits):
            raise LedgerDataError(const.LOOKS_LIKE_PHONE, field)
        if len(digits.rstrip("xX")) > MAX_JOINED_DIGIT_RUN:
            raise LedgerDataError(const.LOOKS_LIKE_LONG_NUMBER, field)
    if any(len(run) > MAX_RAW_DIGIT_RUN for run in _RAW_DIGITS.findall(value)):
        raise LedgerDataError(const.LOOKS_LIKE_LONG_NUMBER, field)
    if any(shape.match(value) for shape in _NAME_SHAPES) or (
        _LOWER_ALPHA.match(value) and _looks_like_pinyin_name(value)
    ):
        raise LedgerDataError(const.LOOKS_LIKE_NAME, field)
    return value


def check_key(key: object) -> str:
    if not isinstance(key, str) or not _KEY.match(key) or len(key) > const.MAX_KEY_CHARS:
        raise LedgerDataError(const.BAD_KEY, str(key)[:40] if isinstance(key, str) else "")
    if _PERSONAL_KEY_PARTS.intersection(key.split("_")):
        raise LedgerDataError(const.PERSONAL_KEY, key)
    return key


def check_entry(event: object, subject: object, data: object) -> tuple[str, str, dict[str, str]]:
    """Validate an append's arguments; returns them typed (data as a fresh dict)."""
    if not isinstance(event, str) or event not in const.EVENTS:
        raise LedgerDataError(const.BAD_EVENT)
    if not isinstance(subject, str) or len(subject) > const.MAX_SUBJECT_CHARS:
        raise LedgerDataError(const.BAD_SUBJECT)
    try:
        check_value(subject)
    except LedgerDataError as exc:
        raise LedgerDataError(const.BAD_SUBJECT, exc.code) from None
    if not isinstance(data, Mapping):
        raise LedgerDataError(const.BAD_DATA)
    if len(data) > const.MAX_FIELDS:
        raise LedgerDataError(const.TOO_MANY_FIELDS)
    clean: dict[str, str] = {}
    for key, value in data.items():
        clean[check_key(key)] = check_value(value, key)
    return event, subject, clean
