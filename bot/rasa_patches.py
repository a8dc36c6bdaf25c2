"""Performance fixes for Rasa 3.6 applied when kaika starts Rasa (bot.launch), behaviour unchanged.

Rasa validates every action server response with ``jsonschema.validate``, which re-checks the
schema itself on every call: measured with py-spy under load, 60 % of Rasa's CPU time went there
(one schema check per custom action, several custom actions per turn). The same validation runs
here with the validator built once.

Rasa also finds an event's class by walking every subclass of ``Event`` (with an ``isabstract``
check each) for each event it deserializes: hundreds per turn, as the tracker is read from the
store and sent to the action server. Here the walk's result is kept in a dict, rebuilt when a
name is not in it (a subclass imported later).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    cls.check_schema(spec)  # once, as jsonschema.validate does on every call
    return cls(spec)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_EVENT_CLASSES: dict[str, Any] = {}


def _resolve_event_by_type(type_name: str, default: Any = None) -> Any:
    cls = _EVENT_CLASSES.get(type_name)
    if cls is not None:
        return cls
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    found: dict[str, Any] = {}
    for sub in all_subclasses(Event):  # first match wins, as in Rasa's own loop
        found.setdefault(sub.type_name, sub)
    _EVENT_CLASSES.clear()
    _EVENT_CLASSES.update(found)
    if type_name in found:
        return found[type_name]
    if type_name == "topic":
        return None  # backwards compatibility to support old TopicSet events (as Rasa does)
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def apply() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_event_by_type)
