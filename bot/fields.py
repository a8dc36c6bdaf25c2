"""Reading one questionnaire answer: parse with the shared parser, apply the business limits.

``interpret(field, text, entities)`` returns an :class:`Answer`: a value to store (plus values
derived from it), or an error code the dialogue turns into a specific zh/en message
(``utter_invalid_<field>_<code>``), or a stop (the application cannot go on, e.g. under 18).
Nothing that fails here is ever stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from bot import const as c
from bot.catalog import get_catalog
from nlu import parsers

MIN_AGE: Final = 18
MAX_AGE: Final = 100
MAX_MONTHLY_INCOME: Final = 2_000_000  # above this the answer is far more likely a typo than a fact
MAX_MONTHLY_DEBT: Final = 2_000_000

Entities = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Answer:
    value: Any = None
    derived: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None
    stop: str | None = None
    note: str | None = None  # something worth telling the applicant (e.g. "converted from yearly")

    @property
    def ok(self) -> bool:
        return self.error is None and self.stop is None and self.value is not None


NOT_FOUND: Final = Answer(error="not_found")


def entity(entities: Entities, name: str) -> Any:
    return next((e.get("value") for e in entities if e.get("entity") == name), None)


def entity_values(entities: Entities, name: str) -> list[Any]:
    return [e.get("value") for e in entities if e.get("entity") == name]


# --- one reader per field -------------------------------------------------------------------


def _consent(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    intent = ctx.get("intent")
    if intent in ("affirm", "deny") and ctx.get("confidence", 0) >= 0.6:
        return Answer(value=intent == "affirm")
    yes = parsers.parse_yes_no(text)
    return Answer(value=yes) if yes is not None else NOT_FOUND


def _full_name(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    parsed = parsers.parse_name(text)
    return Answer(value=parsed.value) if parsed.ok else Answer(error=parsed.error or "not_found")


def _id_number(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    today: dt.date = ctx.get("today") or dt.date.today()
    parsed = parsers.parse_id_number(text, today=today)
    if not parsed.ok or parsed.id is None:
        return Answer(error=parsed.error or "not_found")
    age = parsers.age_on(parsed.id.birth_date, today)
    if age < MIN_AGE:
        return Answer(stop=c.STOP_UNDER_AGE)
    if age > MAX_AGE:
        return Answer(error="birth_date")
    return Answer(
        value=parsed.id.value,
        derived={c.BIRTH_DATE: parsed.id.birth_date.isoformat(), c.SEX: parsed.id.sex},
    )


def _phone(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    parsed = parsers.parse_phone(text)
    return Answer(value=parsed.e164) if parsed.ok else Answer(error=parsed.error or "not_found")


def _choice(entity_name: str, parse: Callable[[str], str | None], allowed: Sequence[str]) -> Any:
    def read(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
        value = entity(entities, entity_name) or parse(text)
        return Answer(value=value) if value in allowed else NOT_FOUND

    return read


_EMPLOYER_PREFIX = re.compile(
    r"^(?:我(?:现在|目前)?(?:在|于)|在|就职于|任职于|供职于|公司(?:是|叫|名称是?)?[:：]?|单位(?:是|叫)?[:：]?|"
    r"i\s+work\s+(?:at|for|in)\s+|i'?m\s+(?:at|with)\s+|working\s+(?:at|for)\s+|at\s+|for\s+|"
    r"(?:my\s+)?(?:employer|company)\s+(?:is\s+)?[:]?\s*)",
    re.IGNORECASE,
)
_EMPLOYER_SUFFIX = re.compile(r"(?:工作|上班|任职|做事|打工)(?:呢|的|啊)?$|[。.!！]+$")


def _employer(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    value = parsers.normalize(text)
    value = _EMPLOYER_SUFFIX.sub("", _EMPLOYER_PREFIX.sub("", value)).strip(" ，,。.")
    if parsers.has_markup(value):
        return Answer(error="has_markup")
    if len(value) < 2 or parsers.is_meaningless(value) or value.isdigit():
        return Answer(error="not_found")
    if len(value) > 100:
        return Answer(error="too_long")
    if re.search(r"[<>{}\[\];=\\]", value):
        return Answer(error="bad_chars")
    return Answer(value=value)


def _amount(limit: float, zero_ok: bool) -> Any:
    def read(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
        rng = entity(entities, "amount_range")
        if rng:
            bounds = parsers.parse_range_payload(str(rng))
            if bounds is None:
                return NOT_FOUND
            low, high = bounds
            value = low if high == float("inf") else (low + high) / 2
            return Answer(value=round(value))
        amount = parsers.parse_amount(text, zero_words=zero_ok)
        if amount is None:
            digits = parsers.normalize(text).replace(",", "")
            # a bare run of 8+ digits is no phone or ID here: an amount with far too many zeros
            return Answer(error="too_large") if digits.isdigit() and len(digits) >= 8 else NOT_FOUND
        if amount.currency != "CNY":
            return Answer(error="currency")
        if amount.value < 0:
            return Answer(error="negative")
        if amount.value > limit:
            return Answer(error="too_large")
        note = "converted_from_year" if amount.original_period == "year" else None
        return Answer(value=round(amount.value), note=note)

    return read


def _job_years(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    value = entity(entities, c.JOB_YEARS)
    years = float(value) if isinstance(value, (int, float)) else parsers.parse_years(text)
    if years is None:
        amount = parsers.parse_amount(text, zero_words=False)  # "10000" is no tenure
        return Answer(error="too_large") if amount is not None and amount.value > 60 else NOT_FOUND
    return Answer(value=years)


_ARREARS_YES = re.compile(r"有过|有逾期|逾期过|逾期了|晚还过|还晚了|欠过|\b(?:yes|once|twice|a few times|late)\b", re.I)
_ARREARS_NO = re.compile(r"没有|从没|从来没|无逾期|没逾期|不曾|按时|\b(?:no|never|none|always on time)\b", re.I)


def _past_arrears(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    value = entity(entities, c.PAST_ARREARS)
    if isinstance(value, bool):
        return Answer(value=value)
    clean = parsers.normalize(text)
    if _ARREARS_NO.search(clean):
        return Answer(value=False)
    if _ARREARS_YES.search(clean):
        return Answer(value=True)
    yes = parsers.parse_yes_no(clean)
    return Answer(value=yes) if yes is not None else NOT_FOUND


def _categories(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    values = [v for v in entity_values(entities, "spending_category") if v in c.SPENDING_CATEGORY_CODES]
    values = values or parsers.parse_categories(text)
    return Answer(value=list(dict.fromkeys(values))) if values else NOT_FOUND


_ORDINALS: Final = {
    "1": 0,
    "一": 0,
    "第一": 0,
    "first": 0,
    "1st": 0,
    "2": 1,
    "二": 1,
    "第二": 1,
    "second": 1,
    "2nd": 1,
    "3": 2,
    "三": 2,
    "第三": 2,
    "third": 2,
    "3rd": 2,
}


def _name_tokens(text: str) -> set[str]:
    """Latin words of 3+ letters and Chinese character pairs."""
    tokens = set(re.findall(r"[a-z0-9]{3,}", text.lower()))
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        tokens |= {run[i : i + 2] for i in range(len(run) - 1)}
    return tokens


def _card_by_name_part(clean: str, codes: list[str]) -> str | None:
    """The one card of ``codes`` whose name has a word (or Chinese pair) of the message that no
    other card's name has. None when no card or more than one card matches."""
    catalog = get_catalog()
    names: dict[str, set[str]] = {}
    for code in codes:
        card = catalog.get(code)
        if card is not None:
            names[code] = _name_tokens(card.name_zh) | _name_tokens(card.name_en)
    said = _name_tokens(clean)
    hits = []
    for code, tokens in names.items():
        others = set().union(*(t for other, t in names.items() if other != code))
        if said & (tokens - others):
            hits.append(code)
    return hits[0] if len(hits) == 1 else None


