"""With the real evidence ledger: every confirmed card event is in it, as ids and hashes only."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from integrations.issuing import (
    activate,
    erase_for_application,
    freeze,
    issue_card,
    reveal,
    set_limits,
    set_notifications,
    unfreeze,
)
from integrations.issuing.evidence import canonical, open_evidence
from integrations.ledger import entries_for, verify_chain

AppFactory = Callable[..., int]


def test_card_events_are_chained_in_the_ledger(signed_app: AppFactory) -> None:
    app_id = signed_app()
    res = issue_card(app_id, "KK_CLASSIC", credit_limit=8000)
    assert res.ok and res.recorded and res.card and res.reveal_token
    secret = reveal(res.card.card_id, res.reveal_token)
    assert secret.pan and secret.cvv
    assert activate(app_id).recorded
    assert set_limits(app_id, per_transaction=800, daily=3000).recorded
    assert set_notifications(app_id, True).recorded
    assert freeze(app_id).recorded
    assert unfreeze(app_id).recorded
    assert freeze(app_id).recorded
    assert freeze(app_id).changed is False  # nothing changed, nothing recorded

    entries = entries_for(f"application:{app_id}")
    assert [(e.event, e.data["action"]) for e in entries] == [
        ("card_issued", "issue"),
        ("card_control", "activate"),
        ("card_control", "limits"),
        ("card_control", "notifications"),
        ("card_control", "freeze"),
        ("card_control", "unfreeze"),
        ("card_control", "freeze"),
    ]
    for entry in entries:
        text = str(entry.data) + entry.subject
        assert secret.pan not in text and res.reveal_token not in text and secret.cvv not in entry.data.values()
        assert secret.pan[-4:] not in entry.data.values()  # (4 digits may occur inside a hex digest by chance)
        assert entry.data["card_id"] == res.card.card_id
        # each entry's hash opens to the facts kept (encrypted) in the outbox
        facts = open_evidence(int(entry.data["event_id"]))
        assert facts is not None and hashlib.sha256(canonical(facts)).hexdigest() == entry.data["facts_sha256"]
    last = open_evidence(int(entries[-1].data["event_id"]))
    assert last is not None and last["state"]["frozen"] is True and last["state"]["txn_limit_fen"] == 80000
    assert verify_chain().ok


def test_erasure_leaves_the_ledger_verifiable(signed_app: AppFactory) -> None:
    app_id = signed_app()
    assert issue_card(app_id, "KK_CLASSIC").ok
    assert freeze(app_id).ok
    before = entries_for(f"application:{app_id}")
    assert erase_for_application(app_id) == 1
    assert entries_for(f"application:{app_id}") == before
    assert all(open_evidence(int(e.data["event_id"])) is None for e in before)  # commitments no longer open
    assert verify_chain().ok
