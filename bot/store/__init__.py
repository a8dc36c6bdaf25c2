"""kaika's own database: applications, their status history, handoff requests.

SQLAlchemy 1.4, SQLite by default (``var/kaika.db``), any SQLAlchemy URL via ``KAIKA_DATABASE_URL``.
Schema changes go through Alembic (``bot/store/migrations``); :func:`upgrade` runs them.
"""

from bot.store.db import get_engine, session_scope, upgrade

__all__ = ["get_engine", "session_scope", "upgrade"]
