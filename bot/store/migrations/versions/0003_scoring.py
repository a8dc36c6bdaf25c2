"""scoring: decision records, policy snapshots, fraud-ring links

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = ("scoring",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id", sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("model_version", sa.String(80), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("policy_sha256", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("product_code", sa.String(32), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("credit_limit", sa.Integer, nullable=True),
        sa.Column("record_enc", sa.Text, nullable=True),
        sa.Column("erased_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_scoring_decisions_application_id", "scoring_decisions", ["application_id"])
    op.create_table(
        "scoring_policy_snapshots",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "scoring_fraud_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("person_hash", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_scoring_fraud_links_application_id", "scoring_fraud_links", ["application_id"])
    op.create_index("ix_scoring_fraud_links_value_hash", "scoring_fraud_links", ["value_hash"])
    op.create_index("ix_scoring_fraud_links_created_at", "scoring_fraud_links", ["created_at"])


def downgrade() -> None:
    op.drop_table("scoring_fraud_links")
    op.drop_table("scoring_policy_snapshots")
    op.drop_table("scoring_decisions")
