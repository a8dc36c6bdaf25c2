"""The actions with tracker fixtures: what they say and which slots they set."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.control import ActionHandoff, ActionWithdrawConsent
from actions.form import ActionAskApplicationConfirmed, ActionAskChosenCard, ValidateApplicationForm
from actions.language import ActionDetectLanguage
from actions.lifecycle import ActionApplicationStatus, ActionFinishApplication
from bot import const as c

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: dict[str, Any] = Domain.load(str(ROOT / "domain")).as_dict()


def tracker(
    slots: dict[str, Any],
    text: str = "",
    intent: str = "inform",
    conf: float = 0.9,
    entities: list[dict] | None = None,
    events: list[dict] | None = None,
    sender: str = "test-user",
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": conf}, "entities": entities or []}
    evts = (
        events
        if events is not None
        else [
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text, "parse_data": latest},
            {"event": "action", "name": "action_extract_slots"},
        ]
    )
    return Tracker(sender, slots, latest, evts, False, None, {"name": c.APPLICATION_FORM}, "action_listen")


def run(action: Any, trk: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, trk, DOMAIN))
    return events, dispatcher.messages


def slotsets(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


FILLED = {
    c.LANGUAGE: "en",
    c.CONSENT_GIVEN: True,
    c.ID_DOCUMENT: "manual",
    c.PHONE_OTP: "deferred",
    c.LIVENESS_CHECK: "deferred",
    c.JOB_YEARS: 4.0,
    c.PAST_ARREARS: False,
    c.FULL_NAME: "Emily Chen",
    c.ID_NUMBER: "350203197705124516",
    c.BIRTH_DATE: "1977-05-12",
    c.SEX: "M",
    c.PHONE: "+6591234567",
    c.EMPLOYMENT_TYPE: "employed",
    c.EMPLOYER: "Initech",
    c.MONTHLY_INCOME: 12000,
    c.HOUSING: "rent",
    c.MONTHLY_DEBT_PAYMENT: 0,
    c.SPENDING_CATEGORIES: ["travel"],
    c.CHOSEN_CARD: "KK_TRAVEL",
    c.APPLICATION_CONFIRMED: True,
}


def test_consent_opens_a_draft_and_asks_the_name(store: Path) -> None:
    from bot.store import applications

    events, messages = run(
        ValidateApplicationForm(), tracker({c.REQUESTED_SLOT: c.CONSENT_GIVEN}, "我同意", "affirm", 0.97)
    )
    assert slotsets(events) == {
        c.CONSENT_GIVEN: True,
        c.FAILED_FIELD: None,
        c.FAILED_COUNT: None,
        c.CHANGE_REQUESTED: None,
        c.REQUESTED_SLOT: c.ID_DOCUMENT,
    }
    assert messages == []
    view = applications.latest_for_conversation("test-user")
    assert view is not None and view.status == "draft"


def test_a_side_request_is_rejected_so_rules_can_answer_it(store: Path) -> None:
    events, _ = run(
        ValidateApplicationForm(),
        tracker({c.REQUESTED_SLOT: c.EMPLOYER, c.CONSENT_GIVEN: True}, "年费多少？", "faq", 0.93),
    )
    assert events == []


def test_after_a_side_path_the_form_asks_again_without_rereading_the_message(store: Path) -> None:
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "年费多少？", "parse_data": {}},
        {"event": "action", "name": "utter_faq"},
        {"event": "bot", "text": "…"},
        {"event": "action", "name": c.APPLICATION_FORM},
    ]
    trk = tracker(
        {c.CONSENT_GIVEN: True, c.ID_DOCUMENT: "manual", c.FULL_NAME: "张伟", c.REQUESTED_SLOT: c.ID_NUMBER},
        "年费多少？",
        "faq",
        events=events,
    )
    out, messages = run(ValidateApplicationForm(), trk)
    assert out == [{"event": "slot", "timestamp": None, "name": c.REQUESTED_SLOT, "value": c.ID_NUMBER}]
    assert messages == []


def test_invalid_answer_is_explained_in_the_applicants_language(store: Path) -> None:
    out, messages = run(
        ValidateApplicationForm(), tracker({c.LANGUAGE: "en", c.CONSENT_GIVEN: True, c.REQUESTED_SLOT: c.PHONE}, "1234")
    )
    assert slotsets(out)[c.PHONE] is None
    assert [m["response"] for m in messages] == ["utter_invalid_phone_too_short"]


def test_card_question_offers_only_eligible_cards_with_buttons() -> None:
    slots = {**FILLED, c.CHOSEN_CARD: None, c.APPLICATION_CONFIRMED: None}
    out, messages = run(ActionAskChosenCard(), tracker(slots))
    offered = slotsets(out)["recommended_cards"]
    assert offered[0] == "KK_TRAVEL" and "KK_PLATINUM" not in offered  # income 12k < 30k
    assert [b["payload"] for b in messages[0]["buttons"]] == [f'/inform{{"chosen_card":"{code}"}}' for code in offered]
    assert "Skyway" in messages[0]["cards"]


def test_summary_masks_numbers() -> None:
    _, messages = run(ActionAskApplicationConfirmed(), tracker(FILLED))
    summary = messages[0]["summary"]
    assert "350203197705124516" not in summary and "4516" in summary


def test_confirming_the_summary_submits_once_decides_and_hands_out_a_private_link(store: Path) -> None:
    confirm = {**FILLED, c.APPLICATION_CONFIRMED: None, c.REQUESTED_SLOT: c.APPLICATION_CONFIRMED}
    out, messages = run(ValidateApplicationForm(), tracker(confirm, "yes, confirm", "affirm", 0.95))
    slots = slotsets(out)
    ref = slots[c.APPLICATION_ID]
    responses = [m["response"] for m in messages]
    assert responses[0] == "utter_submitted" and f"/applications/{ref}#t=" in messages[0]["status_url"]
    assert responses[1].startswith("utter_decision_") and slots[c.DECISION] in ("approve", "refer", "decline")
    assert slots[c.APPLICATION_STATUS] in ("approved", "referred", "declined")
    # typed identity and deferred codes: a person must review before approval
    assert slots[c.DECISION] == "refer"
    again, messages2 = run(
        ValidateApplicationForm(),
        tracker(
            {**confirm, **slots, c.APPLICATION_ID: None, c.REQUESTED_SLOT: c.APPLICATION_CONFIRMED},
            "yes, confirm",
            "affirm",
            0.95,
        ),
    )
    assert slotsets(again)[c.APPLICATION_ID] == ref and messages2[0]["response"] == "utter_already_submitted"
    _, status_msgs = run(ActionApplicationStatus(), tracker({c.LANGUAGE: "en"}))
    assert status_msgs[0]["application_id"] == ref and status_msgs[0]["status"].startswith("under manual review")


@pytest.mark.parametrize(
    ("slots", "response"),
    [
        ({c.CONSENT_GIVEN: False}, "utter_no_consent"),
        ({c.CONSENT_GIVEN: True, c.STOP_REASON: c.STOP_UNDER_AGE}, "utter_under_age"),
    ],
)
def test_finishing_without_an_application(store: Path, slots: dict, response: str) -> None:
    from bot.store import applications

    _, messages = run(ActionFinishApplication(), tracker(slots))
    assert messages[0]["response"] == response
    assert applications.count() == 0


def test_handoff_records_the_transcript(store: Path) -> None:
    from bot.store import applications

    events = [
        {"event": "user", "text": "我想办卡", "timestamp": 1.0},
        {"event": "bot", "text": "好的", "timestamp": 2.0},
        {"event": "user", "text": "转人工", "timestamp": 3.0},
    ]
    _, messages = run(ActionHandoff(), tracker({c.LANGUAGE: "zh"}, "转人工", "handoff", events=events))
    [handoff] = applications.open_handoffs()
    assert messages[0]["handoff_ref"] == handoff["reference"]
    assert [t["text"] for t in handoff["transcript"]] == ["我想办卡", "好的", "转人工"]


def test_withdrawal_erases_and_empties_every_slot(store: Path) -> None:
    from bot.store import applications

    confirm = {**FILLED, c.APPLICATION_CONFIRMED: None, c.REQUESTED_SLOT: c.APPLICATION_CONFIRMED}
    run(ValidateApplicationForm(), tracker(confirm, "yes, confirm", "affirm", 0.95))
    out, messages = run(ActionWithdrawConsent(), tracker(FILLED))
    assert messages[0]["response"] == "utter_withdrawn"
    assert all(v is None for k, v in slotsets(out).items())
    assert applications.latest_for_conversation("test-user").applicant is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("current", "text", "intent", "expected"),
    [
        (None, "我想办信用卡", "apply_card", "zh"),
        (None, "I'd like a credit card", "apply_card", "en"),
        ("zh", "switch to English", "switch_language", "en"),
        ("en", "说中文", "switch_language", "zh"),
        ("zh", "Emily Chen", "inform", None),
        (None, "/affirm", "affirm", None),
    ],
)
def test_language_detection_and_switching(current: str | None, text: str, intent: str, expected: str | None) -> None:
    out, _ = run(ActionDetectLanguage(), tracker({c.LANGUAGE: current}, text, intent, 0.95))
    assert slotsets(out).get(c.LANGUAGE) == expected


def _outside_the_form(slots: dict[str, Any], text: str, intent: str) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker("test-user", slots, latest, events, False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("slots", "text", "intent", "response"),
    [
        ({c.LANGUAGE: "en"}, "my name is Lucy Wang", "inform", "utter_offer_application"),
        ({c.LANGUAGE: "zh"}, "好的", "affirm", "utter_offer_application"),
        ({c.LANGUAGE: "en", c.CONSENT_GIVEN: False}, "Lucy Wang", "inform", "utter_default"),  # declined: no pushing
        ({c.LANGUAGE: "en", c.APPLICATION_ID: "KK261128-7F3Q9X"}, "yes", "affirm", "utter_default"),
        ({c.LANGUAGE: "en"}, "<script>alert(1)</script>", "inform", "utter_input_markup"),
        ({c.LANGUAGE: "en"}, "blorp", "nlu_fallback", "utter_default"),
    ],
)
def test_an_answer_before_any_application_is_met_with_an_offer_to_start_one(
    slots: dict[str, Any], text: str, intent: str, response: str
) -> None:
    from actions.control import ActionReprompt

    events, messages = run(ActionReprompt(), _outside_the_form(slots, text, intent))
    assert events == [] and [m["response"] for m in messages] == [response]
