"""identity verification: one-time codes, KYC records, encrypted evidence

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = ("kyc",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "otp_challenges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("code_mac", sa.String(64), nullable=False),
        sa.Column("phone_index", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
        sa.Column("locked_until", sa.DateTime, nullable=True),
    )
    op.create_index("ix_otp_challenges_application_id", "otp_challenges", ["application_id"])
    op.create_index("ix_otp_challenges_phone_index", "otp_challenges", ["phone_index"])
    op.create_table(
        "kyc_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("checks_enc", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.Column("erased_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_kyc_records_application_id", "kyc_records", ["application_id"], unique=True)
    op.create_table(
        "kyc_evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("data_enc", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("purged_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_kyc_evidence_application_id", "kyc_evidence", ["application_id"])
    op.create_index("ix_kyc_evidence_expires_at", "kyc_evidence", ["expires_at"])


def downgrade() -> None:
    op.drop_table("kyc_evidence")
    op.drop_table("kyc_records")
    op.drop_table("otp_challenges")
