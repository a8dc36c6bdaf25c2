"""Which language to talk in: the first message decides; an explicit request switches."""

from __future__ import annotations

from bot.const import DEFAULT_LANGUAGE
from bot.dialogue import Message
from nlu import parsers


def choose_language(current: str | None, msg: Message) -> str | None:
    """The language to use from now on, or None to leave it unset (nothing to go by yet)."""
    if msg.intent == "switch_language" or parsers.language_request(msg.text):
        wanted = next((e.get("value") for e in msg.entities if e.get("entity") == "language"), None)
        wanted = wanted or parsers.language_request(msg.text)
        if wanted:
            return str(wanted)
        if msg.intent == "switch_language" and msg.confidence >= 0.6:
            return "en" if current != "en" else "zh"  # "换个语言" / "other language"
    if current is None:
        if msg.is_payload:  # a button: no words to go by
            return None
        return parsers.detect_language(msg.text) or DEFAULT_LANGUAGE
    return current
