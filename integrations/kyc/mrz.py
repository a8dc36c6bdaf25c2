"""Machine-readable zones of travel documents (ICAO Doc 9303, parts 3, 4 and 5).

TD3 (passport data page): 2 lines of 44 characters. TD1 (ID-1 card): 3 lines of 30.
Every check digit the standard defines is verified: document number, birth date, expiry date,
optional/personal data and the composite. A failed check digit means the line was misread, so
the caller treats it as "not read" rather than as an answer.

OCR text is cleaned before parsing: the alphabet is only A-Z, 0-9 and the filler "<", and in
positions that can only hold digits (dates, check digits) the letters OCR typically returns for
digits are mapped back (O->0, I->1, ...), and the other way round in letter-only positions
(state codes, names). The document number may mix letters and digits, so it is never
"repaired": trying look-alikes until the check digit agrees would manufacture a valid-looking
wrong number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

TD3_LEN: Final = 44
TD1_LEN: Final = 30
FILLER: Final = "<"
_ALPHABET: Final = re.compile(r"[^A-Z0-9<]")
_WEIGHTS: Final = (7, 3, 1)

_TO_DIGIT: Final = {
    "O": "0",
    "D": "0",
    "Q": "0",
    "U": "0",
    "I": "1",
    "L": "1",
    "T": "7",
    "Z": "2",
    "S": "5",
    "B": "8",
    "G": "6",
    "A": "4",
}
_TO_ALPHA: Final = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T"}

CheckName = Literal["document_number", "birth_date", "expiry_date", "optional_data", "composite"]


def char_value(ch: str) -> int:
    """Value of one MRZ character for check digits: digits as is, A=10 … Z=35, filler 0."""
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == FILLER:
        return 0
    raise ValueError(ch)


def check_digit(data: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1 repeating; result modulo 10) as a character."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


def _digit_ok(data: str, digit: str, *, filler_ok: bool = False) -> bool:
    if filler_ok and digit == FILLER and set(data) <= {FILLER}:
        return True
    try:
        return check_digit(data) == digit
    except ValueError:
        return False


@dataclass(frozen=True)
class Mrz:
    """A parsed machine-readable zone. ``checks`` maps each check digit to whether it verified."""

    format: Literal["TD3", "TD1"]
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    sex: Literal["M", "F", "X"]
    expiry_date: date | None
    optional_data: str
    lines: tuple[str, ...]
    checks: dict[str, bool] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Every check digit verified and both dates are real dates."""
        return (
            bool(self.checks)
            and all(self.checks.values())
            and self.birth_date is not None
            and (self.expiry_date is not None)
        )


def _mrz_date(yymmdd: str, *, today: date, kind: Literal["birth", "expiry"]) -> date | None:
    if not re.fullmatch(r"\d{6}", yymmdd):
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if kind == "birth":
        year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    else:
        year = 2000 + yy if 2000 + yy <= today.year + 50 else 1900 + yy
    try:
        d = date(year, mm, dd)
    except ValueError:
        return None
    if kind == "birth" and d > today:
        try:
            d = date(year - 100, mm, dd)
        except ValueError:
            return None
    return d


def _names(field_: str) -> tuple[str, str]:
    """ "ERIKSSON<<ANNA<MARIA<<<" -> ("ERIKSSON", "ANNA MARIA")."""
    body = field_.rstrip(FILLER)
    surname, _, given = body.partition(FILLER * 2)
    return surname.replace(FILLER, " ").strip(), given.replace(FILLER, " ").strip()


def _sex(ch: str) -> Literal["M", "F", "X"]:
    return "M" if ch == "M" else "F" if ch == "F" else "X"


def _force(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in text)


def _digits(text: str) -> str:
    return _force(text, _TO_DIGIT)


def _alpha(text: str) -> str:
    return _force(text, _TO_ALPHA)


def clean(raw: str) -> str:
    """Upper-case, drop spaces and anything outside the MRZ alphabet ("«" is read as "<<")."""
    text = raw.upper().replace("«", "<<").replace("‹", "<").replace("〈", "<")
    return _ALPHABET.sub("", text)


