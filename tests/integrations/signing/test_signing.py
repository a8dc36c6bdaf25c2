"""Real PAdES signatures (pyHanko) from the local CA, validated by pyHanko and by poppler's
pdfsig; tampering, untrusted roots, timestamps, PKCS#12, SM2, the CLI."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from tests.integrations.signing.conftest import evidence_for, sample


def _signed(language: str = "zh", timestamp: bool = False):  # type: ignore[no-untyped-def]
    from integrations.signing import render_agreement
    from integrations.signing.sign import make_signer, test_timestamper

    rendered = render_agreement(sample(language))
    signer = make_signer(timestamper=test_timestamper() if timestamp else None)
    return rendered, signer.sign(rendered.pdf, evidence_for(rendered.pdf, language))


def test_a_signed_agreement_is_intact_valid_and_trusted(var: Path, tmp_path: Path) -> None:
    from integrations.signing import verify_pdf

    rendered, signed = _signed()
    assert signed.level == "pades-b-b" and signed.pdf.startswith(rendered.pdf)  # signing only appends
    report = verify_pdf(signed.pdf)
    assert (report.intact, report.valid, report.trusted, report.ok) == (True, True, True, True), report.reasons
    assert report.level == "pades-b-b" and "kaika Agreement Signing" in (report.signer or "")
    assert report.evidence_ok and report.evidence is not None
    assert report.evidence.document_sha256 == rendered.sha256
    assert report.evidence.otp_verified_at == "2026-11-28T10:15:00Z"
    assert "web:" not in report.evidence.to_json().decode()  # only the keyed digest of the conversation id
    # an independent validator agrees (poppler/NSS: the root is unknown to it, the signature is valid)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed.pdf)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out and "ETSI.CAdES.detached" in out


def test_b_t_with_an_rfc3161_timestamp(var: Path) -> None:
    from integrations.signing import verify_pdf

    _rendered, signed = _signed("en", timestamp=True)
    assert signed.level == "pades-b-t"
    report = verify_pdf(signed.pdf)
    assert report.ok and report.level == "pades-b-t" and report.timestamp_time is not None, report.reasons
    # the timestamp is an unsigned attribute: changing its type must not make it silently vanish
    start, end = _contents_span(signed.pdf)
    found = re.compile(rb"060b2a864886f70d010910020e", re.IGNORECASE).search(signed.pdf, start, end)
    assert found is not None  # the id-aa-timeStampToken attribute type
    at = found.end() - 1
    tampered = bytearray(signed.pdf)
    tampered[at] ^= 0x01
    assert not verify_pdf(bytes(tampered)).ok


def _contents_span(pdf: bytes) -> tuple[int, int]:
    m = re.search(rb"/Contents <([0-9a-fA-F]+)>", pdf)
    assert m is not None
    return m.start(1), m.end(1)


def _positions(pdf: bytes, original_length: int) -> dict[str, int]:
    start, end = _contents_span(pdf)
    der_end = start + 2 * 600  # well inside the CMS object (≈1,100 bytes)
    return {
        "pdf header": 5,
        "page content": original_length // 3,
        "font program": original_length // 2,
        "end of the rendered revision": original_length - 3,
        "evidence attachment": original_length + 200,
        "byte range": pdf.index(b"/ByteRange") + 14,
        "cms start": start + 3,
        "cms signer certificate": start + 300,
        "cms signature value": der_end,
        "contents padding": end - 40,
        "last byte": len(pdf) - 2,
    }


@pytest.mark.parametrize(
    "where",
    [
        "pdf header",
        "page content",
        "font program",
        "end of the rendered revision",
        "evidence attachment",
        "byte range",
        "cms start",
        "cms signer certificate",
        "cms signature value",
        "contents padding",
        "last byte",
    ],
)
def test_flipping_one_byte_fails_validation(var: Path, where: str) -> None:
    from integrations.signing import verify_pdf

    rendered, signed = _signed()
    position = _positions(signed.pdf, len(rendered.pdf))[where]
    tampered = bytearray(signed.pdf)
    tampered[position] ^= 0x01
    report = verify_pdf(bytes(tampered))
    assert not report.ok and report.reasons, where


def test_random_single_byte_flips_all_fail(var: Path) -> None:
    """Forty random positions over the whole file, the signature container included."""
    from integrations.signing import verify_pdf

    for timestamp in (False, True):
        _rendered, signed = _signed(timestamp=timestamp)
        rng = random.Random(20261128 + timestamp)
        start, end = _contents_span(signed.pdf)
        positions = rng.sample(range(len(signed.pdf)), 12) + rng.sample(range(start, end), 8)
        for position in positions:
            tampered = bytearray(signed.pdf)
            tampered[position] ^= 1 << rng.randrange(8)
            assert not verify_pdf(bytes(tampered)).ok, position


def test_changes_after_signing_are_refused(var: Path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from integrations.signing import verify_pdf

    _rendered, signed = _signed()
    appended = verify_pdf(signed.pdf + b"\n%% a comment added later\n")
    assert not appended.ok and "modified_after_signing" in appended.reasons
    from io import BytesIO

    writer = IncrementalPdfFileWriter(BytesIO(signed.pdf), strict=False)
    writer.root["/Lang"] = __import__("pyhanko.pdf_utils.generic", fromlist=["x"]).pdf_string("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    updated = verify_pdf(out.getvalue())
    assert updated.valid and not updated.intact and not updated.ok


def test_another_root_does_not_trust_it(var: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from integrations.signing import verify_pdf
    from integrations.signing.ca import ensure_local_ca

    _rendered, signed = _signed()
    ours = ensure_local_ca().root_cert
    monkeypatch.setenv("KAIKA_VAR_DIR", str(tmp_path / "another-bank"))
    from tests.conftest import reset_caches

    reset_caches()
    other_root = ensure_local_ca().root_cert
    assert other_root.read_bytes() != ours.read_bytes()
    report = verify_pdf(signed.pdf, trust_roots=[other_root])
    assert report.intact and report.valid and not report.trusted and not report.ok
    assert "untrusted_signer" in report.reasons
    assert verify_pdf(signed.pdf, trust_roots=[ours]).ok
    missing = verify_pdf(signed.pdf, trust_roots=[tmp_path / "no-such-root.pem"])
    assert not missing.ok and missing.reasons == ("no_trust_root",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "unreadable_pdf"),
        (b"not a pdf at all", "unreadable_pdf"),
        (b"%PDF-1.7\n%%EOF\n", "unreadable_pdf"),
    ],
)
def test_unreadable_files(var: Path, data: bytes, reason: str) -> None:
    from integrations.signing import verify_pdf

    report = verify_pdf(data)
    assert not report.ok and reason in report.reasons


def test_an_unsigned_agreement_is_not_signed(var: Path) -> None:
    from integrations.signing import render_agreement, verify_pdf

    report = verify_pdf(render_agreement(sample()).pdf)
    assert not report.ok and report.reasons == ("no_signature",)


def test_the_signer_refuses_evidence_of_another_document(var: Path) -> None:
    from integrations.signing import SigningError, render_agreement
    from integrations.signing.sign import make_signer

    shown = render_agreement(sample(credit_limit=20000))
    other = render_agreement(sample(credit_limit=50000))
    with pytest.raises(SigningError) as err:
        make_signer().sign(other.pdf, evidence_for(shown.pdf))
    assert err.value.code == "evidence_mismatch"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("application_reference", "KK 1"),
        ("document_sha256", "xyz"),
        ("otp_verified_at", "yesterday"),
        ("language", "fr"),
        ("document_length", 0),
    ],
)
def test_bad_evidence_is_refused(var: Path, field: str, value: object) -> None:
    import dataclasses

    from integrations.signing import EvidenceError

    good = evidence_for(b"%PDF-1.7 x")
    with pytest.raises(EvidenceError):
        dataclasses.replace(good, **{field: value}).check()


def test_a_bank_pkcs12_certificate_signs(var: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-in for a bank's certificate: the local CA's signer exported as PKCS#12."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from integrations.signing import render_agreement, verify_pdf
    from integrations.signing.ca import ensure_local_ca, load_cert
    from integrations.signing.config import get_signing_settings
    from integrations.signing.sign import make_signer

    pki = ensure_local_ca()
    key = serialization.load_pem_private_key(pki.signer_key.read_bytes(), password=None)
    p12 = pkcs12.serialize_key_and_certificates(
        b"bank",
        key,
        load_cert(pki.signer_cert),
        [load_cert(pki.root_cert)],  # type: ignore[arg-type]
        serialization.BestAvailableEncryption(b"s3cret"),
    )
    (tmp_path / "bank.p12").write_bytes(p12)
    monkeypatch.setenv("KAIKA_SIGNING_SIGNER", "pkcs12")
    monkeypatch.setenv("KAIKA_SIGNING_PKCS12_PATH", str(tmp_path / "bank.p12"))
    monkeypatch.setenv("KAIKA_SIGNING_PKCS12_PASSPHRASE", "s3cret")
    monkeypatch.setenv("KAIKA_SIGNING_TRUST_ROOTS", str(pki.root_cert))
    get_signing_settings.cache_clear()
    rendered = render_agreement(sample())
    signed = make_signer().sign(rendered.pdf, evidence_for(rendered.pdf))
    assert verify_pdf(signed.pdf).ok


@pytest.mark.parametrize(
    ("signer", "env"),
    [
        ("pkcs12", {"KAIKA_SIGNING_PKCS12_PATH": "/nonexistent.p12"}),
        ("pkcs11", {"KAIKA_SIGNING_PKCS11_MODULE": "/nonexistent/libsofthsm2.so"}),
        ("nonsense", {}),
    ],
)
def test_an_unavailable_signer_is_a_coded_error(
    var: Path, monkeypatch: pytest.MonkeyPatch, signer: str, env: dict[str, str]
) -> None:
    from integrations.signing import SigningError
    from integrations.signing.config import get_signing_settings
    from integrations.signing.sign import make_signer

    monkeypatch.setenv("KAIKA_SIGNING_SIGNER", signer)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    get_signing_settings.cache_clear()
    with pytest.raises(SigningError) as err:
        make_signer()
    assert err.value.code == "signer_unavailable"


def test_an_unreachable_tsa_signs_nothing(var: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from integrations.signing import SigningError, render_agreement
    from integrations.signing.config import get_signing_settings
    from integrations.signing.sign import make_signer

    monkeypatch.setenv("KAIKA_SIGNING_TSA_URL", "http://127.0.0.1:9/tsa")  # discard port: refused
    get_signing_settings.cache_clear()
    rendered = render_agreement(sample())
    with pytest.raises(SigningError) as err:
        make_signer().sign(rendered.pdf, evidence_for(rendered.pdf))
    assert err.value.code in {"tsa_unavailable", "signer_unavailable"}


def test_the_local_ca_is_created_once_with_private_keys_hidden(var: Path) -> None:
    from cryptography import x509

    from integrations.signing.ca import ensure_local_ca, load_cert

    first = ensure_local_ca()
    again = ensure_local_ca()
    assert first.signer_cert.read_bytes() == again.signer_cert.read_bytes()
    assert (first.signer_key.stat().st_mode & 0o777) == 0o600 and (first.root_key.stat().st_mode & 0o777) == 0o600
    cert = load_cert(first.signer_cert)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert str(first.directory).startswith(str(var))  # under the state dir, never the repository


def test_sm2_detached_signature(var: Path) -> None:
    from integrations.signing import render_agreement
    from integrations.signing.sm2 import Sm2Signer, generate_keys, verify_detached

    rendered = render_agreement(sample())
    signer = Sm2Signer.local()
    signed = signer.sign(rendered.pdf, evidence_for(rendered.pdf))
    assert signed.level == "sm2-with-sm3" and signed.detached_signature is not None
    assert signed.detached_signature[0] == 0x30  # DER SEQUENCE { r, s }
    assert verify_detached(signed.pdf, signed.detached_signature).ok
    again = signer.sign(rendered.pdf, evidence_for(rendered.pdf))
    assert again.detached_signature != signed.detached_signature  # a fresh random nonce each time
    flipped = bytearray(signed.pdf)
    flipped[len(flipped) // 2] ^= 1
    assert not verify_detached(bytes(flipped), signed.detached_signature).valid
    bad_sig = bytearray(signed.detached_signature)
    bad_sig[-3] ^= 1
    assert not verify_detached(signed.pdf, bytes(bad_sig)).valid
    assert not verify_detached(signed.pdf, signed.detached_signature, generate_keys().public_hex).valid
    assert not verify_detached(signed.pdf, b"garbage").valid


def test_the_configured_sm2_signer_uses_the_same_port(var: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from integrations.signing import render_agreement
    from integrations.signing.config import get_signing_settings
    from integrations.signing.sign import make_signer
    from integrations.signing.sm2 import Sm2Signer

    monkeypatch.setenv("KAIKA_SIGNING_SIGNER", "sm2")
    get_signing_settings.cache_clear()
    signer = make_signer()
    assert isinstance(signer, Sm2Signer) and signer.name.startswith("sm2:")
    rendered = render_agreement(sample())
    assert signer.sign(rendered.pdf, evidence_for(rendered.pdf)).detached_signature


def test_cli_demo_and_verify(var: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from integrations.signing.cli import main

    zh, en = tmp_path / "zh.pdf", tmp_path / "en.pdf"
    assert main(["agreement", "demo", "--out", str(zh)]) == 0
    assert main(["agreement", "demo", "--out", str(en), "--lang", "en", "--timestamp"]) == 0
    capsys.readouterr()
    assert main(["verify", str(zh)]) == 0
    out = capsys.readouterr().out
    assert "intact:   yes" in out and "valid:    yes" in out and "trusted:  yes" in out
    assert main(["verify", str(en), "--json"]) == 0
    assert '"level": "pades-b-t"' in capsys.readouterr().out
    data = bytearray(zh.read_bytes())
    data[len(data) // 3] ^= 0x20
    zh.write_bytes(bytes(data))
    assert main(["verify", str(zh)]) == 1
    assert "intact:   NO" in capsys.readouterr().out
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 1
    sm2 = tmp_path / "sm2.pdf"
    assert main(["agreement", "demo", "--out", str(sm2), "--signer", "sm2"]) == 0
    assert main(["verify", str(sm2), "--sm2-signature", str(sm2) + ".sm2.sig"]) == 0
    assert main(["verify", str(sm2)]) == 1  # no PAdES signature in it


def test_cli_verify_as_a_subprocess(var: Path, tmp_path: Path) -> None:
    """`python -m integrations.signing.cli` works like the wired-in `kaika` command."""
    import os
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "demo.pdf"
    env = {**os.environ}
    run = [sys.executable, "-m", "integrations.signing.cli"]
    assert subprocess.run([*run, "agreement", "demo", "--out", str(out)], cwd=ROOT, env=env).returncode == 0
    result = subprocess.run([*run, "verify", str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and "trusted:  yes" in result.stdout
