"""applications, status history, handoff requests

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(32), nullable=True),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("product_code", sa.String(32), nullable=True),
        sa.Column("consent_version", sa.String(32), nullable=True),
        sa.Column("consent_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=True),
        sa.Column("withdrawn_at", sa.DateTime, nullable=True),
        sa.Column("data_enc", sa.Text, nullable=True),
        sa.Column("id_number_index", sa.String(64), nullable=True),
        sa.Column("phone_index", sa.String(64), nullable=True),
        sa.Column("owner_token_hash", sa.String(64), nullable=True),
    )
    op.create_index("ix_applications_reference", "applications", ["reference"], unique=True)
    op.create_index("ix_applications_conversation_key", "applications", ["conversation_key"])
    op.create_index("ix_applications_id_number_index", "applications", ["id_number_index"])
    op.create_index("ix_applications_phone_index", "applications", ["phone_index"])
    op.create_index("ix_applications_owner_token_hash", "applications", ["owner_token_hash"], unique=True)
    op.create_table(
        "status_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE")),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
    )
    op.create_index("ix_status_events_application_id", "status_events", ["application_id"])
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column(
            "application_id", sa.Integer, sa.ForeignKey("applications.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("transcript_enc", sa.Text, nullable=True),
    )
    op.create_index("ix_handoffs_conversation_key", "handoffs", ["conversation_key"])


def downgrade() -> None:
    op.drop_table("handoffs")
    op.drop_table("status_events")
    op.drop_table("applications")
