"""The ``language`` slot: detected from the first message, switched on request."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import message
from bot import const as c
from bot.languages import choose_language


class ActionDetectLanguage(Action):
    """Runs after every message (custom slot mapping of ``language``)."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        new = choose_language(tracker.get_slot(c.LANGUAGE), message(tracker))
        return [SlotSet(c.LANGUAGE, new)] if new and new != tracker.get_slot(c.LANGUAGE) else []
