"""Turn logic of the application form, as pure functions of (slots, message).

The Rasa actions are thin: they build a :class:`Message` from the tracker, call one function
here, then emit the slot updates and the replies it returns. Tests drive these functions
directly with tables of messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from bot import const as c
from bot import fields, questionnaire
from bot.i18n import join, label, money
from nlu import parsers
from nlu.guard import problem

# Intents that mean "not an answer: do something else" when the classifier is sure of them.
CONTROL_INTENTS: Final = frozenset(
    {
        "faq",
        "switch_language",
        "handoff",
        "pause",
        "resume",
        "start_over",
        "withdraw_consent",
        "ask_status",
        "help",
        "correct",
        "goodbye",
        "thanks",
        "out_of_scope",
        "apply_card",
        "greet",
        "simulate_limit",
        "card_control",
    }
)
CONTROL_CONFIDENCE: Final = 0.5
VERY_SURE: Final = 0.8
HELP_AFTER_FAILURES: Final = 2
HANDOFF_AFTER_FAILURES: Final = 4


@dataclass(frozen=True)
class Message:
    text: str
    intent: str | None = None
    confidence: float = 0.0
    entities: Sequence[Mapping[str, Any]] = ()

    @property
    def is_payload(self) -> bool:
        return self.text.startswith("/")


@dataclass(frozen=True)
class Reply:
    """A response name (first that exists in the domain wins) and its template values."""

    candidates: tuple[str, ...]
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Step:
    handled: bool
    slots: dict[str, Any] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)
    consent_recorded: bool = False


def reply(*names: str, **values: Any) -> Reply:
    return Reply(tuple(names), values)


def _failure(slots: Mapping[str, Any], name: str, error: str | None) -> Step:
    count = int(slots.get(c.FAILED_COUNT) or 0) + 1 if slots.get(c.FAILED_FIELD) == name else 1
    replies = [reply(f"utter_invalid_{name}_{error}", f"utter_invalid_{name}", "utter_not_understood")]
    if count >= HELP_AFTER_FAILURES:
        replies.append(reply(f"utter_help_{name}"))
    if count >= HANDOFF_AFTER_FAILURES:
        replies.append(reply("utter_offer_handoff"))
    return Step(
        handled=True,
        slots={
            name: slots.get(name),
            c.FAILED_FIELD: name,
            c.FAILED_COUNT: count,
            c.CHANGE_REQUESTED: None,
            c.REQUESTED_SLOT: name,
        },
        replies=replies,
    )


def _accept(slots: Mapping[str, Any], name: str, answer: fields.Answer, language: str | None) -> Step:
    updates: dict[str, Any] = {name: answer.value, **answer.derived}
    replies: list[Reply] = []
    if answer.note == "converted_from_year":
        replies.append(reply("utter_converted_from_year", amount=f"{answer.value:,.0f}"))
    if slots.get(name) is not None and slots.get(name) != answer.value:
        merged = {**slots, **updates}
        updates.update({s: None for s in questionnaire.stale_after_change(name, merged)})
    updates.update({c.FAILED_FIELD: None, c.FAILED_COUNT: None, c.CHANGE_REQUESTED: None})
    return Step(handled=True, slots=updates, replies=replies)


def _early_answers(slots: Mapping[str, Any], msg: Message, current: str) -> dict[str, Any]:
    """ID number / phone given before they were asked ("张伟，15012345678"): keep them."""
    found: dict[str, Any] = {}
    if msg.is_payload or not slots.get(c.CONSENT_GIVEN):
        return found
    pieces = [msg.text, *re.split(r"[,，;；、\s]+", msg.text)]
    for name in fields.UNAMBIGUOUS:
        if name == current or slots.get(name) is not None:
            continue
        for piece in pieces:
            ans = fields.interpret(name, piece, msg.entities)
            if ans.ok:
                found[name] = ans.value
                found.update(ans.derived)
                break
    return found


def _answer_wins(current: str, answer: fields.Answer, msg: Message) -> bool:
    """A message that reads as a valid answer AND as a side request: which is it?

    ID and phone numbers are unmistakable. For closed choices and amounts ("the first one",
    "三万") the answer wins unless the classifier is very sure of the side request, and always
    against an FAQ "question" that is not phrased as one; free text
    (names, employers) never wins against a side request, since almost any words parse as one.
    """
    if not answer.ok:
        return False
    if current in fields.UNAMBIGUOUS:
        return True
    if current in fields.FREE_TEXT:
        return False
    if msg.intent == "faq" and not parsers.looks_like_question(msg.text):
        return True  # "never missed a payment" answers the question; it does not ask about repayment
    return msg.confidence < VERY_SURE


# A reader for questions answered through a service (identity verification): returns a Step, or
# None when the message holds nothing it recognises.
SpecialReader = Callable[[str, Mapping[str, Any], Message], "Step | None"]


def form_step(
    slots: Mapping[str, Any], msg: Message, today: dt.date | None = None, special: SpecialReader | None = None
) -> Step:
    """Validate the applicant's message against the open question; decide the next question.

    ``handled=False`` means the message is not an answer (a question, a request to switch
    language, hand off, pause…): the form then steps aside and the dialogue rules answer it.
    """
    today = today or dt.date.today()
    current = slots.get(c.REQUESTED_SLOT)
    if current is None:
        return Step(handled=True, slots={c.REQUESTED_SLOT: questionnaire.next_field(slots)})
    updates: dict[str, Any] = {}
    if slots.get(c.PENDING_CONFIRMATION):
        if msg.intent in ("affirm", "deny"):
            return Step(handled=False)
        updates[c.PENDING_CONFIRMATION] = None
    if not msg.is_payload:
        trouble = problem(msg.text)
        if trouble:
            return Step(
                handled=True,
                slots={**updates, current: slots.get(current), c.REQUESTED_SLOT: current},
                replies=[reply(f"utter_input_{trouble}")],
            )

    if special is not None and current not in fields.READERS:
        return _special_step(slots, msg, current, updates, special)

    answer = fields.interpret(
        current,
        msg.text,
        msg.entities,
        today=today,
        intent=msg.intent,
        confidence=msg.confidence,
        recommended_cards=slots.get("recommended_cards"),
    )
    sure_control = msg.intent in CONTROL_INTENTS and msg.confidence >= CONTROL_CONFIDENCE
    if msg.intent == "correct":
        target = fields.entity(msg.entities, "field")
        sure_control = target is not None and target != current
    if parsers.language_request(msg.text):
        sure_control = True
    if sure_control and not _answer_wins(current, answer, msg):
        return Step(handled=False)

    if answer.stop:
        return Step(handled=True, slots={**updates, c.STOP_REASON: answer.stop, c.REQUESTED_SLOT: None})
    if not answer.ok:
        step = _failure(slots, current, answer.error)
        step.slots.update(updates)
        return step

    if current == c.APPLICATION_CONFIRMED and answer.value is False:
        return Step(
            handled=True,
            slots={**updates, current: None, c.CHANGE_REQUESTED: True, c.REQUESTED_SLOT: current},
            replies=[reply("utter_ask_what_to_change")],
        )
    step = _accept(slots, current, answer, slots.get(c.LANGUAGE))
    step.slots.update(updates)
    step.slots.update(_early_answers(slots, msg, current))
    merged = {**slots, **step.slots}
    step.slots[c.REQUESTED_SLOT] = questionnaire.next_field(merged)
    step.consent_recorded = current == c.CONSENT_GIVEN and answer.value is True
    return step


def _special_step(
    slots: Mapping[str, Any], msg: Message, current: str, updates: dict[str, Any], special: SpecialReader
) -> Step:
    result = special(current, slots, msg)
    if result is None:
        if (msg.intent in CONTROL_INTENTS and msg.confidence >= CONTROL_CONFIDENCE) or parsers.language_request(
            msg.text
        ):
            return Step(handled=False)
        step = _failure(slots, current, None)
        step.slots.update(updates)
        return step
    result.slots = {**updates, **result.slots}
    if c.REQUESTED_SLOT not in result.slots:
        result.slots[c.REQUESTED_SLOT] = questionnaire.next_field({**slots, **result.slots})
    if result.slots.get(current) is not None:
        result.slots.update({c.FAILED_FIELD: None, c.FAILED_COUNT: None})
    return result


def offers_application(intent: str | None, slots: Mapping[str, Any], active_loop: str | None) -> bool:
    """An answer or a "yes" before any application was started ("my name is Lucy Wang", "sure"):
    offer to start one, consent first, instead of a generic "not understood". Not after the
    applicant declined consent, and not once an application exists."""
    return (
        active_loop is None
        and intent in ("inform", "affirm")
        and slots.get(c.CONSENT_GIVEN) is None
        and not slots.get(c.APPLICATION_ID)
    )


def resume_step(slots: Mapping[str, Any]) -> Step:
    """Coming back to the form after a side path (FAQ, language switch…): ask what is still open."""
    return Step(handled=True, slots={c.REQUESTED_SLOT: questionnaire.next_field(slots)})


# --- corrections ----------------------------------------------------------------------------

_VALUE_MARKERS = re.compile(
    r"(?:改成|改为|换成|更正为|应该是|应是|其实是|实际是|是|为|to|is|should be|actually)\s*[:：]?\s*", re.IGNORECASE
)


def _value_candidates(text: str) -> list[str]:
    parts = _VALUE_MARKERS.split(text)
    tail = parts[-1].strip(" ，,。.!！") if len(parts) > 1 else ""
    return [t for t in (tail, text) if t]


def correction_step(slots: Mapping[str, Any], msg: Message, today: dt.date | None = None) -> Step:
    """ "刚才收入说错了，是三万" / "change my income to 20k" / a "修改收入" button."""
    language = slots.get(c.LANGUAGE)
    if slots.get(c.APPLICATION_ID):
        return Step(handled=True, replies=[reply("utter_correct_after_submit")])
    target = fields.entity(msg.entities, "field") or parsers.detect_field(msg.text)
    if target is None:
        # "不对" with no field: if a question is open, it is about that question.
        target = slots.get(c.REQUESTED_SLOT)
    if target is None or target not in questionnaire.slot_names() or target == c.CONSENT_GIVEN:
        return Step(handled=True, replies=[reply("utter_correct_which")])

    answer = fields.NOT_FOUND
    if not msg.is_payload:
        for candidate in _value_candidates(msg.text):
            answer = fields.interpret(
                target,
                candidate,
                msg.entities,
                today=today or dt.date.today(),
                recommended_cards=slots.get("recommended_cards"),
            )
            if answer.ok or answer.error not in (None, "not_found"):
                break
    field_label = label(f"field.{target}", language)
    if answer.stop:
        return Step(handled=True, slots={c.STOP_REASON: answer.stop, c.REQUESTED_SLOT: None})
    if answer.ok:
        step = _accept(slots, target, answer, language)
        if slots.get(target) is None:  # nothing to correct yet: a plain early answer
            step.slots.update({c.APPLICATION_CONFIRMED: None})
        merged = {**slots, **step.slots}
        step.slots[c.REQUESTED_SLOT] = questionnaire.next_field(merged)
        step.replies.append(
            reply("utter_corrected", field=field_label, value=display_value(target, answer.value, language))
        )
        return step
    if answer.error not in (None, "not_found"):
        return _failure(slots, target, answer.error)
    # No new value given: clear the answer so the form asks it again.
    cleared: dict[str, Any] = {target: None, c.APPLICATION_CONFIRMED: None, c.CHANGE_REQUESTED: None}
    cleared.update({s: None for s in questionnaire.stale_after_change(target, {**slots, **cleared})})
    merged = {**slots, **cleared}
    cleared[c.REQUESTED_SLOT] = questionnaire.next_field(merged)
    return Step(handled=True, slots=cleared, replies=[reply("utter_correct_ask_value", field=field_label)])


# --- presenting answers ---------------------------------------------------------------------


def display_value(name: str, value: Any, language: str | None) -> str:
    from bot.catalog import get_catalog

    if value is None:
        return "-"
    if name == c.ID_NUMBER:
        return f"{value[:3]}***********{value[-4:]}"
    if name == c.PHONE:
        return parsers.mask_phone(value)
    if name in (c.MONTHLY_INCOME, c.MONTHLY_DEBT_PAYMENT):
        return label("none", language) if not value else money(value, language, per_month=True)
    if name in (c.EMPLOYMENT_TYPE, c.HOUSING):
        return label(f"{name}.{value}", language)
    if name == c.SPENDING_CATEGORIES:
        return join([label(f"spending_categories.{v}", language) for v in value], language)
    if name == c.JOB_YEARS:
        return label("years", language, years=f"{float(value):g}")
    if name == c.PAST_ARREARS:
        return label(f"yes_no.{'yes' if value else 'no'}", language)
    if name == c.CHOSEN_CARD:
        card = get_catalog().get(value)
        return card.name(language) if card else str(value)
    return str(value)


def summary(slots: Mapping[str, Any]) -> str:
    """One line per answered field, personal numbers masked."""
    language = slots.get(c.LANGUAGE)
    lines = []
    for name in c.APPLICANT_FIELDS:
        if name in (c.EMPLOYER, c.JOB_YEARS) and slots.get(name) is None:
            continue
        lines.append(f"• {label(f'field.{name}', language)}: {display_value(name, slots.get(name), language)}")
    return "\n".join(lines)
