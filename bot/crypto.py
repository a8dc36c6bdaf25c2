"""Encryption of personal data at rest (AES-256-GCM) and keyed lookups (blind indexes).

Ciphertext format: ``k1.<key id>.<base64url(nonce || ciphertext+tag)>``. The key id names the key
that encrypted it, so keys can be rotated: ``KAIKA_DATA_KEY="new,old"`` encrypts with the first and
decrypts with any. Associated data binds each ciphertext to where it is stored (table, column,
row), so a ciphertext copied into another row does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.secrets import load_or_create
from bot.settings import get_settings

PREFIX = "k1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value could not be decrypted (wrong key, tampered, or moved to another row)."""


def _b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"kaika-key-id" + key).hexdigest()[:8]


class DataCipher:
    """AES-GCM with a list of keys, newest first."""

    def __init__(self, keys: list[bytes], index_key: bytes) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        for key in keys:
            if len(key) != 32:
                raise ValueError("data keys must be 32 bytes (AES-256)")
        self._keys = {_key_id(k): AESGCM(k) for k in keys}
        self._current = _key_id(keys[0])
        # Blind indexes use their own key: rotating the encryption keys must not change them.
        self._index_key = HKDF(hashes.SHA256(), 32, salt=None, info=b"kaika-blind-index").derive(index_key)

    @classmethod
    def from_settings(cls) -> DataCipher:
        raw = get_settings().data_key or load_or_create("data.key", 32)
        keys = []
        for part in raw.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                keys.append(_b64decode(part))
            except (binascii.Error, ValueError) as exc:
                raise ValueError("KAIKA_DATA_KEY must be base64 (url-safe) of 32 bytes") from exc
        index_raw = get_settings().index_key or load_or_create("index.key", 32)
        return cls(keys, _b64decode(index_raw.strip()))

    @property
    def key_id(self) -> str:
        return self._current

    def encrypt(self, plaintext: bytes, aad: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self._current].encrypt(nonce, plaintext, aad.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}.{self._current}.{body}"

    def decrypt(self, token: str, aad: str) -> bytes:
        try:
            prefix, key_id, body = token.split(".", 2)
        except ValueError as exc:
            raise DecryptionError("not a kaika ciphertext") from exc
        if prefix != PREFIX or key_id not in self._keys:
            raise DecryptionError(f"unknown key id {key_id!r}")
        raw = _b64decode(body)
        try:
            return self._keys[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad.encode())
        except Exception as exc:  # cryptography raises InvalidTag
            raise DecryptionError("ciphertext failed authentication") from exc

    def encrypt_json(self, value: Any, aad: str) -> str:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), aad)

    def decrypt_json(self, token: str, aad: str) -> Any:
        return json.loads(self.decrypt(token, aad))

    def blind_index(self, purpose: str, value: str) -> str:
        """A keyed hash for equality lookups (same ID number, same phone) without storing the value."""
        return hmac.new(self._index_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=1)
def get_cipher() -> DataCipher:
    return DataCipher.from_settings()


def token_hash(token: str) -> str:
    """Hash of a high-entropy bearer token (no key needed: 256-bit tokens cannot be guessed)."""
    return hashlib.sha256(token.encode()).hexdigest()
