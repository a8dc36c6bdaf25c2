"""Beginning and end of an application in the conversation."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from bot import const as c
from bot.application import Applicant, IncompleteApplication
from bot.i18n import label
from bot.settings import get_settings
from bot.status import FINAL, Status
from bot.store import applications
from bot.store.applications import ApplicationView

logger = logging.getLogger(__name__)

# Everything an application collects; cleared when a new application starts.
ANSWER_SLOTS: Final = (
    c.FULL_NAME,
    c.ID_NUMBER,
    c.BIRTH_DATE,
    c.SEX,
    c.PHONE,
    c.EMPLOYMENT_TYPE,
    c.EMPLOYER,
    c.MONTHLY_INCOME,
    c.HOUSING,
    c.MONTHLY_DEBT_PAYMENT,
    c.SPENDING_CATEGORIES,
    "recommended_cards",
    c.CHOSEN_CARD,
    c.APPLICATION_CONFIRMED,
    c.CHANGE_REQUESTED,
    c.FAILED_FIELD,
    c.FAILED_COUNT,
)
APPLICATION_SLOTS: Final = (*ANSWER_SLOTS, c.APPLICATION_ID, c.APPLICATION_STATUS, c.STOP_REASON, c.REQUESTED_SLOT)


@dataclass
class Outcome:
    response: str
    values: dict[str, Any] = field(default_factory=dict)
    slots: dict[str, Any] = field(default_factory=dict)


def start_updates(slots: Mapping[str, Any], view: ApplicationView | None) -> dict[str, Any]:
    """Slot updates before the form opens (see ActionStartApplication)."""
    if view is not None and view.reference and Status(view.status) not in FINAL:
        return {c.APPLICATION_ID: view.reference, c.APPLICATION_STATUS: view.status}
    updates: dict[str, Any] = {}
    ended = view is not None and Status(view.status) in FINAL
    if ended or slots.get(c.APPLICATION_ID):
        updates.update({s: None for s in APPLICATION_SLOTS})
    if slots.get(c.STOP_REASON) or slots.get(c.CONSENT_GIVEN) is False or ended:
        updates.update({c.STOP_REASON: None, c.CONSENT_GIVEN: None, c.REQUESTED_SLOT: None})
    return updates


def status_url(reference: str, token: str) -> str:
    # The token travels in the URL fragment: browsers never send it to servers or proxies' logs.
    return f"{get_settings().gateway_url}/applications/{reference}#t={token}"


def finish(sender_id: str, slots: Mapping[str, Any], language: str) -> Outcome:
    """The form ended: decide what to say and store, from why it ended."""
    if slots.get(c.APPLICATION_ID):
        return Outcome(
            "utter_already_submitted",
            {
                "application_id": slots[c.APPLICATION_ID],
                "status": label(f"status.{slots.get(c.APPLICATION_STATUS) or 'submitted'}", language),
            },
        )
    if slots.get(c.CONSENT_GIVEN) is False or slots.get(c.STOP_REASON) == c.STOP_NO_CONSENT:
        return Outcome("utter_no_consent", slots={c.STOP_REASON: c.STOP_NO_CONSENT})
    if slots.get(c.STOP_REASON) == c.STOP_UNDER_AGE:
        applications.withdraw(sender_id)  # erase the consent draft: nothing of a minor is kept
        return Outcome("utter_under_age", slots={s: None for s in ANSWER_SLOTS})
    try:
        applicant = Applicant.from_slots(slots)
    except IncompleteApplication as exc:
        logger.error("form ended with missing answers: %s", exc.missing)
        return Outcome("utter_default")
    sub = applications.submit(sender_id, applicant, language)
    slots_out = {c.APPLICATION_ID: sub.reference, c.APPLICATION_STATUS: sub.status}
    if sub.owner_token is None:  # a retried submission: the link was handed out the first time
        return Outcome(
            "utter_already_submitted",
            {"application_id": sub.reference, "status": label(f"status.{sub.status}", language)},
            slots_out,
        )
    return Outcome(
        "utter_submitted",
        {
            "application_id": sub.reference,
            "status": label(f"status.{sub.status}", language),
            "status_url": status_url(sub.reference, sub.owner_token),
        },
        slots_out,
    )
