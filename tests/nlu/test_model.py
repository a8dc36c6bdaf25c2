"""The trained model (models/kaika.tar.gz) on messages it has not seen in training."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "kaika.tar.gz"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def parse():  # type: ignore[no-untyped-def]
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train`")
    from rasa.core.agent import load_agent

    agent = asyncio.run(load_agent(model_path=str(MODEL)))
    return lambda text: asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我想办信用卡", "apply_card"),
        ("I'd like a credit card please", "apply_card"),
        ("我同意", "affirm"),
        ("I accept", "affirm"),
        ("年费多少？", "faq"),
        ("is there an annual fee?", "faq"),
        ("收入改成两万", "correct"),
        ("change my income to 20k", "correct"),
        ("申请进度", "ask_status"),
        ("application status", "ask_status"),
        ("switch to English", "switch_language"),
        ("中文", "switch_language"),
        ("转人工", "handoff"),
        ("talk to a human", "handoff"),
        ("撤回授权，删除我的数据", "withdraw_consent"),
        ("delete my data", "withdraw_consent"),
    ],
)
def test_contract_phrasings(parse, text: str, intent: str) -> None:  # type: ignore[no-untyped-def]
    assert parse(text)["intent"]["name"] == intent


@pytest.mark.parametrize("text", ["", "   ", "😀", "👍👍", "<b>hi</b>", "<script>alert(1)</script>", "x" * 10_000])
def test_non_language_goes_to_fallback(parse, text: str) -> None:  # type: ignore[no-untyped-def]
    assert parse(text)["intent"]["name"] == "nlu_fallback"


def test_faq_retrieval_picks_the_topic(parse) -> None:  # type: ignore[no-untyped-def]
    result = parse("年费怎么免")
    assert result["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/annual_fee"
    result = parse("how long until I get the physical card")
    assert result["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/card_delivery"


def test_parser_entities_are_attached(parse) -> None:  # type: ignore[no-untyped-def]
    ents = {e["entity"]: e["value"] for e in parse("刚才收入说错了，是三万")["entities"]}
    assert ents == {"amount": 30000.0, "field": "monthly_income"}
    ents = {e["entity"]: e["value"] for e in parse("身份证 420106198008251161 手机 15012345678")["entities"]}
    assert ents == {"id_number": "420106198008251161", "phone": "+8615012345678"}