def _fit(line: str, length: int, *, keep_tail: int = 0) -> str:
    """Pad or trim a line to ``length`` where OCR lost or doubled fillers.

    Fillers are removed or added at the last run of "<" before the ``keep_tail`` characters that
    must stay at the end (check digits), which is where a drop or a doubling does the least harm.
    """
    if len(line) == length:
        return line
    head, tail = (line[:-keep_tail], line[-keep_tail:]) if keep_tail else (line, "")
    target = length - len(tail)
    if len(head) > target:
        excess = len(head) - target
        runs = list(re.finditer(r"<+", head))
        for run in reversed(runs):
            take = min(excess, len(run.group(0)) - 1 if run.end() < len(head) else len(run.group(0)))
            if take > 0:
                head = head[: run.end() - take] + head[run.end() :]
                excess -= take
            if not excess:
                break
        head = head[:target]
    elif len(head) < target:
        missing = target - len(head)
        runs = list(re.finditer(r"<+", head))
        if runs:
            run = runs[-1]
            head = head[: run.end()] + FILLER * missing + head[run.end() :]
        else:
            head = head + FILLER * missing
    return head + tail


def parse_td3(line1: str, line2: str, *, today: date | None = None) -> Mrz:
    """Parse a passport MRZ (2 x 44). Lines are cleaned and fitted first; see :func:`clean`."""
    today = today or date.today()
    l1 = _fit(clean(line1), TD3_LEN)
    l2 = _fit(clean(line2), TD3_LEN, keep_tail=2)
    code = _alpha(l1[0:2])
    state = _alpha(l1[2:5])
    surname, given = _names(_alpha(l1[5:44]))
    d_check = _digits(l2[9])
    number = l2[0:9]
    nationality = _alpha(l2[10:13])
    birth = _digits(l2[13:19])
    b_check = _digits(l2[19])
    sex = l2[20]
    expiry = _digits(l2[21:27])
    e_check = _digits(l2[27])
    optional = l2[28:42]
    o_check = l2[42] if l2[42] == FILLER else _digits(l2[42])
    c_check = _digits(l2[43])
    l2 = number + d_check + nationality + birth + b_check + sex + expiry + e_check + optional + o_check + c_check
    composite = l2[0:10] + l2[13:20] + l2[21:43]
    checks = {
        "document_number": _digit_ok(number, d_check),
        "birth_date": _digit_ok(birth, b_check),
        "expiry_date": _digit_ok(expiry, e_check),
        "optional_data": _digit_ok(optional, o_check, filler_ok=True),
        "composite": _digit_ok(composite, c_check),
    }
    return Mrz(
        format="TD3",
        document_code=code.rstrip(FILLER),
        issuing_state=state.replace(FILLER, ""),
        document_number=number.rstrip(FILLER),
        surname=surname,
        given_names=given,
        nationality=nationality.replace(FILLER, ""),
        birth_date=_mrz_date(birth, today=today, kind="birth"),
        sex=_sex(sex),
        expiry_date=_mrz_date(expiry, today=today, kind="expiry"),
        optional_data=optional.rstrip(FILLER),
        lines=(l1, l2),
        checks=checks,
    )


