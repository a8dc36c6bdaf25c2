"""Shared helpers for kaika's actions: typed views of the tracker and of the domain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import const as c
from bot.dialogue import Message, Reply, Step
from bot.i18n import lang_or_default

# Events that may follow the applicant's message without being an answer to a side path.
_FORM_MACHINERY = {"action_listen", "action_extract_slots", c.APPLICATION_FORM, f"validate_{c.APPLICATION_FORM}"}


class EntityDict(TypedDict, total=False):
    entity: str
    value: Any
    start: int
    end: int
    extractor: str


class IntentDict(TypedDict, total=False):
    name: str
    confidence: float


def language(tracker: Tracker) -> str:
    return lang_or_default(tracker.get_slot(c.LANGUAGE))


def message(tracker: Tracker) -> Message:
    latest = tracker.latest_message or {}
    intent: IntentDict = latest.get("intent") or IntentDict()
    entities: list[EntityDict] = latest.get("entities") or []
    return Message(
        text=latest.get("text") or "",
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        entities=tuple(entities),
    )


def returning_to_form(tracker: Tracker) -> bool:
    """True when the form runs again after a side path (or is being activated) rather than right
    after the applicant's message: then the message was already dealt with."""
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return False
        if kind == "active_loop" and event.get("name"):
            return True
        if kind == "action" and event.get("name") not in _FORM_MACHINERY:
            return True
    return False


def utter(dispatcher: CollectingDispatcher, domain: dict[str, Any], reply: Reply) -> None:
    responses = domain.get("responses", {})
    name = next((n for n in reply.candidates if n in responses), None)
    if name is not None:
        dispatcher.utter_message(response=name, **dict(reply.values))


def slot_events(values: dict[str, Any]) -> list[EventType]:
    return [SlotSet(k, v) for k, v in values.items()]


def emit(dispatcher: CollectingDispatcher, domain: dict[str, Any], step: Step) -> list[EventType]:
    for r in step.replies:
        utter(dispatcher, domain, r)
    return slot_events(step.slots)


def reset_values(names: Iterable[str]) -> dict[str, Any]:
    return {n: None for n in names}
