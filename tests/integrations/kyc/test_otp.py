"""One-time codes: RFC 4226 vectors, single use, expiry, lockout, resend limits, binding, storage."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from integrations.kyc import otp
from integrations.kyc.sms import OutboxSmsGateway, SmsError, SmsMessage, SmsReceipt

from .kyc_support import FakeClock, clear_kyc_caches, new_application

PHONE = "+8615012345678"

# RFC 4226 Appendix D: secret "12345678901234567890", counters 0..9
RFC4226_VECTORS = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]


@pytest.fixture()
def env(store: Path) -> Iterator[tuple[otp.OtpService, FakeClock, OutboxSmsGateway, int]]:
    clear_kyc_caches()
    clock = FakeClock()
    outbox = OutboxSmsGateway()
    yield otp.OtpService(outbox, clock=clock), clock, outbox, new_application()
    clear_kyc_caches()


def last_code(outbox: OutboxSmsGateway, phone: str = PHONE) -> str:
    message = outbox.last(to=phone)
    assert message is not None
    return str(message["params"]["code"])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# -- RFC 4226 ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC4226_VECTORS)))
def test_hotp_matches_rfc4226_appendix_d(counter: int, expected: str) -> None:
    assert otp.hotp(b"12345678901234567890", counter) == expected


def test_hotp_agrees_with_pyotp_on_random_keys() -> None:
    import base64
    import secrets

    for _ in range(50):
        key = secrets.token_bytes(20)
        counter = secrets.randbelow(2**32)
        assert otp.hotp(key, counter) == pyotp.HOTP(base64.b32encode(key).decode()).at(counter)


def test_generated_codes_are_six_digits_and_vary() -> None:
    codes = [otp.generate_code(6) for _ in range(2000)]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(set(codes)) > 1990  # 2000 draws from 10^6: a handful of collisions at most
    short = [otp.generate_code(4) for _ in range(500)]
    assert all(len(c) == 4 and c.isdigit() for c in short)


# -- the happy path and single use ---------------------------------------------------------------
def test_send_then_verify_once(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, outbox, app = env
    sent = service.send(app, PHONE, otp.PHONE_VERIFY)
    assert sent.code == otp.SENT and sent.ok and sent.value is None  # an SMS code is never returned
    assert sent.retry_after == 60
    message = outbox.last(to=PHONE)
    assert message is not None and message["template"] == "otp_phone_verify"
    assert message["params"]["ttl_minutes"] == "5"
    code = last_code(outbox)
    result = service.verify(app, code, otp.PHONE_VERIFY)
    assert result.code == otp.OK and result.ok
    assert service.is_verified(app, otp.PHONE_VERIFY, PHONE)
    assert not service.is_verified(app, otp.PHONE_VERIFY, "+8613900000000")  # another phone


def test_replay_is_refused(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, outbox, app = env
    service.send(app, PHONE)
    code = last_code(outbox)
    assert service.verify(app, code).code == otp.OK
    assert service.verify(app, code).code == otp.ALREADY_USED
    assert service.verify(app, wrong(code)).code == otp.ALREADY_USED


def test_no_code_sent(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, _outbox, app = env
    assert service.verify(app, "123456").code == otp.NO_ACTIVE_CODE
    assert not service.is_verified(app)


TYPING = {
    "fullwidth": lambda code: "".join(chr(0xFF10 + int(d)) for d in code),  # a Chinese IME's digits
    "spaced": lambda code: f"{code[:3]} {code[3:]}",
    "dashed": lambda code: f"{code[:3]}-{code[3:]}",
}


def test_typing_variants_are_normalized(env) -> None:  # type: ignore[no-untyped-def]
    service, clock, outbox, app = env
    for form, typed in TYPING.items():
        clock.advance(seconds=61)
        service.send(app, PHONE)
        assert service.verify(app, typed(last_code(outbox))).code == otp.OK, form


MALFORMED = ["", "12345", "1234567", "12a456", "一二三四五六"]


def test_malformed_input_is_not_counted_as_a_try(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, outbox, app = env
    service.send(app, PHONE)
    for bad in MALFORMED:
        for _ in range(3):
            result = service.verify(app, bad)
            assert result.code == otp.MALFORMED and result.remaining == 5, bad
    assert service.verify(app, last_code(outbox)).code == otp.OK


# -- brute force -------------------------------------------------------------------------------
def test_five_wrong_tries_lock_even_the_right_code(env) -> None:  # type: ignore[no-untyped-def]
    service, clock, outbox, app = env
    service.send(app, PHONE)
    code = last_code(outbox)
    remaining = [service.verify(app, wrong(code)).remaining for _ in range(4)]
    assert remaining == [4, 3, 2, 1]
    fifth = service.verify(app, wrong(code))
    assert fifth.code == otp.LOCKED and fifth.remaining == 0 and fifth.retry_after == 15 * 60
    assert service.verify(app, code).code == otp.LOCKED  # the right code no longer helps
    clock.advance(minutes=5)
    locked = service.send(app, PHONE)
    assert locked.code == otp.LOCKED and locked.retry_after == 10 * 60
    clock.advance(minutes=10, seconds=1)
    assert service.verify(app, code).code == otp.NO_ACTIVE_CODE  # lockout over: ask for a new code
    assert service.send(app, PHONE).code == otp.SENT
    assert service.verify(app, last_code(outbox)).code == otp.OK


def test_brute_force_over_an_hour_is_bounded(env) -> None:  # type: ignore[no-untyped-def]
    """An attacker who resends as fast as allowed and guesses every time gets few guesses."""
    from bot.store.db import session_scope
    from integrations.kyc.models import OtpChallenge

    service, clock, outbox, app = env
    for _ in range(60):  # one hour, once a minute, five guesses each time
        if service.send(app, PHONE).ok:
            code = last_code(outbox)
            for _ in range(5):
                service.verify(app, wrong(code))
        clock.advance(minutes=1)
    with session_scope() as session:
        compared = sum(row.attempts for row in session.query(OtpChallenge))
    # 15-minute lockouts and the hourly cap: at most 5 codes x 5 tries
    assert compared <= otp.SMS_POLICY.max_attempts * otp.SMS_POLICY.max_issues_per_hour


def test_parallel_guesses_cannot_exceed_the_limit(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, outbox, app = env
    service.send(app, PHONE)
    code = last_code(outbox)
    results: list[str] = []
    lock = threading.Lock()

    def guess() -> None:
        r = service.verify(app, wrong(code))
        with lock:
            results.append(r.code)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(otp.WRONG_CODE) == 4
    assert results.count(otp.LOCKED) == 8
    assert service.verify(app, code).code == otp.LOCKED


# -- expiry --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("wait_s", "expected"), [(0, otp.OK), (299, otp.OK), (300, otp.EXPIRED), (3600, otp.EXPIRED)])
def test_code_expires_after_five_minutes(env, wait_s: int, expected: str) -> None:  # type: ignore[no-untyped-def]
    service, clock, outbox, app = env
    service.send(app, PHONE)
    clock.advance(seconds=wait_s)
    assert service.verify(app, last_code(outbox)).code == expected


# -- resend flood ----------------------------------------------------------------------------------
def test_resend_no_sooner_than_60_seconds(env) -> None:  # type: ignore[no-untyped-def]
    service, clock, outbox, app = env
    assert service.send(app, PHONE).ok
    first = last_code(outbox)
    too_soon = service.send(app, PHONE)
    assert too_soon.code == otp.RESEND_TOO_SOON and too_soon.retry_after == 60
    clock.advance(seconds=45)
    assert service.send(app, PHONE).retry_after == 15
    assert len(outbox.messages(to=PHONE)) == 1  # refused sends send nothing
    clock.advance(seconds=15)
    assert service.send(app, PHONE).ok
    second = last_code(outbox)
    if second != first:  # the earlier code is superseded
        assert service.verify(app, first).code == otp.WRONG_CODE
    assert service.verify(app, second).code == otp.OK


def test_at_most_five_codes_an_hour_per_application(env) -> None:  # type: ignore[no-untyped-def]
    service, clock, _outbox, app = env
    for _ in range(5):
        assert service.send(app, PHONE).ok
        clock.advance(seconds=61)
    flood = service.send(app, PHONE)
    assert flood.code == otp.TOO_MANY_SENDS
    assert flood.retry_after == 3600 - 5 * 61
    clock.advance(seconds=flood.retry_after or 0)
    assert service.send(app, PHONE).ok


def test_at_most_ten_codes_an_hour_per_phone_across_applications(env) -> None:  # type: ignore[no-untyped-def]
    service, clock, _outbox, _app = env
    apps = [new_application() for _ in range(11)]
    for a in apps[:10]:
        assert service.send(a, PHONE).ok
        clock.advance(seconds=1)
    assert service.send(apps[10], PHONE).code == otp.TOO_MANY_SENDS
    assert service.send(apps[10], "+8613911112222").ok  # another phone is not affected


# -- binding and storage -------------------------------------------------------------------------
def test_code_is_bound_to_purpose_and_application(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, outbox, app = env
    other = new_application()
    service.send(app, PHONE, otp.PHONE_VERIFY)
    code = last_code(outbox)
    assert service.verify(app, code, otp.SIGN).code == otp.NO_ACTIVE_CODE
    assert service.verify(other, code, otp.PHONE_VERIFY).code == otp.NO_ACTIVE_CODE
    service.send(app, PHONE, otp.SIGN)
    sign_code = last_code(outbox)
    assert outbox.last(to=PHONE)["template"] == "otp_sign"  # type: ignore[index]
    if sign_code != code:
        assert service.verify(app, code, otp.SIGN).code == otp.WRONG_CODE
    assert service.verify(app, sign_code, otp.SIGN).code == otp.OK
    assert service.verify(app, code, otp.PHONE_VERIFY).code == otp.OK  # the other purpose is untouched


def test_only_a_keyed_hash_is_stored(env, store: Path) -> None:  # type: ignore[no-untyped-def]
    service, _clock, outbox, app = env
    service.send(app, PHONE)
    code = last_code(outbox)
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT * FROM otp_challenges").fetchall()
        columns = [d[0] for d in db.execute("SELECT * FROM otp_challenges").description]
    assert len(rows) == 1
    row = dict(zip(columns, rows[0], strict=True))
    assert code not in "|".join(str(v) for v in row.values())
    assert PHONE not in "|".join(str(v) for v in row.values()) and "15012345678" not in str(row)
    assert len(row["code_mac"]) == 64 and len(row["salt"]) == 32
    # the MAC depends on the key: another key does not verify the same code
    other_key = otp.OtpService(outbox, clock=service._clock, key=b"k" * 32)
    assert other_key.verify(app, code).code == otp.WRONG_CODE
    assert service.verify(app, code).code == otp.OK


def test_key_from_the_environment(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    clear_kyc_caches()
    monkeypatch.setenv("KAIKA_KYC_OTP_KEY", base64.urlsafe_b64encode(b"x" * 32).decode())
    assert otp.load_key() == b"x" * 32
    monkeypatch.setenv("KAIKA_KYC_OTP_KEY", base64.urlsafe_b64encode(b"short").decode())
    clear_kyc_caches()
    with pytest.raises(ValueError):
        otp.load_key()
    monkeypatch.delenv("KAIKA_KYC_OTP_KEY")
    clear_kyc_caches()
    generated = otp.load_key()
    assert len(generated) == 32 and (store.parent / "secrets" / "otp.key").exists()
    assert otp.load_key() == generated


class BrokenGateway:
    name = "broken"

    def send(self, message: SmsMessage) -> SmsReceipt:
        raise SmsError("sms_unreachable")


def test_a_failed_send_is_reported_and_does_not_block_a_retry(store: Path) -> None:
    clear_kyc_caches()
    clock = FakeClock()
    app = new_application()
    failed = otp.OtpService(BrokenGateway(), clock=clock).send(app, PHONE)
    assert failed.code == otp.SEND_FAILED and failed.detail == "sms_unreachable"
    service = otp.OtpService(OutboxSmsGateway(), clock=clock)
    assert service.verify(app, "123456").code == otp.NO_ACTIVE_CODE
    assert service.send(app, PHONE).ok  # no 60 s wait after a send that never left


def test_purposes_are_checked(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, _outbox, app = env
    with pytest.raises(ValueError):
        service.send(app, PHONE, "unknown")
    with pytest.raises(ValueError):
        service.send(app, PHONE, otp.LIVENESS)  # a display code is never sent by SMS
    with pytest.raises(ValueError):
        service.issue(app, otp.PHONE_VERIFY)  # an SMS code is never returned to the caller


def test_erase_for_application(env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, outbox, app = env
    other = new_application()
    service.send(app, PHONE)
    service.send(other, "+8613911112222")
    assert otp.erase_for_application(app) == 1
    assert service.verify(app, last_code(outbox)).code == otp.NO_ACTIVE_CODE
    assert service.verify(other, last_code(outbox, "+8613911112222")).code == otp.OK
