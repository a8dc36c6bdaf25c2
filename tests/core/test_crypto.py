from __future__ import annotations

import base64
import os

import pytest

from bot.crypto import DataCipher, DecryptionError


def _key() -> bytes:
    return os.urandom(32)


def test_round_trip_and_binding_to_row() -> None:
    cipher = DataCipher([_key()], _key())
    token = cipher.encrypt_json({"id_number": "420106198008251161"}, "applications.data_enc:1")
    assert "420106" not in token
    assert cipher.decrypt_json(token, "applications.data_enc:1") == {"id_number": "420106198008251161"}
    with pytest.raises(DecryptionError):
        cipher.decrypt_json(token, "applications.data_enc:2")  # copied into another row


def test_tampering_is_detected() -> None:
    cipher = DataCipher([_key()], _key())
    token = cipher.encrypt(b"secret", "aad")
    prefix, kid, body = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[-1] ^= 1
    forged = f"{prefix}.{kid}.{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"
    with pytest.raises(DecryptionError):
        cipher.decrypt(forged, "aad")


def test_key_rotation_decrypts_old_and_encrypts_with_new() -> None:
    old, new, index = _key(), _key(), _key()
    token_old = DataCipher([old], index).encrypt(b"x", "a")
    rotated = DataCipher([new, old], index)
    assert rotated.decrypt(token_old, "a") == b"x"
    assert rotated.encrypt(b"y", "a").split(".")[1] == rotated.key_id
    with pytest.raises(DecryptionError):
        DataCipher([new], index).decrypt(token_old, "a")


def test_blind_index_is_stable_across_rotation_and_keyed() -> None:
    index = _key()
    a = DataCipher([_key()], index).blind_index("phone", "+8615012345678")
    b = DataCipher([_key()], index).blind_index("phone", "+8615012345678")
    c = DataCipher([_key()], _key()).blind_index("phone", "+8615012345678")
    assert a == b != c
    assert "15012345678" not in a


def test_wrong_key_size_is_refused() -> None:
    with pytest.raises(ValueError):
        DataCipher([b"short"], _key())
