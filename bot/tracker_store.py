"""Rasa's SQL tracker store with every event payload encrypted (AES-GCM).

Rasa stores each conversation event as JSON in the ``events`` table, raw user messages and slot
values included. This store keeps Rasa's table and queries but writes ``data`` only encrypted
(bound to the conversation id), so the database file never holds an ID number or a phone number
in clear. Configured in endpoints.yml; the database URL comes from kaika's settings
(``KAIKA_DATABASE_URL``), the same database as kaika's own tables.

Erasure: when the ``action_withdraw_consent`` action runs, every stored event of the conversation
is deleted and only what follows that action (its goodbye and the slot reset) is kept.
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.crypto import get_cipher
from bot.settings import get_settings
from bot.store.db import make_engine

logger = logging.getLogger(__name__)

ERASE_ACTION = "action_withdraw_consent"


def _aad(sender_id: str) -> str:
    return f"events.data:{sender_id}"


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose ``data`` column is ciphertext."""

    def __init__(
        self,
        domain: Domain | None = None,
        event_broker: EventBroker | None = None,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        import sqlalchemy as sa

        # `host` is what Rasa passes for `url:` in endpoints.yml; kaika's setting wins when unset.
        db_url = url or kwargs.pop("host", None) or get_settings().db_url
        kwargs.pop("host", None)
        self.engine = make_engine(db_url)
        try:
            self.Base.metadata.create_all(self.engine)
        except sa.exc.OperationalError as exc:  # another process created it at the same moment
            logger.warning("tracker store tables: %s", exc)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._cipher = get_cipher()
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [json.loads(self._cipher.decrypt(row.data, _aad(sender_id))) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            erase_at = _erasure_point(new_events)
            if erase_at is not None:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete(
                    synchronize_session=False
                )
                new_events = new_events[erase_at:]
            for event in new_events:
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=self._cipher.encrypt(json.dumps(data).encode(), _aad(tracker.sender_id)),
                    )
                )
            session.commit()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Any:
        stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return itertools.islice(tracker.events, stored, len(tracker.events))


def _erasure_point(events: list[Any]) -> int | None:
    """Index of the first event to keep when the batch contains an erasure, else None."""
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return i + 1
    return None
