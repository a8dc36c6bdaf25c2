"""Closed-set answers: employment, housing, spending categories, yes/no,
and which field a correction is about.

The vocabulary lives in ``nlu/lexicons/*.yml`` (zh and en side by side) so a
bank can extend it without touching code; see :mod:`nlu.parsers.lexicon` for
the matching rules (whole words, longest phrase wins, negation, past tense).
When an answer is negated and nothing else is said ("不是学生", "I don't
rent") the parsers return None rather than guess.
"""

from __future__ import annotations

import re

from .lexicon import (
    LexMatch,
    find_matches,
    is_negated,
    is_past,
    load_lexicon,
    prepare,
)

__all__ = [
    "CATEGORIES",
    "EMPLOYMENT_TYPES",
    "FIELDS",
    "HOUSING_TYPES",
    "detect_field",
    "parse_categories",
    "parse_employment",
    "parse_housing",
    "parse_yes_no",
]

EMPLOYMENT_TYPES = ("employed", "self_employed", "student", "retired", "unemployed")
HOUSING_TYPES = ("own", "mortgage", "rent", "family", "other")
CATEGORIES = ("travel", "dining", "shopping", "online", "fuel", "everyday")
FIELDS = (
    "full_name",
    "id_number",
    "phone",
    "employment_type",
    "employer",
    "monthly_income",
    "housing",
    "monthly_debt_payment",
    "spending_categories",
    "chosen_card",
)


def _live_matches(prepared: str, lexicon: str) -> list[LexMatch]:
    """Matches that are neither negated nor (when something else was said)
    in the past tense."""
    matches = [m for m in find_matches(prepared, lexicon) if not is_negated(prepared, m)]
    present = [m for m in matches if not is_past(prepared, m)]
    return present or matches


def _single_choice(text: str, lexicon: str, allowed: tuple[str, ...]) -> str | None:
    prepared = prepare(text)
    if not prepared:
        return None
    # A reply that is exactly a value name ("own", "self-employed", "self employed").
    exact = re.sub(r"[\s-]+", "_", prepared.strip(" .!。！"))
    if exact in allowed:
        return exact
    labels = {m.label for m in _live_matches(prepared, lexicon)}
    # The lexicon's key order is the priority order.
    for label in load_lexicon(lexicon):
        if label in labels and label in allowed:
            return str(label)
    return None


def parse_employment(text: str) -> str | None:
    """employed | self_employed | student | retired | unemployed, or None.

    "上班族", "在国企工作", "程序员", "I work at a bank" -> employed;
    "个体户", "自己做生意", "freelancer", "I run my own business" ->
    self_employed; "在读研究生", "I'm at university" -> student;
    "退休了", "pensioner" -> retired; "待业", "between jobs" -> unemployed.
    "不是学生" -> None (negated, nothing else said).
    """
    return _single_choice(text, "employment", EMPLOYMENT_TYPES)


def parse_housing(text: str) -> str | None:
    """own | mortgage | rent | family | other, or None.

    "全款买的", "有房" -> own; "按揭", "还贷中", "mortgage" -> mortgage;
    "合租", "I rent" -> rent; "和父母住", "live with my parents" -> family;
    "公司宿舍", "dorm" -> other.  "没有房贷，全款买的" -> own.
    """
    return _single_choice(text, "housing", HOUSING_TYPES)


def parse_categories(text: str) -> list[str]:
    """Spending interests in the fixed order travel, dining, shopping,
    online, fuel, everyday.

    "旅游和餐饮" -> ["travel", "dining"]; "travel, dining and online
    shopping" -> ["travel", "dining", "online"]; "都可以", "no preference"
    -> ["everyday"]; nothing recognised -> [].
    """
    prepared = prepare(text)
    if not prepared:
        return []
    labels = {m.label for m in _live_matches(prepared, "categories")}
    found = [c for c in CATEGORIES if c in labels]
    if not found and "any" in labels:
        return ["everyday"]
    return found


