"""Tables of kaika's own data. Personal data lives only in ``*_enc`` columns (AES-GCM).

Clear-text columns hold what operations need without decrypting: status, product, language,
timestamps, and keyed hashes (blind indexes) for equality lookups.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Application(Base):
    __tablename__ = "applications"

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(32), unique=True, nullable=True, index=True)
    conversation_key = sa.Column(sa.String(64), nullable=False, index=True)
    status = sa.Column(sa.String(32), nullable=False)
    language = sa.Column(sa.String(8), nullable=False, default="zh")
    product_code = sa.Column(sa.String(32), nullable=True)
    consent_version = sa.Column(sa.String(32), nullable=True)
    consent_at = sa.Column(sa.DateTime, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    submitted_at = sa.Column(sa.DateTime, nullable=True)
    withdrawn_at = sa.Column(sa.DateTime, nullable=True)
    data_enc = sa.Column(sa.Text, nullable=True)
    id_number_index = sa.Column(sa.String(64), nullable=True, index=True)
    phone_index = sa.Column(sa.String(64), nullable=True, index=True)
    owner_token_hash = sa.Column(sa.String(64), nullable=True, unique=True, index=True)

    history = relationship(
        "StatusEvent", back_populates="application", order_by="StatusEvent.id", cascade="all, delete-orphan"
    )


class StatusEvent(Base):
    __tablename__ = "status_events"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    from_status = sa.Column(sa.String(32), nullable=True)
    to_status = sa.Column(sa.String(32), nullable=False)
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    note = sa.Column(sa.String(200), nullable=True)

    application = relationship("Application", back_populates="history")


class Handoff(Base):
    __tablename__ = "handoffs"

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(32), unique=True, nullable=False)
    conversation_key = sa.Column(sa.String(64), nullable=False, index=True)
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id", ondelete="SET NULL"), nullable=True)
    language = sa.Column(sa.String(8), nullable=False, default="zh")
    status = sa.Column(sa.String(16), nullable=False, default="open")
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    transcript_enc = sa.Column(sa.Text, nullable=True)


class AccessToken(Base):
    """Further owner links (agreement, status) handed out after submission; hashes only."""

    __tablename__ = "access_tokens"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    purpose = sa.Column(sa.String(16), nullable=False, default="owner")
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    expires_at = sa.Column(sa.DateTime, nullable=False)
