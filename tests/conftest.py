"""Test set-up: every test session gets its own state directory (database, keys) in /tmp."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports bot.settings (which caches): never touch the developer's var/.
os.environ["KAIKA_VAR_DIR"] = tempfile.mkdtemp(prefix="kaika-test-")
os.environ.pop("KAIKA_DATABASE_URL", None)
os.environ.pop("KAIKA_DATA_KEY", None)
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent


def reset_caches() -> None:
    from bot import crypto, settings
    from bot.store import db

    settings.get_settings.cache_clear()
    crypto.get_cipher.cache_clear()
    db.get_engine.cache_clear()
    db._sessionmaker.cache_clear()


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, migrated SQLite database and fresh keys under tmp_path; yields the DB file."""
    monkeypatch.setenv("KAIKA_VAR_DIR", str(tmp_path))
    reset_caches()
    from bot.store import upgrade

    upgrade()
    yield tmp_path / "kaika.db"
    from bot.store.db import get_engine

    get_engine().dispose()
    monkeypatch.undo()
    reset_caches()
