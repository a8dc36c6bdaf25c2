"""Tables of the evidence ledger: the hash-chained entries and the recorded tree heads.

Neither holds personal data (see :mod:`integrations.ledger.validate`), so neither is erased
when an applicant's data is deleted: deletion itself is recorded as a ``data_deleted`` entry.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base


class LedgerEntryRow(Base):
    """One entry. ``entry_index`` is the primary key (a unique index): of several processes
    appending at once, exactly one insert per index succeeds and the others retry."""

    __tablename__ = "ledger_entries"

    entry_index = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    event = sa.Column(sa.String(32), nullable=False)
    subject = sa.Column(sa.String(64), nullable=False, index=True)
    data = sa.Column(sa.Text, nullable=False)  # canonical JSON object of str -> str
    timestamp = sa.Column(sa.String(32), nullable=False)  # ISO 8601 UTC, exactly as hashed
    prev_hash = sa.Column(sa.String(64), nullable=False)
    entry_hash = sa.Column(sa.String(64), nullable=False)


class LedgerHeadRow(Base):
    """A recorded tree head: the Merkle root over the first ``tree_size`` entries at a time.

    Heads are what makes truncation and wholesale rewriting detectable: publish them outside
    the database (a bank's notary service, a newspaper, a public blockchain) to anchor the log.
    """

    __tablename__ = "ledger_heads"

    tree_size = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    root_hash = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.String(32), nullable=False)
