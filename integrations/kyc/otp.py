"""One-time codes: sent by SMS (phone ownership, later signing) or shown on screen (liveness).

Rules (RFC 4226 / RFC 6238 and NIST SP 800-63B §5.1.3 out-of-band authenticators):

* A 6-digit SMS code is ``HOTP(K, 0)`` (RFC 4226 §5.3, dynamic truncation) with ``K`` a fresh
  160-bit key from the OS CSPRNG (``secrets``), used once and never stored (R6, §7.5). Display
  codes shorter than RFC 4226's 6-digit minimum (the 4-digit liveness code) are drawn uniformly
  with ``secrets.randbelow``. Time-based validity (the point of RFC 6238) is an explicit expiry:
  5 minutes for SMS codes.
* Stored only as ``HMAC-SHA256(otp key, application id | purpose | salt | code)``: a database
  dump reveals no code, a code for one application or purpose ("phone_verify", "sign") does not
  verify for another. Comparison with :func:`hmac.compare_digest`.
* Single use; a new code supersedes the previous one.
* At most 5 wrong tries per code (the attempt is counted *before* comparing, with a conditional
  UPDATE, so parallel guesses cannot exceed it), then a 15-minute lockout (``locked``).
* Resend no sooner than 60 s; at most 5 codes per application and purpose per hour, and at most
  10 per phone number per hour across applications (SMS pumping). With these limits an attacker
  gets at most 25 guesses an hour at a one-in-a-million code.

Time is injectable (``clock``) for tests. Results are codes only; the dialogue owns the words.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import math
import secrets
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.crypto import get_cipher
from bot.secrets import load_or_create
from bot.store.db import session_scope
from bot.store.models import utcnow
from integrations.kyc.models import OtpChallenge
from integrations.kyc.settings import get_kyc_settings
from integrations.kyc.sms import SmsError, SmsGateway, SmsMessage, gateway_from_settings

# purposes
PHONE_VERIFY: Final = "phone_verify"
SIGN: Final = "sign"
LIVENESS: Final = "liveness"

# send / issue result codes
SENT: Final = "sent"
ISSUED: Final = "issued"
RESEND_TOO_SOON: Final = "resend_too_soon"
TOO_MANY_SENDS: Final = "too_many_sends"
SEND_FAILED: Final = "send_failed"
# verify result codes
OK: Final = "ok"
WRONG_CODE: Final = "wrong_code"
EXPIRED: Final = "expired"
LOCKED: Final = "locked"  # also a send result while the lockout lasts
ALREADY_USED: Final = "already_used"
NO_ACTIVE_CODE: Final = "no_active_code"
MALFORMED: Final = "malformed"

# row statuses
ACTIVE: Final = "active"
USED: Final = "used"
ROW_LOCKED: Final = "locked"
ROW_EXPIRED: Final = "expired"
SUPERSEDED: Final = "superseded"
FAILED: Final = "failed"

PHONE_MAX_SENDS_PER_HOUR: Final = 10
MAC_CONTEXT: Final = b"kaika-otp-v1"

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class OtpPolicy:
    """Limits for one purpose. ``delivery``: "sms" (sent, never returned) or "display" (returned)."""

    digits: int
    ttl: dt.timedelta
    max_attempts: int
    resend_interval: dt.timedelta
    lockout: dt.timedelta
    max_issues_per_hour: int
    delivery: str


SMS_POLICY: Final = OtpPolicy(
    digits=6,
    ttl=dt.timedelta(minutes=5),
    max_attempts=5,
    resend_interval=dt.timedelta(seconds=60),
    lockout=dt.timedelta(minutes=15),
    max_issues_per_hour=5,
    delivery="sms",
)
LIVENESS_POLICY: Final = OtpPolicy(
    digits=4,
    ttl=dt.timedelta(seconds=120),
    max_attempts=3,
    resend_interval=dt.timedelta(0),
    lockout=dt.timedelta(minutes=15),
    max_issues_per_hour=10,
    delivery="display",
)
POLICIES: Final[dict[str, OtpPolicy]] = {PHONE_VERIFY: SMS_POLICY, SIGN: SMS_POLICY, LIVENESS: LIVENESS_POLICY}


@dataclass(frozen=True)
class SendResult:
    """``code`` is SENT / ISSUED on success; ``retry_after`` (s) says when to try sending again.
    ``value`` is the code itself only for display purposes (liveness), never for SMS."""

    code: str
    challenge_id: int | None = None
    issued_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    retry_after: int | None = None
    value: str | None = None
    detail: str | None = None  # SmsError code when SEND_FAILED

    @property
    def ok(self) -> bool:
        return self.code in (SENT, ISSUED)


@dataclass(frozen=True)
class VerifyResult:
    """``remaining`` tries after WRONG_CODE; ``retry_after`` (s) while LOCKED."""

    code: str
    remaining: int | None = None
    retry_after: int | None = None
    challenge_id: int | None = None
    phone_index: str | None = None

    @property
    def ok(self) -> bool:
        return self.code == OK


def hotp(key: bytes, counter: int, digits: int = 6) -> str:
    """RFC 4226 §5.3: HMAC-SHA-1 of the 8-byte counter, dynamic truncation, modulo 10^digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def generate_code(digits: int) -> str:
    """A fresh code: HOTP with a one-off 160-bit random key for >= 6 digits, uniform below."""
    if digits >= 6:
        return hotp(secrets.token_bytes(20), 0, digits)
    return str(secrets.randbelow(10**digits)).zfill(digits)


