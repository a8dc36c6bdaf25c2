"""evidence ledger: hash-chained entries and recorded Merkle tree heads

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = ("ledger",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("entry_index", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("timestamp", sa.String(32), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_ledger_entries_subject", "ledger_entries", ["subject"])
    op.create_table(
        "ledger_heads",
        sa.Column("tree_size", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("root_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ledger_heads")
    op.drop_index("ix_ledger_entries_subject", table_name="ledger_entries")
    op.drop_table("ledger_entries")