_QUESTION = re.compile(r"[?？]|(?:吗|么|嘛)[\s.!。]*$")
_ASKING = re.compile(
    r"[?？]|(?:吗|么|嘛|呢)[\s.!。]*$|多少|怎么|什么|为什么|为啥|哪|几[个天号年月点]|是否|能不能|可不可以|会不会|要不要|有没有|是不是|对不对|有.{1,8}没$"
    r"|^(?:how|what|when|where|why|which|who|whom|whose|can|could|do|does|did|is|are|am|will|would|should|may|shall)\b",
    re.IGNORECASE,
)


def looks_like_question(text: str) -> bool:
    """ "年费多少" / "how do I repay?" / "可以吗" are questions; "never missed a payment",
    "没有逾期过", "12k after tax" are statements."""
    prepared = prepare(text)
    return bool(prepared) and bool(_ASKING.search(prepared))


_EXACT_STRIP = re.compile(r"[\s,.!~;:，。！～；：、…]+|(?<=.)(?:的|啊|呀|吧|哦|呢|了|喔|哈)+$")


def parse_yes_no(text: str) -> bool | None:
    """True / False for consent and confirmation replies, None otherwise.

    "同意", "好的", "没问题", "yes", "I agree", "sure" -> True;
    "不同意", "不要", "拒绝", "no", "decline", "not now", "I don't accept"
    -> False (negation before an affirmative wins).  Questions ("可以吗？",
    "what does it mean?") and hedges ("不确定", "maybe") -> None.  When both
    polarities appear the last one said wins ("不，我同意" -> True).
    """
    prepared = prepare(text)
    if not prepared or _QUESTION.search(prepared):
        return None
    bare = _EXACT_STRIP.sub("", prepared)
    for label in ("yes", "no"):
        entry = load_lexicon("yes_no").get(label, {})
        exact = entry.get("exact", {}) if isinstance(entry, dict) else {}
        words = {prepare(str(w)) for lang in (exact or {}).values() for w in (lang or [])}
        if bare in words:
            return label == "yes"
    matches = find_matches(prepared, "yes_no", "phrases")
    if any(m.label == "unsure" and not is_negated(prepared, m) for m in matches):
        return None
    verdicts: list[tuple[int, bool]] = []
    for m in matches:
        if m.label == "yes":
            verdicts.append((m.start, not is_negated(prepared, m)))
        elif m.label == "no":
            verdicts.append((m.start, False))
    # A reply opening with a bare "不"/"no" ("不，谢谢") is a refusal.
    if not verdicts and re.match(r"(?:不|否|no)(?:[\s,.!，。！]|$)", prepared):
        return False
    if not verdicts:
        return None
    return max(verdicts)[1]


_ID_SHAPE = re.compile(r"(?<!\d)\d{17}[\dxX](?!\d)|(?<!\d)\d{6}[\s-]\d{8}[\s-]\d{3}[\dxX](?!\d)")
_MOBILE_SHAPE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)|(?<!\d)1[3-9]\d[\s-]\d{4}[\s-]\d{4}(?!\d)")


def detect_field(text: str) -> str | None:
    """Which application field a correction talks about, or None.

    "刚才收入说错了，是三万" -> monthly_income; "收入改成两万" ->
    monthly_income; "change my income to 20k" -> monthly_income; "my phone
    number is wrong" -> phone; "名字写错了" -> full_name; "月供改成3000" ->
    monthly_debt_payment; "I'm actually self-employed" -> employment_type
    (no field word, but an employment answer); "其实我是租房的" -> housing.
    The longest keyword wins ("身份证号码" is id_number, not phone);
    "卡"/"card" (chosen_card) only counts when nothing else matched.
    """
    prepared = prepare(text)
    if not prepared:
        return None
    matches = [m for m in find_matches(prepared, "fields") if m.label in FIELDS]
    specific = [m for m in matches if m.label != "chosen_card"]
    if specific:
        best = max(specific, key=lambda m: (len(m.phrase), -m.start))
        return best.label
    if _ID_SHAPE.search(prepared):
        return "id_number"
    if _MOBILE_SHAPE.search(prepared):
        return "phone"
    if parse_employment(prepared) is not None:
        return "employment_type"
    if parse_housing(prepared) is not None:
        return "housing"
    if matches:
        return "chosen_card"
    return None
