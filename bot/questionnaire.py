"""Which question comes next: the dynamic questionnaire defined in ``data/questionnaire.yml``.

Pure functions of the slot values, so the dialogue, the tests and later channels share one answer
to "what is still needed?".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.const import APPLICATION_CONFIRMED, APPLICATION_ID, CONSENT_GIVEN, STOP_REASON
from bot.settings import ROOT

QUESTIONNAIRE = ROOT / "data" / "questionnaire.yml"


@dataclass(frozen=True)
class Field:
    slot: str
    ask_if: Mapping[str, tuple[Any, ...]]
    clears: tuple[str, ...]
    phase: str = "application"

    def needed(self, slots: Mapping[str, Any]) -> bool:
        return all(slots.get(k) in allowed for k, allowed in self.ask_if.items())


@lru_cache(maxsize=4)
def load(path: Path = QUESTIONNAIRE) -> tuple[Field, ...]:
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return tuple(
        Field(
            slot=f["slot"],
            ask_if={k: tuple(v) for k, v in (f.get("ask_if") or {}).items()},
            clears=tuple(f.get("clears") or ()),
            phase=str(f.get("phase") or "application"),
        )
        for f in raw["fields"]
    )


def slot_names() -> tuple[str, ...]:
    return tuple(f.slot for f in load())


def required(slots: Mapping[str, Any]) -> list[str]:
    """The fields this applicant must answer, given what they answered so far."""
    if slots.get(STOP_REASON) or slots.get(CONSENT_GIVEN) is False:
        return []  # stopped or refused: nothing more to ask
    phase = "signing" if slots.get(APPLICATION_ID) else "application"
    return [f.slot for f in load() if f.phase == phase and f.needed(slots)]


def next_field(slots: Mapping[str, Any]) -> str | None:
    """The next empty required field, or None when the form is complete (or stopped)."""
    return next((s for s in required(slots) if slots.get(s) is None), None)


def stale_after_change(field: str, slots: Mapping[str, Any]) -> list[str]:
    """Fields to clear when ``field`` changes: its dependents, any field no longer needed, and the
    confirmation of the summary."""
    by_slot = {f.slot: f for f in load()}
    stale = list(by_slot[field].clears) if field in by_slot else []
    stale += [f.slot for f in load() if not f.needed(slots) and slots.get(f.slot) is not None]
    if field != APPLICATION_CONFIRMED:
        stale.append(APPLICATION_CONFIRMED)
    return [s for s in dict.fromkeys(stale) if s != field]
