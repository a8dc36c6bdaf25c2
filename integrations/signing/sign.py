"""Sign an agreement: PAdES with pyHanko (the default port adapter), behind a ``Signer`` port.

* ``PadesSigner`` embeds the consent evidence and applies a PAdES signature (ETSI.CAdES.detached,
  SHA-256) in one incremental revision: B-B by default, B-T (an RFC 3161 signature timestamp)
  when a time-stamping authority is configured (``KAIKA_SIGNING_TSA_URL``).
* The key comes from the local CA (development), a PKCS#12 file or a PKCS#11 token (a bank's
  HSM or USB key); see config.py.
* ``integrations.signing.sm2.Sm2Signer`` implements the same port with SM2/SM3 (国密).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from io import BytesIO
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from integrations.signing import const
from integrations.signing.agreement import signature_text
from integrations.signing.ca import ensure_local_ca, load_cert, tsa_test_material
from integrations.signing.config import SigningSettings, get_signing_settings
from integrations.signing.evidence import ConsentEvidence, embed_evidence
from integrations.signing.port import SignedDocument, Signer, SigningError


class PadesSigner:
    """PAdES baseline signatures with pyHanko."""

    def __init__(self, signer: signers.Signer, timestamper: TimeStamper | None = None) -> None:
        self._signer = signer
        self._timestamper = timestamper

    @property
    def name(self) -> str:
        cert = self._signer.signing_cert
        return str(cert.subject.human_friendly) if cert is not None else "unknown"

    @property
    def level(self) -> str:
        return const.LEVEL_B_T if self._timestamper is not None else const.LEVEL_B_B

    def sign(self, pdf: bytes, evidence: ConsentEvidence) -> SignedDocument:
        if len(pdf) != evidence.document_length or hashlib.sha256(pdf).hexdigest() != evidence.document_sha256:
            raise SigningError(const.EVIDENCE_MISMATCH)
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        embed_evidence(writer, evidence, signature_text("evidence_description", evidence.language))
        meta = signers.PdfSignatureMetadata(
            field_name=const.SIGNATURE_FIELD,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=signature_text("reason", evidence.language),
            location=signature_text("location", evidence.language),
            signer_key_usage={"non_repudiation"},
        )
        try:
            out = signers.PdfSigner(meta, signer=self._signer, timestamper=self._timestamper).sign_pdf(writer)
        except Exception as exc:  # pyHanko, the token, or the TSA failed: nothing is signed
            code = (
                const.TSA_UNAVAILABLE
                if self._timestamper is not None and "imestamp" in str(exc)
                else const.SIGNER_UNAVAILABLE
            )
            raise SigningError(code, type(exc).__name__) from exc
        signed = out.getvalue()
        return SignedDocument(
            pdf=signed,
            sha256=hashlib.sha256(signed).hexdigest(),
            level=self.level,
            signer=self.name,
            evidence=evidence,
        )


def _der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def _local_signer() -> signers.Signer:
    pki = ensure_local_ca()
    signer = signers.SimpleSigner.load(str(pki.signer_key), str(pki.signer_cert), ca_chain_files=(str(pki.root_cert),))
    if signer is None:
        raise SigningError(const.SIGNER_UNAVAILABLE, "local CA")
    signer.embed_roots = False  # verifiers bring their own roots; an unsigned copy only adds bytes
    return signer


def _pkcs12_signer(settings: SigningSettings) -> signers.Signer:
    if settings.pkcs12_path is None or not settings.pkcs12_path.is_file():
        raise SigningError(const.SIGNER_UNAVAILABLE, "KAIKA_SIGNING_PKCS12_PATH")
    signer = signers.SimpleSigner.load_pkcs12(
        str(settings.pkcs12_path),
        ca_chain_files=[str(p) for p in settings.paths(settings.chain_paths)] or None,
        passphrase=settings.pkcs12_passphrase.encode() or None,
    )
    if signer is None:
        raise SigningError(const.SIGNER_UNAVAILABLE, "PKCS#12 could not be opened")
    signer.embed_roots = False
    return signer


def _pkcs11_signer(settings: SigningSettings) -> signers.Signer:
    """A key on a PKCS#11 token/HSM. Needs the ``python-pkcs11`` package (not in kaika's lock)."""
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11
    except ImportError as exc:
        raise SigningError(const.SIGNER_UNAVAILABLE, "pip install python-pkcs11") from exc
    if settings.pkcs11_module is None:
        raise SigningError(const.SIGNER_UNAVAILABLE, "KAIKA_SIGNING_PKCS11_MODULE")
    try:
        session = pkcs11.open_pkcs11_session(
            str(settings.pkcs11_module),
            token_criteria=TokenCriteria(label=settings.pkcs11_token_label or None),
            user_pin=settings.pkcs11_pin or None,
        )
    except Exception as exc:  # no module, no token, wrong PIN
        raise SigningError(const.SIGNER_UNAVAILABLE, type(exc).__name__) from exc
    signer = pkcs11.PKCS11Signer(
        session,
        cert_label=settings.pkcs11_cert_label or settings.pkcs11_key_label,
        key_label=settings.pkcs11_key_label or None,
        ca_chain=[
            asn1_x509.Certificate.load(load_cert(p).public_bytes(_der())) for p in settings.paths(settings.chain_paths)
        ],
    )
    signer.embed_roots = False
    return signer


