"""Starting, finishing and looking up an application."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language, slot_events
from bot import const as c
from bot import lifecycle
from bot.i18n import label
from bot.store import applications

logger = logging.getLogger(__name__)


class ActionStartApplication(Action):
    """Before the form opens: a conversation with an open application is told its status; one
    whose last application ended (or that stopped before submitting) starts afresh."""

    def name(self) -> str:
        return "action_start_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        view = applications.latest_for_conversation(tracker.sender_id)
        return slot_events(lifecycle.start_updates(dict(tracker.slots), view))


class ActionFinishApplication(Action):
    """After the form: submit, or close politely (no consent, under 18, already submitted)."""

    def name(self) -> str:
        return "action_finish_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        outcome = lifecycle.finish(tracker.sender_id, dict(tracker.slots), language(tracker))
        dispatcher.utter_message(response=outcome.response, **outcome.values)
        return slot_events(outcome.slots)


class ActionApplicationStatus(Action):
    """ "我的申请到哪一步了" / "what's my application status"."""

    def name(self) -> str:
        return "action_application_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        lang = language(tracker)
        view = applications.latest_for_conversation(tracker.sender_id)
        if view is None or view.reference is None:
            open_field = tracker.get_slot(c.REQUESTED_SLOT)
            if tracker.get_slot(c.CONSENT_GIVEN) and open_field:
                dispatcher.utter_message(
                    response="utter_status_in_progress",
                    field=label(f"field.{open_field}", lang)
                    if open_field != c.APPLICATION_CONFIRMED
                    else label("field.chosen_card", lang),
                )
            else:
                dispatcher.utter_message(response="utter_status_none")
            return []
        since = view.history[-1]["at"] if view.history else view.created_at
        dispatcher.utter_message(
            response="utter_status",
            application_id=view.reference,
            status=label(f"status.{view.status}", lang),
            since=(since or "")[:16].replace("T", " "),
        )
        return [SlotSet(c.APPLICATION_ID, view.reference), SlotSet(c.APPLICATION_STATUS, view.status)]
