"""Identity verification in the conversation ("人证合一"): the form's verification questions.

    id_document ─▶ document_confirmed ─▶ … phone ─▶ phone_otp ─▶ liveness_check
    (photo of the ID card, or "type it in")  (6-digit SMS code)  (selfie + 4-digit code)

Each question is answered here (not in bot.fields) because answering it calls a service: the
one-time code store, the liveness check, the KYC record. Heavy work on images (OCR, face
detection) happens where the upload arrives (bot.uploads, in the gateway); the dialogue only
reads the stored results by id, bound to the applicant's application, so a typed payload cannot
smuggle in someone else's document.

The one-time code and liveness questions can be deferred ("稍后验证"): the application can be
submitted, but the credit decision refers it until verification is complete, and the signing
step asks for the code again (issue 5 needs a fresh code for signing anyway).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Mapping
from typing import Any, Final

from bot import const as c
from bot.dialogue import Message, Reply, Step, reply
from bot.fields import entity
from bot.store import applications
from nlu import parsers

logger = logging.getLogger(__name__)

VERIFICATION_FIELDS: Final = (c.ID_DOCUMENT, c.DOCUMENT_CONFIRMED, c.PHONE_OTP, c.LIVENESS_CHECK)
CODE_LIFETIME_SECONDS: Final = 300  # the SMS code's lifetime (integrations.kyc.otp.SMS_POLICY)
CHALLENGE_REUSE_SECONDS: Final = 100  # the 4-digit code lives 120 s: keep showing it while still usable
DEFERRED: Final = "deferred"
VERIFIED: Final = "verified"
DONE: Final = "done"
MANUAL: Final = "manual"
DOCUMENT: Final = "document"
_LATER: Final = re.compile(r"稍后|以后|晚点|等会|待会|下次|先跳过|跳过|later|skip|not now|another time", re.IGNORECASE)
_RESEND: Final = re.compile(r"重新发送|重发|再发|没收到|resend|send again|didn'?t (?:get|receive)", re.IGNORECASE)
_MANUAL: Final = re.compile(
    r"手动|手工|手填|自己(?:来)?(?:输|填|写|打)|我(?:来)?(?:填|写)|打字|输入|不(?:想|方便)?拍|没(?:有)?(?:带)?(?:身份证|照片)"
    r"|type|manual|by hand|no photo|rather not (?:send|take)|(?:don't|do not) have (?:it|my id)|write it",
    re.IGNORECASE,
)
_OTP_DIGITS: Final = re.compile(r"(?<!\d)(\d[\s-]?){5}\d(?!\d)")


def _app_id(sender_id: str) -> int | None:
    return applications.draft_or_open_id(sender_id)


def step(field: str, slots: Mapping[str, Any], msg: Message, sender_id: str, today: dt.date) -> Step | None:
    """The answer to a verification question; None when the message holds nothing recognisable
    as one (the form then treats it like any unrecognised answer, or as a side request)."""
    if field == c.ID_DOCUMENT:
        return _id_document(slots, msg, sender_id, today)
    if field == c.DOCUMENT_CONFIRMED:
        return _document_confirmed(slots, msg)
    if field == c.PHONE_OTP:
        return _phone_otp(slots, msg, sender_id)
    if field == c.LIVENESS_CHECK:
        return _liveness(slots, msg, sender_id)
    return None


def _done(updates: dict[str, Any], replies: list[Reply] | None = None) -> Step:
    return Step(handled=True, slots=updates, replies=replies or [])


def _again(field: str, slots: Mapping[str, Any], replies: list[Reply]) -> Step:
    return Step(handled=True, slots={field: slots.get(field), c.REQUESTED_SLOT: field}, replies=replies)


# --- the ID document ----------------------------------------------------------------------


def _id_document(slots: Mapping[str, Any], msg: Message, sender_id: str, today: dt.date) -> Step | None:
    upload_error = entity(msg.entities, "upload_error")
    if upload_error:
        return _again(c.ID_DOCUMENT, slots, [reply(f"utter_image_{upload_error}", "utter_image_unreadable")])
    reading_id = entity(msg.entities, "document_upload")
    if reading_id is not None:
        return _document_uploaded(slots, sender_id, reading_id, today)
    choice = entity(msg.entities, c.ID_DOCUMENT)
    if choice == MANUAL or (not msg.is_payload and _MANUAL.search(msg.text)):
        return _done({c.ID_DOCUMENT: MANUAL})
    if not msg.is_payload:
        # An applicant who just types their name or ID number has chosen to type it in. A name
        # is free text, so only a message the classifier reads as an answer can be one.
        from bot import fields

        names: tuple[str, ...] = (c.ID_NUMBER, c.FULL_NAME)
        if parsers.language_request(msg.text) or (msg.intent not in ("inform", None) and msg.confidence >= 0.5):
            names = (c.ID_NUMBER,)
        for name in names:
            answer = fields.interpret(name, msg.text, msg.entities, today=today)
            if answer.ok:
                return _done({c.ID_DOCUMENT: MANUAL, name: answer.value, **answer.derived})
            if answer.stop:
                return _done({c.ID_DOCUMENT: MANUAL, c.STOP_REASON: answer.stop, c.REQUESTED_SLOT: None})
    return None


def _document_uploaded(slots: Mapping[str, Any], sender_id: str, reading_id: Any, today: dt.date) -> Step:
    from bot import fields
    from integrations.kyc.record import read_evidence

    app_id = _app_id(sender_id)
    raw = read_evidence(app_id, int(reading_id)) if app_id is not None and str(reading_id).isdigit() else None
    if raw is None:  # not this applicant's upload, or erased
        return _again(c.ID_DOCUMENT, slots, [reply("utter_image_unreadable")])
    reading = json.loads(raw)
    read = reading.get("fields") or {}
    if reading.get("document_type") == "cn_id_back":
        return _again(c.ID_DOCUMENT, slots, [reply("utter_document_back_side")])
    failed = [ch["name"] for ch in reading.get("checks", []) if not ch.get("passed")]
    if "not_expired" in failed:
        return _again(c.ID_DOCUMENT, slots, [reply("utter_document_expired")])
    number = read.get("id_number") or read.get("document_number")
    name = read.get("name") or " ".join(filter(None, [read.get("given_names"), read.get("surname")]))
    updates: dict[str, Any] = {c.ID_DOCUMENT: DOCUMENT, c.DOCUMENT_CONFIRMED: None, "document_reading": reading_id}
    if number and reading.get("document_type") == "cn_id_front":
        answer = fields.interpret(c.ID_NUMBER, str(number), (), today=today)
        if answer.stop:
            return _done({**updates, c.STOP_REASON: answer.stop, c.REQUESTED_SLOT: None})
        if answer.ok:
            updates.update({c.ID_NUMBER: answer.value, **answer.derived})
    if name:
        parsed = parsers.parse_name(str(name))
        if parsed.ok:
            updates[c.FULL_NAME] = parsed.value
    if c.ID_NUMBER not in updates and reading.get("document_type") == "cn_id_front":
        return _again(c.ID_DOCUMENT, slots, [reply("utter_document_unreadable")])
    return _done(updates)


def _document_confirmed(slots: Mapping[str, Any], msg: Message) -> Step | None:
    yes = True if msg.intent == "affirm" and msg.confidence >= 0.6 else None
    if msg.intent == "deny" and msg.confidence >= 0.6:
        yes = False
    if yes is None:
        yes = parsers.parse_yes_no(msg.text)
    if yes is True:
        return _done({c.DOCUMENT_CONFIRMED: True})
    if yes is False:
        return _again(c.DOCUMENT_CONFIRMED, slots, [reply("utter_document_what_is_wrong")])
    return None


# --- the phone's one-time code --------------------------------------------------------------


def send_phone_code(sender_id: str, phone: str, language: str) -> Reply:
    """Send (or re-send) the code; the reply says where it went or why it could not be sent."""
    from integrations.kyc.otp import OtpService

    app_id = _app_id(sender_id)
    if app_id is None:
        return reply("utter_otp_send_failed")
    result = OtpService().send(app_id, phone, "phone_verify", language)
    if result.ok:
        ttl = (
            round((result.expires_at - result.issued_at).total_seconds() / 60)
            if result.expires_at and result.issued_at
            else 5
        )
        return reply("utter_otp_sent", phone=parsers.mask_phone(phone), minutes=ttl)
    return reply(
        f"utter_otp_{result.code}",
        "utter_otp_send_failed",
        seconds=result.retry_after or 60,
        minutes=max(1, round((result.retry_after or 60) / 60)),
    )


def _phone_otp(slots: Mapping[str, Any], msg: Message, sender_id: str) -> Step | None:
    from integrations.kyc.otp import OtpService
    from integrations.kyc.record import check_from_phone, record_check

    choice = entity(msg.entities, c.PHONE_OTP)
    text = "" if msg.is_payload else msg.text
    if choice == DEFERRED or _LATER.search(text):
        return _done({c.PHONE_OTP: DEFERRED, c.PHONE_VERIFIED: False}, [reply("utter_otp_deferred")])
    lang = slots.get(c.LANGUAGE) or c.DEFAULT_LANGUAGE
    if choice == "resend" or _RESEND.search(text):
        sent = send_phone_code(sender_id, str(slots.get(c.PHONE)), lang)
        return Step(
            handled=True,
            slots={c.PHONE_OTP: None, "otp_sent_at": time.time(), c.REQUESTED_SLOT: c.PHONE_OTP},
            replies=[sent],
        )
    m = _OTP_DIGITS.search(parsers.spoken_digits_to_ascii(parsers.normalize(text)))
    if not m:
        return None
    app_id = _app_id(sender_id)
    if app_id is None:
        return _again(c.PHONE_OTP, slots, [reply("utter_otp_no_active_code")])
    result = OtpService().verify(app_id, re.sub(r"\D", "", m.group()), "phone_verify")
    if result.ok:
        decision = record_check(app_id, check_from_phone(result))
        return _done(
            {c.PHONE_OTP: VERIFIED, c.PHONE_VERIFIED: True, **_kyc_slot(decision.status)}, [reply("utter_otp_ok")]
        )
    if result.code == "locked":
        record_check(app_id, check_from_phone(result))
    values = {"remaining": result.remaining or 0, "minutes": max(1, round((result.retry_after or 60) / 60))}
    return _again(c.PHONE_OTP, slots, [reply(f"utter_otp_{result.code}", "utter_otp_malformed", **values)])


# --- liveness: a selfie and a code read aloud (or typed: weaker) ----------------------------


def issue_challenge(sender_id: str) -> str | None:
    from integrations.kyc.liveness import LivenessService

    app_id = _app_id(sender_id)
    if app_id is None:
        return None
    issued = LivenessService().issue_challenge(app_id)
    return issued.challenge.code if issued.challenge else None


def _liveness(slots: Mapping[str, Any], msg: Message, sender_id: str) -> Step | None:
    from integrations.kyc import liveness
    from integrations.kyc.record import check_from_liveness, read_evidence, record_check

    text = "" if msg.is_payload else msg.text
    if entity(msg.entities, c.LIVENESS_CHECK) == DEFERRED or _LATER.search(text):
        return _done({c.LIVENESS_CHECK: DEFERRED, c.LIVENESS_PASSED: False}, [reply("utter_liveness_deferred")])
    app_id = _app_id(sender_id)
    if app_id is None:
        return _again(c.LIVENESS_CHECK, slots, [reply("utter_liveness_no_challenge")])
    parts: dict[str, Any] = dict(slots.get("liveness_parts") or {})
    upload_error = entity(msg.entities, "upload_error")
    if upload_error:
        return _again(c.LIVENESS_CHECK, slots, [reply(f"utter_image_{upload_error}", "utter_image_unreadable")])
    selfie_id = entity(msg.entities, "selfie_upload")
    replies: list[Reply] = []
    if selfie_id is not None:
        raw = read_evidence(app_id, int(selfie_id)) if str(selfie_id).isdigit() else None
        check = json.loads(raw) if raw else {"code": "no_face"}
        if check.get("code") != liveness.SELFIE_OK:
            return _again(
                c.LIVENESS_CHECK,
                {**slots, "liveness_parts": parts},
                [reply(f"utter_liveness_{check.get('code')}", "utter_liveness_no_face")],
            )
        parts["selfie"] = {**check, "evidence": int(selfie_id)}
    else:
        digits = liveness.parse_response(parsers.spoken_digits_to_ascii(text))
        if len(digits) != liveness.CODE_DIGITS:
            return None
        answer = liveness.LivenessService().answer_challenge(app_id, digits, "typed")
        if not answer.ok:
            return _again(
                c.LIVENESS_CHECK,
                slots,
                [reply(f"utter_liveness_{answer.code}", "utter_liveness_wrong_code", remaining=answer.remaining or 0)],
            )
        parts["challenge"] = {"code": answer.code, "method": answer.method}
    if "selfie" not in parts:
        replies.append(reply("utter_liveness_need_selfie"))
    elif "challenge" not in parts:
        replies.append(reply("utter_liveness_need_code"))
    if replies:
        return Step(
            handled=True,
            slots={"liveness_parts": parts, c.LIVENESS_CHECK: None, c.REQUESTED_SLOT: c.LIVENESS_CHECK},
            replies=replies,
        )
    selfie = parts["selfie"]
    result = liveness.combine(
        liveness.SelfieCheck(
            code=selfie["code"],
            faces=selfie.get("faces", 1),
            face_fraction=selfie.get("face_fraction", 0.0),
            id_compared=selfie.get("id_compared", False),
            image_distance=selfie.get("image_distance"),
            face_distance=selfie.get("face_distance"),
            face_correlation=selfie.get("face_correlation"),
        ),
        liveness.ChallengeCheck(code=parts["challenge"]["code"], method=parts["challenge"]["method"]),
    )
    decision = record_check(app_id, check_from_liveness(result, evidence=(int(selfie["evidence"]),)))
    return _done(
        {
            c.LIVENESS_CHECK: DONE,
            c.LIVENESS_PASSED: result.passed,
            "liveness_parts": None,
            **_kyc_slot(decision.status),
        },
        [reply("utter_liveness_done")],
    )


# --- after identity answers: screening, the document check, the KYC status ----------------------


def _kyc_slot(status: str) -> dict[str, Any]:
    return {c.KYC_STATUS: status} if status in ("passed", "review", "failed") else {}


def after_identity(sender_id: str, slots: Mapping[str, Any]) -> dict[str, Any]:
    """Once name and birth date are known (typed or read from a document): screen them against
    the sanctions/PEP list and record how the identity was established. Returns slot updates."""
    from integrations.kyc.record import check_from_screening, document_check, record_check
    from integrations.kyc.screening import screen

    app_id = _app_id(sender_id)
    name, born = slots.get(c.FULL_NAME), slots.get(c.BIRTH_DATE)
    if app_id is None or not name or not born:
        return {}
    record_check(app_id, check_from_screening(screen([str(name)], str(born))))
    if slots.get(c.ID_DOCUMENT) == DOCUMENT:
        decision = record_check(
            app_id, document_check("identity", True, "document_read", method="ocr", evidence=_evidence(slots))
        )
    else:
        # Typed by hand: the number passed its checks, but nobody has seen a document. People look.
        decision = record_check(app_id, document_check("identity", True, "typed", method="typed", review=True))
    return _kyc_slot(decision.status)


def _evidence(slots: Mapping[str, Any]) -> tuple[int, ...]:
    ref = slots.get("document_reading")
    return (int(ref),) if ref is not None and str(ref).isdigit() else ()


def reset_after_phone_change() -> dict[str, Any]:
    return {c.PHONE_OTP: None, c.PHONE_VERIFIED: None, "otp_sent_at": None}
