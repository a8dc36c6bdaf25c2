"""What an applicant can do at any point: correct, get help, reach a human, start over, withdraw."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import emit, language, message, slot_events
from bot import const as c
from bot import dialogue, erasure
from bot.lifecycle import ANSWER_SLOTS
from bot.settings import get_settings
from bot.store import applications
from nlu.guard import problem


class ActionCorrectField(Action):
    def name(self) -> str:
        return "action_correct_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return emit(dispatcher, domain, dialogue.correction_step(dict(tracker.slots), message(tracker)))


class ActionExplainField(Action):
    """The expected format of the open question, with an example."""

    def name(self) -> str:
        return "action_explain_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        open_field = tracker.get_slot(c.REQUESTED_SLOT)
        name = f"utter_help_{open_field}"
        dispatcher.utter_message(response=name if name in domain.get("responses", {}) else "utter_default")
        return []


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """The conversation so far, as the human agent should see it."""
    lines = []
    for event in tracker.events:
        if event.get("event") in ("user", "bot") and (event.get("text") or "").strip():
            lines.append(
                {
                    "from": "applicant" if event["event"] == "user" else "assistant",
                    "at": dt.datetime.fromtimestamp(event.get("timestamp") or 0, dt.timezone.utc).isoformat(
                        timespec="seconds"
                    ),
                    "text": event["text"],
                }
            )
    return lines


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        lang = language(tracker)
        ref = applications.create_handoff(tracker.sender_id, transcript(tracker), lang)
        settings = get_settings()
        hours = settings.handoff_hours_en if lang == "en" else settings.handoff_hours_zh
        dispatcher.utter_message(response="utter_handoff", handoff_ref=ref, hours=hours)
        return []


class ActionAskRestart(Action):
    def name(self) -> str:
        return "action_ask_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot(c.APPLICATION_ID):
            dispatcher.utter_message(response="utter_correct_after_submit")
            return []
        dispatcher.utter_message(response="utter_ask_restart")
        return [SlotSet(c.PENDING_CONFIRMATION, "restart")]


class ActionAskWithdraw(Action):
    def name(self) -> str:
        return "action_ask_withdraw"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_ask_withdraw")
        return [SlotSet(c.PENDING_CONFIRMATION, "withdraw")]


class ActionRestartApplication(Action):
    """Start over: forget the answers (consent and language stay)."""

    def name(self) -> str:
        return "action_restart_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        applications.reset_draft(tracker.sender_id)
        dispatcher.utter_message(response="utter_restarted")
        cleared = {s: None for s in ANSWER_SLOTS}
        cleared.update({c.PENDING_CONFIRMATION: None, c.REQUESTED_SLOT: None})
        return slot_events(cleared)


class ActionWithdrawConsent(Action):
    """Withdraw consent: erase the applicant's data and this conversation's history.

    The tracker store deletes the stored events when it sees this action (bot/tracker_store.py).
    """

    def name(self) -> str:
        return "action_withdraw_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        erasure.erase_conversation(tracker.sender_id)
        dispatcher.utter_message(response="utter_withdrawn")
        # Every slot emptied (the language stays, so the goodbye and what follows match).
        return [ActiveLoop(None), *slot_events({s: None for s in tracker.slots if s != c.LANGUAGE})]


class ActionCancelPending(Action):
    def name(self) -> str:
        return "action_cancel_pending"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_pending_cancelled")
        return [SlotSet(c.PENDING_CONFIRMATION, None)]


class ActionReprompt(Action):
    """Not understood: say why when we can tell (empty, emoji, markup, too long), else offer help."""

    def name(self) -> str:
        return "action_reprompt"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        msg = message(tracker)
        trouble = None if msg.is_payload else problem(msg.text)
        if trouble:
            dispatcher.utter_message(response=f"utter_input_{trouble}")
        elif dialogue.offers_application(msg.intent, dict(tracker.slots), tracker.active_loop_name):
            dispatcher.utter_message(response="utter_offer_application")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
