"""``kaika kyc purge | screen | outbox | record`` (integrations.kyc.admin_cli)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from integrations.kyc import admin_cli, record
from integrations.kyc.sms import OutboxSmsGateway, SmsMessage

from .kyc_support import T0, clear_kyc_caches, new_application


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code = admin_cli.main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_screen(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "screen", "张伟", "--birth-date", "1971-03-14")
    assert code == 0 and out["outcome"] == "possible_match"  # type: ignore[index]
    assert out["hits"][0]["entry_id"] == "kaika-fict-0001"  # type: ignore[index]
    code, out = run(capsys, "screen", "Chen Xiaoyu", "陈晓宇", "--birth-date", "1991-05-05")
    assert code == 0 and out["outcome"] == "clear"  # type: ignore[index]
    assert run(capsys, "screen", "张伟", "--birth-date", "14/03/1971")[0] == 2


def test_purge_outbox_record(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clear_kyc_caches()
    app = new_application()
    record.add_evidence(app, "selfie", b"\xff\xd8 jpeg", "image/jpeg", now=T0)
    record.record_check(app, record.document_check("id_number_checksum", True, "ok"))
    assert run(capsys, "purge", "--now", "2026-12-15T00:00:00Z") == (0, {"purged": 0})
    assert run(capsys, "purge", "--now", "2027-01-01T00:00:00Z") == (0, {"purged": 1})
    assert run(capsys, "purge", "--now", "soon")[0] == 2
    OutboxSmsGateway().send(SmsMessage(to="+8615012345678", template="otp_phone_verify", params={"code": "1"}))
    code, out = run(capsys, "outbox", "--to", "+8615012345678")
    assert code == 0 and out[0]["template"] == "otp_phone_verify"  # type: ignore[index]
    code, out = run(capsys, "record", str(app))
    assert code == 0 and out["status"] == "incomplete" and out["evidence"][0]["purged_at"]  # type: ignore[index]
    assert run(capsys, "record", str(app + 1000))[0] == 2
    clear_kyc_caches()


def test_register_adds_the_commands_to_a_group() -> None:
    parser = argparse.ArgumentParser()
    group = parser.add_subparsers(dest="command")
    admin_cli.register(group)
    args = parser.parse_args(["screen", "x"])
    assert args.func is admin_cli._screen
