"""Run kaika: the action server, Rasa and the gateway under one supervisor.

    prepare ─▶ start actions ─▶ start Rasa ─▶ start gateway ─▶ watch ─▶ (Ctrl-C) stop all

Preparation makes a fresh machine work: secrets, database migrations, the endpoints file for
the configured ports, and a trained model. A process that dies is restarted with back-off; on
SIGINT/SIGTERM every child gets SIGTERM, then SIGKILL if it has not exited after a grace period.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import logsafe
from bot.secrets import rasa_auth_token
from bot.settings import ROOT, Settings, get_settings

GRACE_SECONDS = 15


def _die_with_parent() -> None:
    """In the child before exec: on Linux, get SIGTERM when the supervisor dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    ready_url: str
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = 0.0
    log: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        assert self.log is not None
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops children in order
            preexec_fn=_die_with_parent,
        )
        self.started_at = time.monotonic()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def write_endpoints(settings: Settings) -> Path:
    """endpoints.yml with the configured action-server address."""
    with (ROOT / "endpoints.yml").open(encoding="utf-8") as fh:
        cfg = yaml.safe_load(fh)
    cfg["action_endpoint"]["url"] = f"{settings.actions_url}/webhook"
    out = settings.var_dir / "run" / "endpoints.yml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return out


def prepare(settings: Settings, train_model: bool = True) -> str:
    from bot.crypto import get_cipher
    from bot.store import upgrade
    from bot.train import train
    from integrations.kyc.record import purge_expired
    from integrations.signing.fonts import ensure_fonts

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    get_cipher()  # creates the development data key on first run
    token = rasa_auth_token()
    upgrade()
    purged = purge_expired()  # identity evidence past its retention period
    if purged:
        print(f"[kaika] purged {purged} expired identity images", file=sys.stderr)
    ensure_fonts()  # the agreement's CJK font subset, built once so no applicant waits for it
    if train_model:
        train()
    else:
        from integrations.scoring.artifact import ensure_model

        ensure_model()
    return token


def children(settings: Settings, token: str) -> list[Child]:
    py = sys.executable
    endpoints = write_endpoints(settings)
    logs = settings.var_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {"RASA_TELEMETRY_ENABLED": "false", "RASA_AUTH_TOKEN": token, "PYTHONUNBUFFERED": "1"}
    procs = [
        Child("actions", [py, "-m", "bot.launch", "actions"], f"{settings.actions_url}/health"),
        Child(
            "rasa",
            [
                py,
                "-m",
                "bot.launch",
                "rasa",
                "run",
                "--enable-api",  # bot.launch adds --auth-token from the environment, out of `ps`
                "--model",
                str(settings.model_path),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--interface",
                settings.host,
                "--port",
                str(settings.rasa_port),
            ],
            f"{settings.rasa_url}/status?token={token}",
        ),
        Child("gateway", [py, "-m", "bot.launch", "gateway"], f"{settings.gateway_url}/health"),
    ]
    for child in procs:
        child.log = logs / f"{child.name}.log"
        child.env = env
    return procs


def wait_ready(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback URL from settings
                if resp.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


class Supervisor:
    def __init__(self, procs: list[Child]) -> None:
        self.procs = procs
        self.stopping = False

    def _signal(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def start_all(self, timeout: float = 180) -> bool:
        for child in self.procs:
            child.start()
            t0 = time.monotonic()
            if not wait_ready(child.ready_url, timeout):
                print(f"[kaika] {child.name} did not become ready; see {child.log}", file=sys.stderr)
                return False
            print(f"[kaika] {child.name} ready in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        return True

    def watch(self) -> None:
        while not self.stopping:
            for child in self.procs:
                if not child.alive() and not self.stopping:
                    child.restarts += 1
                    delay = min(30, 2 ** min(child.restarts, 5))
                    print(f"[kaika] {child.name} exited; restarting in {delay} s (see {child.log})", file=sys.stderr)
                    time.sleep(delay)
                    child.start()
            time.sleep(0.5)

    def stop_all(self) -> None:
        for child in reversed(self.procs):
            if child.alive() and child.proc is not None:
                os.killpg(child.proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in reversed(self.procs):
            if child.proc is None:
                continue
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.proc.pid, signal.SIGKILL)
                child.proc.wait()


def run(train_model: bool = True) -> int:
    logsafe.install()
    settings = get_settings()
    token = prepare(settings, train_model)
    sup = Supervisor(children(settings, token))
    signal.signal(signal.SIGINT, sup._signal)
    signal.signal(signal.SIGTERM, sup._signal)
    try:
        if not sup.start_all():
            return 1
        token_hint = "RASA_AUTH_TOKEN" if settings.rasa_auth_token else f"{settings.var_dir}/secrets/rasa_auth_token"
        print(
            "\n"
            f"  kaika is running.\n"
            f"  Chat in a browser:    {settings.gateway_url}/\n"
            f"  Chat in a terminal:   .venv/bin/kaika chat\n"
            f"  Rasa REST channel:    {settings.rasa_url}/webhooks/rest/webhook\n"
            f"  Rasa HTTP API token:  {token_hint}\n"
            f"  Health:               {settings.gateway_url}/health\n"
            f"  Logs:                 {settings.var_dir}/logs/\n"
            f"  Stop with Ctrl-C.\n",
            file=sys.stderr,
            flush=True,
        )
        sup.watch()
    finally:
        print("[kaika] stopping…", file=sys.stderr)
        sup.stop_all()
    return 0
