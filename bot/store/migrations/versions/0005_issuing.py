"""virtual card issuing: cards (one per application) and their evidence outbox

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = ("issuing",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("product_code", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("pan_enc", sa.Text, nullable=True),
        sa.Column("pan_index", sa.String(64), nullable=True),
        sa.Column("last4", sa.String(4), nullable=True),
        sa.Column("credit_limit_fen", sa.BigInteger, nullable=True),
        sa.Column("txn_limit_fen", sa.BigInteger, nullable=True),
        sa.Column("daily_limit_fen", sa.BigInteger, nullable=True),
        sa.Column("notifications", sa.Boolean, nullable=False),
        sa.Column("physical_active", sa.Boolean, nullable=False),
        sa.Column("frozen", sa.Boolean, nullable=False),
        sa.Column("reveal_token_hash", sa.String(64), nullable=True),
        sa.Column("reveal_expires_at", sa.DateTime, nullable=True),
        sa.Column("revealed_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=True),
        sa.Column("activated_at", sa.DateTime, nullable=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("erased_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("application_id", name="uq_cards_application_id"),
        sa.UniqueConstraint("pan_index", name="uq_cards_pan_index"),
    )
    op.create_table(
        "card_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("card_id", sa.String(32), sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("application_id", sa.Integer, nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("facts_enc", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_card_events_card_id", "card_events", ["card_id"])
    op.create_index("ix_card_events_recorded_at", "card_events", ["recorded_at"])


def downgrade() -> None:
    op.drop_table("card_events")
    op.drop_table("cards")
