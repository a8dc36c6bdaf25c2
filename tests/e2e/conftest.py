"""One real stack for all end-to-end tests (started once; tests may restart it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.harness import Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    s = Stack(tmp_path_factory.mktemp("stack"))
    s.start()
    yield s
    if s.proc and s.proc.poll() is None:
        s.stop()
