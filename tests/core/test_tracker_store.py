"""Rasa's conversation history is stored encrypted, survives a reload, and is erased on withdrawal."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[2]
ID = "420106198008251161"


def make_store():  # type: ignore[no-untyped-def]
    from bot.tracker_store import EncryptedSQLTrackerStore

    return EncryptedSQLTrackerStore(domain=Domain.load(str(ROOT / "domain")))


def conversation(store, sender: str):  # type: ignore[no-untyped-def]
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered(f"我的身份证号是 {ID}", {"name": "inform", "confidence": 0.9}),
            SlotSet("id_number", ID),
            SlotSet("phone", "+8615012345678"),
            BotUttered("请输入手机号"),
            ActionExecuted("action_listen"),
        ],
        store.domain.slots,
    )
    asyncio.run(store.save(tracker))
    return tracker


def test_events_are_encrypted_at_rest_and_read_back(store: Path) -> None:
    ts = make_store()
    conversation(ts, "web:alice")
    blob = store.read_bytes() + (
        store.with_name("kaika.db-wal").read_bytes() if store.with_name("kaika.db-wal").exists() else b""
    )
    assert ID.encode() not in blob and b"15012345678" not in blob
    reloaded = asyncio.run(make_store().retrieve("web:alice"))  # a new process, same database
    assert reloaded is not None
    assert reloaded.get_slot("id_number") == ID
    assert reloaded.latest_message.text.endswith(ID)


def test_withdrawal_erases_the_stored_history(store: Path) -> None:
    ts = make_store()
    tracker = conversation(ts, "web:bob")
    conversation(ts, "web:carol")
    tracker.update(ActionExecuted("action_withdraw_consent"))
    tracker.update(BotUttered("已删除"))
    tracker.update(AllSlotsReset())
    asyncio.run(ts.save(tracker))
    after = asyncio.run(make_store().retrieve("web:bob"))
    assert after is not None and after.get_slot("id_number") is None
    assert all(not isinstance(e, UserUttered) for e in after.events)
    assert [e.text for e in after.events if isinstance(e, BotUttered)] == ["已删除"]
    other = asyncio.run(make_store().retrieve("web:carol"))
    assert other is not None and other.get_slot("id_number") == ID  # nobody else's history touched
