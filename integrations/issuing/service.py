"""Issuing the virtual card on signature, once; the one-time reveal; the masked view; erasure.

Issuance is idempotent by construction, in two committed phases:

1. **reserve** — in one transaction: the application must be ``signed``; a card row is inserted
   in state ``pending`` with its number already drawn and encrypted. ``cards.application_id`` is
   unique, so a double click, a retried request or a second process cannot insert a second row:
   the loser's insert fails and it continues with the winner's card.
2. **finalize** — in one transaction, by a conditional update (``pending`` → ``issued``) that only
   one caller can win: the application becomes ``issued``, the evidence is queued in the outbox
   and a reveal token is armed.

Then the evidence is appended to the ledger (:mod:`evidence`). A process killed anywhere leaves
either nothing (rolled back), a ``pending`` row (the next call finalizes that same card), or an
issued card (the next call returns it): never two cards, never a second card number.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.catalog import get_catalog
from bot.crypto import get_cipher, token_hash
from bot.status import Status, check_transition
from bot.store.db import session_scope
from bot.store.models import Application, StatusEvent, utcnow
from integrations.issuing import const as c
from integrations.issuing import evidence
from integrations.issuing.credit import CreditLimitSource, default_source
from integrations.issuing.cvv import CvvProvider, LocalCvk
from integrations.issuing.expiry import as_month, expiry_for, parse_month, printed, yymm
from integrations.issuing.models import Card, CardEvent
from integrations.issuing.pan import new_pan
from integrations.issuing.results import CardResult, CardSecret, CardView, IssuedCard, RevealToken, iso, view_of

log = logging.getLogger(__name__)

Checkpoint = Callable[[str], None]


def pan_aad(card_id: str) -> str:
    return f"cards.pan_enc:{card_id}"


def valid_application_id(value: object) -> int | None:
    """An application id as the store knows them: a positive int (not a bool, not a string)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _noop(_step: str) -> None:
    return None


def _backoff(attempt: int) -> None:
    time.sleep(min(0.2, 0.005 * 2**attempt) * (0.5 + random.random()))


def _reserve(
    app_id: int, product_code: str, credit_limit: object, limits: CreditLimitSource, step: Checkpoint
) -> tuple[str, str] | str:
    """Phase 1. Returns (card id, state) of the application's card, or a refusal code."""
    cipher = get_cipher()
    last_error: Exception | None = None
    for attempt in range(c.ISSUE_ATTEMPTS):
        try:
            with session_scope() as session:
                app = session.get(Application, app_id)
                if app is None:
                    return c.APPLICATION_NOT_FOUND
                card = session.query(Card).filter(Card.application_id == app_id).one_or_none()
                if card is not None:
                    if card.state == c.STATE_ERASED:
                        return c.CARD_ERASED
                    if card.product_code != product_code:
                        return c.PRODUCT_MISMATCH
                    return card.id, card.state
                if app.status != Status.SIGNED.value:
                    return c.NOT_SIGNED
                product = get_catalog().get(product_code)
                if product is None:
                    return c.UNKNOWN_PRODUCT
                if app.product_code is not None and app.product_code != product_code:
                    return c.PRODUCT_MISMATCH
                limit = credit_limit
                if limit is None:
                    approved = limits.approved_limit(app_id, product_code)
                    limit = product.limit_min if approved is None else approved
                if (
                    isinstance(limit, bool)
                    or not isinstance(limit, int)
                    or not product.limit_min <= limit <= product.limit_max
                ):
                    return c.BAD_CREDIT_LIMIT
                pan = new_pan(product.bin)
                index = cipher.blind_index("pan", pan)
                if session.query(Card.id).filter(Card.pan_index == index).first() is not None:
                    continue  # number already taken: draw another
                card_id = secrets.token_hex(16)
                expiry = expiry_for(utcnow().date())
                session.add(
                    Card(
                        id=card_id,
                        application_id=app_id,
                        product_code=product_code,
                        state=c.STATE_PENDING,
                        pan_enc=cipher.encrypt_json({"pan": pan, "expiry": as_month(expiry)}, pan_aad(card_id)),
                        pan_index=index,
                        last4=pan[-4:],
                        credit_limit_fen=limit * 100,
                        notifications=False,
                        physical_active=False,
                        frozen=False,
                    )
                )
                session.flush()
                step("reserving")  # inside the open transaction: a crash here rolls it back
                return card_id, c.STATE_PENDING
        except (IntegrityError, OperationalError) as exc:
            # Another caller inserted this application's card (or a number) first, or the
            # database was busy: read again, the next round sees the winner's row.
            last_error = exc
            _backoff(attempt)
    raise RuntimeError("card reservation kept failing") from last_error


