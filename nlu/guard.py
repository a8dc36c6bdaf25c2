"""Messages that cannot be an answer at all: empty, only emoji or symbols, markup, far too long.

The dialogue answers each with its own polite re-prompt (responses ``utter_input_<problem>``)
instead of trying to read a name or a number out of them.
"""

from __future__ import annotations

from typing import Final, Literal

from nlu.parsers.text import has_markup, is_meaningless, normalize

Problem = Literal["empty", "meaningless", "markup", "too_long"]
MAX_ANSWER_CHARS: Final = 500


def problem(text: str | None) -> Problem | None:
    raw = text or ""
    if len(raw) > MAX_ANSWER_CHARS:
        return "too_long"
    clean = normalize(raw)
    if not clean:
        return "empty"
    if has_markup(clean):
        return "markup"
    if is_meaningless(clean):
        return "meaningless"
    return None
