"""Adverse-action reasons and limit explanations in Chinese and English, from
``data/scoring/reasons.yml``.

Score factors: for each model feature, the points it cost = the best bin's points minus the
applicant's; the features that cost the most (and cost something) become reasons, worst first,
each with the feature's "low" or "missing" code — or its "not_applicable" code when the value is
missing because the question does not apply to the applicant (job_years of a student: "no
current job", not "you did not say"). Policy rules give their own code's text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integrations.scoring import const as k
from integrations.scoring.compiled import ScoreResult
from integrations.scoring.datafile import load_yaml
from integrations.scoring.errors import ScoringError
from integrations.scoring.limits import LimitResult

NOT_APPLICABLE = "not_applicable"  # optional score_factors key (see the module docstring)


@dataclass(frozen=True)
class Reason:
    code: str
    text_zh: str
    text_en: str

    def text(self, language: str | None) -> str:
        return self.text_en if language == "en" else self.text_zh

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "text_zh": self.text_zh, "text_en": self.text_en}


@dataclass(frozen=True)
class ReasonBook:
    version: str
    texts: Mapping[str, Mapping[str, str]]
    factors: Mapping[str, Mapping[str, str]]
    limit_texts: Mapping[str, Mapping[str, str]]

    def reason(self, code: str) -> Reason:
        t = self.texts.get(code)
        if t is None:
            raise ScoringError(k.ERR_BAD_POLICY, f"no reason text for {code}")
        return Reason(code, t["text_zh"], t["text_en"])

    def factor_code(self, feature: str, missing: bool, not_applicable: bool = False) -> str:
        entry = self.factors.get(feature) or self.factors["default"]
        if missing and not_applicable and NOT_APPLICABLE in entry:
            return entry[NOT_APPLICABLE]
        return entry["missing" if missing else "low"]

    def score_factors(
        self, result: ScoreResult, limit: int, not_applicable: Collection[str] = frozenset()
    ) -> list[str]:
        """Codes of the features that cost the most points, worst first (no duplicates).
        ``not_applicable``: features missing because they were not asked of this applicant."""
        costly = sorted((f for f in result.features if f.shortfall > 0), key=lambda f: (-f.shortfall, f.feature))
        codes: list[str] = []
        for f in costly:
            code = self.factor_code(f.feature, f.missing, f.feature in not_applicable)
            if code not in codes:
                codes.append(code)
            if len(codes) >= limit:
                break
        return codes

    def limit_explanation(self, limit: LimitResult) -> Reason | None:
        """One sentence on how the limit was set, by the step that set it."""
        t = self.limit_texts.get(limit.code)
        if t is None:
            return None
        values: dict[str, Any] = {"limit": limit.proposed}
        for step in limit.steps:
            v = step.values
            if step.code == "income_multiple":
                values.update(
                    monthly_income=v["monthly_income"],
                    multiple=v["multiple"],
                    band=v["band"],
                    income_amount=v["amount"],
                )
            elif step.code == "debt_capacity":
                values.update(monthly_debt_payment=v["monthly_debt_payment"], debt_capacity=v["amount"])
            elif step.code == "starter_limit":
                values.update(starter=v["amount"])
            elif step.code == "product_max":
                values.update(limit_max=v["limit_max"])
            elif step.code == "rounded":
                values.update(unit=v["unit"])
        try:
            return Reason(limit.code, t["text_zh"].format(**values), t["text_en"].format(**values))
        except (KeyError, ValueError, TypeError) as exc:
            raise ScoringError(k.ERR_BAD_POLICY, f"limit text {limit.code}: {exc}") from exc


def _check(texts: Mapping[str, Any], where: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for code, t in texts.items():
        if not isinstance(t, Mapping) or not t.get("text_zh") or not t.get("text_en"):
            raise ScoringError(k.ERR_BAD_POLICY, f"{where}.{code} needs text_zh and text_en")
        out[str(code)] = {"text_zh": str(t["text_zh"]), "text_en": str(t["text_en"])}
    return out


def from_dict(raw: Mapping[str, Any]) -> ReasonBook:
    texts = _check(raw.get("reasons") or {}, "reasons")
    factors: dict[str, dict[str, str]] = {}
    for f, v in (raw.get("score_factors") or {}).items():
        if not isinstance(v, Mapping):
            raise ScoringError(k.ERR_BAD_POLICY, f"score_factors.{f} must map low / missing to codes")
        unknown = set(v) - {"low", "missing", NOT_APPLICABLE}
        if unknown:
            raise ScoringError(k.ERR_BAD_POLICY, f"score_factors.{f}: unknown keys {sorted(unknown)}")
        factors[str(f)] = {key: str(v[key]) for key in ("low", "missing", NOT_APPLICABLE) if key in v}
        if "low" not in factors[str(f)] or "missing" not in factors[str(f)]:
            raise ScoringError(k.ERR_BAD_POLICY, f"score_factors.{f} needs low and missing")
    if "default" not in factors:
        raise ScoringError(k.ERR_BAD_POLICY, "score_factors needs a default entry")
    for f, v in factors.items():
        for code in v.values():
            if code not in texts:
                raise ScoringError(k.ERR_BAD_POLICY, f"score_factors.{f}: no text for {code}")
    return ReasonBook(str(raw.get("version")), texts, factors, _check(raw.get("limits") or {}, "limits"))


def load_reasons(path: Path | None = None) -> ReasonBook:
    return load_yaml(path or k.REASONS_FILE, from_dict)
