"""One turn of the application form, with its side effects.

bot.dialogue decides what an answer means; this module adds what must happen because of it:
answers that need a service (identity verification, signing), screening once the identity is
settled, a new one-time code after a phone change, the submission and credit decision when the
summary is confirmed. The validation action calls :func:`form_turn` and emits the result.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Mapping
from typing import Any

from bot import const as c
from bot import dialogue, lifecycle, questionnaire, verification
from bot.dialogue import Message, Step, reply
from bot.fields import entity
from bot.store import applications
from nlu import parsers

_SIX_DIGITS = re.compile(r"(?<!\d)(\d[\s-]?){5}\d(?!\d)")
_RESEND = re.compile(r"重新发送|重发|再发|没收到|resend|send again", re.IGNORECASE)


def form_turn(sender_id: str, slots: Mapping[str, Any], msg: Message, today: dt.date | None = None) -> Step:
    today = today or dt.date.today()
    lang = slots.get(c.LANGUAGE) or c.DEFAULT_LANGUAGE

    def special(field: str, s: Mapping[str, Any], m: Message) -> Step | None:
        if field in verification.VERIFICATION_FIELDS:
            return verification.step(field, s, m, sender_id, today)
        if field == c.TERMS_ACCEPTED:
            return _terms(s, m)
        if field == c.SIGN_OTP:
            return _sign_code(sender_id, s, m, lang)
        return None

    step = dialogue.form_step(slots, msg, today, special=special)
    if not step.handled:
        return step
    if step.consent_recorded:
        app_id = applications.open_draft(sender_id, lang, c.PRIVACY_NOTICE_VERSION)
        lifecycle.record_event(
            "consent_given", lifecycle.subject_for(app_id), {"notice_version": c.PRIVACY_NOTICE_VERSION}
        )
    step.slots.update(identity_effects(sender_id, slots, step.slots))
    if step.slots.get(c.KYC_STATUS) == "failed":
        step.slots.update({c.STOP_REASON: c.STOP_KYC_FAILED, c.REQUESTED_SLOT: None})
    if step.slots.get(c.APPLICATION_CONFIRMED) is True and not slots.get(c.APPLICATION_ID):
        merged = {**slots, **step.slots}
        submitted = lifecycle.submit_and_decide(sender_id, merged, lang)
        step.slots.update(submitted.slots)
        step.replies += submitted.replies
        step.slots[c.REQUESTED_SLOT] = questionnaire.next_field({**merged, **submitted.slots})
    return step


def identity_effects(sender: str, before: Mapping[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """Screening and the identity record once name and birth date are settled (typed, or read
    from a document and confirmed); a new phone number needs a new one-time code."""
    after = {**before, **updates}
    extra: dict[str, Any] = {}
    if c.PHONE in updates and updates[c.PHONE] != before.get(c.PHONE) and before.get(c.PHONE) is not None:
        extra.update(verification.reset_after_phone_change())
    if after.get(c.ID_DOCUMENT) == verification.DOCUMENT:
        settled = after.get(c.DOCUMENT_CONFIRMED) is True and before.get(c.DOCUMENT_CONFIRMED) is not True
    else:
        settled = any(k in updates and updates[k] != before.get(k) for k in (c.FULL_NAME, c.BIRTH_DATE))
    if settled and after.get(c.FULL_NAME) and after.get(c.BIRTH_DATE):
        extra.update(verification.after_identity(sender, after))
    return extra


# --- the agreement ------------------------------------------------------------------------------


def _terms(slots: Mapping[str, Any], msg: Message) -> Step | None:
    yes = True if msg.intent == "affirm" and msg.confidence >= 0.6 else None
    if msg.intent == "deny" and msg.confidence >= 0.6:
        yes = False
    if yes is None and not msg.is_payload:
        yes = parsers.parse_yes_no(msg.text)
    if yes is None:
        return None
    if yes is False:  # not now: the form ends; "我要签约" later brings it back
        return Step(handled=True, slots={c.TERMS_ACCEPTED: False, c.REQUESTED_SLOT: None})
    return Step(handled=True, slots={c.TERMS_ACCEPTED: True, "terms_accepted_at": time.time()})


def _sign_code(sender_id: str, slots: Mapping[str, Any], msg: Message, lang: str) -> Step | None:
    text = "" if msg.is_payload else msg.text
    if entity(msg.entities, c.SIGN_OTP) == "resend" or _RESEND.search(text):
        sent = lifecycle.send_sign_code(sender_id, slots, lang)
        return Step(
            handled=True,
            slots={c.SIGN_OTP: None, "sign_otp_sent_at": time.time(), c.REQUESTED_SLOT: c.SIGN_OTP},
            replies=[sent],
        )
    m = _SIX_DIGITS.search(parsers.spoken_digits_to_ascii(parsers.normalize(text)))
    if not m:
        return None
    return lifecycle.sign_and_issue(sender_id, slots, re.sub(r"\D", "", m.group()), lang)


__all__ = ["form_turn", "identity_effects", "reply"]
