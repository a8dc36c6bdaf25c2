"""Logs never hold an ID number, a phone number or a token, whoever logs them."""

from __future__ import annotations

import logging

import pytest

from bot import logsafe


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("id 420106198008251161 ok", "420106198008251161"),
        ("ID 11010519491231002X", "11010519491231002X"),
        ("call 15012345678", "15012345678"),
        ("call 150-1234-5678", "1234-5678"),
        ("intl +65 9123 4567", "9123 4567"),
        ("GET /api/x?token=abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"),
        ("link /applications/KK1#t=abcdefghijklmnopqrstu", "abcdefghijklmnopqrstu"),
    ],
)
def test_redact(text: str, leak: str) -> None:
    assert leak not in logsafe.redact(text)


def test_factory_masks_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    logsafe.install()
    logger = logging.getLogger("kaika.test")
    with caplog.at_level(logging.INFO):
        logger.info("user said %s", "我的身份证号 420106198008251161 手机 15012345678")
        logger.info({"text": "420106198008251161"})
    joined = "\n".join(r.getMessage() for r in caplog.records)
    assert "420106198008251161" not in joined and "15012345678" not in joined
    assert "[ID]" in joined


def test_ordinary_numbers_survive() -> None:
    assert logsafe.redact("turn took 54 ms, 200 OK, model 2026-11-28") == "turn took 54 ms, 200 OK, model 2026-11-28"
