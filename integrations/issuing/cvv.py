"""Card verification values, computed on demand and never stored (PCI DSS 3.3.1 / 3.2).

An issuer does not keep the CVV2: it recomputes it from the PAN, expiry and service code under a
secret card verification key (CVK), normally inside an HSM. This module implements the standard
Visa/UnionPay CVV method with a double-length DES key (CVK-A ‖ CVK-B):

1. ``PAN ‖ YYMM ‖ service code`` padded with zeros to 32 digits, split into two 8-byte blocks;
2. block 1 single-DES-encrypted under CVK-A, XORed with block 2;
3. the result 3DES-EDE-encrypted under CVK-A ‖ CVK-B;
4. decimalised: the decimal digits of the hex result in order, then the hex letters A–F as 0–5;
   the first three digits are the CVV.

Because the value is derived, it can be shown once (at the one-time reveal) and later verified
by the authorisation system without being kept anywhere. ``LocalCvk`` keeps the key in
``var/secrets/cvk.key`` for development; a bank plugs its HSM in through :class:`CvvProvider`.
"""

from __future__ import annotations

import base64
import hmac
import os
from typing import Protocol

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from bot.secrets import load_or_create

CVK_ENV = "KAIKA_CVK"  # hex, 32 digits (CVK-A ‖ CVK-B); default generated into var/secrets/cvk.key


class CvvProvider(Protocol):
    """Computes and verifies CVV2s; the bank's adapter calls its HSM (e.g. Thales CW/CY)."""

    def cvv(self, pan: str, expiry_yymm: str, service_code: str) -> str: ...

    def verify(self, pan: str, expiry_yymm: str, service_code: str, value: str) -> bool: ...


def _ecb(key: bytes, block: bytes) -> bytes:
    enc = Cipher(TripleDES(key), modes.ECB()).encryptor()  # noqa: S305 - one block, as the standard says
    return enc.update(block) + enc.finalize()


def _decimalise(hex_digits: str) -> str:
    digits = [c for c in hex_digits if c.isdigit()]
    letters = [str(int(c, 16) - 10) for c in hex_digits if not c.isdigit()]
    return "".join(digits + letters)


def compute_cvv(pan: str, expiry_yymm: str, service_code: str, cvk_a: bytes, cvk_b: bytes, digits: int = 3) -> str:
    """The CVV (or CVV2/CVC2 with service code ``000``) of a card under the key pair."""
    if len(cvk_a) != 8 or len(cvk_b) != 8:
        raise ValueError("CVK-A and CVK-B are 8 bytes each")
    data = pan + expiry_yymm + service_code
    if not data.isdigit() or len(data) > 32:
        raise ValueError("PAN, expiry and service code must be digits, 32 at most together")
    data = data.ljust(32, "0")
    block1, block2 = bytes.fromhex(data[:16]), bytes.fromhex(data[16:])
    step = _ecb(cvk_a * 3, block1)  # single DES as 3DES with K1 = K2 = K3
    step = bytes(a ^ b for a, b in zip(step, block2, strict=True))
    step = _ecb(cvk_a + cvk_b + cvk_a, step)  # 3DES-EDE, double-length key
    return _decimalise(step.hex().upper())[:digits]


class LocalCvk:
    """A software CVK. Development and tests only: production keys belong in an HSM."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 16:
            raise ValueError("a CVK is 16 bytes (CVK-A ‖ CVK-B)")
        if key[:8] == key[8:]:
            raise ValueError("CVK-A and CVK-B must differ (a single-length key is not allowed)")
        self._a, self._b = key[:8], key[8:]

    @classmethod
    def from_env(cls) -> LocalCvk:
        raw = os.environ.get(CVK_ENV, "").strip()
        if raw:
            return cls(bytes.fromhex(raw))
        stored = load_or_create("cvk.key", 16)
        return cls(base64.urlsafe_b64decode(stored + "=" * (-len(stored) % 4)))

    def cvv(self, pan: str, expiry_yymm: str, service_code: str) -> str:
        return compute_cvv(pan, expiry_yymm, service_code, self._a, self._b)

    def verify(self, pan: str, expiry_yymm: str, service_code: str, value: str) -> bool:
        return hmac.compare_digest(self.cvv(pan, expiry_yymm, service_code), value)
