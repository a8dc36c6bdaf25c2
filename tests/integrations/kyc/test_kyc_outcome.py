"""The pure KYC decision: passed | review | failed (| incomplete while checks are missing)."""

from __future__ import annotations

import pytest

from integrations.kyc.outcome import (
    FAIL,
    FAILED,
    INCOMPLETE,
    LIVENESS_TYPED,
    PASS,
    PASSED,
    RESULT_REVIEW,
    REVIEW,
    CheckResult,
    decide,
    latest,
)


def c(name: str, result: str = PASS, code: str = "ok", method: str = "m", hard: bool = False) -> CheckResult:
    return CheckResult(name=name, result=result, code=code, confidence=1.0, method=method, hard=hard)


DOC = c("document.id_number_checksum", method="tesseract")
PHONE = c("phone.otp", method="sms_otp")
SPOKEN = c("liveness.selfie_challenge", method="speech")
TYPED = c("liveness.selfie_challenge", method="typed")
CLEAR = c("screening.list", code="clear", method="fuzzy_name_dob")
HIT = c("screening.list", RESULT_REVIEW, "possible_match", "fuzzy_name_dob")
ALL_GOOD = [DOC, PHONE, SPOKEN, CLEAR]

CASES = [
    ("everything passed, code spoken", ALL_GOOD, {}, PASSED, ()),
    ("typed liveness is reviewed by default", [DOC, PHONE, TYPED, CLEAR], {}, REVIEW, (LIVENESS_TYPED,)),
    ("typed liveness accepted by setting", [DOC, PHONE, TYPED, CLEAR], {"typed_liveness_passes": True}, PASSED, ()),
    (
        "screening hit -> review, never failed",
        [DOC, PHONE, SPOKEN, HIT],
        {},
        REVIEW,
        ("screening.list:possible_match",),
    ),
    (
        "hit and typed: both reasons",
        [DOC, PHONE, TYPED, HIT],
        {},
        REVIEW,
        ("screening.list:possible_match", LIVENESS_TYPED),
    ),
    (
        "low-confidence document field",
        [*ALL_GOOD, c("document.name_matches_typed", RESULT_REVIEW, "ocr_confusion")],
        {},
        REVIEW,
        ("document.name_matches_typed:ocr_confusion",),
    ),
    (
        "hard document failure",
        [*ALL_GOOD, c("document.id_number_checksum", FAIL, "mismatch", hard=True)],
        {},
        FAILED,
        ("document.id_number_checksum:mismatch",),
    ),
    (
        "hard failure beats a screening hit",
        [DOC, PHONE, SPOKEN, HIT, c("document.not_expired", FAIL, "expired", hard=True)],
        {},
        FAILED,
        ("document.not_expired:expired",),
    ),
    (
        "soft failure: the applicant can retry",
        [DOC, PHONE, c("liveness.selfie_challenge", FAIL, "no_face"), CLEAR],
        {},
        INCOMPLETE,
        ("liveness.selfie_challenge:no_face",),
    ),
    (
        "a retried check replaces the failed attempt",
        [DOC, PHONE, c("liveness.selfie_challenge", FAIL, "no_face"), SPOKEN, CLEAR],
        {},
        PASSED,
        (),
    ),
    ("phone not verified yet", [DOC, SPOKEN, CLEAR], {}, INCOMPLETE, ("missing:phone",)),
    (
        "nothing recorded",
        [],
        {},
        INCOMPLETE,
        ("missing:document", "missing:phone", "missing:liveness", "missing:screening"),
    ),
    ("fewer required areas", [PHONE], {"required": ("phone",)}, PASSED, ()),
]


@pytest.mark.parametrize(("why", "checks", "kwargs", "status", "reasons"), CASES, ids=[x[0] for x in CASES])
def test_decide(why: str, checks: list[CheckResult], kwargs: dict, status: str, reasons: tuple[str, ...]) -> None:
    decision = decide(checks, **kwargs)
    assert decision.status == status, why
    assert decision.reasons == reasons, why


def test_latest_keeps_the_last_attempt_per_check() -> None:
    first, second = c("phone.otp", FAIL, "wrong_code"), c("phone.otp")
    assert latest([first, DOC, second]) == {"phone.otp": second, DOC.name: DOC}


@pytest.mark.parametrize(("name", "result"), [("noarea", PASS), ("phone.otp", "maybe")])
def test_malformed_check_results_are_refused(name: str, result: str) -> None:
    with pytest.raises(ValueError):
        c(name, result)


def test_json_round_trip() -> None:
    check = CheckResult(
        "liveness.selfie_challenge",
        PASS,
        "ok",
        0.54,
        "typed",
        evidence=(3, 4),
        details={"strength": "weak", "faces": 1},
        at="2026-12-01T09:00:00Z",
    )
    assert CheckResult.from_json(check.to_json()) == check
