"""The application form: validation of each answer, and the two questions built from data."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import emit, language, message, returning_to_form, utter
from bot import const as c
from bot import dialogue, turn, verification
from bot.i18n import label
from bot.recommend import Profile, recommend


class ValidateApplicationForm(Action):
    """Reads the answer to the open question (bot.dialogue.form_step) and picks the next one."""

    def name(self) -> str:
        return f"validate_{c.APPLICATION_FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        slots = dict(tracker.slots)
        if returning_to_form(tracker):
            step = dialogue.resume_step(slots)
        else:
            # In a worker thread: the turn may sign a PDF (pyHanko runs its own event loop) or
            # touch the database, and must not block the action server's loop meanwhile.
            step = await asyncio.to_thread(turn.form_turn, tracker.sender_id, slots, message(tracker))
        if not step.handled:
            return []  # not an answer: the form steps aside and a rule handles the message
        return emit(dispatcher, domain, step)


class ActionAskChosenCard(Action):
    """Recommends cards for this applicant (bot.recommend) with one button per card."""

    def name(self) -> str:
        return "action_ask_chosen_card"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        lang = language(tracker)
        profile = Profile(
            employment_type=tracker.get_slot(c.EMPLOYMENT_TYPE) or "unemployed",
            monthly_income=float(tracker.get_slot(c.MONTHLY_INCOME) or 0),
            spending_categories=tuple(tracker.get_slot(c.SPENDING_CATEGORIES) or ()),
        )
        recs = recommend(profile)
        if not recs:
            dispatcher.utter_message(response="utter_no_eligible_card")
            return [SlotSet("recommended_cards", [])]
        lines = [f"{i}. {r.card.name(lang)}: {r.reason(lang)}" for i, r in enumerate(recs, start=1)]
        buttons = [{"title": r.card.name(lang), "payload": f'/inform{{"chosen_card":"{r.card.code}"}}'} for r in recs]
        dispatcher.utter_message(response="utter_recommendations", cards="\n".join(lines), buttons=buttons)
        return [SlotSet("recommended_cards", [r.card.code for r in recs])]


class ActionAskApplicationConfirmed(Action):
    """Shows the summary of every answer (personal numbers masked) and asks to confirm."""

    def name(self) -> str:
        return "action_ask_application_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot(c.CHANGE_REQUESTED):
            return []  # the applicant was just asked what to change; do not repeat the summary
        dispatcher.utter_message(response="utter_summary", summary=dialogue.summary(dict(tracker.slots)))
        return []


class ActionAskDocumentConfirmed(Action):
    """Shows what was read from the ID document (numbers masked) and asks to confirm."""

    def name(self) -> str:
        return "action_ask_document_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        slots = dict(tracker.slots)
        lang = language(tracker)
        lines = [
            f"• {label(f'field.{name}', lang)}: {dialogue.display_value(name, slots.get(name), lang)}"
            for name in (c.FULL_NAME, c.ID_NUMBER, c.BIRTH_DATE)
            if slots.get(name)
        ]
        dispatcher.utter_message(response="utter_ask_document_confirmed", fields="\n".join(lines))
        return []


class ActionAskPhoneOtp(Action):
    """Sends the SMS code (unless one was sent moments ago) and asks for it."""

    def name(self) -> str:
        return "action_ask_phone_otp"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events: list[EventType] = []
        sent_at = tracker.get_slot("otp_sent_at")
        if not sent_at or time.time() - float(sent_at) > verification.CODE_LIFETIME_SECONDS:
            sent = verification.send_phone_code(tracker.sender_id, str(tracker.get_slot(c.PHONE)), language(tracker))
            utter(dispatcher, domain, sent)
            events.append(SlotSet("otp_sent_at", time.time()))
        dispatcher.utter_message(response="utter_ask_phone_otp")
        return events


class ActionAskLivenessCheck(Action):
    """A fresh 4-digit code to read aloud (or type) with a selfie."""

    def name(self) -> str:
        return "action_ask_liveness_check"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        parts = tracker.get_slot("liveness_parts") or {}
        if "challenge" in parts:  # code done, only the selfie is missing: no new code
            dispatcher.utter_message(response="utter_liveness_need_selfie")
            return []
        issued_at = tracker.get_slot("liveness_issued_at")
        if "selfie" in parts and issued_at and time.time() - float(issued_at) < verification.CHALLENGE_REUSE_SECONDS:
            return []  # the selfie just arrived; the code shown a moment ago still stands
        code = verification.issue_challenge(tracker.sender_id)
        if code is None:
            dispatcher.utter_message(response="utter_liveness_challenge_locked")
            return []
        dispatcher.utter_message(response="utter_ask_liveness_check", code=" ".join(code))
        return [SlotSet("liveness_issued_at", time.time())]
