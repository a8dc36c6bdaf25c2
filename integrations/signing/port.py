"""The signing port: what every signer (PAdES with pyHanko, SM2 with gmssl, a bank's own) offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from integrations.signing.evidence import ConsentEvidence


class SigningError(RuntimeError):
    """Signing could not be done; ``code`` says why (nothing was signed)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class SignedDocument:
    """A signed agreement. For PAdES the signature is inside ``pdf``; an SM2 signer returns the
    PDF with the evidence attached and a detached signature over its SM3 digest."""

    pdf: bytes
    sha256: str
    level: str  # pades-b-b | pades-b-t | sm2-with-sm3
    signer: str  # the signing certificate's subject, or the SM2 key's fingerprint
    evidence: ConsentEvidence
    detached_signature: bytes | None = None


class Signer(Protocol):
    """Takes the rendered agreement and the applicant's consent evidence, returns it signed."""

    @property
    def name(self) -> str: ...

    def sign(self, pdf: bytes, evidence: ConsentEvidence) -> SignedDocument: ...
