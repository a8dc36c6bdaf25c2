"""Tables of the identity-verification step (migration ``0002_kyc``).

* ``otp_challenges``: one-time codes (SMS codes and the spoken liveness code). The code itself is
  never stored, only a keyed HMAC bound to application, purpose and a per-challenge salt; the
  phone only as a blind index.
* ``kyc_records``: one per application: status in clear (operations need it), the list of checks
  (what, result, confidence, method, evidence ids) encrypted: a screening hit is sensitive.
* ``kyc_evidence``: encrypted image bytes with a retention deadline; purged rows keep only the
  fact that evidence existed.

Every row hangs off ``applications.id`` with ``ON DELETE CASCADE`` and is erasable through
:func:`integrations.kyc.record.erase_for_application`.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base, utcnow


class OtpChallenge(Base):
    __tablename__ = "otp_challenges"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    purpose = sa.Column(sa.String(32), nullable=False)
    salt = sa.Column(sa.String(32), nullable=False)
    code_mac = sa.Column(sa.String(64), nullable=False)
    phone_index = sa.Column(sa.String(64), nullable=True, index=True)
    status = sa.Column(sa.String(16), nullable=False)  # active | used | locked | expired | superseded | failed
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    expires_at = sa.Column(sa.DateTime, nullable=False)
    used_at = sa.Column(sa.DateTime, nullable=True)
    locked_until = sa.Column(sa.DateTime, nullable=True)


class KycRecord(Base):
    __tablename__ = "kyc_records"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, unique=True, index=True
    )
    status = sa.Column(sa.String(16), nullable=False)  # incomplete | passed | review | failed | erased
    checks_enc = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    decided_at = sa.Column(sa.DateTime, nullable=True)
    erased_at = sa.Column(sa.DateTime, nullable=True)


class KycEvidence(Base):
    __tablename__ = "kyc_evidence"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = sa.Column(sa.String(32), nullable=False)  # id_front | id_back | passport | selfie | ...
    content_type = sa.Column(sa.String(64), nullable=False)
    size_bytes = sa.Column(sa.Integer, nullable=False)
    data_enc = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    expires_at = sa.Column(sa.DateTime, nullable=False, index=True)
    purged_at = sa.Column(sa.DateTime, nullable=True)
