"""``kaika kyc read IMAGE [--json]``: exit 0 with the stable JSON, exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integrations.kyc import const
from integrations.kyc.cli import main

from .conftest import cat_photo, sample


def test_read_prints_json_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = sample(const.CN_ID_BACK, "clean", 0)
    photo = tmp_path / "back.jpg"
    photo.write_bytes(s.data)
    assert main(["kyc", "read", str(photo), "--json", "--today", "2025-06-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["document_type"] == "cn_id_back"
    assert {k: out[k] for k in const.BACK_FIELDS} == s.truth
    assert isinstance(out["seconds"], float) and isinstance(out["checks"], list)


def test_plain_output_lists_fields_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(sample(const.PASSPORT, "clean", 0).data)
    assert main(["kyc", "read", str(photo), "--today", "2025-06-01"]) == 0
    out = capsys.readouterr().out
    assert "document_type: passport" in out and "check mrz_check_digits: pass" in out


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"%PDF-1.4 fake", "pdf"), (b"not an image", "not_image"), (None, "cannot_open_file"), ("cat", "no_document")],
)
def test_unreadable_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | str | None, code: str
) -> None:
    path = tmp_path / "in.bin"
    if content == "cat":
        path.write_bytes(cat_photo())
    elif isinstance(content, bytes):
        path.write_bytes(content)
    assert main(["kyc", "read", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"error: {code}\n"
