"""The cached action-response validation accepts and rejects exactly what Rasa's own does."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture
def unpatched() -> Iterator[None]:
    from rasa.shared.core.events import Event

    validate, resolve = RemoteAction.__dict__["_validate_action_result"], Event.__dict__["resolve_by_type"]
    yield
    RemoteAction._validate_action_result = validate  # type: ignore[method-assign]
    Event.resolve_by_type = resolve  # type: ignore[method-assign]


def test_apply_replaces_the_methods(unpatched: None) -> None:
    from rasa.shared.core.events import Event

    rasa_patches.apply()
    assert RemoteAction._validate_action_result is rasa_patches._validate_action_result
    assert Event.resolve_by_type is rasa_patches._resolve_event_by_type


def test_event_classes_resolve_as_rasa_resolves_them() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = Event.resolve_by_type
    assert original is not rasa_patches._resolve_event_by_type
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert rasa_patches._resolve_event_by_type(name) is original(name)
    assert rasa_patches._resolve_event_by_type("topic") is None
    assert rasa_patches._resolve_event_by_type("no-such-event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        rasa_patches._resolve_event_by_type("no-such-event")


def test_apply_keeps_events_deserializable(unpatched: None) -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    rasa_patches.apply()
    events = [SlotSet("language", "zh").as_dict(), UserUttered("你好", {"name": "greet"}).as_dict()]
    assert [type(e) for e in (Event.from_parameters(d) for d in events)] == [SlotSet, UserUttered]
