"""The applicant's consent evidence, embedded in the agreement PDF and covered by the signature.

The evidence is a small JSON attachment (``consent-evidence.json``) added in the same revision as
the bank's signature, so the signature protects it: when the one-time code was verified, a keyed
digest of the conversation id, and the SHA-256 and length of the agreement as rendered (the first
bytes of the signed file, since signing only appends). No personal data: the conversation id is
an HMAC under kaika's index key (``bot.crypto`` blind index), the same value the store keeps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec, embed_file
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from integrations.signing import const

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")


class EvidenceError(ValueError):
    def __init__(self, code: str = const.BAD_EVIDENCE) -> None:
        super().__init__(code)
        self.code = code


def iso_utc(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def conversation_digest(conversation_id: str) -> str:
    """HMAC-SHA256 of a conversation id under kaika's index key (= the store's conversation key)."""
    from bot.crypto import get_cipher

    return get_cipher().blind_index("conversation", conversation_id)


@dataclass(frozen=True)
class ConsentEvidence:
    """What proves the applicant consented to this exact document."""

    application_reference: str
    agreement_version: str
    language: str
    document_sha256: str  # SHA-256 of the agreement as rendered, before evidence and signature
    document_length: int  # its length: the signed file starts with exactly these bytes
    otp_verified_at: str  # ISO 8601 UTC, when the one-time code was accepted
    consented_at: str  # ISO 8601 UTC, when the applicant said "I agree"
    conversation_hmac_sha256: str
    otp_channel: str = "sms"
    kind: str = "kaika-consent-evidence"
    version: int = const.EVIDENCE_VERSION

    @classmethod
    def for_document(
        cls,
        pdf: bytes,
        *,
        application_reference: str,
        agreement_version: str,
        language: str,
        otp_verified_at: dt.datetime,
        consented_at: dt.datetime,
        conversation_id: str,
    ) -> ConsentEvidence:
        evidence = cls(
            application_reference=application_reference,
            agreement_version=agreement_version,
            language=language,
            document_sha256=hashlib.sha256(pdf).hexdigest(),
            document_length=len(pdf),
            otp_verified_at=iso_utc(otp_verified_at),
            consented_at=iso_utc(consented_at),
            conversation_hmac_sha256=conversation_digest(conversation_id),
        )
        evidence.check()
        return evidence

    def check(self) -> None:
        if not _REFERENCE.match(self.application_reference) or self.language not in const.LANGUAGES:
            raise EvidenceError()
        if not (_SHA256.match(self.document_sha256) and _SHA256.match(self.conversation_hmac_sha256)):
            raise EvidenceError()
        if not (_ISO_UTC.match(self.otp_verified_at) and _ISO_UTC.match(self.consented_at)):
            raise EvidenceError()
        if self.document_length <= 0:
            raise EvidenceError()

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> ConsentEvidence:
        try:
            data: dict[str, Any] = json.loads(raw)
            evidence = cls(**data)
            evidence.check()
        except (ValueError, TypeError) as exc:
            raise EvidenceError() from exc
        return evidence

    def matches(self, signed_pdf: bytes) -> bool:
        """True when the signed file begins with exactly the document this evidence is about."""
        head = signed_pdf[: self.document_length]
        return len(head) == self.document_length and hashlib.sha256(head).hexdigest() == self.document_sha256


def embed_evidence(writer: BasePdfFileWriter, evidence: ConsentEvidence, description: str) -> None:
    """Attach the evidence JSON to the PDF being signed (same revision as the signature)."""
    data = evidence.to_json()
    moment = dt.datetime.strptime(evidence.consented_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    stream = EmbeddedFileObject.from_file_data(
        writer,
        data=data,
        mime_type="application/json",
        params=EmbeddedFileParams(embed_size=True, embed_checksum=True, creation_date=moment, modification_date=moment),
    )
    spec = FileSpec(
        file_spec_string=const.EVIDENCE_FILE,
        file_name=const.EVIDENCE_FILE,
        embedded_data=stream,
        description=description,
        af_relationship=generic.pdf_name("/Data"),
    )
    embed_file(writer, spec)


def read_evidence(reader: PdfFileReader) -> ConsentEvidence | None:
    """The embedded evidence of a PDF, or None when it has none (or it is unreadable)."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    try:
        for i in range(0, len(names) - 1, 2):
            if str(names[i]) != const.EVIDENCE_FILE:
                continue
            spec = names[i + 1].get_object()
            stream = spec["/EF"]["/F"].get_object()
            return ConsentEvidence.from_json(stream.data)
    except Exception:  # corrupt stream (zlib), wrong types, bad JSON: no usable evidence
        return None
    return None


def evidence_of(pdf: bytes) -> ConsentEvidence | None:
    try:
        return read_evidence(PdfFileReader(BytesIO(pdf), strict=False))
    except Exception:  # a broken PDF simply has no readable evidence
        return None