def normalize_code(text: str) -> str:
    """Full-width digits to ASCII, spaces and dashes removed ("１２３ ４５６" -> "123456")."""
    norm = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in norm if not ch.isspace() and ch not in "-_.")


def _b64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def load_key() -> bytes:
    """The MAC key: ``KAIKA_KYC_OTP_KEY`` (base64) or generated into var/secrets/otp.key."""
    raw = get_kyc_settings().otp_key or load_or_create("otp.key", 32)
    try:
        key = _b64(raw.strip())
    except (binascii.Error, ValueError) as exc:
        raise ValueError("KAIKA_KYC_OTP_KEY must be url-safe base64") from exc
    if len(key) < 16:
        raise ValueError("the one-time-code key must be at least 16 bytes")
    return key


def _naive_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _seconds(delta: dt.timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


class OtpService:
    """Issue and check one-time codes for an application. Thread- and process-safe via the DB."""

    def __init__(
        self,
        gateway: SmsGateway | None = None,
        *,
        clock: Clock = utcnow,
        key: bytes | None = None,
        policies: dict[str, OtpPolicy] | None = None,
    ) -> None:
        self._gateway = gateway
        self._clock = clock
        self._key = key
        self._policies = dict(policies or POLICIES)

    # -- helpers -----------------------------------------------------------------------------
    def _now(self) -> dt.datetime:
        return _naive_utc(self._clock())

    def _policy(self, purpose: str) -> OtpPolicy:
        try:
            return self._policies[purpose]
        except KeyError:
            raise ValueError(f"unknown one-time-code purpose {purpose!r}") from None

    def _mac(self, application_id: int, purpose: str, salt: str, code: str) -> str:
        key = self._key if self._key is not None else load_key()
        msg = b"\x00".join([MAC_CONTEXT, str(application_id).encode(), purpose.encode(), salt.encode(), code.encode()])
        return hmac.new(key, msg, hashlib.sha256).hexdigest()

    @staticmethod
    def _latest(session: Session, application_id: int, purpose: str) -> OtpChallenge | None:
        row: OtpChallenge | None = (
            session.query(OtpChallenge)
            .filter(
                OtpChallenge.application_id == application_id,
                OtpChallenge.purpose == purpose,
                OtpChallenge.status != FAILED,
            )
            .order_by(OtpChallenge.id.desc())
            .first()
        )
        return row

    def _refusal(
        self,
        session: Session,
        application_id: int,
        purpose: str,
        policy: OtpPolicy,
        now: dt.datetime,
        phone_index: str | None,
    ) -> SendResult | None:
        """Why a new code may not be issued now, or None."""
        latest = self._latest(session, application_id, purpose)
        if latest is not None and latest.locked_until is not None and latest.locked_until > now:
            return SendResult(LOCKED, retry_after=_seconds(latest.locked_until - now))
        if latest is not None and latest.created_at + policy.resend_interval > now:
            return SendResult(RESEND_TOO_SOON, retry_after=_seconds(latest.created_at + policy.resend_interval - now))
        hour_ago = now - dt.timedelta(hours=1)
        recent = (
            session.query(OtpChallenge.created_at)
            .filter(
                OtpChallenge.application_id == application_id,
                OtpChallenge.purpose == purpose,
                OtpChallenge.created_at > hour_ago,
            )
            .order_by(OtpChallenge.created_at)
            .all()
        )
        if len(recent) >= policy.max_issues_per_hour:
            return SendResult(TOO_MANY_SENDS, retry_after=_seconds(recent[0][0] - hour_ago))
        if phone_index is not None:
            by_phone = (
                session.query(OtpChallenge.created_at)
                .filter(OtpChallenge.phone_index == phone_index, OtpChallenge.created_at > hour_ago)
                .order_by(OtpChallenge.created_at)
                .all()
            )
            if len(by_phone) >= PHONE_MAX_SENDS_PER_HOUR:
                return SendResult(TOO_MANY_SENDS, retry_after=_seconds(by_phone[0][0] - hour_ago))
        return None

    def _create(
        self, application_id: int, purpose: str, phone_index: str | None
    ) -> tuple[SendResult | None, int, str, dt.datetime, dt.datetime]:
        policy = self._policy(purpose)
        now = self._now()
        with session_scope() as session:
            refusal = self._refusal(session, application_id, purpose, policy, now, phone_index)
            if refusal is not None:
                return refusal, 0, "", now, now
            session.query(OtpChallenge).filter(
                OtpChallenge.application_id == application_id,
                OtpChallenge.purpose == purpose,
                OtpChallenge.status == ACTIVE,
            ).update({OtpChallenge.status: SUPERSEDED}, synchronize_session=False)
            code = generate_code(policy.digits)
            salt = secrets.token_hex(16)
            row = OtpChallenge(
                application_id=application_id,
                purpose=purpose,
                salt=salt,
                code_mac=self._mac(application_id, purpose, salt, code),
                phone_index=phone_index,
                status=ACTIVE,
                attempts=0,
                created_at=now,
                expires_at=now + policy.ttl,
            )
            session.add(row)
            session.flush()
            return None, int(row.id), code, now, now + policy.ttl

    # -- public API --------------------------------------------------------------------------
    def send(self, application_id: int, phone: str, purpose: str = PHONE_VERIFY, language: str = "zh") -> SendResult:
        """Create a code and send it by SMS to ``phone`` (E.164). The code is never returned.

        The SMS uses template ``otp_<purpose>`` with parameters ``code`` and ``ttl_minutes``.
        """
        policy = self._policy(purpose)
        if policy.delivery != "sms":
            raise ValueError(f"purpose {purpose!r} is not delivered by SMS")
        gateway = self._gateway or gateway_from_settings()
        phone_index = get_cipher().blind_index("phone", phone)
        refusal, challenge_id, code, issued, expires = self._create(application_id, purpose, phone_index)
        if refusal is not None:
            return refusal
        # committed before sending: a code that reached the phone must be verifiable
        message = SmsMessage(
            to=phone,
            template=f"otp_{purpose}",
            params={"code": code, "ttl_minutes": str(int(policy.ttl.total_seconds() // 60))},
            language=language,
        )
        try:
            gateway.send(message)
        except SmsError as exc:
            with session_scope() as session:
                session.query(OtpChallenge).filter(OtpChallenge.id == challenge_id).update(
                    {OtpChallenge.status: FAILED}, synchronize_session=False
                )
            return SendResult(SEND_FAILED, challenge_id=challenge_id, detail=exc.code)
        return SendResult(
            SENT,
            challenge_id=challenge_id,
            issued_at=issued,
            expires_at=expires,
            retry_after=_seconds(policy.resend_interval) if policy.resend_interval else None,
        )

    def issue(self, application_id: int, purpose: str = LIVENESS) -> SendResult:
        """Create a code to be shown to the applicant (liveness): returned in ``value``."""
        policy = self._policy(purpose)
        if policy.delivery != "display":
            raise ValueError(f"purpose {purpose!r} codes are never returned to the caller")
        refusal, challenge_id, code, issued, expires = self._create(application_id, purpose, None)
        if refusal is not None:
            return refusal
        return SendResult(ISSUED, challenge_id=challenge_id, issued_at=issued, expires_at=expires, value=code)

    def verify(self, application_id: int, code: str, purpose: str = PHONE_VERIFY) -> VerifyResult:
        """Check ``code`` against the application's current code for ``purpose``."""
        policy = self._policy(purpose)
        now = self._now()
        candidate = normalize_code(code)
        with session_scope() as session:
            row = self._latest(session, application_id, purpose)
            if row is None or row.status == SUPERSEDED:
                return VerifyResult(NO_ACTIVE_CODE)
            cid = int(row.id)
            if row.status == USED:
                return VerifyResult(ALREADY_USED, challenge_id=cid)
            if row.status == ROW_LOCKED:
                if row.locked_until is not None and row.locked_until > now:
                    wait = _seconds(row.locked_until - now)
                    return VerifyResult(LOCKED, remaining=0, retry_after=wait, challenge_id=cid)
                return VerifyResult(NO_ACTIVE_CODE, challenge_id=cid)
            if row.status == ROW_EXPIRED or now >= row.expires_at:
                row.status = ROW_EXPIRED
                return VerifyResult(EXPIRED, challenge_id=cid)
            if len(candidate) != policy.digits or not candidate.isascii() or not candidate.isdigit():
                return VerifyResult(MALFORMED, remaining=policy.max_attempts - int(row.attempts), challenge_id=cid)
            # reserve one attempt atomically before comparing
            reserved = session.execute(
                sa.update(OtpChallenge)
                .where(
                    OtpChallenge.id == cid,
                    OtpChallenge.status == ACTIVE,
                    OtpChallenge.attempts < policy.max_attempts,
                )
                .values(attempts=OtpChallenge.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if reserved.rowcount != 1:
                session.expire(row)
                if row.status == USED:
                    return VerifyResult(ALREADY_USED, challenge_id=cid)
                return VerifyResult(LOCKED, remaining=0, retry_after=_seconds(policy.lockout), challenge_id=cid)
            expected = str(row.code_mac)
            if hmac.compare_digest(self._mac(application_id, purpose, str(row.salt), candidate), expected):
                used = session.execute(
                    sa.update(OtpChallenge)
                    .where(OtpChallenge.id == cid, OtpChallenge.status == ACTIVE)
                    .values(status=USED, used_at=now)
                    .execution_options(synchronize_session=False)
                )
                if used.rowcount != 1:
                    return VerifyResult(ALREADY_USED, challenge_id=cid)
                return VerifyResult(OK, challenge_id=cid, phone_index=row.phone_index)
            attempts = int(session.execute(sa.select(OtpChallenge.attempts).where(OtpChallenge.id == cid)).scalar_one())
            if attempts >= policy.max_attempts:
                session.execute(
                    sa.update(OtpChallenge)
                    .where(OtpChallenge.id == cid, OtpChallenge.status == ACTIVE)
                    .values(status=ROW_LOCKED, locked_until=now + policy.lockout)
                    .execution_options(synchronize_session=False)
                )
                return VerifyResult(LOCKED, remaining=0, retry_after=_seconds(policy.lockout), challenge_id=cid)
            return VerifyResult(WRONG_CODE, remaining=policy.max_attempts - attempts, challenge_id=cid)

    def is_verified(self, application_id: int, purpose: str = PHONE_VERIFY, phone: str | None = None) -> bool:
        """True when a code for ``purpose`` was verified; with ``phone``, only if it is the phone
        most recently verified (a phone changed after verification is not verified)."""
        with session_scope() as session:
            row = (
                session.query(OtpChallenge)
                .filter(
                    OtpChallenge.application_id == application_id,
                    OtpChallenge.purpose == purpose,
                    OtpChallenge.status == USED,
                )
                .order_by(OtpChallenge.id.desc())
                .first()
            )
            if row is None:
                return False
            if phone is None:
                return True
            return hmac.compare_digest(str(row.phone_index or ""), get_cipher().blind_index("phone", phone))


def erase_for_application(application_id: int, *, session: Session | None = None) -> int:
    """Delete every one-time-code row of the application (they hold a phone blind index).
    Pass ``session`` to erase inside the caller's transaction (e.g. the withdrawal's)."""
    if session is None:
        with session_scope() as own:
            return erase_for_application(application_id, session=own)
    return int(
        session.query(OtpChallenge)
        .filter(OtpChallenge.application_id == application_id)
        .delete(synchronize_session=False)
    )
