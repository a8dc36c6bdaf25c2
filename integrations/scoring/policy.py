"""Credit policy as data (``data/scoring/policy.yml``): rules, bands, product requirements,
limit parameters and fraud thresholds, loaded into frozen dataclasses and checked on load.

Rules are evaluated against *facts*: a flat dict of the applicant's values (age, income, …),
the score and band, the slots asked but not answered (``unanswered``, a list), and the chosen
product's requirements under ``product.*``. Every rule is
evaluated and every hit recorded; the outcome is the most severe (decline > refer > approve).
A comparison with a missing value does not fire: missing answers have their own rules.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from integrations.scoring import const as k
from integrations.scoring.datafile import load_yaml
from integrations.scoring.errors import ScoringError

STAGES = ("pre", "post", "limit")
OUTCOMES = (k.DECLINE, k.REFER, k.CONDITION)
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "eq": operator.eq,
    "ne": operator.ne,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "contains": lambda a, b: b in a,  # e.g. unanswered contains job_years
}
_UNARY: dict[str, Callable[[Any], bool]] = {
    "missing": lambda a: a is None,
    "present": lambda a: a is not None,
    "is_true": lambda a: a is True,
    "is_false": lambda a: a is False,
}
PRODUCT_KEYS = ("decline_below", "refer_below", "weakest_band", "starter_limit")


@dataclass(frozen=True)
class Rule:
    code: str
    stage: str
    field: str
    op: str
    value: Any = None
    value_from: str | None = None
    outcome: str = k.REFER

    def threshold(self, facts: Mapping[str, Any]) -> Any:
        return facts.get(self.value_from) if self.value_from else self.value

    def fires(self, facts: Mapping[str, Any]) -> bool:
        actual = facts.get(self.field)
        if self.op in _UNARY:
            return _UNARY[self.op](actual)
        limit = self.threshold(facts)
        if actual is None or limit is None:
            return False
        try:
            return bool(_COMPARE[self.op](actual, limit))
        except TypeError:  # e.g. a number compared with a list: a policy/data mismatch, not a hit
            return False


@dataclass(frozen=True)
class RuleHit:
    code: str
    stage: str
    outcome: str
    field: str
    value: Any
    threshold: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "stage": self.stage,
            "outcome": self.outcome,
            "field": self.field,
            "value": self.value,
            "threshold": self.threshold,
        }


@dataclass(frozen=True)
class LimitPolicy:
    income_multiple: Mapping[str, float]
    max_debt_service_ratio: float
    rounding: tuple[tuple[float | None, int], ...]

    def unit_for(self, amount: float) -> int:
        for below, unit in self.rounding:
            if below is None or amount < below:
                return unit
        return self.rounding[-1][1]


@dataclass(frozen=True)
class FraudPolicy:
    lookback_days: int
    strong_kinds: frozenset[str]
    ring_min_persons: int
    ring_min_kinds: int
    max_group: int
    velocity_window_hours: float
    velocity_max_persons: Mapping[str, int]


@dataclass(frozen=True)
class Policy:
    version: str
    sha256: str
    raw: Mapping[str, Any]
    bands: tuple[tuple[str, float | None], ...]
    rules: tuple[Rule, ...]
    product_default: Mapping[str, Any]
    product_by_tier: Mapping[str, Mapping[str, Any]]
    product_by_code: Mapping[str, Mapping[str, Any]]
    limits: LimitPolicy
    max_score_factors: int
    explain_from_band: str
    fraud: FraudPolicy
    by_stage: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)

    def band(self, score: float) -> tuple[str, int]:
        """The score's band and its rank (1 = best)."""
        for rank, (name, low) in enumerate(self.bands, start=1):
            if low is None or score >= low:
                return name, rank
        return self.bands[-1][0], len(self.bands)

    def band_rank(self, band: str) -> int:
        return next(i for i, (name, _) in enumerate(self.bands, start=1) if name == band)

    def requirements(self, code: str, tier: str) -> dict[str, Any]:
        req = {**self.product_default, **self.product_by_tier.get(tier, {}), **self.product_by_code.get(code, {})}
        if req.get("weakest_band") is not None:
            req["weakest_band_rank"] = self.band_rank(str(req["weakest_band"]))
        return req

    def evaluate(self, facts: Mapping[str, Any], stage: str) -> list[RuleHit]:
        return [
            RuleHit(r.code, r.stage, r.outcome, r.field, facts.get(r.field), r.threshold(facts))
            for r in self.by_stage.get(stage, ())
            if r.fires(facts)
        ]


