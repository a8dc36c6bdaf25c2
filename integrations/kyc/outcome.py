"""The KYC decision: a small pure function from check results to passed | review | failed.

Every check the KYC step runs is recorded as a :class:`CheckResult` named ``<area>.<check>``
("document.id_checksum", "phone.otp", "liveness.selfie_challenge", "screening.list"). The
decision looks at the latest result of each check name (a retried check replaces its earlier
attempts) and applies, in order:

1. any hard failure (``result == "fail"`` and ``hard``: retrying cannot fix it, e.g. the ID
   number's check digit still fails after the retries) -> ``failed``;
2. a required area without any result, or a soft failure still standing (the applicant can retry)
   -> ``incomplete`` (not a slot value: the step is not finished);
3. any ``review`` result (a screening hit, a low-confidence document field) -> ``review``;
4. liveness answered by *typing* the code -> ``review`` by default. Decision: a typed code only
   proves that somebody is at the keyboard now, not that the face in the selfie is live, and no
   automated face match ties the selfie to the ID photo; so a person looks at selfie and ID photo
   before the card is issued. A bank that accepts the weaker check sets
   ``KAIKA_KYC_TYPED_LIVENESS_OUTCOME=passed``; the record keeps method "typed" either way;
5. otherwise -> ``passed``.

A screening hit never leads to ``failed``: sanctions and PEP matches are decided by people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

# decision statuses (the kyc_status slot takes the first three)
PASSED: Final = "passed"
REVIEW: Final = "review"
FAILED: Final = "failed"
INCOMPLETE: Final = "incomplete"
# result of one check
PASS: Final = "pass"  # noqa: S105 - a result code, not a password
RESULT_REVIEW: Final = "review"
FAIL: Final = "fail"
RESULTS: Final = (PASS, RESULT_REVIEW, FAIL)
# areas
DOCUMENT: Final = "document"
PHONE: Final = "phone"
LIVENESS: Final = "liveness"
SCREENING: Final = "screening"
REQUIRED_AREAS: Final = (DOCUMENT, PHONE, LIVENESS, SCREENING)
# reason codes of a decision (besides "<check name>:<code>")
MISSING: Final = "missing"
LIVENESS_TYPED: Final = "liveness_typed"
METHOD_TYPED: Final = "typed"


@dataclass(frozen=True)
class CheckResult:
    """One check's result as recorded. ``evidence`` are ``kyc_evidence`` ids; ``details`` holds
    non-personal figures (scores, distances, list version), never names or numbers read."""

    name: str
    result: str
    code: str
    confidence: float
    method: str
    hard: bool = False
    evidence: tuple[int, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    at: str = ""

    def __post_init__(self) -> None:
        if "." not in self.name:
            raise ValueError("check names are '<area>.<check>'")
        if self.result not in RESULTS:
            raise ValueError(f"result must be one of {RESULTS}")

    @property
    def area(self) -> str:
        return self.name.split(".", 1)[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "result": self.result,
            "code": self.code,
            "confidence": self.confidence,
            "method": self.method,
            "hard": self.hard,
            "evidence": list(self.evidence),
            "details": dict(self.details),
            "at": self.at,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> CheckResult:
        return cls(
            name=str(value["name"]),
            result=str(value["result"]),
            code=str(value["code"]),
            confidence=float(value["confidence"]),
            method=str(value["method"]),
            hard=bool(value.get("hard", False)),
            evidence=tuple(int(v) for v in value.get("evidence", ())),
            details=dict(value.get("details", {})),
            at=str(value.get("at", "")),
        )


@dataclass(frozen=True)
class KycDecision:
    """``status`` and the codes that led to it (``"<check name>:<code>"``, ``"missing:<area>"``,
    ``"liveness_typed"``); empty reasons for ``passed``."""

    status: str
    reasons: tuple[str, ...] = ()


def latest(checks: Iterable[CheckResult]) -> dict[str, CheckResult]:
    """The last result of each check name, in first-seen order."""
    out: dict[str, CheckResult] = {}
    for check in checks:
        out.pop(check.name, None)
        out[check.name] = check
    return out


def decide(
    checks: Iterable[CheckResult],
    *,
    typed_liveness_passes: bool = False,
    required: Iterable[str] = REQUIRED_AREAS,
) -> KycDecision:
    """The KYC status from the recorded checks (see the module docstring for the rules)."""
    current = list(latest(checks).values())
    hard = [f"{c.name}:{c.code}" for c in current if c.result == FAIL and c.hard]
    if hard:
        return KycDecision(FAILED, tuple(hard))
    areas = {c.area for c in current}
    missing = [f"{MISSING}:{a}" for a in required if a not in areas]
    soft = [f"{c.name}:{c.code}" for c in current if c.result == FAIL]
    if missing or soft:
        return KycDecision(INCOMPLETE, tuple(missing + soft))
    reviews = [f"{c.name}:{c.code}" for c in current if c.result == RESULT_REVIEW]
    if not typed_liveness_passes and any(c.area == LIVENESS and c.method == METHOD_TYPED for c in current):
        reviews.append(LIVENESS_TYPED)
    if reviews:
        return KycDecision(REVIEW, tuple(reviews))
    return KycDecision(PASSED)
