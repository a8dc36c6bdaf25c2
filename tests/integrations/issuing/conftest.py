"""Shared set-up for the issuing tests: signed applications in a fresh store, a recording ledger."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import reset_caches

_counter = itertools.count(1)


@dataclass
class RecordingLedger:
    """Stands in for integrations.ledger in unit tests; can be told to fail."""

    entries: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    fail: bool = False
    refuse_action: str | None = None  # as if the ledger's validation refused this action's data

    def append(self, event: str, subject: str, data: dict[str, str]) -> object:
        if self.fail:
            raise ConnectionError("ledger down")
        if data.get("action") == self.refuse_action:
            raise ValueError("bad_value")
        self.entries.append((event, subject, dict(data)))
        return len(self.entries)


@pytest.fixture(scope="session")
def _migrated_template() -> Iterator[Path]:
    """One migrated database for the whole session; each test gets a copy (migrating every
    time costs ~0.4 s a test on this machine)."""
    template = Path(tempfile.mkdtemp(prefix="kaika-issuing-template-"))
    before = os.environ.get("KAIKA_VAR_DIR")
    os.environ["KAIKA_VAR_DIR"] = str(template)
    reset_caches()
    from bot.store import upgrade
    from bot.store.db import get_engine

    upgrade()
    get_engine().dispose()
    if before is not None:
        os.environ["KAIKA_VAR_DIR"] = before
    reset_caches()
    shutil.rmtree(template / "secrets", ignore_errors=True)  # keys stay fresh per test
    yield template
    shutil.rmtree(template, ignore_errors=True)


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _migrated_template: Path) -> Iterator[Path]:
    """Same contract as tests/conftest.py's ``store`` (fresh migrated SQLite DB, fresh keys,
    under tmp_path), from a copy of a database migrated once."""
    for item in _migrated_template.iterdir():
        if item.is_file() and item.name.startswith("kaika.db"):
            shutil.copy2(item, tmp_path / item.name)
    monkeypatch.setenv("KAIKA_VAR_DIR", str(tmp_path))
    reset_caches()
    yield tmp_path / "kaika.db"
    from bot.store.db import get_engine

    get_engine().dispose()
    monkeypatch.undo()
    reset_caches()


@pytest.fixture()
def ledger() -> RecordingLedger:
    return RecordingLedger()


def make_application(status: str = "signed", product: str | None = "KK_CLASSIC", sender: str | None = None) -> int:
    from bot.store.applications import conversation_key
    from bot.store.db import session_scope
    from bot.store.models import Application

    with session_scope() as session:
        app = Application(
            conversation_key=conversation_key(sender or f"test:{next(_counter)}"),
            status=status,
            language="zh",
            product_code=product,
        )
        session.add(app)
        session.flush()
        return int(app.id)


@pytest.fixture()
def signed_app(store: Path) -> Callable[..., int]:
    """A factory of applications (default: signed, product KK_CLASSIC) in the test's store."""
    return make_application


@pytest.fixture()
def db_bytes(store: Path) -> Iterator[Callable[[], bytes]]:
    """Everything SQLite holds on disk (main file and WAL), to grep for leaked card numbers."""

    def read() -> bytes:
        return b"".join(p.read_bytes() for p in store.parent.glob("kaika.db*") if p.is_file())

    yield read