def test_timestamper() -> TimeStamper:
    """pyHanko's in-process timestamper with the local CA's test TSA certificate: B-T signatures
    in tests and demonstrations without a network. Not evidence of time for anyone else."""
    cert_path, key_path = tsa_test_material()
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert = asn1_x509.Certificate.load(load_cert(cert_path).public_bytes(_der()))
    return DummyTimeStamper(tsa_cert=cert, tsa_key=asn1_keys.PrivateKeyInfo.load(key_der))


test_timestamper.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def configured_timestamper(settings: SigningSettings | None = None) -> TimeStamper | None:
    settings = settings or get_signing_settings()
    if not settings.tsa_url:
        return None
    if settings.tsa_url == "test:":  # the in-process test TSA
        return test_timestamper()
    return HTTPTimeStamper(settings.tsa_url, timeout=int(settings.tsa_timeout_s))


def make_signer(settings: SigningSettings | None = None, *, timestamper: TimeStamper | None = None) -> Signer:
    """The signer the settings ask for (``KAIKA_SIGNING_SIGNER``): local | pkcs12 | pkcs11 | sm2."""
    settings = settings or get_signing_settings()
    if settings.signer == "sm2":
        from integrations.signing.sm2 import Sm2Signer

        return Sm2Signer.local()
    stamper = timestamper if timestamper is not None else configured_timestamper(settings)
    if settings.signer == "pkcs12":
        return PadesSigner(_pkcs12_signer(settings), stamper)
    if settings.signer == "pkcs11":
        return PadesSigner(_pkcs11_signer(settings), stamper)
    if settings.signer == "local":
        cert = ensure_local_ca().signer_cert
        return PadesSigner(_cached_local_signer(str(cert), cert.stat().st_mtime_ns), stamper)
    raise SigningError(const.SIGNER_UNAVAILABLE, f"unknown signer {settings.signer!r}")


@lru_cache(maxsize=2)
def _cached_local_signer(_cert_path: str, _mtime_ns: int) -> signers.Signer:
    """Loading keys costs a few ms; keyed by path and mtime, so a renewed certificate is seen."""
    return _local_signer()


def sign_document(pdf: bytes, evidence: ConsentEvidence, signer: Signer | None = None) -> SignedDocument:
    """Sign a rendered agreement with its consent evidence (the configured signer by default)."""
    return (signer or make_signer()).sign(pdf, evidence)
