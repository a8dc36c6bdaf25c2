"""Start the real stack (`kaika run`) in a temporary state directory and talk to it."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")
    except OSError as e:  # refused, reset, timed out: the server is not (yet) there
        return 0, str(e)


@dataclass
class Stack:
    var_dir: Path
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    gateway_port: int = field(default_factory=free_port)
    token: str = "e2e-token-0123456789"
    proc: subprocess.Popen[bytes] | None = None
    startup_seconds: float = 0.0

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "KAIKA_VAR_DIR": str(self.var_dir),
            "KAIKA_MODEL_DIR": str(ROOT / "models"),
            "KAIKA_RASA_PORT": str(self.rasa_port),
            "KAIKA_ACTIONS_PORT": str(self.actions_port),
            "KAIKA_GATEWAY_PORT": str(self.gateway_port),
            "RASA_AUTH_TOKEN": self.token,
        }

    @property
    def rasa(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def start(self, timeout: float = 240) -> float:
        t0 = time.monotonic()
        log = (self.var_dir / "supervisor.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--no-train"], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kaika run exited: {(self.var_dir / 'supervisor.log').read_text()[-3000:]}")
            status, _ = http("GET", f"{self.gateway}/health")
            if status == 200:
                self.startup_seconds = time.monotonic() - t0
                return self.startup_seconds
            time.sleep(1)
        raise TimeoutError("stack did not become healthy")

    def stop(self, timeout: float = 40) -> None:
        """Ctrl-C, as a person would; then every port must be free again."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=timeout)
        for port in (self.rasa_port, self.actions_port, self.gateway_port):
            with socket.socket() as s:
                assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served after stop"

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        status, replies = http("POST", f"{self.rasa}/webhooks/rest/webhook", {"sender": sender, "message": text})
        assert status == 200, (status, replies)
        return replies or []

    def tracker(self, sender: str) -> dict[str, Any]:
        q = urllib.parse.quote(sender, safe=":")  # Rasa does not decode %3A in the path
        status, tr = http("GET", f"{self.rasa}/conversations/{q}/tracker?token={self.token}")
        assert status == 200
        return tr

    def slots(self, sender: str) -> dict[str, Any]:
        return self.tracker(sender)["slots"]


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def link_token(replies: list[dict[str, Any]]) -> tuple[str, str]:
    m = re.search(r"/applications/([A-Z0-9-]+)#t=([A-Za-z0-9_-]+)", texts(replies))
    assert m, texts(replies)
    return m.group(1), m.group(2)
