"""Signing an application's agreement end to end: render, attach consent evidence, sign, store
encrypted, record in the evidence ledger. What the dialogue and the gateway call.

The signed PDF holds personal data (the applicant's name, the masked ID number), so it is stored
encrypted (AES-GCM, ``bot.crypto``) under ``<var_dir>/agreements/`` and erased with the
applicant's data. Signing is idempotent per application reference: the first signed agreement
is kept (created with an exclusive link, so two processes racing store one) and a repeated call
returns it with ``created=False``; the ledger entries are (re-)appended only when missing, so a
crash between storing and recording is repaired by the retry.

The application's status (approved -> signed) belongs to the caller, which must check that the
application is approved and that the caller is its owner before calling ``sign_agreement``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from bot.crypto import get_cipher
from bot.settings import get_settings
from integrations.signing import const
from integrations.signing.agreement import AgreementData, RenderedAgreement, render_agreement
from integrations.signing.evidence import ConsentEvidence, evidence_of
from integrations.signing.port import SignedDocument, Signer, SigningError
from integrations.signing.sign import make_signer

_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
STORE_DIR = "agreements"


@dataclass(frozen=True)
class SignedAgreement:
    reference: str
    document_sha256: str  # the agreement as shown to the applicant (before evidence and signature)
    signed_sha256: str  # the signed file
    level: str
    signer: str
    created: bool  # False: it had been signed before and this is that agreement (nothing new signed)
    ledger_indexes: tuple[int, ...] = ()


def _dir() -> Path:
    path = get_settings().var_dir / STORE_DIR
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _check_reference(reference: str) -> str:
    if not isinstance(reference, str) or not _REFERENCE.match(reference):
        raise SigningError(const.NOT_FOUND)
    return reference


def _path(reference: str) -> Path:
    return _dir() / f"{_check_reference(reference)}.agreement.enc"


def _aad(reference: str) -> str:
    return f"agreements.bundle:{reference}"


def _write_exclusive(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it exists; True when this call created it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class StoredAgreement:
    pdf: bytes
    detached_signature: bytes | None
    level: str
    signer: str


def _load(reference: str) -> StoredAgreement | None:
    path = _path(reference)
    if not path.is_file():
        return None
    bundle = get_cipher().decrypt_json(path.read_text(), _aad(reference))
    sig = bundle.get("detached_signature")
    return StoredAgreement(
        pdf=base64.b64decode(bundle["pdf"]),
        detached_signature=base64.b64decode(sig) if sig else None,
        level=str(bundle["level"]),
        signer=str(bundle["signer"]),
    )


def prepare_agreement(data: AgreementData) -> RenderedAgreement:
    """The agreement as the applicant will see it (unsigned), e.g. for the gateway's PDF link."""
    return render_agreement(data)


def load_signed_agreement(reference: str) -> bytes | None:
    """The stored signed PDF (decrypted), or None. Serve it to the verified owner only."""
    stored = _load(reference)
    return stored.pdf if stored is not None else None


def load_detached_signature(reference: str) -> bytes | None:
    """The SM2 detached signature of a stored agreement, if it was signed with SM2."""
    stored = _load(reference)
    return stored.detached_signature if stored is not None else None


def _record(reference: str, evidence: ConsentEvidence, signed_sha256: str, level: str) -> tuple[int, ...]:
    """Append agreement_hash + signature to the ledger unless this signature is there already."""
    from integrations.ledger import append_many, entries_for
    from integrations.ledger.const import AGREEMENT_HASH, SIGNATURE

    for entry in entries_for(reference):
        if entry.event == SIGNATURE and entry.data.get("signed_sha256") == signed_sha256:
            return ()
    entries = append_many(
        [
            (
                AGREEMENT_HASH,
                reference,
                {
                    "document_sha256": evidence.document_sha256,
                    "agreement_version": evidence.agreement_version,
                    "language": evidence.language,
                },
            ),
            (
                SIGNATURE,
                reference,
                {
                    "document_sha256": evidence.document_sha256,
                    "signed_sha256": signed_sha256,
                    "level": level,
                    "otp_verified_at": evidence.otp_verified_at,
                    "conversation_hmac_sha256": evidence.conversation_hmac_sha256,
                },
            ),
        ]
    )
    return tuple(e.index for e in entries)


def _existing(reference: str, stored: StoredAgreement) -> SignedAgreement:
    evidence = evidence_of(stored.pdf)
    if evidence is None:  # a stored agreement always has its evidence; anything else is damage
        raise SigningError(const.NO_EVIDENCE)
    signed_sha256 = hashlib.sha256(stored.pdf).hexdigest()
    indexes = _record(reference, evidence, signed_sha256, stored.level)
    return SignedAgreement(
        reference, evidence.document_sha256, signed_sha256, stored.level, stored.signer, False, indexes
    )


def sign_agreement(
    data: AgreementData,
    *,
    otp_verified_at: dt.datetime,
    consented_at: dt.datetime,
    conversation_id: str,
    signer: Signer | None = None,
) -> SignedAgreement:
    """Render, sign with the consent evidence, store encrypted, record in the ledger.

    ``otp_verified_at``: when the one-time code was accepted; ``consented_at``: when the
    applicant said "I agree"; ``conversation_id``: the channel's sender id (only its HMAC is
    kept). Raises AgreementError / EvidenceError / SigningError (each with ``code``).
    """
    reference = _check_reference(data.reference)
    stored = _load(reference)
    if stored is not None:
        return _existing(reference, stored)
    rendered = render_agreement(data)
    evidence = ConsentEvidence.for_document(
        rendered.pdf,
        application_reference=reference,
        agreement_version=rendered.version,
        language=data.language,
        otp_verified_at=otp_verified_at,
        consented_at=consented_at,
        conversation_id=conversation_id,
    )
    signed: SignedDocument = (signer or make_signer()).sign(rendered.pdf, evidence)
    bundle = {
        "pdf": base64.b64encode(signed.pdf).decode(),
        "detached_signature": base64.b64encode(signed.detached_signature).decode()
        if signed.detached_signature is not None
        else None,
        "level": signed.level,
        "signer": signed.signer,
    }
    if not _write_exclusive(_path(reference), get_cipher().encrypt_json(bundle, _aad(reference))):
        winner = _load(reference)  # another process signed it first: theirs counts
        assert winner is not None
        return _existing(reference, winner)
    indexes = _record(reference, evidence, signed.sha256, signed.level)
    return SignedAgreement(
        reference, evidence.document_sha256, signed.sha256, signed.level, signed.signer, True, indexes
    )


def erase_agreement(reference: str) -> bool:
    """Delete a stored agreement (with its detached signature). The ledger keeps its hashes."""
    path = _path(reference)
    if not path.is_file():
        return False
    path.unlink()
    return True


def erase_for_application(application_id: int) -> int:
    """Erase the agreement of an application (by database id); returns how many were erased."""
    from bot.store.db import session_scope
    from bot.store.models import Application

    with session_scope() as session:
        app = session.get(Application, application_id)
        reference = app.reference if app is not None else None
    if not reference:
        return 0
    return int(erase_agreement(reference))
