"""SM2/SM3 (国密) signing behind the same ``Signer`` port, with gmssl.

pyHanko cannot make SM2 signatures and PDF readers cannot check them inside a PDF, so this
signer produces a *detached* signature: the consent evidence is attached to the PDF as with
PAdES (an incremental update, unsigned), then the SM2 signature is computed over the SM3 digest
of the resulting file (GM/T 0003 signature with the GM/T 0009 default signer ID
"1234567812345678", Z = SM3(ENTL‖ID‖a‖b‖xG‖yG‖xA‖yA), e = SM3(Z‖M) with M = SM3(PDF)). The
signature is DER ``SEQUENCE { r INTEGER, s INTEGER }`` (GM/T 0009 §7). Verification needs the
PDF, the signature and the signer's public key, pinned in ``<var_dir>/pki/sm2-signer.pub``.

The nonce k of every signature comes from ``secrets`` (gmssl's own default uses ``random``,
which is predictable: a known k reveals the private key).

What a Chinese CA would need before such a signature is a "reliable electronic signature"
(可靠的电子签名, Electronic Signature Law of the PRC, art. 13) rather than a technical demo:

1. The key pair generated and kept in certified cryptographic hardware (a signing server or
   HSM holding a 商用密码产品认证证书, GM/T 0028 security level 2 or higher), never a file
   as here; kaika would reach it through the vendor's SDF (GM/T 0018) or SKF (GM/T 0016) API.
2. A certification request (PKCS#10 signed with SM3withSM2, OID 1.2.156.10197.1.501, key on
   curve sm2p256v1, OID 1.2.156.10197.1.301) sent to a licensed electronic certification
   service provider (电子认证服务机构 holding an MIIT licence and OSCCA approval), which issues
   an SM2 X.509 v3 certificate per GM/T 0015 with keyUsage digitalSignature + nonRepudiation,
   chained to its SM2 root, with CRL/OCSP for revocation. (Neither ``cryptography`` nor gmssl
   can build SM2 certificates, so kaika has none: trust is the pinned public key.)
3. A standard container instead of a bare (r, s): CMS SignedData per GM/T 0010 (signedData OID
   1.2.156.10197.6.1.4.2.2, digest SM3 1.2.156.10197.1.401) for a detached signature, or an
   electronic seal in the PDF per GB/T 38540-2020 (安全电子签章密码技术规范) for readers that
   support it.
4. Signing time from an SM2 time-stamping authority (GM/T 0033) instead of the server clock.
5. The signer ID agreed with the CA if not the default "1234567812345678".
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from gmssl import sm2
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from integrations.signing import const
from integrations.signing.agreement import signature_text
from integrations.signing.ca import pki_dir
from integrations.signing.evidence import ConsentEvidence, embed_evidence, evidence_of
from integrations.signing.port import SignedDocument, SigningError

_N = int(sm2.default_ecc_table["n"], 16)


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


@dataclass(frozen=True)
class Sm2Keys:
    private_hex: str  # 64 hex digits
    public_hex: str  # 128 hex digits: x || y (uncompressed, without the 04 prefix)

    @property
    def fingerprint(self) -> str:
        return "sm2:" + sm3(bytes.fromhex(self.public_hex)).hex()[:16]


def generate_keys() -> Sm2Keys:
    d = secrets.randbelow(_N - 2) + 1  # 1 <= d <= n - 2
    private_hex = f"{d:064x}"
    public_hex = sm2.CryptSM2(private_key=private_hex, public_key="")._kg(d, sm2.default_ecc_table["g"])
    return Sm2Keys(private_hex, public_hex)


def _write_once(path: Path, text: str, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as fh:
        fh.write(text + "\n")
    try:
        os.link(tmp, path)  # fails if another process created it first: theirs wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def local_keys() -> Sm2Keys:
    """The local SM2 key pair, generated on first use into ``<var_dir>/pki/``."""
    directory = pki_dir() / "sm2"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_path, pub_path = directory / const.SM2_KEY, directory / const.SM2_PUBLIC
    if not key_path.is_file():
        keys = generate_keys()
        _write_once(key_path, keys.private_hex, 0o600)
    private_hex = key_path.read_text().strip()
    if not pub_path.is_file():
        d = int(private_hex, 16)
        _write_once(
            pub_path, sm2.CryptSM2(private_key=private_hex, public_key="")._kg(d, sm2.default_ecc_table["g"]), 0o644
        )
    return Sm2Keys(private_hex, pub_path.read_text().strip())


def sign_digest(digest: bytes, keys: Sm2Keys) -> bytes:
    """SM2 signature (DER) of message ``digest`` with the default signer ID."""
    crypt = sm2.CryptSM2(private_key=keys.private_hex, public_key=keys.public_hex, asn1=True)
    while True:
        k = f"{secrets.randbelow(_N - 1) + 1:064x}"
        signature = crypt.sign_with_sm3(digest, k)
        if signature:  # gmssl returns None for the (negligible) r = 0 / r + k = n cases
            return bytes.fromhex(signature)


def verify_digest(digest: bytes, signature: bytes, public_hex: str) -> bool:
    try:
        crypt = sm2.CryptSM2(private_key="", public_key=public_hex, asn1=True)
        return bool(crypt.verify_with_sm3(signature.hex(), digest))
    except Exception:  # malformed DER or key: not a valid signature
        return False


@dataclass(frozen=True)
class Sm2Verification:
    valid: bool  # the signature verifies with the pinned public key over this exact file
    evidence_ok: bool  # the file carries consent evidence matching its first bytes

    @property
    def ok(self) -> bool:
        return self.valid and self.evidence_ok


class Sm2Signer:
    """The ``Signer`` port with SM2/SM3 and a detached signature."""

    def __init__(self, keys: Sm2Keys) -> None:
        self._keys = keys

    @classmethod
    def local(cls) -> Sm2Signer:
        return cls(local_keys())

    @property
    def name(self) -> str:
        return self._keys.fingerprint

    @property
    def public_hex(self) -> str:
        return self._keys.public_hex

    def sign(self, pdf: bytes, evidence: ConsentEvidence) -> SignedDocument:
        if len(pdf) != evidence.document_length or hashlib.sha256(pdf).hexdigest() != evidence.document_sha256:
            raise SigningError(const.EVIDENCE_MISMATCH)
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        embed_evidence(writer, evidence, signature_text("evidence_description", evidence.language))
        out = BytesIO()
        writer.write(out)
        document = out.getvalue()
        signature = sign_digest(sm3(document), self._keys)
        return SignedDocument(
            pdf=document,
            sha256=hashlib.sha256(document).hexdigest(),
            level=const.SM2_ALGORITHM,
            signer=self.name,
            evidence=evidence,
            detached_signature=signature,
        )


def verify_detached(pdf: bytes, signature: bytes, public_hex: str | None = None) -> Sm2Verification:
    """Check an SM2-signed agreement: the signature over SM3(pdf), and its consent evidence."""
    key = public_hex or local_keys().public_hex
    evidence = evidence_of(pdf)
    return Sm2Verification(
        valid=verify_digest(sm3(pdf), signature, key),
        evidence_ok=evidence is not None and evidence.matches(pdf),
    )
