"""The ``kaika`` command line.

kaika run                 start everything (actions, Rasa, gateway) under one supervisor
kaika train [--force]     train the Rasa model if its inputs changed
kaika chat                chat in the terminal (through the running Rasa server)
kaika db upgrade          apply database migrations
kaika handoffs            list open requests for a human agent, with transcripts
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kaika", description="kaika card-application assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start actions, Rasa and the gateway")
    run.add_argument("--no-train", action="store_true", help="use the existing model as is")
    tr = sub.add_parser("train", help="train the Rasa model if its inputs changed")
    tr.add_argument("--force", action="store_true")
    chat = sub.add_parser("chat", help="chat in the terminal")
    chat.add_argument("--url", help="Rasa server URL (default from settings)")
    chat.add_argument("--sender", help="conversation id to continue")
    db = sub.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"])
    sub.add_parser("handoffs", help="open handoff requests (JSON)")
    args = parser.parse_args(argv)

    if args.command == "run":
        from bot.runner import run as run_all

        return run_all(train_model=not args.no_train)
    if args.command == "train":
        from bot.train import train

        train(force=args.force)
        return 0
    if args.command == "chat":
        return _chat(args)
    if args.command == "db":
        from bot.store import upgrade

        upgrade()
        print("database is at the newest migration")
        return 0
    if args.command == "handoffs":
        from bot.store.applications import open_handoffs

        json.dump(open_handoffs(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
