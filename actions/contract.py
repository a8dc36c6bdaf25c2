"""After the decision: the agreement's terms, the signing code, the card, the limit simulator."""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import emit, language, message, utter
from bot import cards, lifecycle, simulator
from bot import const as c


class ActionAskTermsAccepted(Action):
    """Key terms in plain words, a private link to the full PDF, and "I agree"."""

    def name(self) -> str:
        return "action_ask_terms_accepted"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        reference = str(tracker.get_slot(c.APPLICATION_ID))
        utter(dispatcher, domain, lifecycle.terms(reference, dict(tracker.slots), language(tracker)))
        return []


class ActionAskSignOtp(Action):
    """Sends the signing code (once per request) and asks for it."""

    def name(self) -> str:
        return "action_ask_sign_otp"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events: list[EventType] = []
        sent_at = tracker.get_slot("sign_otp_sent_at")
        if not sent_at or time.time() - float(sent_at) > 300:
            utter(
                dispatcher, domain, lifecycle.send_sign_code(tracker.sender_id, dict(tracker.slots), language(tracker))
            )
            events.append(SlotSet("sign_otp_sent_at", time.time()))
        dispatcher.utter_message(response="utter_ask_sign_otp")
        return events


class ActionCardControl(Action):
    def name(self) -> str:
        return "action_card_control"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return emit(dispatcher, domain, cards.control(tracker.sender_id, message(tracker).text, language(tracker)))


class ActionSimulateLimit(Action):
    def name(self) -> str:
        return "action_simulate_limit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        step = simulator.simulate(dict(tracker.slots), message(tracker).text, language(tracker))
        return emit(dispatcher, domain, step)
