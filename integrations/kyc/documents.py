"""Read an identity document from a photo: the public entry point of document OCR.

    reading = read_document(data, typed_name="张伟")          # raises DocumentRejected(code)
    reading.document_type   # cn_id_front | cn_id_back | passport | mrz_id_card
    reading.fields          # stable field names (const.FRONT_FIELDS, BACK_FIELDS, PASSPORT_FIELDS)
    reading.checks          # cross-checks (checks.Check: name, passed, detail)

Pipeline: safe intake (images.load) -> find the document's outline -> warp it flat ->
decide which document and which side (the emblem on the back of the ID card is red; a passport
page has a machine-readable zone) -> cut each field's region and lines -> OCR each line with
the field's settings (through the OcrEngine port) -> clean each field with what is known about
it (closed lists for sex and ethnicity, official division names for addresses and issuing
authorities, check digits for numbers) -> cross-checks.

Pure: no database, no logging of what was read. The KYC record is kept by the caller.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from nlu.parsers.text import levenshtein

from . import card_layout as cl
from . import checks, const, images, mrz
from .ocr import LineRequest, LineSpec, OcrEngine, OcrError, OcrText, default_engine

FieldValue = str | bool

DIGITS = "0123456789"
MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_ZH = LineSpec("zh")
_ID_DIGITS = LineSpec("latin", DIGITS + "X")
_MRZ_RUN = LineSpec("latin", MRZ_CHARS[:-1])
_MRZ_CHAR = LineSpec("latin", MRZ_CHARS[:-1], single_char=True)
_LOOK_ALIKE = frozenset(frozenset(p) for p in ("G6", "O0", "D0", "Q0", "I1", "B8", "S5", "Z2", "A4", "T7"))
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_ROOM = re.compile(r"(\d)[宣室]$")  # "1101室": chi_sim reads 室 as 宣 after digits
_CARD_OR_PAGE = 1.5  # outline aspect above which an ID-1 card is tried before a passport page
_MIN_EVIDENCE = 4  # text seen of a document whose key field failed: "unreadable", not "no document"
_MIN_NUMBER_GLYPHS = 12  # glyphs in the ID-number line before it is worth OCR
_MIN_VALIDITY_GLYPHS = 8
_RED_EMBLEM = 0.04  # share of red pixels in the emblem corner that says "back of the card"
_ZH_HEIGHT = 40  # px of a Chinese text line handed to OCR
_SHORT_HEIGHTS = (40, 48, 56)  # name, sex and ethnicity are read at several scales
_NUMBER_HEIGHTS = (26, 32, 22)
_MRZ_HEIGHTS = (26, 32)
_MAX_MRZ_COMBOS = 256


@dataclass(frozen=True)
class DocumentReading:
    """What was read. ``fields`` uses the stable names; ``confidence`` is 0..1."""

    document_type: str
    fields: dict[str, FieldValue]
    checks: tuple[checks.Check, ...]
    confidence: float
    seconds: float
    field_confidence: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``kaika kyc read --json``."""
        return {
            "document_type": self.document_type,
            **self.fields,
            "checks": [c.as_dict() for c in self.checks],
            "confidence": round(self.confidence, 3),
            "seconds": round(self.seconds, 3),
        }


