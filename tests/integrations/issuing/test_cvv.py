"""CVV2: the standard DES/3DES method against a published worked example; derived, not stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrations.issuing.cvv import LocalCvk, compute_cvv

# A worked example with intermediate values (block 1 under key A = 4DC867AA9BCE665B, after 3DES
# 24E1A05574051BBF, decimalisation candidates 2410557405140115).
KEY_A = bytes.fromhex("D676DCF3AFB73505")
KEY_B = bytes.fromhex("32EAF00EA253D875")


def test_published_worked_example() -> None:
    assert compute_cvv("4123450990122129", "0721", "202", KEY_A, KEY_B, digits=4) == "2410"
    assert compute_cvv("4123450990122129", "0721", "202", KEY_A, KEY_B) == "241"


def test_cvv_depends_on_every_input() -> None:
    cvk = LocalCvk(KEY_A + KEY_B)
    base = cvk.cvv("6258990000001234", "3111", "000")
    assert base == "112"  # deterministic: the authorisation side recomputes it, nothing is stored
    assert cvk.cvv("6258990000001242", "3111", "000") != base  # other card number
    assert cvk.cvv("6258990000001234", "3112", "000") != base  # other expiry
    assert cvk.cvv("6258990000001234", "3111", "101") != base  # other service code (CVV1 vs CVV2)
    assert LocalCvk(KEY_B + KEY_A).cvv("6258990000001234", "3111", "000") != base  # other key
    assert cvk.verify("6258990000001234", "3111", "000", base)
    assert not cvk.verify("6258990000001234", "3111", "000", "113")


def test_cvvs_spread_over_all_values() -> None:
    cvk = LocalCvk(KEY_A + KEY_B)
    values = {cvk.cvv(f"625899{i:09d}0", "3111", "000") for i in range(2000)}
    assert len(values) > 800  # of 1000 possible


@pytest.mark.parametrize("key", [b"", b"\x01" * 8, b"\x01" * 24, KEY_A + KEY_A])
def test_weak_or_wrong_size_keys_are_refused(key: bytes) -> None:
    with pytest.raises(ValueError):
        LocalCvk(key)


@pytest.mark.parametrize(
    ("pan", "exp", "svc"), [("62589912345678901234567890", "3111", "000"), ("62589x", "3111", "000")]
)
def test_bad_cvv_input_is_refused(pan: str, exp: str, svc: str) -> None:
    with pytest.raises(ValueError):
        compute_cvv(pan, exp, svc, KEY_A, KEY_B)


def test_the_development_key_is_generated_once(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAIKA_CVK", raising=False)
    a = LocalCvk.from_env().cvv("6258990000001234", "3111", "000")
    b = LocalCvk.from_env().cvv("6258990000001234", "3111", "000")
    assert a == b
    monkeypatch.setenv("KAIKA_CVK", (KEY_A + KEY_B).hex())
    assert LocalCvk.from_env().cvv("4123450990122129", "0721", "202") == "241"
