"""Evidence of card events for the ledger, through a transactional outbox.

A confirmed change and its ``card_events`` row are committed together; the row is then appended
to the evidence ledger and marked recorded. A crash or a ledger outage in between leaves the row
unrecorded, and :func:`flush` sends it later. Concurrent flushes never send a row twice (each row
is claimed first); only a crash between the append and the mark can, and every ledger entry
carries ``event_id`` so such a duplicate is recognisable as the same event.

The ledger gets ids and one SHA-256 only: the digest of a salted commitment over the facts
(card state after the change, time, a random nonce). The opened commitment is kept encrypted in
the outbox row so an auditor can check an entry (:func:`open_evidence`); erasing the card erases
it, and the ledger stays intact because it never held the facts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
from collections.abc import Iterable
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.crypto import get_cipher
from bot.store.db import session_scope
from bot.store.models import utcnow
from integrations.issuing.const import CATCH_UP_BATCH, EVIDENCE_LEASE_SECONDS
from integrations.issuing.models import Card, CardEvent

log = logging.getLogger(__name__)


class EvidenceLedger(Protocol):
    """The evidence ledger's append (``integrations.ledger.append``)."""

    def append(self, event: str, subject: str, data: dict[str, str]) -> object: ...


class ProjectLedger:
    """Adapter over kaika's own hash-chained ledger."""

    def append(self, event: str, subject: str, data: dict[str, str]) -> object:
        from integrations.ledger import append

        return append(event, subject, data)


def default_ledger() -> EvidenceLedger:
    return ProjectLedger()


def _aad(event_id: int) -> str:
    return f"card_events.facts_enc:{event_id}"


def canonical(facts: dict[str, Any]) -> bytes:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def card_state(card: Card) -> dict[str, Any]:
    """The facts a control changes; no card number, no expiry."""
    return {
        "product_code": card.product_code,
        "physical_active": bool(card.physical_active),
        "frozen": bool(card.frozen),
        "notifications": bool(card.notifications),
        "credit_limit_fen": card.credit_limit_fen,
        "txn_limit_fen": card.txn_limit_fen,
        "daily_limit_fen": card.daily_limit_fen,
    }


def subject_for(application_id: int) -> str:
    return f"application:{application_id}"


def stage(session: Session, card: Card, event: str, action: str) -> int:
    """Queue the evidence of a change in the caller's transaction; returns the event id.

    Not claimed yet: if the caller dies before sending it, the next :func:`flush` (a repeated
    issue, ``kaika card flush-evidence``) sends it at once instead of waiting for a lease.
    """
    facts = {
        "nonce": secrets.token_hex(16),
        "event": event,
        "action": action,
        "card_id": card.id,
        "application_id": int(card.application_id),
        "at": utcnow().isoformat(timespec="microseconds") + "Z",
        "state": card_state(card),
    }
    row = CardEvent(
        card_id=card.id,
        application_id=int(card.application_id),
        event=event,
        action=action,
        digest=hashlib.sha256(canonical(facts)).hexdigest(),
    )
    session.add(row)
    session.flush()
    facts["event_id"] = int(row.id)
    row.digest = hashlib.sha256(canonical(facts)).hexdigest()
    row.facts_enc = get_cipher().encrypt_json(facts, _aad(int(row.id)))
    return int(row.id)


def ledger_data(row: CardEvent) -> dict[str, str]:
    return {
        "card_id": row.card_id,
        "application_id": str(row.application_id),
        "event_id": str(row.id),
        "action": row.action,
        "facts_sha256": row.digest,
    }


def record(event_id: int, ledger: EvidenceLedger | None = None) -> bool:
    """Send a just-staged event, after a bounded batch of older queued ones (so evidence left
    behind by a ledger outage or a crash goes out with the next card operation, in order).
    True when ``event_id`` is in the ledger; False when it is queued, or in flight in another
    process's flush."""
    ledger = ledger or default_ledger()
    if event_id in _flush(None, ledger, CATCH_UP_BATCH):
        return True
    return event_id in _flush([event_id], ledger, None) or _recorded(event_id)


def _recorded(event_id: int) -> bool:
    with session_scope() as session:
        row = session.get(CardEvent, event_id)
        return row is not None and row.recorded_at is not None