class DocumentRejected(ValueError):
    """No document could be read; ``code`` says why (images.* codes or const.NO_DOCUMENT, ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class _Attempt:
    """Outcome of reading one candidate as one document type."""

    document_type: str
    fields: dict[str, FieldValue]
    confidence: dict[str, float]
    recognised: bool  # the document type is certain (its key field was read)
    evidence: int  # how much of the type's text was seen (to pick the least bad failure)


# ---- small text helpers ---------------------------------------------------------------------


def _zh_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _han_name(text: str) -> str:
    t = _zh_text(text).replace("•", "·").replace(".", "·").replace("-", "·")
    t = "".join(c for c in t if "\u3400" <= c <= "\u9fff" or c == "·")
    return t.strip("·")


def _sex(text: str) -> str | None:
    t = _zh_text(text)
    if "男" in t and "女" not in t:
        return "M"
    if "女" in t and "男" not in t:
        return "F"
    return None


def snap_ethnicity(text: str) -> str | None:
    """The ethnic group closest to what was read (closed list of 56), None when nothing is close."""
    t = _han_name(text).removesuffix("族")
    if not t:
        return None
    names = checks.ethnicities()
    if t in names:
        return t
    best = min(names, key=lambda n: (levenshtein(t, n), abs(len(n) - len(t))))
    d = levenshtein(t, best)
    return best if d <= max(1, len(best) // 2) and d < len(t) + (len(best) > 1) else None


def parse_birth(text: str) -> str | None:
    """ "1980 8 25" / "1980年8月25日" -> "1980-08-25" (None when not a real date)."""
    groups = re.findall(r"\d+", text)
    if len(groups) >= 3 and len(groups[0]) == 4:
        y, m, d = groups[0], groups[1], groups[2]
    else:
        digits = "".join(groups)
        if len(digits) != 8:
            return None
        y, m, d = digits[:4], digits[4:6], digits[6:]
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_validity(text: str) -> tuple[str | None, str | None]:
    """ "2015.08.25-2035.08.25" / "2015.08.25-长期" -> ISO dates (or 长期)."""
    t = _zh_text(text)
    dates = re.findall(r"(\d{4})\.?(\d{2})\.?(\d{2})", t)

    def iso(parts: tuple[str, str, str]) -> str | None:
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
        except ValueError:
            return None

    start = iso(dates[0]) if dates else None
    if "长期" in t or ("长" in t and len(dates) == 1) or ("期" in t and len(dates) == 1):
        return start, const.LONG_TERM
    end = iso(dates[1]) if len(dates) > 1 else None
    return start, end


# ---- division names (addresses, issuing authorities) -----------------------------------------

_NOT_A_NAME = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"})


@lru_cache(maxsize=1)
def _provinces() -> dict[str, set[str]]:
    """Province-level name -> its 2-digit prefixes (names changed over time, so several)."""
    out: dict[str, set[str]] = {}
    for code, names in checks.region_table().items():
        if code.endswith("0000"):
            for n in names:
                out.setdefault(n.name, set()).add(code[:2])
    return out


@lru_cache(maxsize=64)
def _below(prefix: str) -> tuple[str, ...]:
    """Every "city + county" (or county alone) name string under a province prefix."""
    table = checks.region_table()
    out: set[str] = set()
    for code, names in table.items():
        if not code.startswith(prefix) or code.endswith("00"):
            continue
        cities = [n.name for n in table.get(code[:4] + "00", ()) if n.name not in _NOT_A_NAME]
        for county in (n.name for n in names if n.name not in _NOT_A_NAME):
            out.add(county)
            out.update(city + county for city in cities)
    return tuple(sorted(out))


@lru_cache(maxsize=1)
def _all_division_names() -> frozenset[str]:
    return frozenset(n.name for names in checks.region_table().values() for n in names if n.name not in _NOT_A_NAME)


@lru_cache(maxsize=1)
def _district_short_names() -> frozenset[str]:
    """District names as police branches use them: "江汉区" -> "江汉" (江汉分局), and in full."""
    every = _all_division_names()
    return every | frozenset(n[:-1] for n in every if n.endswith("区") and len(n) >= 3)


def _bounded_distance(a: str, b: str, k: int) -> int | None:
    """Levenshtein distance if it is at most ``k`` (else None), stopping as soon as it exceeds k."""
    if abs(len(a) - len(b)) > k:
        return None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > k:
            return None
        prev = cur
    return prev[-1] if prev[-1] <= k else None


def _best_prefix(text: str, names: Sequence[str], hint: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """The name that best explains the start of ``text``, and how many characters of text it covers.

    A name is accepted with at most one edit per three characters; among those, the one covering
    most characters net of edits wins. A tie between different names is broken by ``hint`` (names
    known to fit, e.g. the division of the ID number's region code) or else left uncorrected.
    """
    scored: list[tuple[int, str, int]] = []
    window = set(text[:16])
    for name in names:
        k = len(name) // 3
        if len(set(name) - window) > k:
            continue
        if text.startswith(name):
            scored.append((len(name), name, len(name)))
            continue
        if k == 0:
            continue
        for span in (len(name), len(name) - 1, len(name) + 1):
            if span < 2 or span > len(text):
                continue
            d = _bounded_distance(text[:span], name, k)
            if d is not None:
                scored.append((len(name) - d, name, span))
    if not scored:
        return None
    top = max(sc for sc, _, _ in scored)
    best = {(name, span) for sc, name, span in scored if sc == top}
    names_at_top = {name for name, _ in best}
    if len(names_at_top) > 1:
        hinted = names_at_top & hint
        if len(hinted) != 1:
            exact = [(n, sp) for n, sp in best if text.startswith(n)]
            return exact[0] if len(exact) == 1 else None
        names_at_top = hinted
    name = names_at_top.pop()
    span = min(sp for n, sp in best if n == name)
    return name, span


def _hint_names(number: str | None) -> frozenset[str]:
    """Names the ID number's region code stands for ("city+county", county, province)."""
    if not number or len(number) < 6:
        return frozenset()
    table = checks.region_table()
    code = number[:6]
    counties = [n.name for n in table.get(code, ())]
    cities = [n.name for n in table.get(code[:4] + "00", ()) if n.name not in _NOT_A_NAME]
    provinces = [n.name for n in table.get(code[:2] + "0000", ())]
    return frozenset(counties + provinces + [c + k for c in cities for k in counties])


def correct_address(text: str, number: str | None = None) -> str:
    """Fix OCR slips in the leading province + city + county names using the official names.

    The province is matched first, then the city and county together (a misread city name is
    recovered from a well-read county below it, and the other way round). The rest of the
    address (street, number) is left as read, apart from the 室/宣 confusion after a number.
    ``number`` (the ID number read from the same card) only breaks ties between equally close
    official names.
    """
    text = _ROOM.sub(lambda m: m.group(1) + "室", text)
    provinces = _provinces()
    hint = _hint_names(number)
    prov = _best_prefix(text, sorted(provinces), hint)
    if prov is None:
        return text
    rest = text[prov[1] :]
    pool = [name for prefix in sorted(provinces[prov[0]]) for name in _below(prefix)]
    below = _best_prefix(rest, pool, hint)
    if below is None:
        return prov[0] + rest
    return prov[0] + below[0] + rest[below[1] :]


def correct_authority(text: str) -> str:
    """ "武汉市公安局江汉分局" / "府谷县公安局": snap the division names around 公安局 / 分局."""
    t = _zh_text(text)
    m = re.search(r"公安[局扃屙]|[公乙]安局", t)
    if not m:
        return t
    head, tail = t[: m.start()], t[m.end() :]
    every = _all_division_names()
    fixed_head = _snap_whole(head, every)
    if tail:
        fenju = re.search(r"分[局扃]$", tail)
        if fenju:
            tail = _snap_whole(tail[: fenju.start()], _district_short_names()) + "分局"
    return fixed_head + "公安局" + tail


def _snap_whole(text: str, names: frozenset[str]) -> str:
    """``text`` replaced by the official name it is one edit per three characters from (if unique)."""
    if not text or text in names:
        return text
    k = max(1, len(text) // 3)
    chars = set(text)
    close = [
        (d, n)
        for n in names
        if abs(len(n) - len(text)) <= k and len(set(n) - chars) <= k
        for d in [_bounded_distance(text, n, k)]
        if d is not None
    ]
    if not close:
        return text
    best = min(d for d, _ in close)
    winners = [n for d, n in close if d == best]
    return winners[0] if len(winners) == 1 else text


# ---- OCR of fields ------------------------------------------------------------------------------


def _requests(doc: np.ndarray, region: cl.Region, spec: LineSpec, height: int) -> list[LineRequest]:
    return [LineRequest(img, spec) for img in cl.field_lines(doc, region, height=height)]


def _pick_id_number(readings: Sequence[OcrText]) -> tuple[str | None, float, int]:
    """Best ID number among readings of the same line at different scales.

    The first reading that has the right shape and a valid GB 11643 check character wins;
    otherwise the position-wise majority of the 18-character readings (its check will fail and
    the applicant is asked to correct it). Also returns how many digits were seen at most.
    """
    cleaned = []
    for r in readings:
        t = re.sub(r"[^0-9X]", "", r.text.upper())
        t = t[:-1].replace("X", "") + t[-1:] if t else t
        cleaned.append((t, r.confidence))
    seen = max((len(t) for t, _ in cleaned), default=0)
    for t, c in cleaned:
        if _ID_SHAPE.fullmatch(t) and checks.id_checksum(t).passed:
            return t, c, seen
    shaped = [(t, c) for t, c in cleaned if _ID_SHAPE.fullmatch(t)]
    if not shaped:
        return None, 0.0, seen
    vote = "".join(Counter(t[i] for t, _ in shaped).most_common(1)[0][0] for i in range(18))
    return vote, min(c for _, c in shaped) * 0.5, seen


def _choose(readings: Sequence[tuple[str, float]], *, prefer: Callable[[str], bool]) -> tuple[str, float] | None:
    """Pick among readings of one field at several scales: preferred ones (e.g. a name that starts
    with a real surname) first, then the most frequent, then the most confident."""
    valid = [(t, c) for t, c in readings if t]
    if not valid:
        return None
    votes = Counter(t for t, _ in valid)
    best = max(valid, key=lambda tc: (prefer(tc[0]), votes[tc[0]], tc[1]))
    return best[0], best[1] * votes[best[0]] / len(readings)


def _read_front(doc: np.ndarray, engine: OcrEngine) -> _Attempt | None:
    if cl.glyph_count(doc, cl.FRONT_REGIONS[const.ID_NUMBER]) < _MIN_NUMBER_GLYPHS:
        return None  # no number line: not the front of an ID card (or upside down)
    reqs: list[LineRequest] = []
    slots: dict[str, list[int]] = {}

    def add(name: str, items: list[LineRequest]) -> None:
        slots[name] = list(range(len(reqs), len(reqs) + len(items)))
        reqs.extend(items)

    def scales(name: str, heights: Sequence[int]) -> None:
        # one line per scale: short fields are cheap to read more than once
        for h in heights:
            add(f"{name}@{h}", _requests(doc, R[name], _ZH, h)[:1])

    R = cl.FRONT_REGIONS
    scales(const.NAME, _SHORT_HEIGHTS)
    scales(const.SEX, _SHORT_HEIGHTS[:2])
    scales(const.ETHNICITY, _SHORT_HEIGHTS[:2])
    add(
        const.BIRTH_DATE, [LineRequest(img, _ID_DIGITS) for img in cl.field_groups(doc, R[const.BIRTH_DATE], height=28)]
    )
    add(const.ADDRESS, _requests(doc, R[const.ADDRESS], _ZH, _ZH_HEIGHT))
    number_lines: list[LineRequest] = []
    for h in _NUMBER_HEIGHTS:
        number_lines += _requests(doc, R[const.ID_NUMBER], _ID_DIGITS, h)[:1]
    add(const.ID_NUMBER, number_lines)
    out = engine.read_lines(reqs)

    def texts(name: str) -> list[OcrText]:
        return [out[i] for i in slots.get(name, [])]

    def per_scale(name: str, heights: Sequence[int], clean: Callable[[str], str | None]) -> list[tuple[str, float]]:
        got = []
        for h in heights:
            t = texts(f"{name}@{h}")
            value = clean("".join(x.text for x in t)) if t else None
            got.append((value or "", _mean(t)))
        return got

    fields: dict[str, FieldValue] = {}
    conf: dict[str, float] = {}
    number, n_conf, seen = _pick_id_number(texts(const.ID_NUMBER))
    if number:
        fields[const.ID_NUMBER], conf[const.ID_NUMBER] = number, n_conf
    names = per_scale(const.NAME, _SHORT_HEIGHTS, lambda t: n if len(n := _han_name(t)) >= 2 else None)
    picked = _choose(names, prefer=checks.starts_with_surname)
    if picked:
        fields[const.NAME], conf[const.NAME] = picked
    picked = _choose(per_scale(const.SEX, _SHORT_HEIGHTS[:2], _sex), prefer=lambda _: True)
    if picked:
        fields[const.SEX], conf[const.SEX] = picked
    eths = per_scale(const.ETHNICITY, _SHORT_HEIGHTS[:2], lambda t: _han_name(t).removesuffix("族"))
    exact = [(t, c) for t, c in eths if t in checks.ethnicities()]
    snapped = [(e, c * 0.8) for t, c in eths if t and (e := snap_ethnicity(t))]
    picked = _choose(exact or snapped, prefer=lambda _: True)
    if picked:
        fields[const.ETHNICITY], conf[const.ETHNICITY] = picked
    birth = parse_birth(" ".join(t.text.replace(" ", "") for t in texts(const.BIRTH_DATE)))
    if birth:
        fields[const.BIRTH_DATE], conf[const.BIRTH_DATE] = birth, _mean(texts(const.BIRTH_DATE))
    address = _zh_text("".join(t.text for t in texts(const.ADDRESS)))
    if len(address) >= 4:
        fields[const.ADDRESS] = correct_address(address, number)
        conf[const.ADDRESS] = _mean(texts(const.ADDRESS))
    ordered: dict[str, FieldValue] = {k: fields[k] for k in const.FRONT_FIELDS if k in fields}
    return _Attempt(const.CN_ID_FRONT, ordered, conf, recognised=number is not None, evidence=seen + len(ordered))


def _read_back(doc: np.ndarray, engine: OcrEngine) -> _Attempt | None:
    R = cl.BACK_REGIONS
    if cl.glyph_count(doc, R[cl.VALIDITY]) < _MIN_VALIDITY_GLYPHS:
        return None
    auth = _requests(doc, R[const.ISSUING_AUTHORITY], _ZH, _ZH_HEIGHT)
    validity = _requests(doc, R[cl.VALIDITY], _ZH, _ZH_HEIGHT)[:1]
    out = engine.read_lines(auth + validity)
    fields: dict[str, FieldValue] = {}
    conf: dict[str, float] = {}
    authority = _zh_text("".join(t.text for t in out[: len(auth)]))
    if len(authority) >= 3:
        fields[const.ISSUING_AUTHORITY] = correct_authority(authority)
        conf[const.ISSUING_AUTHORITY] = _mean(out[: len(auth)])
    start, end = parse_validity(out[-1].text) if validity else (None, None)
    if start:
        fields[const.VALID_FROM], conf[const.VALID_FROM] = start, out[-1].confidence
    if end:
        fields[const.VALID_TO], conf[const.VALID_TO] = end, out[-1].confidence
    ordered: dict[str, FieldValue] = {k: fields[k] for k in const.BACK_FIELDS if k in fields}
    return _Attempt(
        const.CN_ID_BACK, ordered, conf, recognised=start is not None, evidence=len(ordered) + (2 if start else 0)
    )


def _run_readings(texts: Sequence[OcrText], length: int) -> list[tuple[str, float]]:
    """Distinct readings of one MRZ run, fitted to its known length; exact-length readings first."""
    exact: list[tuple[str, float]] = []
    other: list[tuple[str, float]] = []
    for t in texts:
        s = mrz.clean(t.text).replace(mrz.FILLER, "")
        if len(s) == length:
            if s not in [e for e, _ in exact]:
                exact.append((s, t.confidence))
        elif s:
            other.append(((s + "?" * length)[:length], t.confidence * 0.5))
    return exact or other[:1] or [("?" * length, 0.0)]


def _read_mrz(doc: np.ndarray, region: cl.Region, engine: OcrEngine, today: date) -> _Attempt | None:
    """Read a machine-readable zone (2 x 44 for TD3, 3 x 30 for TD1).

    Fillers come from the cell shapes (card_layout.mrz_lines); each run of other characters is
    read at two scales. Among the readings of the right length, the combination that satisfies
    the most check digits wins.
    """
    n_cells = mrz.TD3_LEN if region.lines == 2 else mrz.TD1_LEN
    lines = cl.mrz_lines(doc, region, n_cells, _MRZ_HEIGHTS)
    if not lines:
        return None
    # the document number's cells, read one by one: letters and digits that look alike (G/6,
    # O/0) have the same check-digit value modulo 10, so only a context-free second look helps
    number_line, number_cells = (1, range(0, 9)) if region.lines == 2 else (0, range(5, 14))
    reqs = [LineRequest(img, _MRZ_RUN) for line in lines for imgs in line.images for img in imgs]
    cell_reqs = [LineRequest(lines[number_line].cells[i], _MRZ_CHAR) for i in number_cells]
    out_all = engine.read_lines(reqs + cell_reqs)
    out, cell_out = out_all[: len(reqs)], out_all[len(reqs) :]
    cell_chars = {i: mrz.clean(t.text)[:1] for i, t in zip(number_cells, cell_out, strict=True)}
    k = 0
    options: list[list[tuple[str, float]]] = []
    for line in lines:
        for (_, length), imgs in zip(line.runs, line.images, strict=True):
            options.append(_run_readings(out[k : k + len(imgs)], length))
            k += len(imgs)
    best: mrz.Mrz | None = None
    best_key: tuple[int, int, float] = (-1, 0, 0.0)
    for combo in itertools.islice(itertools.product(*options), _MAX_MRZ_COMBOS):
        texts = iter(combo)
        rows: list[list[str]] = []
        for line in lines:
            chars = [mrz.FILLER if f else "?" for f in line.fillers]
            for first, length in line.runs:
                run_text, _ = next(texts)
                chars[first : first + length] = list(run_text)
            rows.append(chars)
        # Where the single-character look disagrees with the run by a letter/digit look-alike,
        # try both; the check digit decides, and where it cannot (G and 6 weigh the same
        # modulo 10) the context-free reading wins.
        spots = [i for i, c in cell_chars.items() if c and frozenset((c, rows[number_line][i])) in _LOOK_ALIKE]
        for flips in itertools.islice(itertools.product((False, True), repeat=len(spots)), 16):
            chars = list(rows[number_line])
            for i, flip in zip(spots, flips, strict=True):
                if flip:
                    chars[i] = cell_chars[i]
            strings = [
                "".join(chars if li == number_line else row).replace("?", mrz.FILLER) for li, row in enumerate(rows)
            ]
            parsed = mrz.parse(strings, today=today)
            if parsed is None:
                continue
            key = (sum(parsed.checks.values()), sum(flips), sum(c for _, c in combo))
            if key > best_key:
                best, best_key = parsed, key
    if best is None:
        return None
    fields: dict[str, FieldValue] = {
        const.DOCUMENT_NUMBER: best.document_number,
        const.SURNAME: best.surname,
        const.GIVEN_NAMES: best.given_names,
        const.NATIONALITY: best.nationality,
    }
    if best.birth_date:
        fields[const.BIRTH_DATE] = best.birth_date.isoformat()
    fields[const.SEX] = best.sex
    if best.expiry_date:
        fields[const.EXPIRY_DATE] = best.expiry_date.isoformat()
    fields[const.MRZ_VALID] = best.valid
    fields[const.ISSUING_STATE] = best.issuing_state
    c = _mean(out)
    doc_type = const.PASSPORT if best.format == "TD3" else const.MRZ_ID_CARD
    return _Attempt(doc_type, fields, {k: c for k in fields}, recognised=True, evidence=10 + sum(best.checks.values()))


def _mean(texts: Sequence[OcrText]) -> float:
    return sum(t.confidence for t in texts) / len(texts) if texts else 0.0


# ---- orchestration --------------------------------------------------------------------------------


def _id_card_attempts(card: np.ndarray, engine: OcrEngine, today: date) -> list[Callable[[], _Attempt | None]]:
    """Readers to try on a flattened card, most likely first (side guessed from the red emblem)."""
    flipped = cl.rotate180(card)
    back_first = cl.red_fraction(card, cl.BACK_EMBLEM) >= _RED_EMBLEM
    back_flipped = cl.red_fraction(flipped, cl.BACK_EMBLEM) >= _RED_EMBLEM
    order: list[Callable[[], _Attempt | None]] = []
    if back_first:
        order.append(lambda: _read_back(card, engine))
    elif back_flipped:
        order.append(lambda: _read_back(flipped, engine))
    else:
        order.append(lambda: _read_front(card, engine))
    order.append(lambda: _read_mrz(card, cl.TD1_MRZ, engine, today))
    if not back_first and not back_flipped:
        order.append(lambda: _read_front(flipped, engine))
        order.append(lambda: _read_back(card, engine))
    else:
        order.append(lambda: _read_front(card, engine))
    return order


def _page_attempts(page: np.ndarray, engine: OcrEngine, today: date) -> list[Callable[[], _Attempt | None]]:
    flipped = cl.rotate180(page)
    return [lambda: _read_mrz(page, cl.TD3_MRZ, engine, today), lambda: _read_mrz(flipped, cl.TD3_MRZ, engine, today)]


def _checks_for(attempt: _Attempt, typed_name: str | None, today: date) -> list[checks.Check]:
    f = attempt.fields
    if attempt.document_type == const.CN_ID_FRONT:
        return checks.front_checks(f, typed_name=typed_name)
    if attempt.document_type == const.CN_ID_BACK:
        return checks.back_checks(f, today=today)
    valid = bool(f.get(const.MRZ_VALID))
    out = [
        checks.Check(const.CHECK_MRZ_DIGITS, valid, const.OK if valid else const.BAD_CHECK_DIGIT),
        checks.not_expired(str(f.get(const.EXPIRY_DATE) or "") or None, today),
    ]
    if typed_name:
        read = f"{f.get(const.SURNAME, '')} {f.get(const.GIVEN_NAMES, '')}".strip()
        out.append(checks.name_matches_typed(read, typed_name))
    return out


def _confidence(attempt: _Attempt, expected: Sequence[str], found_checks: Sequence[checks.Check]) -> float:
    present = [k for k in expected if k in attempt.fields]
    if not present:
        return 0.0
    ocr = sum(attempt.confidence.get(k, 0.0) for k in present) / len(present)
    coverage = len(present) / len(expected)
    key_ok = all(c.passed for c in found_checks if c.name in (const.CHECK_ID_CHECKSUM, const.CHECK_MRZ_DIGITS))
    return round(ocr * coverage * (1.0 if key_ok else 0.5), 3)


_EXPECTED = {
    const.CN_ID_FRONT: const.FRONT_FIELDS,
    const.CN_ID_BACK: const.BACK_FIELDS,
    const.PASSPORT: const.PASSPORT_FIELDS,
    const.MRZ_ID_CARD: const.PASSPORT_FIELDS,
}


def read_document(
    data: bytes, *, typed_name: str | None = None, today: date | None = None, engine: OcrEngine | None = None
) -> DocumentReading:
    """Read a Chinese resident ID card (front or back) or a passport data page from photo bytes.

    ``typed_name`` (what the applicant typed) adds the name-match check; ``today`` fixes the
    date for the expiry check (tests). Raises :class:`DocumentRejected` with a code when the
    file is not a usable image (the images.* codes), no document is found (NO_DOCUMENT), the
    document is too blurred (TOO_BLURRY), its key field cannot be read (UNREADABLE) or the OCR
    engine is unavailable (OCR_UNAVAILABLE).
    """
    started = time.perf_counter()
    today = today or date.today()
    engine = engine or default_engine()
    try:
        intake = images.load(data)
    except images.ImageRejected as exc:
        raise DocumentRejected(exc.code) from exc
    bgr = cl.to_bgr(intake.image)
    outlines = cl.find_documents(bgr)[:2]
    candidates = [(f, True) for f in outlines] + [(cl.whole_image(bgr), False)]
    best_failure: _Attempt | None = None
    blurry = soft_blurry = False
    try:
        for found, is_outline in candidates:
            card_first = found.aspect >= _CARD_OR_PAGE
            for kind in ("card", "page") if card_first else ("page", "card"):
                size = const.ID_CARD_MM if kind == "card" else const.TD3_PAGE_MM
                sharp = cl.sharpness(bgr, found.quad, size)
                if sharp < const.BLUR_GATE[kind]:
                    blurry = blurry or is_outline
                    continue
                doc = cl.rectify(bgr, found.quad, size)
                readers = (
                    _id_card_attempts(doc, engine, today) if kind == "card" else _page_attempts(doc, engine, today)
                )
                for reader in readers:
                    attempt = reader()
                    if attempt is None:
                        continue
                    if attempt.recognised:
                        return _finish(attempt, typed_name, today, started)
                    if best_failure is None or attempt.evidence > best_failure.evidence:
                        best_failure = attempt
                        soft_blurry = is_outline and sharp < const.BLUR_SOFT[kind]
    except OcrError as exc:
        raise DocumentRejected(const.OCR_UNAVAILABLE) from exc
    if best_failure is not None and best_failure.evidence >= _MIN_EVIDENCE:
        raise DocumentRejected(const.TOO_BLURRY if soft_blurry else const.UNREADABLE)
    raise DocumentRejected(const.TOO_BLURRY if blurry else const.NO_DOCUMENT)


def _finish(attempt: _Attempt, typed_name: str | None, today: date, started: float) -> DocumentReading:
    found_checks = _checks_for(attempt, typed_name, today)
    fields: dict[str, FieldValue]
    if attempt.document_type in (const.PASSPORT, const.MRZ_ID_CARD):
        fields = {k: attempt.fields[k] for k in (*const.PASSPORT_FIELDS, const.ISSUING_STATE) if k in attempt.fields}
    else:
        fields = dict(attempt.fields)
    return DocumentReading(
        document_type=attempt.document_type,
        fields=fields,
        checks=tuple(found_checks),
        confidence=_confidence(attempt, _EXPECTED[attempt.document_type], found_checks),
        seconds=time.perf_counter() - started,
        field_confidence={k: round(v, 3) for k, v in attempt.confidence.items() if k in fields},
    )
