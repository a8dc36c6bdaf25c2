"""An application's life in the conversation after the questions: submission, the credit
decision, the agreement, the virtual card; and starting afresh.

    summary confirmed ─▶ submit ─▶ decide ─▶ approved ─▶ terms shown ─▶ "I agree" ─▶ SMS code
                                     ├──▶ referred (a person reviews)       └─▶ sign PDF ─▶ issue card
                                     └──▶ declined (with reasons)

Each step calls one integration (scoring, signing, issuing) and records what matters legally in
the evidence ledger; status changes go through bot.status's state machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from bot import const as c
from bot.application import Applicant, IncompleteApplication
from bot.dialogue import Reply, Step, reply
from bot.i18n import label, money
from bot.settings import get_settings
from bot.status import FINAL, Status
from bot.store import applications
from bot.store.applications import ApplicationView

logger = logging.getLogger(__name__)

# Everything an application collects; cleared when a new application starts.
ANSWER_SLOTS: Final = (
    c.ID_DOCUMENT,
    c.DOCUMENT_CONFIRMED,
    "document_reading",
    c.FULL_NAME,
    c.ID_NUMBER,
    c.BIRTH_DATE,
    c.SEX,
    c.PHONE,
    c.PHONE_OTP,
    "otp_sent_at",
    c.PHONE_VERIFIED,
    c.LIVENESS_CHECK,
    "liveness_parts",
    "liveness_issued_at",
    c.LIVENESS_PASSED,
    c.KYC_STATUS,
    c.EMPLOYMENT_TYPE,
    c.EMPLOYER,
    c.JOB_YEARS,
    c.MONTHLY_INCOME,
    c.HOUSING,
    c.MONTHLY_DEBT_PAYMENT,
    c.PAST_ARREARS,
    c.SPENDING_CATEGORIES,
    "recommended_cards",
    c.CHOSEN_CARD,
    c.APPLICATION_CONFIRMED,
    c.CHANGE_REQUESTED,
    c.FAILED_FIELD,
    c.FAILED_COUNT,
)
AFTER_SUBMISSION_SLOTS: Final = (
    c.DECISION,
    c.CREDIT_LIMIT,
    c.TERMS_ACCEPTED,
    "terms_accepted_at",
    c.SIGN_OTP,
    "sign_otp_sent_at",
    c.AGREEMENT_SIGNED,
    c.CARD_LAST4,
    c.CARD_STATUS,
)
APPLICATION_SLOTS: Final = (
    *ANSWER_SLOTS,
    *AFTER_SUBMISSION_SLOTS,
    c.APPLICATION_ID,
    c.APPLICATION_STATUS,
    c.STOP_REASON,
    c.REQUESTED_SLOT,
)
DECISION_STATUS: Final = {"approve": Status.APPROVED, "refer": Status.REFERRED, "decline": Status.DECLINED}


@dataclass
class Outcome:
    response: str
    values: dict[str, Any] = field(default_factory=dict)
    slots: dict[str, Any] = field(default_factory=dict)


def _join(parts: list[str], language: str) -> str:
    """Reasons as one sentence: "A；B。" / "A; B." (empty when there are none)."""
    text = ("；" if language != "en" else "; ").join(p.strip().rstrip("。.；;") for p in parts if p and p.strip())
    return text + ("." if language == "en" else "。") if text else ""


def start_updates(slots: Mapping[str, Any], view: ApplicationView | None) -> dict[str, Any]:
    """Slot updates before the form opens (see ActionStartApplication)."""
    if view is not None and view.reference and Status(view.status) not in FINAL:
        updates: dict[str, Any] = {c.APPLICATION_ID: view.reference, c.APPLICATION_STATUS: view.status}
        if slots.get(c.TERMS_ACCEPTED) is False:  # came back to sign after saying "not now"
            updates[c.TERMS_ACCEPTED] = None
        return updates
    updates = {}
    ended = view is not None and Status(view.status) in FINAL
    if ended or slots.get(c.APPLICATION_ID):
        updates.update({s: None for s in APPLICATION_SLOTS})
    if slots.get(c.STOP_REASON) or slots.get(c.CONSENT_GIVEN) is False or ended:
        updates.update({c.STOP_REASON: None, c.CONSENT_GIVEN: None, c.REQUESTED_SLOT: None})
    return updates


def status_url(reference: str, token: str) -> str:
    # The token travels in the URL fragment: browsers never send it to servers or proxies' logs.
    return f"{get_settings().gateway_url}/applications/{reference}#t={token}"


def record_event(event: str, subject: str, data: Mapping[str, str]) -> None:
    """An entry in the evidence ledger (ids and digests only). A ledger outage never blocks an
    applicant; it is logged (without personal data) and the chain stays consistent."""
    from integrations.ledger import append

    try:
        append(event, subject, dict(data))
    except Exception:
        logger.exception("ledger append failed for %s", event)


def subject_for(app_id: int) -> str:
    return hashlib.sha256(f"kaika-application:{app_id}".encode()).hexdigest()


# --- submission and decision -------------------------------------------------------------------


def submit_and_decide(sender_id: str, slots: Mapping[str, Any], language: str) -> Step:
    """The applicant confirmed the summary: store the application, decide, say what happens next."""
    try:
        applicant = Applicant.from_slots(slots)
    except IncompleteApplication as exc:
        logger.error("summary confirmed with missing answers: %s", exc.missing)
        return Step(
            handled=True,
            slots={c.APPLICATION_CONFIRMED: None, c.REQUESTED_SLOT: exc.missing[0]},
            replies=[reply("utter_default")],
        )
    sub = applications.submit(sender_id, applicant, language)
    updates: dict[str, Any] = {
        c.APPLICATION_CONFIRMED: True,
        c.APPLICATION_ID: sub.reference,
        c.APPLICATION_STATUS: sub.status,
    }
    if sub.owner_token is None:  # a retried confirmation: the first one submitted and decided
        view = applications.latest_for_conversation(sender_id)
        updates[c.APPLICATION_STATUS] = view.status if view else sub.status
        return Step(
            handled=True,
            slots=updates,
            replies=[
                reply(
                    "utter_already_submitted",
                    application_id=sub.reference,
                    status=label(f"status.{updates[c.APPLICATION_STATUS]}", language),
                )
            ],
        )
    replies = [
        reply(
            "utter_submitted",
            application_id=sub.reference,
            status=label(f"status.{sub.status}", language),
            status_url=status_url(sub.reference, sub.owner_token),
        )
    ]
    decided = decide(sender_id, sub.reference, {**slots, **updates}, language)
    updates.update(decided.slots)
    replies += decided.replies
    return Step(handled=True, slots=updates, replies=replies)


def _kyc_facts(app_id: int) -> dict[str, Any]:
    from integrations.kyc.record import get_record

    record = get_record(app_id)
    if record is None:
        return {"kyc_review": True}
    # Only a completed, passed verification approves; failed declines; incomplete (deferred) or
    # in review refers the application to a person instead of approving it on a promise.
    facts: dict[str, Any] = {}
    if record.status == "passed":
        facts["kyc_passed"] = True
    elif record.status == "failed":
        facts["kyc_passed"] = False
    else:
        facts["kyc_review"] = True
    screening = [ch for ch in record.checks if ch.name.startswith("screening")]
    if screening:
        facts["screening_hit"] = screening[-1].result == "review"
    return facts


def decide(sender_id: str, reference: str, slots: Mapping[str, Any], language: str) -> Step:
    """Credit decision for a submitted application (integrations.scoring), recorded and explained."""
    from integrations.scoring.records import application_id_for, decide_and_record

    app_id = application_id_for(reference)
    if app_id is None:
        return Step(handled=True)
    application = {**slots, **_kyc_facts(app_id), "device_fingerprint": subject_for(hash(sender_id) & 0xFFFF)}
    try:
        decision, _record_id, _fraud = decide_and_record(application, app_id)
    except Exception:  # the model or policy is unavailable: a person decides, the applicant is told
        logger.exception("credit decision failed")
        applications.set_status(reference, Status.REFERRED, note="decision unavailable")
        return Step(
            handled=True,
            slots={c.DECISION: "refer", c.APPLICATION_STATUS: Status.REFERRED.value},
            replies=[reply("utter_decision_refer", reasons="")],
        )
    status = applications.set_status(reference, DECISION_STATUS[decision.decision], note=decision.model_version)
    record_event(
        "decision",
        reference,
        {
            "outcome": decision.decision,
            "model_version": decision.model_version,
            "policy_sha256": decision.policy_sha256,
        },
    )
    reasons = _join([r.text(language) for r in decision.reasons], language)
    updates: dict[str, Any] = {c.DECISION: decision.decision, c.APPLICATION_STATUS: status}
    replies: list[Reply] = []
    if decision.decision == "approve" and decision.credit_limit:
        updates[c.CREDIT_LIMIT] = float(decision.credit_limit)
        explanation = _join([decision.limit_explanation.text(language)], language) if decision.limit_explanation else ""
        replies.append(
            reply(
                "utter_decision_approve",
                limit=money(decision.credit_limit, language),
                explanation=explanation,
                reasons=reasons,
            )
        )
        conditions = _join([r.text(language) for r in decision.conditions], language)
        if conditions:
            replies.append(reply("utter_decision_conditions", conditions=conditions))
    elif decision.decision == "refer":
        replies.append(reply("utter_decision_refer", reasons=reasons))
    else:
        replies.append(reply("utter_decision_decline", reasons=reasons))
    return Step(handled=True, slots=updates, replies=replies)


# --- the agreement and the card ----------------------------------------------------------------


def agreement_data(reference: str, slots: Mapping[str, Any], language: str) -> Any:
    from integrations.signing.agreement import AgreementData

    record = applications.applicant_record(reference) or {}
    return AgreementData(
        reference=reference,
        applicant_name=str(record.get("full_name") or slots.get(c.FULL_NAME)),
        id_number=str(record.get("id_number") or slots.get(c.ID_NUMBER)),
        product_code=str(record.get("chosen_card") or slots.get(c.CHOSEN_CARD)),
        credit_limit=int(slots.get(c.CREDIT_LIMIT) or 0),
        language=language,
    )


def terms(reference: str, slots: Mapping[str, Any], language: str) -> Reply:
    """The key terms in plain words, with a private link to the full agreement."""
    from integrations.signing.agreement import key_terms_summary

    token = applications.mint_token(reference, purpose="agreement", days=7)
    link = status_url(reference, token) if token else get_settings().gateway_url
    return reply(
        "utter_ask_terms_accepted",
        summary=key_terms_summary(agreement_data(reference, slots, language)),
        agreement_url=link,
    )


def send_sign_code(sender_id: str, slots: Mapping[str, Any], language: str) -> Reply:
    from integrations.kyc.otp import OtpService

    app_id = applications.draft_or_open_id(sender_id)
    phone = str(slots.get(c.PHONE))
    if app_id is None:
        return reply("utter_otp_send_failed")
    result = OtpService().send(app_id, phone, "sign", language)
    if result.ok:
        from nlu.parsers import mask_phone

        return reply("utter_sign_code_sent", phone=mask_phone(phone))
    return reply(
        f"utter_otp_{result.code}",
        "utter_otp_send_failed",
        seconds=result.retry_after or 60,
        minutes=max(1, round((result.retry_after or 60) / 60)),
    )


def sign_and_issue(sender_id: str, slots: Mapping[str, Any], code: str, language: str) -> Step:
    """Check the signing code, sign the agreement (PAdES), issue the virtual card."""
    from integrations.issuing.service import issue_card
    from integrations.kyc.otp import OtpService
    from integrations.kyc.record import check_from_phone, record_check
    from integrations.signing.service import sign_agreement

    reference = str(slots.get(c.APPLICATION_ID))
    app_id = applications.draft_or_open_id(sender_id)
    if app_id is None:
        return Step(handled=True, replies=[reply("utter_sign_not_possible")])
    result = OtpService().verify(app_id, code, "sign")
    if not result.ok:
        values = {"remaining": result.remaining or 0, "minutes": max(1, round((result.retry_after or 60) / 60))}
        return Step(
            handled=True,
            slots={c.SIGN_OTP: None, c.REQUESTED_SLOT: c.SIGN_OTP},
            replies=[reply(f"utter_otp_{result.code}", "utter_otp_malformed", **values)],
        )
    updates: dict[str, Any] = {c.SIGN_OTP: "verified"}
    if not slots.get(c.PHONE_VERIFIED):  # the signing code proves the phone too
        record_check(app_id, check_from_phone(result))
        updates[c.PHONE_VERIFIED] = True
    now = dt.datetime.now(dt.timezone.utc)
    accepted_at = slots.get("terms_accepted_at")
    consented = dt.datetime.fromtimestamp(float(accepted_at), dt.timezone.utc) if accepted_at else now
    try:
        sign_agreement(
            agreement_data(reference, slots, language),
            otp_verified_at=now,
            consented_at=consented,
            conversation_id=sender_id,
        )
    except Exception:
        logger.exception("signing failed")
        return Step(handled=True, slots=updates, replies=[reply("utter_sign_failed")])
    updates[c.AGREEMENT_SIGNED] = True
    updates[c.APPLICATION_STATUS] = applications.set_status(reference, Status.SIGNED)
    issued = issue_card(app_id, str(slots.get(c.CHOSEN_CARD)), credit_limit=int(slots.get(c.CREDIT_LIMIT) or 0) or None)
    replies = [reply("utter_signed")]
    if issued.ok and issued.card is not None:
        card = issued.card
        updates.update(
            {c.CARD_LAST4: card.card_last4, c.CARD_STATUS: card.card_status, c.APPLICATION_STATUS: Status.ISSUED.value}
        )
        reveal = (
            f"{get_settings().gateway_url}/cards/{card.card_id}#t={issued.reveal_token}" if issued.reveal_token else ""
        )
        replies.append(
            reply(
                "utter_card_issued",
                last4=card.card_last4,
                reveal_url=reveal,
                limit=money(int(card.credit_limit or 0), language),
            )
        )
    else:
        replies.append(reply("utter_card_issue_failed"))
    return Step(handled=True, slots=updates, replies=replies)


# --- the end of the form ----------------------------------------------------------------------


def finish(sender_id: str, slots: Mapping[str, Any], language: str) -> Outcome:
    """The form ended: say why, when it was not already said at the step that ended it."""
    if slots.get(c.CONSENT_GIVEN) is False or slots.get(c.STOP_REASON) == c.STOP_NO_CONSENT:
        return Outcome("utter_no_consent", slots={c.STOP_REASON: c.STOP_NO_CONSENT})
    if slots.get(c.STOP_REASON) == c.STOP_UNDER_AGE:
        from bot.erasure import erase_conversation

        erase_conversation(sender_id)  # erase the consent draft: nothing of a minor is kept
        return Outcome("utter_under_age", slots={s: None for s in ANSWER_SLOTS})
    if slots.get(c.STOP_REASON) == c.STOP_KYC_FAILED:
        return Outcome("utter_kyc_failed")
    if slots.get(c.TERMS_ACCEPTED) is False:
        return Outcome("utter_signing_later")
    if slots.get(c.CARD_LAST4):
        return Outcome("utter_card_controls_hint")
    if slots.get(c.APPLICATION_ID):
        return Outcome("utter_anything_else")
    return Outcome("utter_default")
