"""Tables of the scoring package (migration ``0003_scoring``).

``scoring_decisions``: one row per decision. Clear columns hold what operations report on
(outcome, model and policy version, product, score, limit); everything about the applicant —
the inputs as used by the model and policy, points per feature, rules fired, reasons, the limit's
steps — is in ``record_enc`` (AES-GCM, bound to the row). Erasure clears the personal columns.

``scoring_policy_snapshots``: each policy a decision used, by sha256, so a reviewer re-runs the
exact rules even after policy.yml changed. Not personal data.

``scoring_fraud_links``: keyed hashes (blind indexes) of the attributes an application shares
with others — never the phone numbers or addresses themselves — and of its ID number (person).
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base, utcnow


class ScoringDecision(Base):
    __tablename__ = "scoring_decisions"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    model_version = sa.Column(sa.String(80), nullable=False)
    policy_version = sa.Column(sa.String(32), nullable=False)
    policy_sha256 = sa.Column(sa.String(64), nullable=False)
    outcome = sa.Column(sa.String(16), nullable=False)
    product_code = sa.Column(sa.String(32), nullable=True)
    score = sa.Column(sa.Float, nullable=True)
    credit_limit = sa.Column(sa.Integer, nullable=True)
    record_enc = sa.Column(sa.Text, nullable=True)
    erased_at = sa.Column(sa.DateTime, nullable=True)


class ScoringPolicySnapshot(Base):
    __tablename__ = "scoring_policy_snapshots"

    sha256 = sa.Column(sa.String(64), primary_key=True)
    version = sa.Column(sa.String(32), nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class FraudLink(Base):
    __tablename__ = "scoring_fraud_links"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    person_hash = sa.Column(sa.String(64), nullable=True)
    kind = sa.Column(sa.String(16), nullable=False)
    value_hash = sa.Column(sa.String(64), nullable=False, index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
