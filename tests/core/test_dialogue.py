"""The form's turn logic (bot.dialogue), driven by tables of applicant messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot import const as c
from bot.dialogue import Message, correction_step, form_step, resume_step, summary
from nlu.parsers import check_digit

TODAY = dt.date(2026, 11, 28)
# Consent given and the verification questions answered (typed identity, codes deferred), so the
# tables below exercise the questionnaire itself.
CONSENTED = {
    c.CONSENT_GIVEN: True,
    c.LANGUAGE: "zh",
    c.ID_DOCUMENT: "manual",
    c.PHONE_OTP: "deferred",
    c.LIVENESS_CHECK: "deferred",
}


def with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def step(slots: dict[str, Any], text: str, intent: str = "inform", conf: float = 0.9, entities=()):  # type: ignore[no-untyped-def]
    return form_step(slots, Message(text, intent, conf, tuple(entities)), today=TODAY)


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        (c.FULL_NAME, "张伟", "张伟"),
        (c.FULL_NAME, "我叫欧阳娜娜", "欧阳娜娜"),
        (c.FULL_NAME, "Emily Chen", "Emily Chen"),
        (c.FULL_NAME, "my name is john smith", "John Smith"),
        (c.ID_NUMBER, "420106198008251161", "420106198008251161"),
        (c.ID_NUMBER, "身份证号 11010519491231002x", "11010519491231002X"),
        (c.PHONE, "15012345678", "+8615012345678"),
        (c.PHONE, "+65 9123 4567", "+6591234567"),
        (c.EMPLOYMENT_TYPE, "上班族", "employed"),
        (c.EMPLOYMENT_TYPE, "self-employed", "self_employed"),
        (c.EMPLOYER, "在阿里巴巴上班", "阿里巴巴"),
        (c.EMPLOYER, "I work at Initech", "Initech"),
        (c.MONTHLY_INCOME, "两万五", 25000),
        (c.MONTHLY_INCOME, "2.5万", 25000),
        (c.MONTHLY_INCOME, "25k", 25000),
        (c.MONTHLY_INCOME, "25,000", 25000),
        (c.MONTHLY_INCOME, "一万二左右", 12000),
        (c.MONTHLY_INCOME, "月薪8千", 8000),
        (c.MONTHLY_INCOME, "12k after tax", 12000),
        (c.MONTHLY_INCOME, "年薪30万", 25000),
        (c.HOUSING, "租的房子", "rent"),
        (c.HOUSING, "I own my home", "own"),
        (c.MONTHLY_DEBT_PAYMENT, "无", 0),
        (c.MONTHLY_DEBT_PAYMENT, "none", 0),
        (c.MONTHLY_DEBT_PAYMENT, "房贷每月4500", 4500),
        (c.SPENDING_CATEGORIES, "旅游和餐饮", ["travel", "dining"]),
        (c.SPENDING_CATEGORIES, "mostly online shopping", ["online"]),
    ],
)
def test_answers_are_read_and_stored(field: str, text: str, expected: Any) -> None:
    slots = {**CONSENTED, c.EMPLOYMENT_TYPE: "employed", c.REQUESTED_SLOT: field}
    slots.pop(field, None) if field == c.EMPLOYMENT_TYPE else None
    result = step(slots, text)
    assert result.handled
    assert result.slots[field] == expected
    assert result.slots[c.REQUESTED_SLOT] != field


@pytest.mark.parametrize(
    ("field", "text", "reply"),
    [
        (c.ID_NUMBER, "420106198008251162", "utter_invalid_id_number_checksum"),
        (c.ID_NUMBER, with_check("11010519900230001"), "utter_invalid_id_number_birth_date"),
        (c.ID_NUMBER, "4201061980082511", "utter_invalid_id_number_length"),
        (c.PHONE, "1234", "utter_invalid_phone_too_short"),
        (c.PHONE, "123456789", "utter_invalid_phone_too_short"),
        (c.MONTHLY_INCOME, "-5000", "utter_invalid_monthly_income_negative"),
        (c.MONTHLY_INCOME, "999999999999", "utter_invalid_monthly_income_too_large"),
        (c.MONTHLY_INCOME, "3千万", "utter_invalid_monthly_income_too_large"),
        (c.MONTHLY_INCOME, "$3000", "utter_invalid_monthly_income_currency"),
        (c.FULL_NAME, "张伟123", "utter_invalid_full_name_has_digits"),
        (c.FULL_NAME, "Robert'); DROP TABLE applications;--", "utter_invalid_full_name_bad_chars"),
    ],
)
def test_invalid_answers_are_refused_with_a_specific_reason(field: str, text: str, reply: str) -> None:
    slots = {**CONSENTED, c.REQUESTED_SLOT: field}
    result = step(slots, text)
    assert result.handled
    assert result.slots[field] is None  # nothing stored
    assert result.slots[c.REQUESTED_SLOT] == field  # asked again
    assert result.replies[0].candidates[0] == reply


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("", "utter_input_empty"),
        ("   ", "utter_input_empty"),
        ("😀", "utter_input_meaningless"),
        ("👍👍👍", "utter_input_meaningless"),
        ("<b>hi</b>", "utter_input_markup"),
        ("<script>alert(1)</script>", "utter_input_markup"),
        ("x" * 10_000, "utter_input_too_long"),
    ],
    ids=["empty", "spaces", "emoji", "thumbs", "bold", "script", "10000-chars"],
)
@pytest.mark.parametrize("field", [c.CONSENT_GIVEN, c.FULL_NAME, c.EMPLOYER, c.MONTHLY_INCOME])
def test_messages_that_cannot_be_answers(field: str, text: str, reply: str) -> None:
    slots = {c.CONSENT_GIVEN: None if field == c.CONSENT_GIVEN else True, c.REQUESTED_SLOT: field}
    result = step(slots, text, intent="nlu_fallback", conf=0.0)
    assert result.handled and result.replies[0].candidates == (reply,)
    assert result.slots[field] is None and result.slots[c.REQUESTED_SLOT] == field


def test_repeated_failures_explain_the_format_then_offer_a_human() -> None:
    slots: dict[str, Any] = {**CONSENTED, c.REQUESTED_SLOT: c.ID_NUMBER}
    seen = []
    for _ in range(4):
        result = step(slots, "123")
        slots.update(result.slots)
        seen.append([r.candidates[0] for r in result.replies])
    assert "utter_help_id_number" not in seen[0]
    assert "utter_help_id_number" in seen[1]
    assert "utter_offer_handoff" in seen[3]
    ok = step(slots, "420106198008251161")
    assert ok.slots[c.FAILED_COUNT] is None


def test_consent_yes_records_it_and_no_ends_the_form() -> None:
    yes = step({c.REQUESTED_SLOT: c.CONSENT_GIVEN}, "我同意", intent="affirm", conf=0.95)
    assert yes.slots[c.CONSENT_GIVEN] is True and yes.consent_recorded
    assert yes.slots[c.REQUESTED_SLOT] == c.ID_DOCUMENT  # next: the identity document (or typing it)
    no = step({c.REQUESTED_SLOT: c.CONSENT_GIVEN}, "I don't agree", intent="deny", conf=0.95)
    assert no.slots[c.CONSENT_GIVEN] is False and no.slots[c.REQUESTED_SLOT] is None
    assert not no.consent_recorded


def test_under_18_stops_the_application_and_keeps_nothing() -> None:
    child = with_check("11010520100101001")  # born 2010-01-01: 16 on TODAY
    result = step({**CONSENTED, c.REQUESTED_SLOT: c.ID_NUMBER}, child)
    assert result.slots[c.STOP_REASON] == c.STOP_UNDER_AGE
    assert result.slots[c.REQUESTED_SLOT] is None
    assert c.ID_NUMBER not in result.slots


def test_birth_date_and_sex_come_from_the_id_and_are_never_asked() -> None:
    result = step({**CONSENTED, c.FULL_NAME: "张伟", c.REQUESTED_SLOT: c.ID_NUMBER}, "420106198008251161")
    assert result.slots[c.BIRTH_DATE] == "1980-08-25" and result.slots[c.SEX] == "F"
    assert result.slots[c.REQUESTED_SLOT] == c.PHONE


@pytest.mark.parametrize("intent", ["faq", "switch_language", "handoff", "pause", "withdraw_consent", "ask_status"])
def test_side_requests_are_left_to_the_rules(intent: str) -> None:
    result = step({**CONSENTED, c.REQUESTED_SLOT: c.EMPLOYER}, "年费多少？", intent=intent, conf=0.9)
    assert not result.handled


def test_a_closed_choice_answer_wins_over_an_unsure_side_request() -> None:
    slots = {**CONSENTED, c.REQUESTED_SLOT: c.CHOSEN_CARD, "recommended_cards": ["KK_TRAVEL", "KK_CLASSIC"]}
    assert step(slots, "the first one", intent="start_over", conf=0.6).slots[c.CHOSEN_CARD] == "KK_TRAVEL"
    assert not step(slots, "start over from the first question", intent="start_over", conf=0.95).handled
    # free text never wins: "转人工" is not a name
    assert not step({**CONSENTED, c.REQUESTED_SLOT: c.FULL_NAME}, "转人工", intent="handoff", conf=0.6).handled


def test_language_request_is_never_taken_as_an_answer() -> None:
    for text in ("中文", "switch to English", "English please"):
        assert not step({**CONSENTED, c.REQUESTED_SLOT: c.FULL_NAME}, text, intent="inform", conf=0.4).handled


def test_an_id_number_is_an_answer_even_if_the_classifier_thinks_otherwise() -> None:
    result = step({**CONSENTED, c.REQUESTED_SLOT: c.ID_NUMBER}, "420106198008251161", intent="faq", conf=0.7)
    assert result.handled and result.slots[c.ID_NUMBER] == "420106198008251161"


def test_early_answers_are_kept_and_not_asked_again() -> None:
    result = step({**CONSENTED, c.REQUESTED_SLOT: c.FULL_NAME}, "张伟")
    assert result.slots[c.REQUESTED_SLOT] == c.ID_NUMBER
    result = step({**CONSENTED, c.FULL_NAME: "张伟", c.REQUESTED_SLOT: c.ID_NUMBER}, "420106198008251161 15012345678")
    assert result.slots[c.PHONE] == "+8615012345678"
    assert result.slots[c.REQUESTED_SLOT] == c.EMPLOYMENT_TYPE


def test_employer_is_asked_only_of_employed_applicants() -> None:
    base = {**CONSENTED, c.FULL_NAME: "a", c.ID_NUMBER: "x", c.PHONE: "y", c.REQUESTED_SLOT: c.EMPLOYMENT_TYPE}
    assert step(base, "上班族").slots[c.REQUESTED_SLOT] == c.EMPLOYER
    assert step(base, "我是学生").slots[c.REQUESTED_SLOT] == c.MONTHLY_INCOME
    assert step(base, "退休了").slots[c.REQUESTED_SLOT] == c.MONTHLY_INCOME


def test_button_payload_entities_are_used() -> None:
    result = step(
        {**CONSENTED, c.REQUESTED_SLOT: c.MONTHLY_INCOME},
        '/inform{"amount_range":"8000-15000"}',
        intent="inform",
        conf=1.0,
        entities=[{"entity": "amount_range", "value": "8000-15000"}],
    )
    assert result.slots[c.MONTHLY_INCOME] == 11500


def test_confirmation_no_asks_what_to_change_without_repeating_the_summary() -> None:
    result = step({**CONSENTED, c.REQUESTED_SLOT: c.APPLICATION_CONFIRMED}, "不对", intent="deny", conf=0.9)
    assert result.slots[c.APPLICATION_CONFIRMED] is None and result.slots[c.CHANGE_REQUESTED] is True
    assert result.replies[0].candidates == ("utter_ask_what_to_change",)


def test_returning_after_a_side_path_asks_the_open_question() -> None:
    assert resume_step({**CONSENTED, c.FULL_NAME: "张伟"}).slots == {c.REQUESTED_SLOT: c.ID_NUMBER}


FILLED = {
    **CONSENTED,
    c.FULL_NAME: "张伟",
    c.ID_NUMBER: "420106198008251161",
    c.BIRTH_DATE: "1980-08-25",
    c.SEX: "F",
    c.PHONE: "+8615012345678",
    c.EMPLOYMENT_TYPE: "employed",
    c.EMPLOYER: "阿里巴巴",
    c.JOB_YEARS: 3.0,
    c.MONTHLY_INCOME: 10000,
    c.HOUSING: "rent",
    c.MONTHLY_DEBT_PAYMENT: 0,
    c.PAST_ARREARS: False,
    c.SPENDING_CATEGORIES: ["travel"],
    c.CHOSEN_CARD: "KK_TRAVEL",
    c.APPLICATION_CONFIRMED: True,
}


@pytest.mark.parametrize(
    ("text", "entities", "field", "value"),
    [
        ("刚才收入说错了，是三万", [{"entity": "field", "value": "monthly_income"}], c.MONTHLY_INCOME, 30000),
        ("收入改成两万", [], c.MONTHLY_INCOME, 20000),
        ("change my income to 20k", [], c.MONTHLY_INCOME, 20000),
        ("手机号改成13800138000", [], c.PHONE, "+8613800138000"),
        ("名字写错了，应该是张薇", [], c.FULL_NAME, "张薇"),
        (
            "actually I'm self-employed",
            [{"entity": "field", "value": "employment_type"}],
            c.EMPLOYMENT_TYPE,
            "self_employed",
        ),
    ],
)
def test_corrections_change_the_answer_and_what_depends_on_it(
    text: str, entities: list, field: str, value: Any
) -> None:
    result = correction_step({**FILLED, c.REQUESTED_SLOT: None}, Message(text, "correct", 0.9, tuple(entities)))
    assert result.slots[field] == value
    assert result.slots[c.APPLICATION_CONFIRMED] is None  # the summary is confirmed again
    assert result.replies[-1].candidates == ("utter_corrected",)
    if field in (c.MONTHLY_INCOME, c.EMPLOYMENT_TYPE):
        assert result.slots[c.CHOSEN_CARD] is None  # recommendations depend on it
    if field == c.EMPLOYMENT_TYPE:
        assert result.slots[c.EMPLOYER] is None  # no employer for the self-employed
        assert result.slots[c.JOB_YEARS] is None  # years in the business, not in the old job
        assert result.slots[c.REQUESTED_SLOT] == c.JOB_YEARS


def test_correction_without_a_value_asks_the_field_again() -> None:
    msg = Message('/correct{"field":"housing"}', "correct", 1.0, ({"entity": "field", "value": "housing"},))
    result = correction_step({**FILLED}, msg)
    assert result.slots[c.HOUSING] is None and result.slots[c.REQUESTED_SLOT] == c.HOUSING


def test_invalid_correction_keeps_the_old_value() -> None:
    result = correction_step({**FILLED, c.REQUESTED_SLOT: c.HOUSING}, Message("手机号改成1234", "correct", 0.9))
    assert result.slots.get(c.PHONE) == FILLED[c.PHONE]
    assert result.replies[0].candidates[0] == "utter_invalid_phone_too_short"


def test_no_corrections_after_submission() -> None:
    result = correction_step({**FILLED, c.APPLICATION_ID: "KK1"}, Message("收入改成两万", "correct", 0.9))
    assert result.slots == {} and result.replies[0].candidates == ("utter_correct_after_submit",)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_masks_personal_numbers(lang: str) -> None:
    text = summary({**FILLED, c.LANGUAGE: lang})
    assert "420106198008251161" not in text and "15012345678" not in text
    assert "1161" in text and "5678" in text
    assert ("凌云" in text) == (lang == "zh")


OFFERED = ["KK_TRAVEL", "KK_ONLINE", "KK_CLASSIC"]


@pytest.mark.parametrize(
    ("text", "value", "error"),
    [
        ("Skyway please", "KK_TRAVEL", None),
        ("the skyway one", "KK_TRAVEL", None),
        ("I want the Online Shopper", "KK_ONLINE", None),
        ("网购那张", "KK_ONLINE", None),
        ("航空联名的", "KK_TRAVEL", None),
        ("金卡吧", "KK_CLASSIC", None),  # 白金卡 has 金卡 too, but it was not offered
        ("悦享经典金卡", "KK_CLASSIC", None),
        ("第二张", "KK_ONLINE", None),
        ("the third one", "KK_CLASSIC", None),
        ("联名卡", None, "not_found"),  # two offered cards are co-brands: ask, don't guess
        ("that one", None, "not_found"),
        ("the platinum one", None, "not_offered"),
    ],
)
def test_card_choice_as_people_say_it(text: str, value: str | None, error: str | None) -> None:
    from bot import fields

    answer = fields.interpret(c.CHOSEN_CARD, text, (), recommended_cards=OFFERED)
    assert (answer.value, answer.error) == (value, error)


@pytest.mark.parametrize(
    "text",
    [
        "我自己填吧",
        "我来填",
        "手动输入",
        "不想拍照",
        "没带身份证",
        "I'd rather type",
        "I'll type it in",
        "by hand please",
        "I don't have my ID with me",
        "I'd rather not send a photo",
    ],
)
def test_choosing_to_type_instead_of_a_photo(text: str) -> None:
    from bot import verification

    slots = {c.CONSENT_GIVEN: True, c.LANGUAGE: "zh", c.REQUESTED_SLOT: c.ID_DOCUMENT}
    result = verification.step(c.ID_DOCUMENT, slots, Message(text, "inform", 0.5, ()), "test-user", TODAY)
    assert result is not None and result.slots[c.ID_DOCUMENT] == "manual"


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        (c.PAST_ARREARS, "never missed a payment", False),
        (c.PAST_ARREARS, "从来没有逾期", False),
        (c.MONTHLY_DEBT_PAYMENT, "每个月还三千", 3000),
        (c.MONTHLY_INCOME, "12k after tax", 12000),
    ],
)
def test_a_statement_answers_even_when_it_sounds_like_an_faq_topic(field: str, text: str, expected: Any) -> None:
    slots = {**CONSENTED, c.REQUESTED_SLOT: field}
    result = step(slots, text, intent="faq", conf=0.95)
    assert result.handled and result.slots[field] == expected


@pytest.mark.parametrize(
    ("field", "text"),
    [(c.PAST_ARREARS, "逾期了怎么办？"), (c.MONTHLY_INCOME, "年费多少"), (c.PAST_ARREARS, "how do I repay early")],
)
def test_a_real_question_still_steps_aside_for_the_faq(field: str, text: str) -> None:
    slots = {**CONSENTED, c.REQUESTED_SLOT: field}
    assert not step(slots, text, intent="faq", conf=0.95).handled
