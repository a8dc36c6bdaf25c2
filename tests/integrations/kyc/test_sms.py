"""SMS gateways: the development outbox, and the HTTP adapter against a real local server."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from integrations.kyc import sms

MESSAGE = sms.SmsMessage(to="+8615012345678", template="otp_phone_verify", params={"code": "123456"}, language="en")


def test_outbox_appends_readable_json_lines(tmp_path: Path) -> None:
    box = sms.OutboxSmsGateway(tmp_path / "outbox" / "sms.jsonl")
    r1 = box.send(MESSAGE)
    r2 = box.send(sms.SmsMessage(to="+8613911112222", template="otp_sign", params={"code": "654321"}))
    assert r1.gateway == "outbox" and r1.message_id != r2.message_id
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["to"] == "+8615012345678" and first["params"] == {"code": "123456"} and first["language"] == "en"
    assert first["at"].endswith("Z")
    assert [m["template"] for m in box.messages()] == ["otp_phone_verify", "otp_sign"]
    assert box.last(to="+8613911112222")["params"]["code"] == "654321"  # type: ignore[index]
    assert box.messages(template="otp_sign")[0]["to"] == "+8613911112222"
    assert stat.S_IMODE(os.stat(tmp_path / "outbox" / "sms.jsonl").st_mode) == 0o600


def test_outbox_defaults_to_the_state_dir(store: Path) -> None:
    box = sms.OutboxSmsGateway()
    assert box.path == store.parent / "outbox" / "sms.jsonl"
    assert box.messages() == [] and box.last() is None


def test_outbox_skips_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "sms.jsonl"
    box = sms.OutboxSmsGateway(path)
    box.send(MESSAGE)
    with path.open("a") as fh:
        fh.write('{"to": "+86150')  # a writer died mid-line
    box.send(MESSAGE)
    assert len(box.messages()) == 2


def test_outbox_is_safe_with_parallel_writers(tmp_path: Path) -> None:
    box = sms.OutboxSmsGateway(tmp_path / "sms.jsonl")
    threads = [threading.Thread(target=lambda: [box.send(MESSAGE) for _ in range(25)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(box.messages()) == 200


class Provider(BaseHTTPRequestHandler):
    """A stand-in SMS relay: records requests, answers per ``mode``."""

    mode: ClassVar[str] = "ok"
    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Provider.seen.append({"auth": self.headers.get("Authorization"), "body": json.loads(body)})
        status, payload = {
            "ok": (200, b'{"message_id": "prov-1"}'),
            "error": (500, b'{"error": "boom"}'),
            "garbage": (200, b"<html>"),
            "no_id": (200, b'{"ok": true}'),
        }[Provider.mode]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def provider() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Provider.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()
    server.server_close()


def test_http_gateway_posts_the_documented_body(provider: str) -> None:
    Provider.mode = "ok"
    receipt = sms.HttpSmsGateway(provider, "t0ken", "KAIKA").send(MESSAGE)
    assert receipt == sms.SmsReceipt("prov-1", "http")
    (request,) = Provider.seen
    assert request["auth"] == "Bearer t0ken"
    body = request["body"]
    assert body["to"] == "+8615012345678" and body["template"] == "otp_phone_verify"
    assert body["params"] == {"code": "123456"} and body["sender"] == "KAIKA" and body["language"] == "en"
    assert len(body["client_ref"]) == 32


@pytest.mark.parametrize(
    ("mode", "code"), [("error", sms.REJECTED), ("garbage", sms.BAD_RESPONSE), ("no_id", sms.BAD_RESPONSE)]
)
def test_http_gateway_failures_have_codes(provider: str, mode: str, code: str) -> None:
    Provider.mode = mode
    with pytest.raises(sms.SmsError) as info:
        sms.HttpSmsGateway(provider, "t", "K").send(MESSAGE)
    assert info.value.code == code
    assert "123456" not in str(info.value)  # the code never ends up in an error message


def test_http_gateway_unreachable() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    with pytest.raises(sms.SmsError) as info:
        sms.HttpSmsGateway(f"http://127.0.0.1:{port}/sms", "t", "K", timeout=2).send(MESSAGE)
    assert info.value.code == sms.UNREACHABLE


@pytest.mark.parametrize("url", ["", "ftp://sms.example/", "http://sms.example.com/send", "file:///etc/passwd"])
def test_http_gateway_requires_https_off_localhost(url: str) -> None:
    with pytest.raises(sms.SmsError) as info:
        sms.HttpSmsGateway(url, "t", "K")
    assert info.value.code == sms.NOT_CONFIGURED


def test_gateway_from_settings(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .kyc_support import clear_kyc_caches

    clear_kyc_caches()
    assert isinstance(sms.gateway_from_settings(), sms.OutboxSmsGateway)
    monkeypatch.setenv("KAIKA_KYC_SMS_GATEWAY", "http")
    monkeypatch.setenv("KAIKA_KYC_SMS_HTTP_URL", "https://sms.bank.example/v1/send")
    clear_kyc_caches()
    assert isinstance(sms.gateway_from_settings(), sms.HttpSmsGateway)
    monkeypatch.setenv("KAIKA_KYC_SMS_GATEWAY", "carrier-pigeon")
    clear_kyc_caches()
    with pytest.raises(ValueError):
        sms.gateway_from_settings()
    clear_kyc_caches()
