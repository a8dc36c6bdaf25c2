"""The KYC record of an application: checks with results, and encrypted evidence images.

* :func:`record_check` appends one :class:`~integrations.kyc.outcome.CheckResult` and stores the
  status :func:`~integrations.kyc.outcome.decide` computes from all of them. The list of checks
  is encrypted (AES-GCM, bound to its row): a screening hit or a failed liveness is sensitive.
* :func:`add_evidence` stores image bytes encrypted, with a retention deadline
  (``KAIKA_KYC_EVIDENCE_RETENTION_DAYS``, default 30); :func:`purge_expired` removes the bytes
  of evidence past its deadline (the row stays as "evidence existed, purged at").
* :func:`erase_for_application` removes everything personal of the application's KYC (evidence
  rows, one-time codes, the checks): called when the applicant withdraws consent.

The ``check_from_*`` helpers turn the results of the phone, liveness and screening modules into
check results; document checks are built by the dialogue with :func:`document_check`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Final, Protocol

from sqlalchemy.orm import Session

from bot.crypto import get_cipher
from bot.store.db import session_scope
from bot.store.models import utcnow
from integrations.kyc import otp as otp_module
from integrations.kyc.liveness import LivenessResult
from integrations.kyc.models import KycEvidence, KycRecord
from integrations.kyc.otp import VerifyResult
from integrations.kyc.outcome import (
    FAIL,
    INCOMPLETE,
    PASS,
    RESULT_REVIEW,
    CheckResult,
    KycDecision,
    decide,
)
from integrations.kyc.screening import ScreeningResult
from integrations.kyc.settings import get_kyc_settings

# images and recordings, and what was read from them (the OCR fields, the selfie check) so the
# dialogue can use a result computed where the upload arrived
EVIDENCE_KINDS: Final = ("id_front", "id_back", "passport", "selfie", "voice", "document_reading", "selfie_check")
CONTENT_TYPES: Final = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/bmp",
    "image/tiff",
    "audio/wav",
    "audio/ogg",
    "application/json",
)
ERASED: Final = "erased"
MAX_EVIDENCE_BYTES: Final = 10 * 1024 * 1024  # as integrations.kyc.images.MAX_BYTES

# check names written by the helpers below
PHONE_CHECK: Final = "phone.otp"
LIVENESS_CHECK: Final = "liveness.selfie_challenge"
SCREENING_CHECK: Final = "screening.list"


class DocumentCheckLike(Protocol):
    """The shape of a document cross-check (``integrations.kyc.checks.Check``)."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class EvidenceRef:
    id: int
    kind: str
    content_type: str
    size_bytes: int
    created_at: str
    expires_at: str
    purged_at: str | None


@dataclass(frozen=True)
class KycRecordView:
    """The record as staff, the dialogue and the CLI may see it (no image bytes)."""

    application_id: int
    status: str
    reasons: tuple[str, ...]
    checks: tuple[CheckResult, ...]
    evidence: tuple[EvidenceRef, ...]
    decided_at: str | None


