"""The ``kaika`` command line.

kaika run                  start everything (actions, Rasa, gateway) under one supervisor
kaika train [--force]      train the Rasa model (and the credit scorecard) if their inputs changed
kaika chat                 chat in the terminal (through the running Rasa server)
kaika db upgrade           apply database migrations
kaika handoffs             open requests for a human agent, with transcripts
kaika kyc …                identity documents, screening, one-time code outbox, evidence purge
kaika scoring …            credit scorecard: train, score, decide, simulate, rescore
kaika agreement demo …     render and sign a sample agreement
kaika verify FILE.pdf      validate a signed agreement
kaika ledger verify        check the evidence ledger
kaika card …               virtual cards: issue, show, freeze, unfreeze
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any


def _chat(args: argparse.Namespace) -> int:
    import httpx

    from bot.settings import get_settings

    url = (args.url or get_settings().rasa_url).rstrip("/") + "/webhooks/rest/webhook"
    sender = args.sender or f"cli:{uuid.uuid4().hex}"
    print("kaika — 输入消息开始对话，Ctrl-D 退出 · type a message, Ctrl-D to quit")
    with httpx.Client(timeout=60) as client:
        while True:
            try:
                text = input("> ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            try:
                replies = client.post(url, json={"sender": sender, "message": text}).json()
            except httpx.HTTPError as exc:
                print(f"[cannot reach Rasa at {url}: {exc}; is `make run` running?]", file=sys.stderr)
                continue
            for r in replies:
                if r.get("text"):
                    print(r["text"])
                for i, b in enumerate(r.get("buttons") or [], start=1):
                    print(f"   [{i}] {b.get('title')}  ({b.get('payload')})")


def _run(args: argparse.Namespace) -> int:
    from bot.runner import run as run_all

    return run_all(train_model=not args.no_train)


def _train(args: argparse.Namespace) -> int:
    from bot.train import train

    train(force=args.force)
    return 0


def _db(args: argparse.Namespace) -> int:
    from bot.store import upgrade

    upgrade()
    print("database is at the newest migration")
    return 0


def _handoffs(args: argparse.Namespace) -> int:
    from bot.store.applications import open_handoffs

    json.dump(open_handoffs(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kaika", description="kaika card-application assistant")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start actions, Rasa and the gateway")
    run.add_argument("--no-train", action="store_true", help="use the existing model as is")
    run.set_defaults(func=_run)
    tr = sub.add_parser("train", help="train the Rasa model if its inputs changed")
    tr.add_argument("--force", action="store_true")
    tr.set_defaults(func=_train)
    chat = sub.add_parser("chat", help="chat in the terminal")
    chat.add_argument("--url", help="Rasa server URL (default from settings)")
    chat.add_argument("--sender", help="conversation id to continue")
    chat.set_defaults(func=_chat)
    db = sub.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"])
    db.set_defaults(func=_db)
    sub.add_parser("handoffs", help="open handoff requests (JSON)").set_defaults(func=_handoffs)

    from integrations.kyc import admin_cli as kyc_admin

    kyc = sub.add_parser("kyc", help="identity verification tools")
    kyc_sub = kyc.add_subparsers(dest="kyc_command", required=True)
    kyc_admin.register(kyc_sub)
    _register("integrations.kyc.cli", kyc_sub)
    for module in (
        "integrations.scoring.cli",
        "integrations.signing.cli",
        "integrations.ledger.cli",
        "integrations.issuing.cli",
    ):
        _register(module, sub)
    return p


def _register(module: str, subparsers: Any) -> None:
    import importlib

    importlib.import_module(module).register(subparsers)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