def _sha(raw: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def from_dict(raw: Mapping[str, Any]) -> Policy:
    """Build and check a policy; raises ``ScoringError(policy_invalid)`` naming the problem."""
    try:
        raw = json.loads(json.dumps(raw, default=str))  # plain JSON types (dates → strings)
        bands = tuple(
            (str(b["band"]), None if b.get("min_score") is None else float(b["min_score"])) for b in raw["bands"]
        )
        if not bands or bands[-1][1] is not None:
            raise ValueError("the last band must have min_score: null")
        lows = [low for _, low in bands[:-1] if low is not None]
        if len(lows) != len(bands) - 1:
            raise ValueError("only the last band may have min_score: null")
        if lows != sorted(lows, reverse=True):
            raise ValueError("bands must be ordered from the highest min_score down")
        names = {b for b, _ in bands}
        rules = []
        for r in raw["rules"]:
            rule = Rule(
                code=str(r["code"]),
                stage=str(r.get("stage", "pre")),
                field=str(r["field"]),
                op=str(r["op"]),
                value=r.get("value"),
                value_from=r.get("value_from"),
                outcome=str(r["outcome"]),
            )
            if rule.stage not in STAGES or rule.outcome not in OUTCOMES:
                raise ValueError(f"rule {rule.code}: bad stage or outcome")
            if rule.op not in _COMPARE and rule.op not in _UNARY:
                raise ValueError(f"rule {rule.code}: unknown op {rule.op}")
            if rule.op in _COMPARE and rule.value is None and rule.value_from is None:
                raise ValueError(f"rule {rule.code}: needs value or value_from")
            rules.append(rule)
        if len({r.code for r in rules}) != len(rules):
            raise ValueError("duplicate rule codes")
        products = raw.get("products") or {}
        for section in (
            products.get("default") or {},
            *(products.get("by_tier") or {}).values(),
            *(products.get("by_code") or {}).values(),
        ):
            unknown = set(section) - set(PRODUCT_KEYS)
            if unknown:
                raise ValueError(f"unknown product keys {sorted(unknown)}")
            if section.get("weakest_band") is not None and section["weakest_band"] not in names:
                raise ValueError(f"unknown band {section['weakest_band']}")
        lim = raw["limits"]
        multiples = {str(b): float(m) for b, m in lim["income_multiple"].items()}
        if set(multiples) != names:
            raise ValueError("limits.income_multiple needs exactly one multiple per band")
        rounding = tuple(
            (None if x.get("below") is None else float(x["below"]), int(x["unit"])) for x in lim["rounding"]
        )
        if not rounding or rounding[-1][0] is not None or any(u <= 0 for _, u in rounding):
            raise ValueError("limits.rounding must end with below: null and use positive units")
        reasons = raw.get("reasons") or {}
        fr = raw["fraud"]
        explain = str(reasons.get("explain_score_from_band", bands[0][0]))
        if explain not in names:
            raise ValueError("reasons.explain_score_from_band is not a band")
        return Policy(
            version=str(raw["version"]),
            sha256=_sha(raw),
            raw=raw,
            bands=bands,
            rules=tuple(rules),
            by_stage={s: tuple(r for r in rules if r.stage == s) for s in STAGES},
            product_default=dict(products.get("default") or {}),
            product_by_tier={str(a): dict(b) for a, b in (products.get("by_tier") or {}).items()},
            product_by_code={str(a): dict(b) for a, b in (products.get("by_code") or {}).items()},
            limits=LimitPolicy(multiples, float(lim["max_debt_service_ratio"]), rounding),
            max_score_factors=int(reasons.get("max_score_factors", 3)),
            explain_from_band=explain,
            fraud=FraudPolicy(
                lookback_days=int(fr["lookback_days"]),
                strong_kinds=frozenset(str(x) for x in fr.get("strong_kinds") or ()),
                ring_min_persons=int(fr["ring_min_persons"]),
                ring_min_kinds=int(fr["ring_min_kinds"]),
                max_group=int(fr.get("max_group", 50)),
                velocity_window_hours=float(fr["velocity_window_hours"]),
                velocity_max_persons={str(a): int(b) for a, b in fr["velocity_max_persons"].items()},
            ),
        )
    except ScoringError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ScoringError(k.ERR_BAD_POLICY, str(exc)) from exc


def load_policy(path: Path | None = None) -> Policy:
    """The policy file, parsed once per change of the file."""
    return load_yaml(path or k.POLICY_FILE, from_dict)
