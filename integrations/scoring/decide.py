"""``decide(application) -> Decision``: score, policy, limit and reasons for one application.

The application is a dict with the conversation's slot names (bot.const: birth_date,
monthly_income, monthly_debt_payment, housing, employment_type, chosen_card, …; and job_years,
past_arrears — const.SLOT_*) plus, when known, ``kyc_passed``, ``screening_hit``,
``fraud_flag`` and ``as_of`` (the decision date).
Nothing raises on bad answers: they become missing values, the model's missing bin and
``data_issues`` in the decision; policy rules refer what cannot be decided.

Two steps, so a stored decision can be reproduced exactly: :func:`facts_for` turns the
application into *facts* (the inputs as used by the model and the policy, with the product's
requirements copied in — no birth date, no name), and :func:`decide_from_facts` decides from
facts with a given model and policy. A reviewer re-runs the second step on the stored facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import const as bc
from bot.catalog import Catalog, get_catalog
from integrations.scoring import const as k
from integrations.scoring.compiled import CompiledScorecard, FeaturePoints, load
from integrations.scoring.features import DataIssue, chat_values, model_inputs, parse_date
from integrations.scoring.limits import LimitResult, initial_limit
from integrations.scoring.policy import Policy, RuleHit, load_policy
from integrations.scoring.reasons import Reason, ReasonBook, load_reasons

SCORE_FIELDS = frozenset({"score", "band_rank"})
REASKABLE = frozenset({k.ISSUE_MISSING, k.ISSUE_INVALID, k.ISSUE_OUT_OF_RANGE, k.ISSUE_UNKNOWN_CATEGORY})
# Slots the dialogue asks and may ask again (bot.const's, plus the scoring questions it does not name).
ASKED_SLOTS = frozenset({*bc.APPLICANT_FIELDS, bc.BIRTH_DATE, k.SLOT_JOB_YEARS, k.SLOT_PAST_ARREARS})
UNANSWERED = "unanswered"  # policy fact: slots whose answer is missing / malformed / out of range


def unanswered(issues: Any) -> list[str]:
    """The asked slots without a usable answer (policy fact ``unanswered``), from the data issues.
    A ``not_applicable`` slot (job_years of a student) is not unanswered: it was not asked."""
    return sorted({i["field"] for i in issues or () if i["code"] in REASKABLE and i["field"] in ASKED_SLOTS})


def _num_out(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 4)


@dataclass(frozen=True)
class Decision:
    decision: str  # approve | refer | decline
    credit_limit: int | None  # set when approved
    score: float
    probability_bad: float
    band: str
    product_code: str | None
    model_version: str
    policy_version: str
    policy_sha256: str
    reasons: tuple[Reason, ...]
    conditions: tuple[Reason, ...]
    rules_fired: tuple[RuleHit, ...]
    points: tuple[FeaturePoints, ...]
    limit: LimitResult
    limit_explanation: Reason | None
    data_issues: tuple[DataIssue, ...]
    facts: Mapping[str, Any]  # personal data: store encrypted, never log
    as_of: str

    @property
    def reask(self) -> tuple[str, ...]:
        """Slots the dialogue may ask again (missing, malformed or out of range answers); never a
        ``not_applicable`` one (job_years of a student, retiree or unemployed applicant)."""
        return tuple(dict.fromkeys(i.field for i in self.data_issues if i.code in REASKABLE and i.field in ASKED_SLOTS))

    def to_dict(self, with_facts: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "decision": self.decision,
            "credit_limit": self.credit_limit,
            "score": _num_out(self.score),
            "probability_bad": round(self.probability_bad, 6),
            "band": self.band,
            "product_code": self.product_code,
            "reasons": [r.to_dict() for r in self.reasons],
            "conditions": [r.to_dict() for r in self.conditions],
            "rules_fired": [h.code for h in self.rules_fired],
            "model_version": self.model_version,
            "policy_version": self.policy_version,
            "limit": {
                **self.limit.to_dict(),
                "explanation": self.limit_explanation.to_dict() if self.limit_explanation else None,
            },
            "points": [p.to_dict() for p in self.points],
            "data_issues": [i.to_dict() for i in self.data_issues],
            "reask": list(self.reask),
            "as_of": self.as_of,
            "details": {"rules": [h.to_dict() for h in self.rules_fired], "policy_sha256": self.policy_sha256},
        }
        if with_facts:
            out["facts"] = dict(self.facts)
        return out


def _flag(application: Mapping[str, Any], key: str, issues: list[DataIssue]) -> bool | None:
    value = application.get(key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    issues.append(DataIssue(key, k.ISSUE_INVALID))
    return None


def _as_of(application: Mapping[str, Any], as_of: dt.date | None) -> dt.date:
    if as_of is not None:
        return as_of
    return parse_date(application.get(k.AS_OF)) or dt.date.today()


def product_facts(code: str | None, policy: Policy, catalog: Catalog) -> dict[str, Any] | None:
    """The chosen card's requirements (catalog + policy), copied into the facts so a stored
    decision does not depend on later catalog edits."""
    card = catalog.get(code) if code else None
    if card is None:
        return None
    return {
        "code": card.code,
        "tier": card.tier,
        "min_monthly_income": card.eligibility.min_monthly_income,
        "employment_types": list(card.eligibility.employment_types),
        "limit_min": card.limit_min,
        "limit_max": card.limit_max,
        "minimum_payment_rate": float(catalog.interest.get("minimum_payment_percent", 10)) / 100.0,
        **policy.requirements(card.code, card.tier),
    }


def facts_for(
    application: Mapping[str, Any],
    model: CompiledScorecard,
    policy: Policy,
    catalog: Catalog | None = None,
    as_of: dt.date | None = None,
    product_code: str | None = None,
) -> dict[str, Any]:
    """The inputs as used by the model and the policy (JSON-serialisable)."""
    catalog = catalog or get_catalog()
    day = _as_of(application, as_of)
    chat = chat_values(application, day)
    inputs, model_issues = model_inputs(chat, model.kinds, model.from_chat)
    issues = [*chat.issues, *model_issues]
    code = product_code if product_code is not None else application.get(bc.CHOSEN_CARD)
    product = product_facts(str(code), policy, catalog) if code else None
    if code and product is None:
        issues.append(DataIssue(bc.CHOSEN_CARD, k.ISSUE_UNKNOWN_PRODUCT))
    kyc = _flag(application, k.KYC_PASSED, issues)
    kyc_review = _flag(application, k.KYC_REVIEW, issues)
    screening = _flag(application, k.SCREENING_HIT, issues)
    fraud = _flag(application, k.FRAUD_FLAG, issues)
    return {
        "as_of": day.isoformat(),
        "model_inputs": inputs,
        **{name: chat.values[name] for name in chat.values},
        k.KYC_PASSED: kyc,
        k.KYC_REVIEW: kyc_review,
        k.SCREENING_HIT: screening,
        k.FRAUD_FLAG: fraud,
        "product": product,
        "data_issues": [i.to_dict() for i in issues],
    }


def decide_from_facts(facts: Mapping[str, Any], model: CompiledScorecard, policy: Policy, book: ReasonBook) -> Decision:
    result = model.score(facts["model_inputs"])
    band, rank = policy.band(result.score)
    flat: dict[str, Any] = {key: v for key, v in facts.items() if key not in ("product", "model_inputs")}
    for key, v in (facts.get("product") or {}).items():
        flat[f"product.{key}"] = v
    flat[UNANSWERED] = unanswered(facts.get("data_issues"))
    flat.update(score=result.score, band=band, band_rank=rank)

    hits = policy.evaluate(flat, "pre") + policy.evaluate(flat, "post")
    limit = initial_limit(flat, band, policy)
    flat["proposed_limit"] = limit.proposed
    hits += policy.evaluate(flat, "limit")

    severity = max((k.OUTCOME_RANK[h.outcome] for h in hits), default=0)
    outcome = {0: k.APPROVE, 1: k.REFER, 2: k.DECLINE}[severity]
    if outcome == k.APPROVE and limit.proposed is None:
        outcome = k.REFER  # cannot happen with the shipped policy (income_unknown refers); be safe

    # Reasons are the rules that set the outcome (a decline lists its declining rules only).
    adverse = [h for h in hits if h.outcome in (k.DECLINE, k.REFER) and k.OUTCOME_RANK[h.outcome] == severity]
    codes = list(dict.fromkeys(h.code for h in adverse))
    score_hit = any(h.field in SCORE_FIELDS for h in adverse)
    if score_hit or rank >= policy.band_rank(policy.explain_from_band):
        not_applicable = {i["field"] for i in facts.get("data_issues") or () if i["code"] == k.ISSUE_NOT_APPLICABLE}
        codes += [c for c in book.score_factors(result, policy.max_score_factors, not_applicable) if c not in codes]
    conditions = tuple(book.reason(h.code) for h in hits if h.outcome == k.CONDITION)
    product = facts.get("product") or {}
    return Decision(
        decision=outcome,
        credit_limit=limit.proposed if outcome == k.APPROVE else None,
        score=result.score,
        probability_bad=result.probability_bad,
        band=band,
        product_code=product.get("code"),
        model_version=model.version,
        policy_version=policy.version,
        policy_sha256=policy.sha256,
        reasons=tuple(book.reason(c) for c in codes),
        conditions=conditions,
        rules_fired=tuple(hits),
        points=result.features,
        limit=limit,
        limit_explanation=book.limit_explanation(limit) if limit.proposed is not None else None,
        data_issues=tuple(DataIssue(i["field"], i["code"]) for i in facts.get("data_issues") or ()),
        facts=facts,
        as_of=str(facts["as_of"]),
    )


def decide(
    application: Mapping[str, Any],
    *,
    model: CompiledScorecard | None = None,
    policy: Policy | None = None,
    book: ReasonBook | None = None,
    catalog: Catalog | None = None,
    as_of: dt.date | None = None,
    product_code: str | None = None,
) -> Decision:
    """Decide one application (slot names). ``product_code`` overrides ``chosen_card``."""
    model = model or load()
    policy = policy or load_policy()
    book = book or load_reasons()
    facts = facts_for(application, model, policy, catalog, as_of, product_code)
    return decide_from_facts(facts, model, policy, book)
