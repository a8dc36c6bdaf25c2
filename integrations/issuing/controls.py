"""What the cardholder can do by chat: activate, limits, notifications, freeze/unfreeze.

Each call is one step and one transaction: the card row is locked first (a write, so SQLite
serialises concurrent controls too), the change is validated against the current state, and the
change and its evidence are committed together; the evidence then goes to the ledger. A call
that changes nothing (freezing a frozen card) succeeds with its own code and records nothing.
Controls are addressed by application id: the dialogue knows its conversation's application.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import utcnow
from integrations.issuing import const as c
from integrations.issuing import evidence
from integrations.issuing.models import Card
from integrations.issuing.money import MoneyError, to_fen
from integrations.issuing.results import CardResult, view_of
from integrations.issuing.service import valid_application_id


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# A change returns (result code, changed?) or raises Refused.
Change = Callable[[Card], tuple[str, bool]]


def _apply(application_id: object, action: str, change: Change, ledger: evidence.EvidenceLedger | None) -> CardResult:
    app_id = valid_application_id(application_id)
    if app_id is None:
        return CardResult(ok=False, code=c.CARD_NOT_FOUND)
    event_id: int | None = None
    try:
        with session_scope() as session:
            # Take the row's write lock before reading it (SELECT … FOR UPDATE does nothing on SQLite).
            session.execute(
                sa.update(Card)
                .where(Card.application_id == app_id, Card.state == c.STATE_ISSUED)
                .values(updated_at=utcnow())
            )
            card = session.query(Card).filter(Card.application_id == app_id).one_or_none()
            if card is None or card.state != c.STATE_ISSUED:
                raise Refused(c.CARD_NOT_FOUND)
            code, changed = change(card)
            if changed:
                session.flush()
                event_id = evidence.stage(session, card, c.EVENT_CONTROL, action)
            view = view_of(card)
    except Refused as refused:
        return CardResult(ok=False, code=refused.code)
    recorded = event_id is not None and evidence.record(event_id, ledger)
    return CardResult(ok=True, code=code, card=view, changed=event_id is not None, recorded=recorded)


def activate(application_id: int, *, ledger: evidence.EvidenceLedger | None = None) -> CardResult:
    """Activate the physical card (the virtual card is active from issue)."""

    def change(card: Card) -> tuple[str, bool]:
        if card.frozen:
            raise Refused(c.CARD_FROZEN)
        if card.physical_active:
            return c.ALREADY_ACTIVE, False
        card.physical_active = True
        card.activated_at = utcnow()
        return c.ACTIVATED, True

    return _apply(application_id, c.ACTION_ACTIVATE, change, ledger)


def set_limits(
    application_id: int,
    *,
    per_transaction: object = None,
    daily: object = None,
    ledger: evidence.EvidenceLedger | None = None,
) -> CardResult:
    """Set the per-transaction and/or daily spending limit (yuan, ``Decimal``/``int``/``str``).

    Each must be positive, have at most two decimals and not exceed the credit limit; the
    per-transaction limit may not exceed the daily one (given now or set before).
    """
    if per_transaction is None and daily is None:
        return CardResult(ok=False, code=c.LIMIT_MISSING)
    try:
        txn_fen = None if per_transaction is None else to_fen(per_transaction)
        daily_fen = None if daily is None else to_fen(daily)
    except MoneyError as bad:
        return CardResult(ok=False, code=bad.code)

    def change(card: Card) -> tuple[str, bool]:
        txn = card.txn_limit_fen if txn_fen is None else txn_fen
        day = card.daily_limit_fen if daily_fen is None else daily_fen
        ceiling = card.credit_limit_fen
        if ceiling is not None and any(v is not None and v > ceiling for v in (txn, day)):
            raise Refused(c.LIMIT_ABOVE_CREDIT)
        if txn is not None and day is not None and txn > day:
            raise Refused(c.TXN_ABOVE_DAILY)
        if (txn, day) == (card.txn_limit_fen, card.daily_limit_fen):
            return c.LIMITS_SET, False
        card.txn_limit_fen, card.daily_limit_fen = txn, day
        return c.LIMITS_SET, True

    return _apply(application_id, c.ACTION_LIMITS, change, ledger)


def set_notifications(
    application_id: int, enabled: bool, *, ledger: evidence.EvidenceLedger | None = None
) -> CardResult:
    """Turn transaction notifications on or off."""
    if not isinstance(enabled, bool):
        return CardResult(ok=False, code=c.BAD_SWITCH)
    code = c.NOTIFICATIONS_ON if enabled else c.NOTIFICATIONS_OFF

    def change(card: Card) -> tuple[str, bool]:
        if bool(card.notifications) == enabled:
            return code, False
        card.notifications = enabled
        return code, True

    return _apply(application_id, c.ACTION_NOTIFICATIONS, change, ledger)


def freeze(application_id: int, *, ledger: evidence.EvidenceLedger | None = None) -> CardResult:
    """One-step freeze ("一键冻结"): the virtual and the physical card stop working at once."""

    def change(card: Card) -> tuple[str, bool]:
        if card.frozen:
            return c.ALREADY_FROZEN, False
        card.frozen = True
        return c.FROZE, True

    return _apply(application_id, c.ACTION_FREEZE, change, ledger)


def unfreeze(application_id: int, *, ledger: evidence.EvidenceLedger | None = None) -> CardResult:
    def change(card: Card) -> tuple[str, bool]:
        if not card.frozen:
            return c.NOT_FROZEN, False
        card.frozen = False
        return c.UNFROZE, True

    return _apply(application_id, c.ACTION_UNFREEZE, change, ledger)
