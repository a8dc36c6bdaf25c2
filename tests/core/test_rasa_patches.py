"""The cached action-response validation accepts and rejects exactly what Rasa's own does."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_patches

VALID: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "zh"}], "responses": [{"response": "utter_greet"}]},
]
INVALID: list[dict[str, Any]] = [
    {"events": [{"name": "language"}], "responses": []},  # an event without its type
    {"events": "not a list", "responses": []},
]


def _original(result: dict[str, Any]) -> bool:
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    return True


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_both(result: dict[str, Any]) -> None:
    assert _original(result)
    assert rasa_patches._validate_action_result(None, result)


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_both(result: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        _original(result)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        rasa_patches._validate_action_result(None, result)


def test_apply_replaces_the_method() -> None:
    before = RemoteAction._validate_action_result
    try:
        rasa_patches.apply()
        assert RemoteAction._validate_action_result is rasa_patches._validate_action_result
    finally:
        RemoteAction._validate_action_result = before  # type: ignore[method-assign]
