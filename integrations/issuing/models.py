"""Tables of issued cards and of their evidence outbox.

``cards``: one row per application (unique), created in phase 1 of issuance (``pending``) and
completed in phase 2 (``issued``). The card number and expiry live only in ``pan_enc`` (AES-GCM,
bound to the row); ``pan_index`` is a keyed hash that makes card numbers unique without storing
them; ``last4`` is the only clear part (PCI DSS allows the last four digits). No CVV column.

``card_events``: every confirmed change (issue, activate, limits, notifications, freeze) is
written here in the same transaction as the change, then appended to the evidence ledger; a
crash in between leaves the row unrecorded and it is sent later (transactional outbox).
``facts_enc`` holds the opened commitment (the facts and a random nonce) whose SHA-256 the ledger
carries, so an auditor can check an entry while the ledger itself holds no personal data.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base, utcnow


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (
        sa.UniqueConstraint("application_id", name="uq_cards_application_id"),
        sa.UniqueConstraint("pan_index", name="uq_cards_pan_index"),
    )

    id = sa.Column(sa.String(32), primary_key=True)  # random, unguessable card id
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False)
    product_code = sa.Column(sa.String(32), nullable=False)
    state = sa.Column(sa.String(16), nullable=False)
    pan_enc = sa.Column(sa.Text, nullable=True)
    pan_index = sa.Column(sa.String(64), nullable=True)
    last4 = sa.Column(sa.String(4), nullable=True)
    credit_limit_fen = sa.Column(sa.BigInteger, nullable=True)
    txn_limit_fen = sa.Column(sa.BigInteger, nullable=True)
    daily_limit_fen = sa.Column(sa.BigInteger, nullable=True)
    notifications = sa.Column(sa.Boolean, nullable=False, default=False)
    physical_active = sa.Column(sa.Boolean, nullable=False, default=False)
    frozen = sa.Column(sa.Boolean, nullable=False, default=False)
    reveal_token_hash = sa.Column(sa.String(64), nullable=True)
    reveal_expires_at = sa.Column(sa.DateTime, nullable=True)
    revealed_at = sa.Column(sa.DateTime, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    issued_at = sa.Column(sa.DateTime, nullable=True)
    activated_at = sa.Column(sa.DateTime, nullable=True)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    erased_at = sa.Column(sa.DateTime, nullable=True)


class CardEvent(Base):
    __tablename__ = "card_events"

    id = sa.Column(sa.Integer, primary_key=True)
    card_id = sa.Column(sa.String(32), sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False, index=True)
    application_id = sa.Column(sa.Integer, nullable=False)
    event = sa.Column(sa.String(32), nullable=False)
    action = sa.Column(sa.String(32), nullable=False)
    digest = sa.Column(sa.String(64), nullable=False)
    facts_enc = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    claimed_at = sa.Column(sa.DateTime, nullable=True)  # a process is appending it (lease)
    recorded_at = sa.Column(sa.DateTime, nullable=True, index=True)
