"""Card numbers never reach a log in any of the shapes they are written: one run, grouped with
spaces or dashes, 19-digit UnionPay numbers, or an int passed as a logging argument."""

from __future__ import annotations

import io
import logging

import pytest

from bot import logsafe
from bot.logsafe import redact
from integrations.issuing.pan import new_pan

PAN = new_pan("625899")


@pytest.mark.parametrize(
    "template", ["{}", "card {} ok", "pan={}", "卡号{}。", '{{"pan": "{}"}}'], ids=["bare", "text", "kv", "zh", "json"]
)
def test_a_contiguous_16_digit_card_number_is_masked(template: str) -> None:
    out = redact(template.format(PAN))
    assert PAN not in out and PAN[:6] not in out


@pytest.mark.parametrize(
    "text",
    [" ".join(PAN[i : i + 4] for i in range(0, 16, 4)), "-".join(PAN[i : i + 4] for i in range(0, 16, 4)), PAN + "123"],
    ids=["spaces", "dashes", "19_digits"],
)
def test_grouped_or_long_card_numbers_are_masked(text: str) -> None:
    assert PAN[:8] not in redact(text).replace(" ", "").replace("-", "")


def test_a_card_number_passed_as_an_int_argument_is_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    # install for this test only: the factory and the flag are put back afterwards
    monkeypatch.setattr(logsafe, "_installed", False)
    previous = logging.getLogRecordFactory()
    monkeypatch.setattr(logging, "_logRecordFactory", previous)
    logsafe.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = logging.getLogger("kaika.test.logsafe")
    log.addHandler(handler)
    try:
        log.warning("card %d", int(PAN))
    finally:
        log.removeHandler(handler)
    assert PAN not in stream.getvalue()
