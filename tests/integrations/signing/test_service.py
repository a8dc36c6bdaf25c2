"""Signing an application's agreement end to end: encrypted storage, idempotency across
processes, the evidence ledger, erasure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.integrations.signing.conftest import NOW, sample


def _sign(**changes: object):  # type: ignore[no-untyped-def]
    from integrations.signing import sign_agreement

    return sign_agreement(sample(**changes), otp_verified_at=NOW, consented_at=NOW, conversation_id="web:abc")


def test_sign_store_record_and_load(signing_store: Path) -> None:
    import hashlib

    from integrations.ledger import entries_for, verify_chain
    from integrations.signing import load_signed_agreement, verify_pdf

    result = _sign()
    assert result.created and result.level == "pades-b-b" and len(result.ledger_indexes) == 2
    pdf = load_signed_agreement(result.reference)
    assert pdf is not None and hashlib.sha256(pdf).hexdigest() == result.signed_sha256
    assert verify_pdf(pdf).ok
    events = entries_for(result.reference)
    assert [e.event for e in events] == ["agreement_hash", "signature"]
    assert events[0].data["document_sha256"] == result.document_sha256
    assert events[1].data["signed_sha256"] == result.signed_sha256
    assert verify_chain().ok
    ledger_text = repr([e.to_dict() for e in events])
    for personal in ("张伟", "420106198008251161", "4201**", "web:abc"):
        assert personal not in ledger_text, personal
    # the stored file is encrypted: neither the PDF nor the applicant's name is readable on disk
    (stored,) = (signing_store.parent / "agreements").glob("*.enc")
    raw = stored.read_bytes()
    assert b"%PDF" not in raw and "张伟".encode() not in raw and b"JVBERi0" not in raw  # base64 of %PDF-


def test_signing_twice_returns_the_first_agreement(signing_store: Path) -> None:
    from integrations.ledger import entries_for

    first = _sign()
    second = _sign(credit_limit=30000)  # a retried or doubled "sign" cannot change what was signed
    assert not second.created and second.signed_sha256 == first.signed_sha256 and second.ledger_indexes == ()
    assert [e.event for e in entries_for(first.reference)] == ["agreement_hash", "signature"]


def test_a_crash_before_recording_is_repaired_by_the_retry(
    signing_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from integrations.ledger import entries_for
    from integrations.signing import service

    def crash(*_a: object, **_k: object) -> tuple[int, ...]:
        raise SystemExit("killed between storing and recording")

    monkeypatch.setattr(service, "_record", crash)
    with pytest.raises(SystemExit):
        _sign()
    assert entries_for("KK261128-7Q4MZP") == []
    monkeypatch.undo()
    retry = _sign()
    assert not retry.created and len(retry.ledger_indexes) == 2
    assert [e.event for e in entries_for(retry.reference)] == ["agreement_hash", "signature"]


SIGN_IN_A_PROCESS = """
import datetime as dt, sys
from integrations.signing import AgreementData, sign_agreement
now = dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.timezone.utc)
r = sign_agreement(AgreementData("KK261128-RACE01", "张伟", "420106198008251161", "KK_CLASSIC", 20000, "zh",
                                 dt.date(2026, 11, 28)), otp_verified_at=now, consented_at=now, conversation_id="c")
print(r.signed_sha256, r.created)
"""


def test_two_processes_signing_at_once_store_one_agreement(signing_store: Path) -> None:
    from integrations.ledger import entries_for, verify_chain

    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SIGN_IN_A_PROCESS], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outputs[0][0] == outputs[1][0]  # both report the one stored agreement
    assert sorted(o[1] for o in outputs) == ["False", "True"]
    assert [e.event for e in entries_for("KK261128-RACE01")] == ["agreement_hash", "signature"]
    assert verify_chain().ok


def test_sm2_agreements_keep_their_detached_signature(signing_store: Path) -> None:
    from integrations.signing import load_detached_signature, load_signed_agreement, sign_agreement
    from integrations.signing.sm2 import Sm2Signer, verify_detached

    result = sign_agreement(
        sample(reference="KK261128-SM2X01"),
        otp_verified_at=NOW,
        consented_at=NOW,
        conversation_id="web:abc",
        signer=Sm2Signer.local(),
    )
    assert result.level == "sm2-with-sm3"
    pdf, sig = load_signed_agreement(result.reference), load_detached_signature(result.reference)
    assert pdf is not None and sig is not None and verify_detached(pdf, sig).ok


def test_erasure_removes_the_agreement_and_keeps_the_ledger_whole(signing_store: Path) -> None:
    from bot.store import applications
    from integrations.ledger import append, verify_chain
    from integrations.signing import erase_agreement, erase_for_application, load_signed_agreement
    from tests.core.test_store import APPLICANT

    app_id = applications.open_draft("web:abc", "zh", "v1")
    reference = applications.submit("web:abc", APPLICANT, "zh").reference
    _sign(reference=reference)
    assert load_signed_agreement(reference) is not None
    assert erase_for_application(app_id) == 1
    assert load_signed_agreement(reference) is None
    append("data_deleted", reference, {"reason": "consent_withdrawn"})
    assert verify_chain().ok
    assert erase_for_application(app_id) == 0 and not erase_agreement(reference)
    assert erase_for_application(999_999) == 0


@pytest.mark.parametrize("reference", ["../etc/passwd", "KK 1", "", "x" * 65])
def test_a_forged_reference_is_refused(signing_store: Path, reference: str) -> None:
    from integrations.signing import SigningError, load_signed_agreement

    with pytest.raises(SigningError) as err:
        load_signed_agreement(reference)
    assert err.value.code == "not_found"
    with pytest.raises(SigningError):
        _sign(reference=reference)


def test_no_agreement_for_an_unknown_reference(signing_store: Path) -> None:
    from integrations.signing import load_detached_signature, load_signed_agreement

    assert load_signed_agreement("KK261128-NOPE00") is None
    assert load_detached_signature("KK261128-NOPE00") is None