@dataclass(frozen=True)
class Erasure:
    evidence: int
    otp_challenges: int
    record: bool


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def _naive(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return utcnow()
    return now.astimezone(dt.timezone.utc).replace(tzinfo=None) if now.tzinfo else now


def _checks_aad(record_id: int) -> str:
    return f"kyc_records.checks_enc:{record_id}"


def _evidence_aad(evidence_id: int) -> str:
    return f"kyc_evidence.data_enc:{evidence_id}"


def _typed_passes() -> bool:
    return get_kyc_settings().typed_liveness_outcome == "passed"


def _load_checks(record: KycRecord) -> list[CheckResult]:
    if not record.checks_enc:
        return []
    raw = get_cipher().decrypt_json(record.checks_enc, _checks_aad(int(record.id)))
    return [CheckResult.from_json(item) for item in raw]


def _get_or_create(session: Session, application_id: int, now: dt.datetime) -> KycRecord:
    # FOR UPDATE (PostgreSQL): two checks recorded at once must not lose one another
    record: KycRecord | None = (
        session.query(KycRecord).filter(KycRecord.application_id == application_id).with_for_update().one_or_none()
    )
    if record is None:
        record = KycRecord(application_id=application_id, status=INCOMPLETE, created_at=now, updated_at=now)
        session.add(record)
        session.flush()
    return record


# -- checks ----------------------------------------------------------------------------------
def record_check(application_id: int, check: CheckResult, *, now: dt.datetime | None = None) -> KycDecision:
    """Append ``check`` (stamped with the time) and store the recomputed status; returns it."""
    moment = _naive(now)
    stamped = replace(check, at=_iso(moment) or "")
    with session_scope() as session:
        record = _get_or_create(session, application_id, moment)
        if record.status == ERASED:
            raise ValueError("the KYC record of this application was erased")
        checks = [*_load_checks(record), stamped]
        decision = decide(checks, typed_liveness_passes=_typed_passes())
        record.checks_enc = get_cipher().encrypt_json([c.to_json() for c in checks], _checks_aad(int(record.id)))
        if decision.status != record.status:
            record.decided_at = moment if decision.status != INCOMPLETE else None
        record.status = decision.status
        record.updated_at = moment
        return decision


def get_record(application_id: int) -> KycRecordView | None:
    with session_scope() as session:
        record = session.query(KycRecord).filter(KycRecord.application_id == application_id).one_or_none()
        if record is None:
            return None
        checks = _load_checks(record)
        reasons = decide(checks, typed_liveness_passes=_typed_passes()).reasons if checks else ()
        rows = (
            session.query(KycEvidence)
            .filter(KycEvidence.application_id == application_id)
            .order_by(KycEvidence.id)
            .all()
        )
        evidence = tuple(
            EvidenceRef(
                id=int(r.id),
                kind=r.kind,
                content_type=r.content_type,
                size_bytes=int(r.size_bytes),
                created_at=_iso(r.created_at) or "",
                expires_at=_iso(r.expires_at) or "",
                purged_at=_iso(r.purged_at),
            )
            for r in rows
        )
        return KycRecordView(
            application_id=application_id,
            status=record.status,
            reasons=reasons,
            checks=tuple(checks),
            evidence=evidence,
            decided_at=_iso(record.decided_at),
        )


def kyc_status(application_id: int) -> str:
    """The stored status: incomplete (also when no record exists) | passed | review | failed | erased."""
    with session_scope() as session:
        status = session.query(KycRecord.status).filter(KycRecord.application_id == application_id).scalar()
        return str(status) if status else INCOMPLETE


# -- evidence --------------------------------------------------------------------------------
def add_evidence(
    application_id: int,
    kind: str,
    data: bytes,
    content_type: str,
    *,
    now: dt.datetime | None = None,
    retention_days: int | None = None,
) -> int:
    """Store image (or audio) bytes encrypted; returns the evidence id to cite in a check."""
    if kind not in EVIDENCE_KINDS:
        raise ValueError(f"kind must be one of {EVIDENCE_KINDS}")
    if content_type not in CONTENT_TYPES:
        raise ValueError(f"content_type must be one of {CONTENT_TYPES}")
    if not data or len(data) > MAX_EVIDENCE_BYTES:
        raise ValueError("evidence must be 1 byte to 10 MB")
    moment = _naive(now)
    days = retention_days if retention_days is not None else get_kyc_settings().evidence_retention_days
    with session_scope() as session:
        row = KycEvidence(
            application_id=application_id,
            kind=kind,
            content_type=content_type,
            size_bytes=len(data),
            created_at=moment,
            expires_at=moment + dt.timedelta(days=days),
        )
        session.add(row)
        session.flush()
        row.data_enc = get_cipher().encrypt(data, _evidence_aad(int(row.id)))
        return int(row.id)


def read_evidence(application_id: int, evidence_id: int) -> bytes | None:
    """The decrypted bytes, or None when unknown, of another application, purged or erased."""
    with session_scope() as session:
        row = session.get(KycEvidence, evidence_id)
        if row is None or row.application_id != application_id or not row.data_enc:
            return None
        return get_cipher().decrypt(row.data_enc, _evidence_aad(int(row.id)))


def purge_expired(now: dt.datetime | None = None) -> int:
    """Remove the bytes of every evidence item whose retention deadline has passed. Returns how
    many were purged. Safe to run repeatedly and concurrently (idempotent)."""
    moment = _naive(now)
    with session_scope() as session:
        return int(
            session.query(KycEvidence)
            .filter(KycEvidence.expires_at <= moment, KycEvidence.data_enc.isnot(None))
            .update({KycEvidence.data_enc: None, KycEvidence.purged_at: moment}, synchronize_session=False)
        )


def erase_for_application(
    application_id: int, *, now: dt.datetime | None = None, session: Session | None = None
) -> Erasure:
    """Erase the application's KYC personal data: evidence rows and one-time codes deleted, the
    record's checks removed and its status set to "erased" (the row stays: a KYC step happened).

    Pass ``session`` to erase inside the caller's transaction, e.g. from
    ``bot.store.applications.withdraw`` (a second transaction would wait on SQLite's write lock
    held by the first)."""
    if session is None:
        with session_scope() as own:
            return erase_for_application(application_id, now=now, session=own)
    moment = _naive(now)
    otp_rows = otp_module.erase_for_application(application_id, session=session)
    evidence = int(
        session.query(KycEvidence)
        .filter(KycEvidence.application_id == application_id)
        .delete(synchronize_session=False)
    )
    record = session.query(KycRecord).filter(KycRecord.application_id == application_id).one_or_none()
    if record is not None:
        record.checks_enc = None
        record.status = ERASED
        record.updated_at = record.erased_at = moment
    return Erasure(evidence=evidence, otp_challenges=otp_rows, record=record is not None)


# -- check builders --------------------------------------------------------------------------
def check_from_phone(result: VerifyResult, *, hard: bool = False) -> CheckResult:
    """Phone ownership from an SMS code verification. ``hard``: the applicant cannot retry
    (e.g. gave up after a lockout)."""
    return CheckResult(
        name=PHONE_CHECK,
        result=PASS if result.ok else FAIL,
        code=result.code,
        confidence=1.0,
        method="sms_otp",
        hard=hard and not result.ok,
        details={"challenge_id": result.challenge_id},
    )


def check_from_liveness(result: LivenessResult, *, evidence: tuple[int, ...] = (), hard: bool = False) -> CheckResult:
    """Liveness: method "typed" or "speech" (typed is reviewed, see integrations.kyc.outcome)."""
    selfie = result.selfie
    return CheckResult(
        name=LIVENESS_CHECK,
        result=PASS if result.passed else FAIL,
        code=result.code,
        confidence=result.confidence,
        method=result.method,
        hard=hard and not result.passed,
        evidence=evidence,
        details={
            "strength": result.strength,
            "detector": "opencv_haar_frontalface_default",
            "faces": selfie.faces,
            "face_fraction": selfie.face_fraction,
            "id_compared": selfie.id_compared,
            "image_distance": selfie.image_distance,
            "face_distance": selfie.face_distance,
            "face_correlation": selfie.face_correlation,
            "challenge": result.challenge.code,
        },
    )


def check_from_screening(result: ScreeningResult) -> CheckResult:
    """A possible match is ``review`` (people decide), never ``fail``."""
    return CheckResult(
        name=SCREENING_CHECK,
        result=RESULT_REVIEW if result.hit else PASS,
        code=result.outcome,
        confidence=result.confidence,
        method=result.method,
        details={
            "list_version": result.list_version,
            "entries": result.entries,
            "best_score": result.best_score,
            "hits": [
                {"entry_id": h.entry_id, "list_type": h.list_type, "score": h.score, "dob": h.dob} for h in result.hits
            ],
        },
    )


def document_check(
    name: str,
    passed: bool,
    code: str,
    *,
    confidence: float = 1.0,
    method: str = "tesseract",
    hard: bool = False,
    review: bool = False,
    evidence: tuple[int, ...] = (),
    details: dict[str, Any] | None = None,
) -> CheckResult:
    """A document check (``name`` without or with the "document." prefix): passed, failed (``hard``
    when retries are exhausted or the fault cannot be fixed), or ``review`` (low confidence)."""
    full = name if name.startswith("document.") else f"document.{name}"
    result = RESULT_REVIEW if review and passed else (PASS if passed else FAIL)
    return CheckResult(
        name=full,
        result=result,
        code=code,
        confidence=confidence,
        method=method,
        hard=hard and not passed,
        evidence=evidence,
        details=details or {},
    )


def check_from_document(
    check: DocumentCheckLike,
    *,
    hard: bool = False,
    confidence: float = 1.0,
    method: str = "tesseract",
    evidence: tuple[int, ...] = (),
) -> CheckResult:
    """A cross-check of the document reader (name, passed, detail) as a KYC check result."""
    return document_check(
        check.name, check.passed, check.detail, confidence=confidence, method=method, hard=hard, evidence=evidence
    )
