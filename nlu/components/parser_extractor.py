"""Entities from kaika's rule-based parsers (one parser per concept, shared with form validation).

Adds, when found in the message: ``id_number`` (18 chars), ``phone`` (E.164), ``amount`` (CNY
a month), ``employment_type``, ``housing``, ``spending_category`` (one entity per category),
``field`` (the form field a correction talks about) and ``language`` (an explicit request to
switch language). Button payloads (``/inform{...}``) bypass NLU and carry their own entities.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import parsers

EXTRACTOR = "ParserEntityExtractor"
MAX_CHARS = 2000  # longer messages are not answers to a form question; the dialogue says so
# Wording of a correction ("收入改成两万", "wrong name", "actually I'm…"): only then is a field named.
_CORRECTION = re.compile(
    r"改|错|更正|不对|应该|其实|写多了|写少了|填多了|填少了|重新填|"
    r"\b(?:change|changed|wrong|actually|update|correct|correction|mistake|misspel\w*|mistyped|typo|fix|instead|"
    r"should be|not a month|sorry)\b",
    re.IGNORECASE,
)
# Money words: with an ID or phone number in the same message, only these make a number an amount.
_MONEY = re.compile(
    r"[万千元块¥￥]|收入|工资|月薪|年薪|还款|月供|\b(?:k|rmb|cny|yuan|income|salary|pay|repay\w*)\b", re.IGNORECASE
)


def extract(text: str) -> list[dict[str, Any]]:
    """All parser entities found in ``text`` (pure function; used by tests and the benchmark)."""
    text = parsers.normalize(text or "")
    if not text or len(text) > MAX_CHARS or parsers.is_meaningless(text):
        return []
    found: list[tuple[str, Any]] = []
    idp = parsers.parse_id_number(text)
    if idp.ok and idp.id is not None:
        found.append(("id_number", idp.id.value))
    rest = text.replace(idp.id.value, " ") if idp.ok and idp.id else text
    for piece in [rest, *re.split(r"[,，;；、\s]+", rest)]:
        ph = parsers.parse_phone(piece)
        if ph.ok:
            found.append(("phone", ph.e164))
            break
    amount = parsers.parse_amount(text, zero_words=False)
    numbers_taken = any(name in ("id_number", "phone") for name, _ in found)
    if (
        amount is not None
        and amount.currency == "CNY"
        and amount.value >= 0
        and (not numbers_taken or _MONEY.search(text))
    ):
        found.append(("amount", amount.value))
    for name, parse in (("employment_type", parsers.parse_employment), ("housing", parsers.parse_housing)):
        value = parse(text)
        if value:
            found.append((name, value))
    found += [("spending_category", c) for c in parsers.parse_categories(text)]
    field = parsers.detect_field(text) if _CORRECTION.search(text) else None
    if field:
        found.append(("field", field))
    lang = parsers.language_request(text)
    if lang:
        found.append(("language", lang))
    return [
        {"entity": name, "value": value, "start": 0, "end": len(text), "confidence_entity": 1.0, "extractor": EXTRACTOR}
        for name, value in found
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ParserEntityExtractor(GraphComponent):
    """Runs kaika's parsers on each message and adds what they found as entities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ParserEntityExtractor:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = [e for e in message.get(ENTITIES, []) if e.get("extractor") != EXTRACTOR]
            message.set(ENTITIES, entities + extract(message.get(TEXT) or ""), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