def _chosen_card(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    offered: list[str] = list(ctx.get("recommended_cards") or [])
    catalog = get_catalog()
    code = entity(entities, "chosen_card")
    if code is None:
        clean = parsers.normalize(text).lower()
        m = re.search(r"(第?[一二三123](?:个|张|種|种)?|first|second|third|1st|2nd|3rd)", clean)
        if m and offered:
            key = re.sub(r"[个张種种]", "", m.group(1))
            idx = _ORDINALS.get(key)
            if idx is not None and idx < len(offered):
                code = offered[idx]
        if code is None:
            named = [
                card.code
                for card in catalog.cards
                if any(
                    n in clean or (len(clean) >= 2 and clean in n)
                    for n in (card.name_zh.lower(), card.name_en.lower(), card.code.lower())
                )
            ]
            preferred = [code for code in named if code in offered] or named
            if len(preferred) == 1:  # "联名卡" names two cards: ask again rather than guess
                code = preferred[0]
        if code is None:  # part of a name in a sentence: "Skyway please", "网购那张", "the platinum one"
            code = _card_by_name_part(clean, offered) or _card_by_name_part(clean, [c.code for c in catalog.cards])
    if code is None:
        return NOT_FOUND
    if catalog.get(code) is None:
        return Answer(error="unknown")
    if offered and code not in offered:
        return Answer(error="not_offered")
    return Answer(value=code)


def _confirmation(text: str, entities: Entities, ctx: Mapping[str, Any]) -> Answer:
    intent = ctx.get("intent")
    if intent in ("affirm", "deny") and ctx.get("confidence", 0) >= 0.6:
        return Answer(value=intent == "affirm")
    yes = parsers.parse_yes_no(text)
    return Answer(value=yes) if yes is not None else NOT_FOUND


READERS: Final[dict[str, Callable[[str, Entities, Mapping[str, Any]], Answer]]] = {
    c.CONSENT_GIVEN: _consent,
    c.FULL_NAME: _full_name,
    c.ID_NUMBER: _id_number,
    c.PHONE: _phone,
    c.EMPLOYMENT_TYPE: _choice("employment_type", parsers.parse_employment, c.EMPLOYMENT_TYPES),
    c.EMPLOYER: _employer,
    c.JOB_YEARS: _job_years,
    c.PAST_ARREARS: _past_arrears,
    c.MONTHLY_INCOME: _amount(MAX_MONTHLY_INCOME, zero_ok=True),
    c.HOUSING: _choice("housing", parsers.parse_housing, c.HOUSING_TYPES),
    c.MONTHLY_DEBT_PAYMENT: _amount(MAX_MONTHLY_DEBT, zero_ok=True),
    c.SPENDING_CATEGORIES: _categories,
    c.CHOSEN_CARD: _chosen_card,
    c.APPLICATION_CONFIRMED: _confirmation,
}

# Fields whose answer is recognisable whatever question is open (long digit patterns): an
# applicant who gives them early is not asked again.
UNAMBIGUOUS: Final = (c.ID_NUMBER, c.PHONE)
# Fields whose answer is free text: nearly any words parse, so they never outvote an intent.
FREE_TEXT: Final = (c.FULL_NAME, c.EMPLOYER)


def interpret(name: str, text: str, entities: Entities = (), **ctx: Any) -> Answer:
    """Read the answer to field ``name`` from ``text`` (and NLU/button ``entities``)."""
    reader = READERS.get(name)
    return reader(text or "", entities, ctx) if reader else NOT_FOUND