def parse_td1(line1: str, line2: str, line3: str, *, today: date | None = None) -> Mrz:
    """Parse an ID-1 card MRZ (3 x 30), including document numbers longer than 9 characters."""
    today = today or date.today()
    l1 = _fit(clean(line1), TD1_LEN)
    l2 = _fit(clean(line2), TD1_LEN, keep_tail=1)
    l3 = _fit(clean(line3), TD1_LEN)
    code = _alpha(l1[0:2])
    state = _alpha(l1[2:5])
    number_field, d_check, optional1 = l1[5:14], l1[14], l1[15:30]
    if d_check == FILLER:
        # Long document number: it continues in the optional data, followed by its check digit.
        rest = optional1.split(FILLER, 1)[0]
        number_raw, d_check = number_field + rest[:-1], _digits(rest[-1:]) if rest else ""
    else:
        number_raw, d_check = number_field, _digits(d_check)
    number = number_raw
    if l1[14] != FILLER:
        l1 = l1[:5] + number + d_check + l1[15:]
    birth, b_check, sex = _digits(l2[0:6]), _digits(l2[6]), l2[7]
    expiry, e_check = _digits(l2[8:14]), _digits(l2[14])
    nationality, optional2, c_check = _alpha(l2[15:18]), l2[18:29], _digits(l2[29])
    l2 = birth + b_check + sex + expiry + e_check + nationality + optional2 + c_check
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    surname, given = _names(_alpha(l3))
    checks = {
        "document_number": bool(d_check) and _digit_ok(number, d_check),
        "birth_date": _digit_ok(birth, b_check),
        "expiry_date": _digit_ok(expiry, e_check),
        "composite": _digit_ok(composite, c_check),
    }
    return Mrz(
        format="TD1",
        document_code=code.rstrip(FILLER),
        issuing_state=state.replace(FILLER, ""),
        document_number=number.rstrip(FILLER),
        surname=surname,
        given_names=given,
        nationality=nationality.replace(FILLER, ""),
        birth_date=_mrz_date(birth, today=today, kind="birth"),
        sex=_sex(sex),
        expiry_date=_mrz_date(expiry, today=today, kind="expiry"),
        optional_data=(optional1 + optional2).strip(FILLER),
        lines=(l1, l2, l3),
        checks=checks,
    )


def parse(lines: Sequence[str], *, today: date | None = None) -> Mrz | None:
    """Parse 2 lines as TD3 or 3 lines as TD1 (None for any other shape)."""
    cleaned = [clean(x) for x in lines if clean(x)]
    if len(cleaned) == 2 and all(len(x) >= TD3_LEN - 6 for x in cleaned):
        return parse_td3(cleaned[0], cleaned[1], today=today)
    if len(cleaned) == 3 and all(TD1_LEN - 5 <= len(x) <= TD1_LEN + 5 for x in cleaned):
        return parse_td1(cleaned[0], cleaned[1], cleaned[2], today=today)
    return None


def compose_td3(
    *,
    document_code: str = "P",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth: date,
    sex: str,
    expiry: date,
    optional_data: str = "",
) -> tuple[str, str]:
    """Build a valid TD3 MRZ (used by the benchmark generator and the tests)."""
    name = (surname.replace(" ", FILLER) + FILLER * 2 + given_names.replace(" ", FILLER)).upper()
    l1 = (document_code.ljust(2, FILLER) + issuing_state.ljust(3, FILLER) + name)[:TD3_LEN].ljust(TD3_LEN, FILLER)
    number = document_number.ljust(9, FILLER)[:9]
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    opt = optional_data.ljust(14, FILLER)[:14]
    o_check = check_digit(opt) if optional_data else FILLER
    body = number + check_digit(number) + nationality.ljust(3, FILLER) + b + check_digit(b) + sex + e + check_digit(e)
    body += opt + o_check
    composite = body[0:10] + body[13:20] + body[21:43]
    return l1, body + check_digit(composite)


def compose_td1(
    *,
    document_code: str = "I",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth: date,
    sex: str,
    expiry: date,
    optional_data: str = "",
) -> tuple[str, str, str]:
    """Build a valid TD1 MRZ with a document number of at most 9 characters."""
    number = document_number.ljust(9, FILLER)[:9]
    l1 = (
        document_code.ljust(2, FILLER)
        + issuing_state.ljust(3, FILLER)
        + number
        + check_digit(number)
        + optional_data.ljust(15, FILLER)[:15]
    )
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    l2 = b + check_digit(b) + sex + e + check_digit(e) + nationality.ljust(3, FILLER) + FILLER * 11
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += check_digit(composite)
    name = (surname.replace(" ", FILLER) + FILLER * 2 + given_names.replace(" ", FILLER)).upper()
    return l1, l2, name[:TD1_LEN].ljust(TD1_LEN, FILLER)