def _finalize(card_id: str) -> tuple[str, dt.datetime, int, CardView] | None:
    """Phase 2. (reveal token, its expiry, evidence id, view) for the one caller that wins, else None."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + dt.timedelta(seconds=c.REVEAL_TTL_SECONDS)
    with session_scope() as session:
        won = session.execute(
            sa.update(Card)
            .where(Card.id == card_id, Card.state == c.STATE_PENDING)
            .values(
                state=c.STATE_ISSUED,
                issued_at=now,
                updated_at=now,
                reveal_token_hash=token_hash(token),
                reveal_expires_at=expires,
            )
        ).rowcount
        if won != 1:
            return None
        card = session.get(Card, card_id)
        assert card is not None
        app = session.get(Application, card.application_id)
        assert app is not None
        if app.status != Status.ISSUED.value:
            check_transition(app.status, Status.ISSUED)
            session.add(
                StatusEvent(application=app, from_status=app.status, to_status=Status.ISSUED.value, note="card issued")
            )
            app.status = Status.ISSUED.value
        event_id = evidence.stage(session, card, c.EVENT_ISSUED, c.ACTION_ISSUE)
        view = view_of(card)
    return token, expires, event_id, view


def issue_card(
    application_id: int,
    product_code: str,
    *,
    credit_limit: int | None = None,
    ledger: evidence.EvidenceLedger | None = None,
    limits: CreditLimitSource | None = None,
    checkpoint: Checkpoint | None = None,
) -> IssuedCard:
    """Issue the virtual card of a signed application, or return the card it already has.

    ``credit_limit`` (whole yuan) is the approved limit; without it, the latest approving credit
    decision's (``limits``, default: kaika's scoring decisions), else the product's minimum. It
    must lie within the product's range. ``checkpoint`` is called
    with each step's name (``start``, ``reserving``, ``reserved``, ``issued``, ``recorded``) so
    tests can kill the process between steps.
    """
    step = checkpoint or _noop
    app_id = valid_application_id(application_id)
    if app_id is None:
        return IssuedCard(ok=False, code=c.APPLICATION_NOT_FOUND)
    if not isinstance(product_code, str) or not product_code:
        return IssuedCard(ok=False, code=c.UNKNOWN_PRODUCT)
    step("start")
    reserved = _reserve(app_id, product_code, credit_limit, limits or default_source(), step)
    if isinstance(reserved, str):
        return IssuedCard(ok=False, code=reserved)
    card_id, state = reserved
    step("reserved")
    finalized = _finalize(card_id) if state == c.STATE_PENDING else None
    step("issued")
    if finalized is not None:
        token, expires, event_id, view = finalized
        recorded = evidence.record(event_id, ledger)
        step("recorded")
        return IssuedCard(
            ok=True, code=c.ISSUED, card=view, reveal_token=token, reveal_expires_at=iso(expires), recorded=recorded
        )
    # Already issued (a repeat, or a lost race): same card, no new token. A crashed earlier call
    # may have left its evidence queued: send it now.
    evidence.flush(_unrecorded_ids(card_id), ledger)
    recorded = not _unrecorded_ids(card_id)
    step("recorded")
    with session_scope() as session:
        card = session.get(Card, card_id)
        assert card is not None and card.state == c.STATE_ISSUED
        view = view_of(card)
    return IssuedCard(ok=True, code=c.ALREADY_ISSUED, card=view, recorded=recorded)


def _unrecorded_ids(card_id: str) -> list[int]:
    with session_scope() as session:
        rows = session.query(CardEvent.id).filter(CardEvent.card_id == card_id, CardEvent.recorded_at.is_(None))
        return [int(r.id) for r in rows]


def reveal(card_id: str, reveal_token: str, *, cvv_provider: CvvProvider | None = None) -> CardSecret:
    """The full card number, expiry and CVV2, once, to the holder of the card's reveal token.

    An unknown card and a wrong token (someone else's, a forged one) get the same
    ``reveal_denied``; the right token a second time gets ``reveal_spent``. Spending is a
    conditional update, so two simultaneous reveals with the same token cannot both succeed.
    """
    if not isinstance(card_id, str) or not isinstance(reveal_token, str) or not card_id or not reveal_token:
        return CardSecret(ok=False, code=c.REVEAL_DENIED)
    hashed = token_hash(reveal_token)
    now = utcnow()
    with session_scope() as session:
        card = session.get(Card, card_id)
        if (
            card is None
            or card.state != c.STATE_ISSUED
            or card.reveal_token_hash is None
            or not secrets.compare_digest(card.reveal_token_hash, hashed)
        ):
            return CardSecret(ok=False, code=c.REVEAL_DENIED)
        if card.revealed_at is not None:
            return CardSecret(ok=False, code=c.REVEAL_SPENT)
        if card.reveal_expires_at is None or card.reveal_expires_at <= now:
            return CardSecret(ok=False, code=c.REVEAL_EXPIRED)
        if card.frozen:
            return CardSecret(ok=False, code=c.CARD_FROZEN)
        spent = session.execute(
            sa.update(Card)
            .where(Card.id == card_id, Card.reveal_token_hash == hashed, Card.revealed_at.is_(None))
            .values(revealed_at=now)
        ).rowcount
        if spent != 1:
            return CardSecret(ok=False, code=c.REVEAL_SPENT)
        secret = get_cipher().decrypt_json(card.pan_enc, pan_aad(card_id))
    pan, expiry = str(secret["pan"]), parse_month(str(secret["expiry"]))
    cvv = (cvv_provider or LocalCvk.from_env()).cvv(pan, yymm(expiry), c.CVV2_SERVICE_CODE)
    return CardSecret(ok=True, code=c.REVEALED, pan=pan, expiry=printed(expiry), cvv=cvv)


def new_reveal_token(application_id: int) -> RevealToken:
    """Arm a fresh reveal token (the previous one stops working) while the details were never
    revealed: for when the first token expired or its response was lost in a crash."""
    app_id = valid_application_id(application_id)
    if app_id is None:
        return RevealToken(ok=False, code=c.CARD_NOT_FOUND)
    token = secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(seconds=c.REVEAL_TTL_SECONDS)
    with session_scope() as session:
        card = session.query(Card).filter(Card.application_id == app_id).one_or_none()
        if card is None or card.state != c.STATE_ISSUED:
            return RevealToken(ok=False, code=c.CARD_NOT_FOUND)
        if card.frozen:
            return RevealToken(ok=False, code=c.CARD_FROZEN)
        armed = session.execute(
            sa.update(Card)
            .where(Card.id == card.id, Card.revealed_at.is_(None))
            .values(reveal_token_hash=token_hash(token), reveal_expires_at=expires)
        ).rowcount
        if armed != 1:
            return RevealToken(ok=False, code=c.REVEAL_SPENT)
    return RevealToken(ok=True, code=c.REVEAL_READY, token=token, expires_at=iso(expires))


def card_view(application_id: int) -> CardResult:
    """The application's card, masked, with its status fields; ``card_not_found`` if none."""
    app_id = valid_application_id(application_id)
    if app_id is None:
        return CardResult(ok=False, code=c.CARD_NOT_FOUND)
    with session_scope() as session:
        card = session.query(Card).filter(Card.application_id == app_id).one_or_none()
        if card is None or card.state != c.STATE_ISSUED:
            return CardResult(ok=False, code=c.CARD_NOT_FOUND)
        return CardResult(ok=True, code=c.OK_VIEW, card=view_of(card))


def card_view_for_conversation(sender_id: str) -> CardResult:
    """The card of this conversation's most recent application that has one."""
    from bot.store.applications import conversation_key

    with session_scope() as session:
        card = (
            session.query(Card)
            .join(Application, Application.id == Card.application_id)
            .filter(Application.conversation_key == conversation_key(sender_id), Card.state == c.STATE_ISSUED)
            .order_by(Application.id.desc())
            .first()
        )
        if card is None:
            return CardResult(ok=False, code=c.CARD_NOT_FOUND)
        return CardResult(ok=True, code=c.OK_VIEW, card=view_of(card))


def erase_for_application(application_id: int) -> int:
    """Erase the card data of an application: number, last four, limits, reveal token, the
    evidence facts. A tombstone row stays (no personal data) so the application can never be
    issued a second card, and the ledger, which holds only ids and hashes, stays verifiable.
    Returns the number of cards erased. Whether an open credit account may be erased is the
    caller's (legal) decision."""
    app_id = valid_application_id(application_id)
    if app_id is None:
        return 0
    now = utcnow()
    with session_scope() as session:
        cards = session.query(Card).filter(Card.application_id == app_id, Card.state != c.STATE_ERASED).all()
        for card in cards:
            card.state = c.STATE_ERASED
            card.pan_enc = card.pan_index = card.last4 = None
            card.credit_limit_fen = card.txn_limit_fen = card.daily_limit_fen = None
            card.reveal_token_hash = card.reveal_expires_at = None
            card.erased_at = now
        session.query(CardEvent).filter(CardEvent.application_id == app_id).update(
            {CardEvent.facts_enc: None}, synchronize_session=False
        )
        return len(cards)