def flush(
    event_ids: Iterable[int] | None = None, ledger: EvidenceLedger | None = None, limit: int | None = None
) -> int:
    """Append unrecorded events (all, or the given ids, at most ``limit``) to the ledger, oldest first.

    Each row is first claimed with a conditional update (a lease), so two processes flushing at
    once never append the same event twice; a claim left by a crashed process expires after
    ``EVIDENCE_LEASE_SECONDS``. Returns how many this call recorded. Stops at the first ledger
    outage (logged without data), releasing the claim and leaving the rest queued; a row the
    ledger refuses as data stays queued and logged as an error without blocking the others.
    """
    return len(_flush(event_ids, ledger or default_ledger(), limit))


def _flush(event_ids: Iterable[int] | None, ledger: EvidenceLedger, limit: int | None) -> list[int]:
    with session_scope() as session:
        q = session.query(CardEvent.id).filter(CardEvent.recorded_at.is_(None))
        if event_ids is not None:
            ids = list(event_ids)
            if not ids:
                return []
            q = q.filter(CardEvent.id.in_(ids))
        candidates = [int(r.id) for r in q.order_by(CardEvent.id).limit(limit)]
    sent: list[int] = []
    for event_id in candidates:
        claimed = _claim(event_id)
        if claimed is None:
            continue  # recorded meanwhile, or another process holds it
        outcome = _send(event_id, *claimed, ledger)
        if outcome == _DOWN:
            break  # keep the order: the rest waits for the ledger to come back
        if outcome == _SENT:
            sent.append(event_id)
    return sent


_SENT, _REJECTED, _DOWN = "sent", "rejected", "down"


def _send(event_id: int, event: str, subject: str, data: dict[str, str], ledger: EvidenceLedger) -> str:
    try:
        ledger.append(event, subject, data)
    except ValueError as exc:  # the ledger refused the data (LedgerDataError): a bug, not an outage
        log.error("card evidence %s refused by the ledger (%s)", event_id, getattr(exc, "code", type(exc).__name__))
        _release(event_id)
        return _REJECTED
    except Exception as exc:  # the ledger is another component: never lose the change over it
        log.warning("card evidence %s not recorded yet (%s); queued", event_id, type(exc).__name__)
        _release(event_id)
        return _DOWN
    with session_scope() as session:
        session.execute(
            sa.update(CardEvent)
            .where(CardEvent.id == event_id)
            .values(recorded_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return _SENT


def _claim(event_id: int) -> tuple[str, str, dict[str, str]] | None:
    now = utcnow()
    stale = now - dt.timedelta(seconds=EVIDENCE_LEASE_SECONDS)
    with session_scope() as session:
        won = session.execute(
            sa.update(CardEvent)
            .where(
                CardEvent.id == event_id,
                CardEvent.recorded_at.is_(None),
                sa.or_(CardEvent.claimed_at.is_(None), CardEvent.claimed_at < stale),
            )
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            return None
        row = session.get(CardEvent, event_id)
        assert row is not None
        return row.event, subject_for(int(row.application_id)), ledger_data(row)


def _release(event_id: int) -> None:
    with session_scope() as session:
        session.execute(
            sa.update(CardEvent)
            .where(CardEvent.id == event_id, CardEvent.recorded_at.is_(None))
            .values(claimed_at=None)
            .execution_options(synchronize_session=False)
        )


def open_evidence(event_id: int) -> dict[str, Any] | None:
    """The facts behind a ledger entry, checked against the recorded digest (for auditors).

    None if the event is unknown or its facts were erased; raises ``ValueError`` if the stored
    facts no longer match the digest.
    """
    with session_scope() as session:
        row = session.get(CardEvent, event_id)
        if row is None or row.facts_enc is None:
            return None
        facts: dict[str, Any] = get_cipher().decrypt_json(row.facts_enc, _aad(event_id))
        if hashlib.sha256(canonical(facts)).hexdigest() != row.digest:
            raise ValueError("evidence does not match its digest")
        return facts


def unrecorded() -> int:
    with session_scope() as session:
        return int(session.query(sa.func.count(CardEvent.id)).filter(CardEvent.recorded_at.is_(None)).scalar())
