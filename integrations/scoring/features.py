"""The conversation's answers as model features: explicit, documented, never invented.

Every feature a model may use from the chat is listed in :data:`CHAT_FEATURES` with its source
slot(s), unit, valid range and categories. A value is either mapped from what the applicant
answered, or left missing (the model's empirical missing bin) — a model feature the chat does not
ask is always missing and reported as ``not_asked``; nothing is guessed. Protected attributes
(sex, marital status, nationality) are not features: ``sex`` is a slot but is never read here.

    slot                   feature                 unit / categories
    birth_date             age                     whole years on the decision date (18–100)
    monthly_income         monthly_income          CNY per month, after tax (0–10,000,000)
    monthly_debt_payment   monthly_debt_payment    CNY per month (0–10,000,000)
    both of the above      debt_to_income          monthly_debt_payment / monthly_income (0–100);
                                                   missing when income is missing or 0
    housing                housing                 own | mortgage | rent | family | other
    employment_type        employment_type         employed | self_employed | student | retired |
                                                   unemployed
    job_years              job_years               years with the current employer, or in the
                                                   current business for the self-employed (float,
                                                   0–80 and at most age − 14); asked only of
                                                   employed / self_employed applicants
    past_arrears           past_arrears            yes | no (slot: bool): any overdue repayment on
                                                   a loan or card in the last two years, self-reported

Missing by design is not missing by omission. ``job_years`` of a student, retiree or unemployed
applicant is missing because it is not asked: no value (even if one was given — the model's
training data treats it the same way), the model's missing bin, a ``not_applicable`` issue that
the dialogue must not ask again. An employed or self-employed applicant without ``job_years``
(or with employment unknown) gets a ``missing`` issue: asked again, and the policy refers it.
``past_arrears`` is asked of everyone: missing → ``missing`` issue, asked again, referred.

A model trained on other categories says how chat values map onto its own (``from_chat`` in its
profile, e.g. the reference model scores "mortgage" as "own"); see ``model_inputs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import const as bc
from integrations.scoring import const as k
from integrations.scoring.profiles import Value, to_number


@dataclass(frozen=True)
class ChatFeature:
    name: str
    kind: str
    unit: str
    slots: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    categories: tuple[str, ...] = ()
    description: str = ""


CHAT_FEATURES: tuple[ChatFeature, ...] = (
    ChatFeature(k.F_AGE, k.NUMERICAL, "years", (bc.BIRTH_DATE,), 0, 120, description="age on the decision date"),
    ChatFeature(
        k.F_INCOME,
        k.NUMERICAL,
        "CNY/month",
        (bc.MONTHLY_INCOME,),
        0,
        10_000_000,
        description="monthly income after tax",
    ),
    ChatFeature(
        k.F_DEBT,
        k.NUMERICAL,
        "CNY/month",
        (bc.MONTHLY_DEBT_PAYMENT,),
        0,
        10_000_000,
        description="monthly repayments on existing loans and cards",
    ),
    ChatFeature(
        k.F_DTI,
        k.NUMERICAL,
        "ratio",
        (bc.MONTHLY_DEBT_PAYMENT, bc.MONTHLY_INCOME),
        0,
        100,
        description="monthly debt payments divided by monthly income",
    ),
    ChatFeature(
        k.F_HOUSING,
        k.CATEGORICAL,
        "category",
        (bc.HOUSING,),
        categories=bc.HOUSING_TYPES,
        description="housing situation",
    ),
    ChatFeature(
        k.F_EMPLOYMENT,
        k.CATEGORICAL,
        "category",
        (bc.EMPLOYMENT_TYPE,),
        categories=bc.EMPLOYMENT_TYPES,
        description="type of employment",
    ),
    ChatFeature(
        k.F_JOB_YEARS,
        k.NUMERICAL,
        "years",
        (k.SLOT_JOB_YEARS, bc.EMPLOYMENT_TYPE, bc.BIRTH_DATE),
        0,
        80,
        description="years with the current employer or in the current business; employed and "
        "self-employed applicants only (missing, not applicable, for the others)",
    ),
    ChatFeature(
        k.F_PAST_ARREARS,
        k.CATEGORICAL,
        "yes/no",
        (k.SLOT_PAST_ARREARS,),
        categories=k.YES_NO,
        description="any overdue repayment on a loan or card in the last two years (self-reported)",
    ),
)
BY_NAME: Mapping[str, ChatFeature] = {f.name: f for f in CHAT_FEATURES}
YES_NO_NUMBER: Mapping[str, float] = {k.YES: 1.0, k.NO: 0.0}
VALID_AGE = (0, 120)  # a birth date giving an age outside this is a typo, not an age


@dataclass(frozen=True)
class DataIssue:
    """Why a feature is missing or was not used as given: ``field`` is a slot or feature name."""

    field: str
    code: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code}


@dataclass(frozen=True)
class ChatValues:
    """The canonical features of one application, and what was wrong with the answers."""

    values: Mapping[str, Value]
    issues: tuple[DataIssue, ...]


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def age_on(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _number(app: Mapping[str, Any], slot: str, low: float, high: float, issues: list[DataIssue]) -> float | None:
    raw = app.get(slot)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        issues.append(DataIssue(slot, k.ISSUE_MISSING))
        return None
    num = to_number(raw)
    if num is None:
        issues.append(DataIssue(slot, k.ISSUE_INVALID))
        return None
    if not low <= num <= high:
        issues.append(DataIssue(slot, k.ISSUE_OUT_OF_RANGE))
        return None
    return num


def _category(app: Mapping[str, Any], slot: str, allowed: tuple[str, ...], issues: list[DataIssue]) -> str | None:
    raw = app.get(slot)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        issues.append(DataIssue(slot, k.ISSUE_MISSING))
        return None
    text = str(raw).strip().lower()
    if text not in allowed:
        issues.append(DataIssue(slot, k.ISSUE_UNKNOWN_CATEGORY))
        return None
    return text


_TRUE_WORDS = frozenset({"true", "yes"})
_FALSE_WORDS = frozenset({"false", "no"})


def _yes_no(app: Mapping[str, Any], slot: str, issues: list[DataIssue]) -> str | None:
    """A yes/no slot (a bool from the dialogue; "true"/"false"/"yes"/"no" from JSON) as yes | no."""
    raw = app.get(slot)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        issues.append(DataIssue(slot, k.ISSUE_MISSING))
        return None
    if isinstance(raw, bool):
        return k.YES if raw else k.NO
    text = raw.strip().lower() if isinstance(raw, str) else None
    if text in _TRUE_WORDS:
        return k.YES
    if text in _FALSE_WORDS:
        return k.NO
    issues.append(DataIssue(slot, k.ISSUE_INVALID))
    return None


def _job_years(
    app: Mapping[str, Any], employment: str | None, age: int | None, issues: list[DataIssue]
) -> float | None:
    """job_years where it is asked (employed, self-employed, or employment not known yet); for
    the other employment types it is not applicable: missing, whatever was given."""
    if employment is not None and employment not in k.JOB_YEARS_APPLIES_TO:
        issues.append(DataIssue(k.SLOT_JOB_YEARS, k.ISSUE_NOT_APPLICABLE))
        return None
    spec = BY_NAME[k.F_JOB_YEARS]
    years = _number(app, k.SLOT_JOB_YEARS, spec.low or 0, spec.high or 0, issues)
    if years is not None and age is not None and years > age - k.MIN_START_AGE:
        issues.append(DataIssue(k.SLOT_JOB_YEARS, k.ISSUE_OUT_OF_RANGE))
        return None
    return years


def chat_values(application: Mapping[str, Any], as_of: dt.date) -> ChatValues:
    """The canonical features from the conversation's slots. Never raises on bad answers: a
    missing, malformed or out-of-range answer becomes a missing value plus a :class:`DataIssue`."""
    issues: list[DataIssue] = []
    values: dict[str, Value] = {}

    born_raw = application.get(bc.BIRTH_DATE)
    born = parse_date(born_raw)
    age: int | None = None
    if born_raw in (None, ""):
        issues.append(DataIssue(bc.BIRTH_DATE, k.ISSUE_MISSING))
    elif born is None:
        issues.append(DataIssue(bc.BIRTH_DATE, k.ISSUE_INVALID))
    else:
        age = age_on(born, as_of)
        if not VALID_AGE[0] <= age <= VALID_AGE[1]:
            issues.append(DataIssue(bc.BIRTH_DATE, k.ISSUE_OUT_OF_RANGE))
            age = None
    values[k.F_AGE] = float(age) if age is not None else None

    inc_f, debt_f = BY_NAME[k.F_INCOME], BY_NAME[k.F_DEBT]
    income = _number(application, bc.MONTHLY_INCOME, inc_f.low or 0, inc_f.high or 0, issues)
    debt = _number(application, bc.MONTHLY_DEBT_PAYMENT, debt_f.low or 0, debt_f.high or 0, issues)
    values[k.F_INCOME] = income
    values[k.F_DEBT] = debt
    dti = debt / income if income and debt is not None else None
    dti_high = BY_NAME[k.F_DTI].high or 0
    if dti is not None and dti > dti_high:
        dti = dti_high  # beyond 100× income the exact figure carries no more information
    values[k.F_DTI] = dti

    values[k.F_HOUSING] = _category(application, bc.HOUSING, bc.HOUSING_TYPES, issues)
    employment = _category(application, bc.EMPLOYMENT_TYPE, bc.EMPLOYMENT_TYPES, issues)
    values[k.F_EMPLOYMENT] = employment
    values[k.F_JOB_YEARS] = _job_years(application, employment, age, issues)
    values[k.F_PAST_ARREARS] = _yes_no(application, k.SLOT_PAST_ARREARS, issues)
    return ChatValues(values=values, issues=tuple(issues))


def model_inputs(
    chat: ChatValues, features: Mapping[str, str], from_chat: Mapping[str, Mapping[str, str]]
) -> tuple[dict[str, Value], tuple[DataIssue, ...]]:
    """The model's inputs (feature → value) from the canonical chat values.

    ``features`` maps each model feature to its kind; ``from_chat`` holds per-feature category
    maps from the chat's vocabulary to the model's. A yes/no answer meets a numerical model
    feature (a bank's 0/1 column) as 1 / 0. A model feature the chat cannot supply is missing
    with a ``not_asked`` issue, so the decision shows that it was scored in the missing bin.
    """
    inputs: dict[str, Value] = {}
    issues: list[DataIssue] = []
    for name, kind in features.items():
        if name not in chat.values:
            inputs[name] = None
            issues.append(DataIssue(name, k.ISSUE_NOT_ASKED))
            continue
        value = chat.values[name]
        if value is not None and kind == k.CATEGORICAL:
            value = from_chat.get(name, {}).get(str(value), str(value))
        elif kind == k.NUMERICAL and value in YES_NO_NUMBER:
            value = YES_NO_NUMBER[str(value)]
        inputs[name] = value
    return inputs, tuple(issues)
