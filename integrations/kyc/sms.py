"""Sending text messages (one-time codes) through a port, so a bank can plug in its provider.

Messages carry a *template id and parameters*, never finished text: the wording (zh/en) lives
with the provider's registered templates (mainland SMS providers only deliver pre-approved
templates anyway) or with the dialogue owner. Two adapters:

* :class:`OutboxSmsGateway` (default, development and tests): appends one JSON line per message
  to ``<var_dir>/outbox/sms.jsonl`` (mode 0600) where developers and tests read the code. It holds
  phone numbers and live codes in clear, so it must not be used in production.
* :class:`HttpSmsGateway`: the adapter *shape* for a real provider: one HTTPS POST per message
  with a bearer token, a neutral JSON body and a ``message_id`` back. A bank points it at its own
  SMS relay, or copies it to speak a provider's API directly, e.g.::

      Aliyun dysmsapi SendSms:  PhoneNumbers=to, SignName=sender, TemplateCode=<template id>,
                                TemplateParam=json.dumps(params)
      Tencent Cloud SendSms:    PhoneNumberSet=[to], SignName=sender, TemplateId=<template id>,
                                TemplateParamSet=[params["code"], params["ttl_minutes"]]

  Whatever it speaks, an adapter raises :class:`SmsError` with a code on failure and never logs
  the message's parameters (they contain the code).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

from bot.settings import get_settings
from integrations.kyc.settings import get_kyc_settings

# error codes (SmsError.code)
UNREACHABLE: Final = "sms_unreachable"  # network error, timeout
REJECTED: Final = "sms_rejected"  # the provider answered with an error status
BAD_RESPONSE: Final = "sms_bad_response"  # 2xx but not the expected JSON
NOT_CONFIGURED: Final = "sms_not_configured"  # gateway "http" without a URL

HTTP_TIMEOUT_S: Final = 5.0
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class SmsMessage:
    """One message: recipient (E.164, "+8615012345678"), template id and its parameters."""

    to: str
    template: str
    params: Mapping[str, str] = field(default_factory=dict)
    language: str = "zh"


@dataclass(frozen=True)
class SmsReceipt:
    """The provider's id for the message (for delivery reports), and which gateway sent it."""

    message_id: str
    gateway: str


class SmsError(Exception):
    """The message was not accepted for delivery; ``code`` says why (no personal data inside)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class SmsGateway(Protocol):
    """Port: hand one message to a delivery service. Raises :class:`SmsError`."""

    name: str

    def send(self, message: SmsMessage) -> SmsReceipt: ...


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class OutboxSmsGateway:
    """Development gateway: one JSON object per line in ``<var_dir>/outbox/sms.jsonl``.

    Line fields: ``id``, ``at`` (UTC ISO), ``to``, ``template``, ``params``, ``language``.
    Appends are serialized with ``flock`` because Rasa's action server and the gateway are
    separate processes writing the same file.
    """

    name = "outbox"

    def __init__(self, path: Path | None = None) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        # resolved on use, not at construction: settings (var_dir) may change in tests
        return self._path or get_settings().var_dir / "outbox" / "sms.jsonl"

    def send(self, message: SmsMessage) -> SmsReceipt:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        record = {
            "id": uuid.uuid4().hex,
            "at": _now_iso(),
            "to": message.to,
            "template": message.template,
            "params": dict(message.params),
            "language": message.language,
        }
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = "\n" + line  # a writer died mid-line: keep our line whole
            os.write(fd, line.encode())
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return SmsReceipt(message_id=str(record["id"]), gateway=self.name)

    def messages(self, to: str | None = None, template: str | None = None) -> list[dict[str, Any]]:
        """Messages in the outbox, oldest first, optionally for one recipient / template."""
        if not self.path.exists():
            return []
        out: list[dict[str, Any]] = []
        for raw in self.path.read_text(encoding="utf-8").splitlines():
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
            except json.JSONDecodeError:
                continue  # a torn line from a crashed writer: skip, never fail the reader
            if to is not None and item.get("to") != to:
                continue
            if template is not None and item.get("template") != template:
                continue
            out.append(item)
        return out

    def last(self, to: str | None = None, template: str | None = None) -> dict[str, Any] | None:
        found = self.messages(to, template)
        return found[-1] if found else None


class HttpSmsGateway:
    """Adapter shape for a real provider or a bank's SMS relay (see the module docstring).

    Request: ``POST <url>`` with ``Authorization: Bearer <token>`` and JSON
    ``{"to", "sender", "template", "params", "language", "client_ref"}``; expects 2xx with JSON
    ``{"message_id": "..."}``. HTTPS is required except to a local relay (127.0.0.1/localhost).
    """

    name = "http"

    def __init__(self, url: str, token: str, sender: str, timeout: float = HTTP_TIMEOUT_S) -> None:
        parts = urlsplit(url)
        if not url or parts.scheme not in ("https", "http"):
            raise SmsError(NOT_CONFIGURED, "url")
        if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
            raise SmsError(NOT_CONFIGURED, "https required")
        self._url, self._token, self._sender, self._timeout = url, token, sender, timeout

    def send(self, message: SmsMessage) -> SmsReceipt:
        client_ref = uuid.uuid4().hex  # idempotency key for the provider, no personal data
        body = json.dumps(
            {
                "to": message.to,
                "sender": self._sender,
                "template": message.template,
                "params": dict(message.params),
                "language": message.language,
                "client_ref": client_ref,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self._url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                payload = response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            raise SmsError(REJECTED, f"status {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(UNREACHABLE, type(exc).__name__) from None
        try:
            message_id = json.loads(payload)["message_id"]
        except (ValueError, KeyError, TypeError):
            raise SmsError(BAD_RESPONSE) from None
        if not isinstance(message_id, str) or not message_id:
            raise SmsError(BAD_RESPONSE)
        return SmsReceipt(message_id=message_id, gateway=self.name)


def gateway_from_settings() -> SmsGateway:
    """The gateway named by ``KAIKA_KYC_SMS_GATEWAY`` (default: the development outbox)."""
    cfg = get_kyc_settings()
    if cfg.sms_gateway == "http":
        return HttpSmsGateway(cfg.sms_http_url, cfg.sms_http_token, cfg.sms_sender)
    return OutboxSmsGateway()
