"""Photos sent in the chat (ID document, selfie), whatever the channel: web chat now, the
messenger adapter later. The heavy work happens here, in the receiving process (OCR, face
detection), and the results are stored encrypted as KYC evidence bound to the applicant's
application; the dialogue receives only a payload naming the stored result.

    receive(sender, "document", bytes) -> '/inform{"document_upload": 17}'
                                          '/inform{"upload_error": "blurry"}'
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Final, Literal

from bot.store import applications

logger = logging.getLogger(__name__)
Kind = Literal["document", "selfie"]
KINDS: Final = ("document", "selfie")
DOCUMENT_EVIDENCE: Final = {"cn_id_front": "id_front", "cn_id_back": "id_back", "passport": "passport"}


def _payload(entity: str, value: object) -> str:
    return "/inform" + json.dumps({entity: value}, separators=(",", ":"))


def receive(sender_id: str, kind: Kind, data: bytes) -> str:
    """Read and store an upload; returns the message to hand to the dialogue."""
    from integrations.kyc import images

    app_id = applications.draft_or_open_id(sender_id)
    if app_id is None:
        return _payload("upload_error", "no_consent")
    try:
        intake = images.load(data)
    except images.ImageRejected as exc:
        return _payload("upload_error", exc.code)
    if kind == "document":
        return _document(app_id, data, intake.format)
    return _selfie(app_id, data, intake.format)


def _document(app_id: int, data: bytes, fmt: str) -> str:
    from integrations.kyc.documents import DocumentRejected, read_document
    from integrations.kyc.record import add_evidence

    try:
        reading = read_document(data)
    except DocumentRejected as exc:
        return _payload("upload_error", exc.code)
    image_id = add_evidence(
        app_id, DOCUMENT_EVIDENCE.get(reading.document_type, "id_front"), data, f"image/{fmt.lower()}"
    )
    summary = {
        "document_type": reading.document_type,
        "fields": reading.fields,
        "checks": [{"name": ch.name, "passed": ch.passed, "detail": ch.detail} for ch in reading.checks],
        "confidence": reading.confidence,
        "image_evidence": image_id,
    }
    reading_id = add_evidence(
        app_id, "document_reading", json.dumps(summary, ensure_ascii=False).encode(), "application/json"
    )
    return _payload("document_upload", reading_id)


def _selfie(app_id: int, data: bytes, fmt: str) -> str:
    from integrations.kyc.liveness import check_selfie
    from integrations.kyc.record import add_evidence, get_record, read_evidence

    id_image = None
    record = get_record(app_id)
    if record is not None:
        for ref in reversed(record.evidence):
            if ref.kind == "id_front":
                id_image = read_evidence(app_id, ref.id)
                break
    check = check_selfie(data, id_image)
    selfie_id = add_evidence(app_id, "selfie", data, f"image/{fmt.lower()}")
    summary = {k: v for k, v in asdict(check).items() if k != "face"}
    check_id = add_evidence(app_id, "selfie_check", json.dumps(summary).encode(), "application/json")
    logger.info("selfie %s checked: %s", selfie_id, check.code)
    return _payload("selfie_upload", check_id)
