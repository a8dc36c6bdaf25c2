"""The application form: validation of each answer, and the two questions built from data."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import emit, language, message, returning_to_form
from bot import const as c
from bot import dialogue
from bot.recommend import Profile, recommend
from bot.store import applications


class ValidateApplicationForm(Action):
    """Reads the answer to the open question (bot.dialogue.form_step) and picks the next one."""

    def name(self) -> str:
        return f"validate_{c.APPLICATION_FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        slots = dict(tracker.slots)
        if returning_to_form(tracker):
            step = dialogue.resume_step(slots)
        else:
            step = dialogue.form_step(slots, message(tracker))
        if not step.handled:
            return []  # not an answer: the form steps aside and a rule handles the message
        if step.consent_recorded:
            applications.open_draft(tracker.sender_id, language(tracker), c.PRIVACY_NOTICE_VERSION)
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
